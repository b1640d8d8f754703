"""Task pages, mounted under ``viec/``."""

from django.urls import path

from workflow import views

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("nhan-nhieu/", views.task_claim_many_view, name="task_claim_many"),
    path("<int:pk>/", views.task_detail, name="task_detail"),
    path("<int:pk>/nhan/", views.task_claim_view, name="task_claim"),
    path("<int:pk>/tra-lai-hang-cho/", views.task_release_view, name="task_release"),
]
