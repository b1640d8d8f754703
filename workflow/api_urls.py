from django.urls import path

from workflow import api

urlpatterns = [
    path("tasks/", api.TaskListView.as_view(), name="api-task-list"),
    path("tasks/claim/", api.TaskClaimManyView.as_view(), name="api-task-claim-many"),
    path("tasks/<int:pk>/claim/", api.TaskClaimView.as_view(), name="api-task-claim"),
    path("tasks/<int:pk>/release/", api.TaskReleaseView.as_view(), name="api-task-release"),
    path("tasks/<int:pk>/complete/", api.TaskCompleteView.as_view(), name="api-task-complete"),
]
