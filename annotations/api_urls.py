from django.urls import path

from annotations import api

urlpatterns = [
    path(
        "recordings/<uuid:pk>/annotations/",
        api.RecordingAnnotationsView.as_view(),
        name="api-recording-annotations",
    ),
    path(
        "recordings/<uuid:pk>/annotations/publish/",
        api.RecordingDraftsPublishView.as_view(),
        name="api-recording-annotations-publish",
    ),
    path(
        "recordings/<uuid:pk>/annotations.vtt", api.AnnotationsVttView.as_view(), name="api-annotations-vtt"
    ),
    path(
        "recordings/<uuid:pk>/annotations.csv", api.AnnotationsCsvView.as_view(), name="api-annotations-csv"
    ),
    path(
        "recordings/<uuid:pk>/annotation-categories/",
        api.RecordingCategoriesView.as_view(),
        name="api-recording-annotation-categories",
    ),
    path(
        "recordings/<uuid:pk>/review-media/", api.RecordingReviewMediaView.as_view(), name="api-review-media"
    ),
    path("annotations/<int:pk>/", api.AnnotationDetailView.as_view(), name="api-annotation"),
    path("annotations/<int:pk>/publish/", api.AnnotationPublishView.as_view(), name="api-annotation-publish"),
    path("annotations/<int:pk>/replies/", api.AnnotationReplyView.as_view(), name="api-annotation-replies"),
    path("annotations/<int:pk>/resolve/", api.AnnotationResolveView.as_view(), name="api-annotation-resolve"),
]
