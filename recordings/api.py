"""REST API for recordings: create one with its consent (then upload with tus), follow it, play it."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.services import recording_created_log
from families.models import ConsentPurpose, GivenBy
from families.services import recording_create_with_consent
from organisations.http import AuthenticatedAPIRequest
from organisations.models import User
from organisations.rules import Action
from recordings import playback
from recordings.access import recording_access_for_user, recordings_visible_to
from recordings.models import Recording, Rendition, VibCycle


def upload_url(recording: Recording) -> str:
    # The tus endpoint by name: recordings does not import the uploads app that builds on it.
    return reverse("uploads:create", args=[recording.pk])


class RecordingCreateSerializer(serializers.Serializer[Any]):
    family_code = serializers.CharField(max_length=32, label=_("Family code"))
    given_by = serializers.ChoiceField(
        choices=GivenBy.choices,
        required=False,
        label=_("Consent given by"),
        help_text=_("Leave out when the family's consent for VIB supervision is already recorded."),
    )
    purposes = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsentPurpose.choices),
        default=[ConsentPurpose.VIB_SUPERVISION],
        label=_("Consent covers"),
    )
    given_on = serializers.DateField(required=False, label=_("Consent given on"))
    valid_until = serializers.DateField(required=False, label=_("Consent valid until"))
    kind = serializers.ChoiceField(choices=Recording.Kind.choices, label=_("Kind"))
    purpose = serializers.ChoiceField(
        choices=Recording.Purpose.choices, default=Recording.Purpose.TRAINING, label=_("Purpose")
    )
    cycle = serializers.IntegerField(required=False, allow_null=True, label=_("VIB cycle"))

    def validate_cycle(self, value: int | None) -> VibCycle | None:
        if value is None:
            return None
        # Only the caller's own cycles: another professional's cycle id is "unknown", not "forbidden".
        cycle = VibCycle.objects.filter(pk=value, professional=self.context["user"]).first()
        if cycle is None:
            raise ValidationError(_("Unknown VIB cycle."))
        return cycle


class RenditionSerializer(serializers.ModelSerializer[Rendition]):
    class Meta:
        model = Rendition
        fields = ["kind", "status", "width", "height", "size"]


class RecordingListSerializer(serializers.ModelSerializer[Recording]):
    family_code = serializers.CharField(source="family.code")
    professional = serializers.IntegerField(source="professional_id")

    class Meta:
        model = Recording
        fields = [
            "id",
            "professional",
            "family_code",
            "kind",
            "purpose",
            "cycle",
            "status",
            "progress",
            "rejection_reason",
            "created_at",
        ]


class RecordingDetailSerializer(RecordingListSerializer):
    renditions = RenditionSerializer(many=True)
    consent = serializers.SerializerMethodField()
    playback = serializers.SerializerMethodField()
    upload_url = serializers.SerializerMethodField()

    class Meta(RecordingListSerializer.Meta):
        fields = [
            *RecordingListSerializer.Meta.fields,
            "duration_ms",
            "width",
            "height",
            "has_audio",
            "ready_at",
            "consent",
            "renditions",
            "playback",
            "upload_url",
        ]

    def get_consent(self, recording: Recording) -> str:
        """ "valid", "withdrawn" or "ended": whether the family's consent for VIB supervision holds today."""
        return recording.consent_state()

    def get_playback(self, recording: Recording) -> dict[str, str]:
        """Short-lived links per rendition kind, for whoever may play the film; else empty. An HEVC copy
        comes with ``hevc_codecs``, the codecs string to ask the browser about before choosing it."""
        links: dict[str, str] = self.context.get("links", {})
        return links

    def get_upload_url(self, recording: Recording) -> str:
        if recording.status != Recording.Status.AWAITING_UPLOAD or not self.context.get("may_change"):
            return ""
        request: Request = self.context["request"]
        return request.build_absolute_uri(upload_url(recording))


class RecordingCreatedSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    status = serializers.CharField()
    upload_url = serializers.URLField()


class RecordingListCreateView(generics.ListAPIView[Recording]):
    serializer_class = RecordingListSerializer

    def get_queryset(self) -> QuerySet[Recording]:
        return (
            recordings_visible_to(cast(User, self.request.user))
            .select_related("family")
            .order_by("-created_at")
        )

    @extend_schema(request=RecordingCreateSerializer, responses={201: RecordingCreatedSerializer})
    def post(self, request: AuthenticatedAPIRequest) -> Response:
        user = request.user
        if not user.is_professional:
            raise PermissionDenied(_("Only professionals can make recordings."))
        serializer = RecordingCreateSerializer(data=request.data, context={"user": user})
        serializer.is_valid(raise_exception=True)
        try:
            recording = recording_create_with_consent(
                professional=user, request=request, **serializer.validated_data
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        recording_created_log(request, user, recording)
        body: dict[str, Any] = {
            "id": str(recording.pk),
            "status": recording.status,
            "upload_url": request.build_absolute_uri(upload_url(recording)),
        }
        return Response(body, status=status.HTTP_201_CREATED)


class RecordingDetailView(APIView):
    @extend_schema(responses=RecordingDetailSerializer)
    def get(self, request: AuthenticatedAPIRequest, pk: str) -> Response:
        user = request.user
        access = recording_access_for_user(user, pk, Action.VIEW, request)
        recording = access.recording
        links: dict[str, str] = {}
        if recording.is_playable and access.allows(Action.PLAY):
            links = playback.playback_links_issue(
                request=request, user=user, recording=recording, relation=access.relation
            )
        context = {"request": request, "links": links, "may_change": access.allows(Action.CHANGE)}
        return Response(RecordingDetailSerializer(recording, context=context).data)
