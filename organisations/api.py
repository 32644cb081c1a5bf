from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisations.models import Organisation, User


class MeSerializer(serializers.ModelSerializer[User]):
    # Supervisors (AIT) and national administrators belong to no organisation.
    organisation: serializers.StringRelatedField[Organisation] = serializers.StringRelatedField(
        allow_null=True
    )
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "organisation", "job_title", "roles"]

    def get_roles(self, user: User) -> list[str]:
        held = {
            "professional": user.is_professional,
            "supervisor": user.is_supervisor,
            "coordinator": user.is_coordinator,
            "administrator": user.is_administrator,
        }
        return [role for role, has in held.items() if has]


class MeView(APIView):
    """The authenticated person and their roles."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = User.objects.select_related("organisation").get(pk=cast(User, request.user).pk)
        return Response(MeSerializer(user).data)
