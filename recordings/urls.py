from django.urls import path

from recordings import views

app_name = "recordings"
urlpatterns = [
    path("", views.recording_list, name="list"),
    path("new/", views.recording_create, name="create"),
    path("<uuid:pk>/", views.recording_detail, name="detail"),
    path("<uuid:pk>/upload-again/", views.recording_upload_again_view, name="upload_again"),
    path("<uuid:pk>/status/", views.recording_status, name="status"),
    path("<uuid:pk>/playback/", views.recording_playback, name="playback"),
    path("<uuid:pk>/segments.json", views.recording_segments, name="segments"),
    path("<uuid:pk>/access-log/", views.recording_access_log, name="access_log"),
    path("stream/<str:token>/", views.recording_stream, name="stream"),
]
