"""Directory routes of API version 1."""

from django.urls import path

from org import api

urlpatterns = [
    path("auth/token/", api.TokenObtainView.as_view(), name="api-token"),
    path("me/", api.MeView.as_view(), name="api-me"),
    path("units/", api.UnitListView.as_view(), name="api-unit-list"),
    path("units/<str:code>/", api.UnitDetailView.as_view(), name="api-unit-detail"),
    path("people/", api.PersonListView.as_view(), name="api-person-list"),
    path("people/<int:pk>/", api.PersonDetailView.as_view(), name="api-person-detail"),
]
