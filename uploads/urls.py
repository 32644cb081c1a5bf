from django.urls import path

from uploads import views

app_name = "uploads"
urlpatterns = [
    path("recordings/<uuid:recording_id>/", views.create, name="create"),
    path("recordings/<uuid:recording_id>/page/", views.page, name="page"),
    path("<uuid:upload_id>/", views.resource, name="resource"),
]
