from django.urls import path

from organisations import views

app_name = "organisations"
urlpatterns = [
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<int:pk>/delete/", views.api_token_delete, name="api_token_delete"),
    path("video-grants/", views.video_grants, name="video_grants"),
    path(
        "video-grants/<int:pk>/approve/",
        views.video_grant_decision,
        {"decision": "approve"},
        name="video_grant_approve",
    ),
    path(
        "video-grants/<int:pk>/refuse/",
        views.video_grant_decision,
        {"decision": "refuse"},
        name="video_grant_refuse",
    ),
]
