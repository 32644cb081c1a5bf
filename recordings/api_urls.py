from django.urls import path

from recordings import api

urlpatterns = [
    path("recordings/", api.RecordingListCreateView.as_view(), name="api-recordings"),
    path("recordings/<uuid:pk>/", api.RecordingDetailView.as_view(), name="api-recording"),
]
