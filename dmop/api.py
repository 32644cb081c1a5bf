"""REST API of the DMOP instrument and the sociale kaart (documented in /api/schema/).

Every endpoint needs a valid DMOP certificate (``certified_permission("dmop")``), except the sociale kaart
list, which the organisation's coordinators may also read. Objects are fetched through ``dmop.access``.
"""

from __future__ import annotations

import json
from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Max, Q, QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from certification.access import certified_permission
from dmop import access
from dmop.export import export_csv, export_json, export_records
from dmop.models import (
    ConcernLevel,
    ContactMoment,
    Domain,
    DomainAssessment,
    Factor,
    Family,
    Partner,
    PlanAction,
)
from dmop.services import (
    AssessmentInput,
    PlanActionInput,
    contact_moment_record,
    dmop_export_log,
    family_access_log,
    family_create,
)
from dmop.timeline import Timeline, timeline_for_family
from organisations.http import AuthenticatedAPIRequest
from organisations.models import User
from organisations.rules import Action

CertifiedDmop = certified_permission(access.COURSE_CODE)
GATED: list[type[BasePermission]] = [IsAuthenticated, CertifiedDmop]


class CoordinatorOrCertified(BasePermission):
    """The organisation's coordinators, or professionals with a valid DMOP certificate: the sociale kaart,
    and the organisation-wide export (whose professionals must also be designated exporters, checked by
    ``access.organisation_id_for_export``)."""

    message = CertifiedDmop.message  # type: ignore[attr-defined]

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if access.is_member_coordinator(user, getattr(user, "organisation_id", None)):
            return True
        return CertifiedDmop().has_permission(request, view)


def _raise_as_drf(error: DjangoValidationError, renamed: dict[str, str] | None = None) -> None:
    """A service's field-keyed errors as the API's 400 body (``renamed``: service field -> API field)."""
    if not hasattr(error, "error_dict"):
        raise serializers.ValidationError({"non_field_errors": error.messages})
    renamed = renamed or {}
    raise serializers.ValidationError(
        {renamed.get(key, key): value for key, value in error.message_dict.items()}
    )


# --- Serializers -----------------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-05"})
class MonthField(serializers.DateField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m", input_formats=["%Y-%m", "%Y-%m-%d"], **kwargs)


class FamilySerializer(serializers.ModelSerializer[Family]):
    child_birth_month = MonthField(required=False, allow_null=True)
    contact_moment_count = serializers.IntegerField(read_only=True)
    last_contact_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Family
        fields = ["id", "code", "child_birth_month", "contact_moment_count", "last_contact_on", "created_at"]


class FamilyCreateSerializer(serializers.Serializer[Any]):
    """Parses only: the rules live in ``family_create``, whose field-keyed errors become the 400 body."""

    code = serializers.CharField(max_length=32)
    child_birth_month = MonthField(required=False, allow_null=True)


class TimelineCellSerializer(serializers.Serializer[Any]):
    concern_level = serializers.IntegerField(allow_null=True)
    rose = serializers.BooleanField()


class TimelineRowSerializer(serializers.Serializer[Any]):
    domain = serializers.ChoiceField(choices=Domain.choices)
    label = serializers.CharField()  # type: ignore[assignment]
    cells = TimelineCellSerializer(many=True)


class TimelineColumnSerializer(serializers.Serializer[Any]):
    contact_moment_id = serializers.IntegerField()
    date = serializers.DateField()
    type = serializers.CharField(source="kind")
    type_label = serializers.CharField(source="kind_label")


class TimelineSerializer(serializers.Serializer[Any]):
    columns = TimelineColumnSerializer(many=True)
    rows = TimelineRowSerializer(many=True)
    rising_domains = serializers.ListField(child=serializers.CharField())


class ContactMomentSummarySerializer(serializers.ModelSerializer[ContactMoment]):
    type = serializers.CharField(source="kind")
    type_label = serializers.CharField(source="get_kind_display")
    recorded_by = serializers.CharField(source="professional.full_name")

    class Meta:
        model = ContactMoment
        fields = ["id", "date", "type", "type_label", "recorded_by"]


class FamilyDetailSerializer(serializers.ModelSerializer[Family]):
    child_birth_month = MonthField(allow_null=True)
    contact_moments = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta:
        model = Family
        fields = ["id", "code", "child_birth_month", "created_at", "contact_moments", "timeline"]

    @extend_schema_field(ContactMomentSummarySerializer(many=True))
    def get_contact_moments(self, family: Family) -> list[dict[str, Any]]:
        moments = family.contact_moments.select_related("professional")
        return ContactMomentSummarySerializer(moments, many=True).data  # type: ignore[return-value]

    @extend_schema_field(TimelineSerializer)
    def get_timeline(self, family: Family) -> dict[str, Any]:
        timeline: Timeline = self.context["timeline"]
        return TimelineSerializer(timeline).data


class PlanActionSerializer(serializers.Serializer[Any]):
    description = serializers.CharField(max_length=4000, allow_blank=True)
    agreed_with_parents = serializers.BooleanField(default=False)
    owner = serializers.ChoiceField(choices=PlanAction.Owner.choices, default=PlanAction.Owner.PARENTS)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    referral = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.none(),
        required=False,
        allow_null=True,
        help_text="Id of an active partner on the organisation's sociale kaart (GET /api/dmop/partners/).",
        error_messages={"does_not_exist": _("Refer only to partners on your organisation's sociale kaart.")},
    )


class AssessmentSerializer(serializers.Serializer[Any]):
    domain = serializers.ChoiceField(choices=Domain.choices)
    concern_level = serializers.ChoiceField(choices=ConcernLevel.choices)
    risk_factors = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    protective_factors = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    plan_actions = PlanActionSerializer(many=True, required=False, default=list)
    factors = serializers.PrimaryKeyRelatedField(
        queryset=Factor.objects.filter(is_active=True),
        many=True,
        required=False,
        default=list,
        help_text="Ids of risk and protective factors of this domain (GET /api/dmop/factors/).",
    )


class ContactMomentCreateSerializer(serializers.Serializer[Any]):
    """Parses only: the rules live in ``contact_moment_record`` (schedule, trigger, domains, referrals)."""

    date = serializers.DateField()
    type = serializers.ChoiceField(choices=ContactMoment.Kind.choices)
    triggered_by = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="For an extra contact moment: the id of the domain assessment whose concern led to it.",
    )
    assessments = AssessmentSerializer(many=True, help_text="Exactly one entry for each of the five domains.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        family: Family | None = self.context.get("family")  # absent when the schema generator builds it
        if family is not None:
            assessments: Any = self.fields["assessments"]
            referral = assessments.child.fields["plan_actions"].child.fields["referral"]
            referral.queryset = Partner.objects.of_organisation(family.organisation_id).active()

    def trigger(self) -> DomainAssessment | None:
        pk = self.validated_data.get("triggered_by")
        if pk is None:
            return None
        family: Family = self.context["family"]
        found = DomainAssessment.objects.filter(pk=pk, contact_moment__family=family).first()
        if found is None:  # another family's assessment does not exist for this caller
            raise serializers.ValidationError(
                {
                    "triggered_by": [
                        _("Choose a domain with concern at an earlier contact moment of this family.")
                    ]
                }
            )
        return found

    def to_inputs(self) -> list[AssessmentInput]:
        return [
            AssessmentInput(
                domain=item["domain"],
                concern_level=int(item["concern_level"]),
                risk_factors=item["risk_factors"],
                protective_factors=item["protective_factors"],
                factors=tuple(item["factors"]),
                plan_actions=tuple(
                    PlanActionInput(
                        a["description"],
                        a["agreed_with_parents"],
                        a.get("referral"),
                        a["owner"],
                        a.get("due_on"),
                    )
                    for a in item["plan_actions"]
                ),
            )
            for item in self.validated_data["assessments"]
        ]


class FactorSerializer(serializers.ModelSerializer[Factor]):
    class Meta:
        model = Factor
        fields = ["id", "domain", "kind", "label"]


class PartnerSerializer(serializers.ModelSerializer[Partner]):
    domains = serializers.ListField(
        child=serializers.ChoiceField(choices=Domain.choices), source="domain_values"
    )

    class Meta:
        model = Partner
        fields = ["id", "name", "contact", "domains"]


# --- Views -----------------------------------------------------------------------------------------------


class FamilyListCreate(generics.ListCreateAPIView[Family]):
    permission_classes = GATED
    serializer_class = FamilySerializer

    def get_queryset(self) -> QuerySet[Family]:
        return access.families_visible_to(cast(User, self.request.user)).annotate(
            contact_moment_count=Count("contact_moments"), last_contact_on=Max("contact_moments__date")
        )

    @extend_schema(summary="Families of your organisation", responses=FamilySerializer(many=True))
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Register a family under a pseudonymous code",
        request=FamilyCreateSerializer,
        responses={201: FamilySerializer, 400: OpenApiResponse(description="Field-level errors")},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = cast(User, request.user)  # IsAuthenticated
        organisation_id = access.organisation_id_for_instrument(user)
        serializer = FamilyCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            family = family_create(
                organisation_id=organisation_id,
                registered_by=user,
                request=request,
                **serializer.validated_data,
            )
        except DjangoValidationError as error:
            _raise_as_drf(error)
        family = self.get_queryset().get(pk=family.pk)
        return Response(FamilySerializer(family).data, status=status.HTTP_201_CREATED)


class FamilyDetail(APIView):
    permission_classes = GATED

    @extend_schema(summary="A family with its contact moments and timeline", responses=FamilyDetailSerializer)
    def get(self, request: AuthenticatedAPIRequest, pk: int) -> Response:
        family = access.family_for_user(request.user, pk, Action.VIEW)
        family_access_log(request=request, user=request.user, family=family, action_code="R")
        context = {"timeline": timeline_for_family(family)}
        return Response(FamilyDetailSerializer(family, context=context).data)


class ContactMomentCreate(APIView):
    permission_classes = GATED

    @extend_schema(
        summary="Record a contact moment with all five domains and the plan van aanpak",
        request=ContactMomentCreateSerializer,
        responses={
            201: ContactMomentSummarySerializer,
            400: OpenApiResponse(description="Field-level errors"),
        },
    )
    def post(self, request: AuthenticatedAPIRequest, pk: int) -> Response:
        family = access.family_for_user(request.user, pk, Action.CHANGE)
        serializer = ContactMomentCreateSerializer(data=request.data, context={"family": family})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            moment = contact_moment_record(
                family=family,
                professional=request.user,
                date=data["date"],
                kind=data["type"],
                triggered_by=serializer.trigger(),
                assessments=serializer.to_inputs(),
                request=request,
            )
        except DjangoValidationError as error:
            _raise_as_drf(error, {"kind": "type"})
        return Response(ContactMomentSummarySerializer(moment).data, status=status.HTTP_201_CREATED)


class FactorList(generics.ListAPIView[Factor]):
    permission_classes = GATED
    serializer_class = FactorSerializer
    queryset = Factor.objects.filter(is_active=True)

    @extend_schema(summary="The lists of risk and protective factors per domain")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class PartnerList(generics.ListAPIView[Partner]):
    permission_classes = [IsAuthenticated, CoordinatorOrCertified]
    serializer_class = PartnerSerializer

    def get_queryset(self) -> QuerySet[Partner]:
        return (
            access.partners_visible_to(cast(User, self.request.user))
            .active()
            .prefetch_related("served_domains")
        )

    @extend_schema(summary="The sociale kaart of your organisation (active partners)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


# --- Exports for the DD-JGZ ------------------------------------------------------------------------------

_JSON_EXPORT = extend_schema(
    summary="DMOP records as structured JSON for registration in the DD-JGZ",
    responses={200: OpenApiTypes.OBJECT},
)
_CSV_EXPORT = extend_schema(
    summary="DMOP records as CSV (UTF-8 with BOM, semicolon-separated) for registration in the DD-JGZ",
    responses={(200, "text/csv"): OpenApiTypes.STR},
)


def _download(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # Named by id, never by family code: downloaded files end up in folders and mail attachments.
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _json_text(records: list[dict[str, Any]]) -> str:
    # A plain download rather than DRF's content negotiation: a browser's Accept header must not turn
    # the file into the browsable API page.
    return json.dumps(export_json(records), ensure_ascii=False, indent=2)


class _FamilyExport(APIView):
    permission_classes = GATED

    def records(self, request: AuthenticatedAPIRequest, pk: int) -> tuple[list[dict[str, Any]], str]:
        family = access.family_for_user(request.user, pk, Action.VIEW)
        family_access_log(request=request, user=request.user, family=family, action_code="E")
        return export_records(Q(contact_moment__family=family)), f"dmop-family-{family.pk}"


class FamilyExportJson(_FamilyExport):
    @_JSON_EXPORT
    def get(self, request: AuthenticatedAPIRequest, pk: int) -> HttpResponse:
        records, name = self.records(request, pk)
        return _download(_json_text(records), "application/json", f"{name}.json")


class FamilyExportCsv(_FamilyExport):
    @_CSV_EXPORT
    def get(self, request: AuthenticatedAPIRequest, pk: int) -> HttpResponse:
        records, name = self.records(request, pk)
        return _download(export_csv(records), "text/csv; charset=utf-8", f"{name}.csv")


class _OrganisationExport(APIView):
    permission_classes = [IsAuthenticated, CoordinatorOrCertified]

    def records(self, request: AuthenticatedAPIRequest) -> list[dict[str, Any]]:
        organisation_id = access.organisation_id_for_export(request.user)
        records = export_records(Q(contact_moment__family__organisation_id=organisation_id))
        # NEN 7513: one export line per family in the file, so each family's access list shows it.
        dmop_export_log(request=request, user=request.user, organisation_id=organisation_id)
        return records


class OrganisationExportJson(_OrganisationExport):
    @_JSON_EXPORT
    def get(self, request: AuthenticatedAPIRequest) -> HttpResponse:
        return _download(_json_text(self.records(request)), "application/json", "dmop-organisation.json")


class OrganisationExportCsv(_OrganisationExport):
    @_CSV_EXPORT
    def get(self, request: AuthenticatedAPIRequest) -> HttpResponse:
        return _download(
            export_csv(self.records(request)), "text/csv; charset=utf-8", "dmop-organisation.csv"
        )
