from django.urls import path

from annotations import views

app_name = "annotations"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("recordings/<uuid:pk>/", views.workspace, name="workspace"),
    path("cycles/<int:pk>/", views.cycle, name="cycle"),
    path("cycles/<int:pk>/reviewed/", views.cycle_mark_reviewed, name="cycle_mark_reviewed"),
    path("cycles/<int:pk>/unreviewed/", views.cycle_unmark_reviewed, name="cycle_unmark_reviewed"),
    path("media/<int:pk>/download/", views.media_download, name="media_download"),
]
