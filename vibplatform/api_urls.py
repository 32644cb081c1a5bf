"""Every app's REST endpoints under /api/. Each app lists its own in <app>/api_urls.py."""

from django.urls import include, path

urlpatterns = [
    path("", include("courses.api_urls")),
    path("", include("recordings.api_urls")),
    path("", include("annotations.api_urls")),
    path("", include("certification.api_urls")),
    path("", include("dmop.api_urls")),
    path("", include("organisations.api_urls")),
]
