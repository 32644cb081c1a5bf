"""REST API of the annotation workspace: a recording's annotations, replies, publishing and exports.

Same access helpers as the pages (``annotations.access``); validation in ``annotations.services``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import exports, review_media, services
from annotations.access import (
    AnnotationAction,
    Workspace,
    annotation_for_user,
    annotation_permissions,
    workspace_for_user,
    writable_workspace_for_user,
)
from annotations.models import TEXT_MAX_LENGTH, Annotation, Category, ReviewMedia
from audit.outcome import ActionCode
from audit.services import annotation_access_log
from organisations.http import AuthenticatedAPIRequest
from organisations.models import User
from vibplatform.pagination import PAGING_PARAMETERS, Pagination

_WRITABLE_KINDS = [Annotation.Kind.ANALYSIS, Annotation.Kind.FEEDBACK, Annotation.Kind.QUESTION]


def _drf_error(error: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(error.message_dict)


# --- Serializers -------------------------------------------------------------------------------------------


class CategorySerializer(serializers.ModelSerializer[Category]):
    class Meta:
        model = Category
        fields = ["id", "name", "colour", "description", "order"]


class AnnotationSerializer(serializers.Serializer[Any]):
    """An annotation as the workspace shows it, with what the requesting user may do with it."""

    id = serializers.IntegerField()
    recording = serializers.UUIDField()
    start_ms = serializers.IntegerField()
    end_ms = serializers.IntegerField(allow_null=True)
    category = serializers.IntegerField(allow_null=True)
    contact = serializers.ChoiceField(choices=[("", "-"), *Annotation.Contact.choices])
    text = serializers.CharField()
    kind = serializers.ChoiceField(choices=Annotation.Kind.choices)
    kind_label = serializers.CharField()
    visibility = serializers.ChoiceField(choices=Annotation.Visibility.choices)
    author = serializers.IntegerField()
    author_name = serializers.CharField()
    # DRF's metaclass moves declared fields off the class, so this does not shadow Field.parent.
    parent = serializers.IntegerField(allow_null=True)  # type: ignore[assignment]
    linked_to = serializers.IntegerField(allow_null=True)
    resolved = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    can_edit = serializers.BooleanField()
    can_publish = serializers.BooleanField()
    can_reply = serializers.BooleanField()
    can_resolve = serializers.BooleanField()

    def to_representation(self, instance: Annotation) -> dict[str, Any]:
        # Written out by hand: the workspace sends thousands of these, and field-by-field
        # serialisation would cost more than the query.
        allowed = annotation_permissions(self.context["user"], self.context["workspace"], instance)
        return annotation_payload(instance, allowed)


def annotation_payload(annotation: Annotation, allowed: frozenset[AnnotationAction]) -> dict[str, Any]:
    return {
        "id": annotation.pk,
        "recording": str(annotation.recording_id),
        "start_ms": annotation.start_ms,
        "end_ms": annotation.end_ms,
        "category": annotation.category_id,
        "contact": annotation.contact,
        "text": annotation.text,
        "kind": annotation.kind,
        "kind_label": str(Annotation.Kind(annotation.kind).label),
        "visibility": annotation.visibility,
        "author": annotation.author_id,
        "author_name": annotation.author.full_name,
        "parent": annotation.parent_id,
        "linked_to": annotation.linked_to_id,
        "resolved": annotation.resolved,
        "created_at": annotation.created_at.isoformat(),
        "edited_at": annotation.edited_at.isoformat() if annotation.edited_at else None,
        "published_at": annotation.published_at.isoformat() if annotation.published_at else None,
        "can_edit": AnnotationAction.EDIT in allowed,
        "can_publish": AnnotationAction.PUBLISH in allowed,
        "can_reply": AnnotationAction.REPLY in allowed,
        "can_resolve": AnnotationAction.RESOLVE in allowed,
    }


class AnnotationWriteSerializer(serializers.Serializer[Any]):
    """Fields to create or change an annotation. Times in milliseconds from the start of the film."""

    start_ms = serializers.IntegerField(min_value=0)
    end_ms = serializers.IntegerField(min_value=0, allow_null=True, required=False)
    category = serializers.IntegerField(help_text="Id of a category of the recording's vocabulary.")
    contact = serializers.ChoiceField(
        choices=[("", "-"), *Annotation.Contact.choices],
        required=False,
        allow_blank=True,
        help_text='For a contact principle: "on" (attuned contact, aan) or "off" (a missed moment, uit).',
    )
    text = serializers.CharField(max_length=TEXT_MAX_LENGTH, trim_whitespace=False)
    kind = serializers.ChoiceField(
        choices=[(kind.value, kind.label) for kind in _WRITABLE_KINDS],
        required=False,
        help_text="Defaults to own analysis for the professional, feedback for the supervisor.",
    )
    visibility = serializers.ChoiceField(
        choices=Annotation.Visibility.choices,
        required=False,
        help_text="A supervisor's feedback defaults to draft: the trainee sees it once published.",
    )
    linked_to = serializers.IntegerField(allow_null=True, required=False)


class ReplySerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=TEXT_MAX_LENGTH, trim_whitespace=False)


class ResolveSerializer(serializers.Serializer[Any]):
    resolved = serializers.BooleanField()


def _payload(annotation: Annotation, user: User, workspace: Workspace) -> dict[str, Any]:
    return annotation_payload(annotation, annotation_permissions(user, workspace, annotation))


# --- Views -------------------------------------------------------------------------------------------------


class RecordingAnnotationsView(APIView):
    @extend_schema(
        summary="List a recording's annotations",
        description="Ordered by start, replies included (see parent). Drafts are only listed for their author. "
        "Paginated with limit and offset.",
        parameters=PAGING_PARAMETERS,
        responses=inline_serializer(
            "PaginatedAnnotationList",
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": AnnotationSerializer(many=True),
            },
        ),
    )
    def get(self, request: AuthenticatedAPIRequest, pk: str) -> Response:
        user = request.user
        workspace = workspace_for_user(user, pk, request)
        queryset = Annotation.objects.filter(recording=workspace.recording).visible_to(user).for_workspace()
        paginator = Pagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        annotation_access_log(request, user, ActionCode.READ, workspace.recording, workspace.relation)
        context = {"user": user, "workspace": workspace}
        return paginator.get_paginated_response(AnnotationSerializer(page, many=True, context=context).data)

    @extend_schema(
        summary="Add an annotation (a moment, or a range with end_ms)",
        request=AnnotationWriteSerializer,
        responses={201: AnnotationSerializer, 400: OpenApiResponse(description="Field errors")},
    )
    def post(self, request: AuthenticatedAPIRequest, pk: str) -> Response:
        user = request.user
        workspace = writable_workspace_for_user(user, pk, request)
        serializer = AnnotationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            values = services.annotation_references(workspace, user, serializer.validated_data)
            values.setdefault("kind", workspace.kinds[0])
            annotation = services.annotation_create(workspace=workspace, author=user, **values)
        except DjangoValidationError as error:
            raise _drf_error(error) from None
        annotation_access_log(
            request, user, ActionCode.CREATE, workspace.recording, workspace.relation, annotation.pk
        )
        return Response(_payload(annotation, user, workspace), status=status.HTTP_201_CREATED)


class AnnotationDetailView(APIView):
    @extend_schema(summary="One annotation", responses=AnnotationSerializer)
    def get(self, request: AuthenticatedAPIRequest, pk: int) -> Response:
        user = request.user
        annotation, workspace = annotation_for_user(user, pk, AnnotationAction.VIEW, request)
        annotation_access_log(
            request, user, ActionCode.READ, workspace.recording, workspace.relation, annotation.pk
        )
        return Response(_payload(annotation, user, workspace))

    @extend_schema(
        summary="Change your own annotation (a reply: its text only)",
        request=AnnotationWriteSerializer(partial=True),
        responses={200: AnnotationSerializer, 400: OpenApiResponse(description="Field errors")},
    )
    def patch(self, request: AuthenticatedAPIRequest, pk: int) -> Response:
        user = request.user
        annotation, workspace = annotation_for_user(user, pk, AnnotationAction.EDIT, request)
        serializer = AnnotationWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            changes = services.annotation_references(workspace, user, serializer.validated_data)
            services.annotation_update(workspace=workspace, annotation=annotation, author=user, **changes)
        except DjangoValidationError as error:
            raise _drf_error(error) from None
        annotation_access_log(
            request, user, ActionCode.UPDATE, workspace.recording, workspace.relation, annotation.pk
        )
        return Response(_payload(annotation, user, workspace))

    @extend_schema(summary="Delete your own annotation and its replies", responses={204: None})
    def delete(self, request: AuthenticatedAPIRequest, pk: int) -> Response:
        annotation, workspace = annotation_for_user(request.user, pk, AnnotationAction.EDIT, request)
        annotation_access_log(
            request, request.user, ActionCode.DELETE, workspace.recording, workspace.relation, annotation.pk
        )
        services.annotation_delete(annotation=annotation)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AnnotationPublishView(APIView):
    @extend_schema(
        summary="Publish your draft (the trainee is notified of feedback)",
        request=None,
        responses=AnnotationSerializer,
    )
    def post(self, request: AuthenticatedAPIRequest, pk: int) -> Response:
        user = request.user
        annotation, workspace = annotation_for_user(user, pk, AnnotationAction.PUBLISH, request)
        services.annotation_publish(annotation=annotation)
        annotation_access_log(
            request, user, ActionCode.UPDATE, workspace.recording, workspace.relation, annotation.pk
        )
        return Response(_payload(annotation, user, workspace))


class AnnotationReplyView(APIView):
    @extend_schema(
        summary="Reply to an annotation",
        request=ReplySerializer,
        responses={201: AnnotationSerializer, 400: OpenApiResponse(description="Field errors")},
    )
    def post(self, request: AuthenticatedAPIRequest, pk: int) -> Response:
        user = request.user
        parent, workspace = annotation_for_user(user, pk, AnnotationAction.REPLY, request)
        serializer = ReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            reply = services.annotation_reply(
                parent=parent, author=user, text=serializer.validated_data["text"]
            )
        except DjangoValidationError as error:
            raise _drf_error(error) from None
        annotation_access_log(
            request, user, ActionCode.CREATE, workspace.recording, workspace.relation, reply.pk
        )
        return Response(_payload(reply, user, workspace), status=status.HTTP_201_CREATED)


class AnnotationResolveView(APIView):
    @extend_schema(
        summary="Mark an annotation's thread resolved or open",
        request=ResolveSerializer,
        responses=AnnotationSerializer,
    )
    def post(self, request: AuthenticatedAPIRequest, pk: int) -> Response:
        user = request.user
        annotation, workspace = annotation_for_user(user, pk, AnnotationAction.RESOLVE, request)
        serializer = ResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.annotation_set_resolved(
            annotation=annotation, resolved=serializer.validated_data["resolved"]
        )
        annotation_access_log(
            request, user, ActionCode.UPDATE, workspace.recording, workspace.relation, annotation.pk
        )
        return Response(_payload(annotation, user, workspace))


class RecordingDraftsPublishView(APIView):
    @extend_schema(
        summary="Publish all your drafts on a recording (one notification)",
        request=None,
        responses=AnnotationSerializer(many=True),
    )
    def post(self, request: AuthenticatedAPIRequest, pk: str) -> Response:
        user = request.user
        workspace = writable_workspace_for_user(user, pk, request)
        ids = list(
            Annotation.objects.filter(
                recording=workspace.recording, author=user, visibility=Annotation.Visibility.DRAFT
            ).values_list("pk", flat=True)
        )
        services.annotations_publish_drafts(workspace=workspace, author=user)
        annotation_access_log(request, user, ActionCode.UPDATE, workspace.recording, workspace.relation)
        published = Annotation.objects.filter(pk__in=ids).for_workspace()
        return Response([_payload(annotation, user, workspace) for annotation in published])


class RecordingCategoriesView(APIView):
    @extend_schema(
        summary="The vocabulary (categories) for a recording's annotations",
        responses=CategorySerializer(many=True),
    )
    def get(self, request: AuthenticatedAPIRequest, pk: str) -> Response:
        workspace = workspace_for_user(request.user, pk, request)
        categories = services.categories_for_recording(workspace.recording)
        return Response(CategorySerializer(categories, many=True).data)


# --- Exports -----------------------------------------------------------------------------------------------


class _ExportView(APIView):
    export_format = ""
    content_type = ""

    def get(self, request: AuthenticatedAPIRequest, pk: str) -> HttpResponse:
        user = request.user
        workspace = workspace_for_user(user, pk, request)
        body = exports.annotations_export(
            request=request, user=user, workspace=workspace, export_format=self.export_format
        )
        response = HttpResponse(body, content_type=self.content_type)
        response["Content-Disposition"] = f'attachment; filename="annotations.{self.export_format}"'
        response["Cache-Control"] = "private, no-store"
        return response


@extend_schema(
    summary="Annotations as WebVTT (a chapters or metadata track)",
    description="One cue per published annotation visible to you; cue text escaped as WebVTT requires.",
    responses={(200, "text/vtt"): OpenApiTypes.STR},
)
class AnnotationsVttView(_ExportView):
    export_format = "vtt"
    content_type = "text/vtt; charset=utf-8"


@extend_schema(
    summary="Annotations as CSV (opens in Excel)",
    description="UTF-8 with byte order mark, semicolon-separated as Dutch Excel expects.",
    responses={(200, "text/csv"): OpenApiTypes.STR},
)
class AnnotationsCsvView(_ExportView):
    export_format = "csv"
    content_type = "text/csv; charset=utf-8"


# --- Stills, clips and reels -------------------------------------------------------------------------------


class ReviewMediaSerializer(serializers.ModelSerializer[ReviewMedia]):
    download_url = serializers.SerializerMethodField()
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ReviewMedia
        fields = [
            "id",
            "kind",
            "kind_label",
            "start_ms",
            "end_ms",
            "moments",
            "status",
            "method",
            "error",
            "created_at",
            "download_url",
        ]

    def get_download_url(self, item: ReviewMedia) -> str | None:
        return reverse("annotations:media_download", args=[item.pk]) if item.is_done else None


class ReviewMediaRequestSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ReviewMedia.Kind.choices)
    start_ms = serializers.IntegerField(min_value=0, required=False, default=0)
    end_ms = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    annotations = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="For a reel: annotation ids.",
    )


class RecordingReviewMediaView(APIView):
    @extend_schema(
        summary="Stills, clips and reels of a recording", responses=ReviewMediaSerializer(many=True)
    )
    def get(self, request: AuthenticatedAPIRequest, pk: str) -> Response:
        workspace = workspace_for_user(request.user, pk, request)
        items = ReviewMedia.objects.filter(recording=workspace.recording)
        return Response(ReviewMediaSerializer(items, many=True).data)

    @extend_schema(
        summary="Order a still, a clip or a review reel (made in the background)",
        request=ReviewMediaRequestSerializer,
        responses={202: ReviewMediaSerializer, 400: OpenApiResponse(description="Field errors")},
    )
    def post(self, request: AuthenticatedAPIRequest, pk: str) -> Response:
        user = request.user
        workspace = writable_workspace_for_user(user, pk, request)
        serializer = ReviewMediaRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        chosen = list(
            Annotation.objects.visible_to(user).filter(
                recording=workspace.recording, pk__in=data["annotations"], parent__isnull=True
            )
        )
        try:
            item = review_media.review_media_request(
                workspace=workspace,
                user=user,
                kind=data["kind"],
                start_ms=data["start_ms"],
                end_ms=data["end_ms"],
                annotations=chosen,
                request=request,
            )
        except DjangoValidationError as error:
            raise _drf_error(error) from None
        return Response(ReviewMediaSerializer(item).data, status=status.HTTP_202_ACCEPTED)
