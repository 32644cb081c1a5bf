"""Read API of the training: enrolments with progress derived the same way as the pages."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from courses.access import enrolment_for_user, visible_enrolments
from courses.models import Enrolment
from courses.progress import EnrolmentProgress, RequirementProgress, progress_for
from organisations.models import User
from organisations.rules import Action


class PersonSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class RequirementProgressSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="requirement.pk")
    order = serializers.IntegerField(source="requirement.order")
    kind = serializers.CharField(source="requirement.kind")
    title = serializers.CharField(source="requirement.title")
    state = serializers.CharField()
    done = serializers.IntegerField()
    target = serializers.IntegerField()
    next_step = serializers.CharField()


class EnrolmentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="enrolment.pk")
    professional = PersonSerializer(source="enrolment.professional")
    course = serializers.CharField(source="enrolment.version.course.code")
    course_name = serializers.CharField(source="enrolment.version.course.name")
    version = serializers.CharField(source="enrolment.version.label")
    cohort = serializers.CharField(source="enrolment.cohort")
    started_on = serializers.DateField(source="enrolment.started_on")
    status = serializers.CharField(source="enrolment.status")
    completed_on = serializers.DateField(source="enrolment.completed_on", allow_null=True)
    supervisor = PersonSerializer(source="enrolment.supervisor", allow_null=True)
    percent = serializers.IntegerField()
    requirements_met = serializers.BooleanField()
    next_step = serializers.SerializerMethodField()

    def get_next_step(self, progress: EnrolmentProgress) -> str | None:
        item: RequirementProgress | None = progress.next_step
        return item.requirement.title if item and progress.enrolment.is_open else None


class EnrolmentDetailSerializer(EnrolmentSerializer):
    requirements = RequirementProgressSerializer(many=True)


class EnrolmentFilterSerializer(serializers.Serializer[dict[str, str]]):
    # A value outside these is a 400, not an empty list: a typo must not look like "no enrolments".
    course = serializers.ChoiceField(choices=["dmop", "vib"], required=False)
    status = serializers.ChoiceField(choices=Enrolment.Status.choices, required=False)


class EnrolmentList(generics.ListAPIView[Enrolment]):
    """Enrolments the caller may view (own, assigned trainees, own organisation, or all for administrators)."""

    serializer_class = EnrolmentSerializer

    def get_queryset(self) -> QuerySet[Enrolment]:
        enrolments = visible_enrolments(cast(User, self.request.user)).select_related(
            "professional", "version__course", "supervisor"
        )
        # A plain dict: from a QueryDict DRF would read "?status=" as "no filter" rather than a bad value.
        filters = EnrolmentFilterSerializer(data=self.request.query_params.dict())
        filters.is_valid(raise_exception=True)
        if course := filters.validated_data.get("course"):
            enrolments = enrolments.filter(version__course__code=course)
        if status := filters.validated_data.get("status"):
            enrolments = enrolments.filter(status=status)
        return enrolments.order_by("pk")

    @extend_schema(parameters=[EnrolmentFilterSerializer])
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        progresses = progress_for(page or [])
        return self.get_paginated_response(self.get_serializer(progresses, many=True).data)


class EnrolmentDetail(generics.GenericAPIView[Enrolment]):
    serializer_class = EnrolmentDetailSerializer

    def get(self, request: Request, pk: int) -> Response:
        enrolment, _relation = enrolment_for_user(cast(User, request.user), pk, Action.VIEW)
        progress = progress_for([enrolment])[0]
        return Response(self.get_serializer(progress).data)
