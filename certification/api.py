from __future__ import annotations

from typing import cast

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated

from certification.access import certificate_for_user
from certification.models import Certificate
from organisations.models import User
from organisations.rules import Action, visible_owners_filter


class ProfessionalSummarySerializer(serializers.Serializer[User]):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class CertificateSerializer(serializers.ModelSerializer[Certificate]):
    professional = serializers.SerializerMethodField()
    effective_status = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "id",
            "professional",
            "course_code",
            "status",
            "effective_status",
            "certified_on",
            "valid_until",
        ]

    @extend_schema_field(ProfessionalSummarySerializer)
    def get_professional(self, certificate: Certificate) -> dict[str, object]:
        professional = certificate.professional
        return {"id": professional.pk, "full_name": professional.full_name}

    def get_effective_status(self, certificate: Certificate) -> str:
        """The status as of today: a certificate past its last valid day reads "expired" at once."""
        return certificate.effective_status()


@extend_schema(tags=["certification"])
class CertificateList(generics.ListAPIView[Certificate]):
    """Certificates of the professionals the caller may see (self, assigned trainees, own organisation)."""

    serializer_class = CertificateSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet[Certificate]:
        queryset = Certificate.objects.filter(
            visible_owners_filter(cast(User, self.request.user), prefix="professional__")
        )
        course = self.request.query_params.get("course")
        if course:
            queryset = queryset.filter(course_code=course)
        return queryset.select_related("professional").order_by(
            "professional__full_name", "course_code", "pk"
        )


@extend_schema(tags=["certification"])
class CertificateDetail(generics.RetrieveAPIView[Certificate]):
    """One certificate; 404 for anyone who may not see its professional."""

    serializer_class = CertificateSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self) -> Certificate:
        return certificate_for_user(cast(User, self.request.user), self.kwargs["pk"], Action.VIEW)
