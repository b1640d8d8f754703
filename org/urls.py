"""Directory pages."""

from django.urls import path

from org import views

urlpatterns = [
    path("danh-ba/", views.directory, name="directory"),
    path("danh-ba/don-vi/<str:code>/", views.unit_detail, name="directory_unit"),
    path("danh-ba/can-bo/<int:pk>/", views.person_detail, name="directory_person"),
    path(
        "danh-ba/buoc-chua-co-nguoi/",
        views.steps_without_holders,
        name="steps_without_holders",
    ),
]
