"""The gate the certified-only tools use: ``certified_required`` (views) and ``certified_permission`` (API)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone
from django.utils.translation import override
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from certification.access import certified_permission, certified_required
from certification.models import Certificate
from certification.services import certification_start_training
from tests.certification.conftest import set_dates


@certified_required("dmop")
def gated_view(request):  # type: ignore[no-untyped-def]
    return HttpResponse("open")


def call(user):  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/dmop/")
    # What django_otp's middleware adds on a real request (the menu asks whether the second factor is done).
    user.is_verified = lambda: True
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    with override("nl"):
        return gated_view(request)


def test_the_gate_opens_for_a_certified_professional(certified, professional):
    response = call(professional)
    assert response.status_code == 200 and response.content == b"open"


def test_the_gate_sends_anonymous_visitors_to_login(db):
    response = call(AnonymousUser())
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_gate_explains_a_missing_certificate_in_dutch(professional):
    response = call(professional)
    assert response.status_code == 403
    text = response.content.decode()
    assert "nog geen DMOP-certificaat" in text
    assert "Bekijk mijn opleidingsvoortgang" in text


def test_the_gate_explains_training_in_progress(professional):
    certification_start_training(professional=professional, course_code="dmop")
    response = call(professional)
    assert response.status_code == 403
    assert "nog in opleiding" in response.content.decode()


def test_the_gate_names_the_expiry_date(certified, professional):
    set_dates(certified, certified_on=datetime.date(2020, 1, 1), valid_until=datetime.date(2022, 12, 31))
    response = call(professional)
    assert response.status_code == 403
    assert "31 december 2022" in response.content.decode()


def test_the_gate_says_a_certificate_was_revoked(certified, professional):
    Certificate.objects.filter(pk=certified.pk).update(status=Certificate.Status.REVOKED)
    response = call(professional)
    assert response.status_code == 403
    assert "ingetrokken" in response.content.decode()


def test_the_gate_does_not_open_for_a_colleague_or_coordinator(certified, colleague, coordinator):
    assert call(colleague).status_code == 403
    assert call(coordinator).status_code == 403


def test_the_gate_closes_the_day_after_the_last_valid_day(certified, professional):
    today = timezone.localdate()
    set_dates(
        certified,
        certified_on=today - datetime.timedelta(days=5),
        valid_until=today - datetime.timedelta(days=1),
    )
    assert call(professional).status_code == 403


def test_the_gate_rejects_an_unknown_course_when_decorating():
    with pytest.raises(ValueError):
        certified_required("xyz")


class GatedApi(APIView):
    permission_classes = [certified_permission("dmop")]

    def get(self, request):  # type: ignore[no-untyped-def]
        return Response({"open": True})


def api_call(user):  # type: ignore[no-untyped-def]
    request = APIRequestFactory().get("/api/dmop/", HTTP_ACCEPT_LANGUAGE="nl")
    if user is not None:
        force_authenticate(request, user=user)
    with override("nl"):
        response = GatedApi.as_view()(request)
        response.render()
    return response


def test_the_api_permission_lets_a_certified_professional_through(certified, professional):
    assert api_call(professional).status_code == 200


def test_the_api_permission_refuses_others_with_a_dutch_message(certified, colleague):
    response = api_call(colleague)
    assert response.status_code == 403
    assert "geldig DMOP-certificaat" in response.data["detail"]


def test_the_api_permission_refuses_anonymous(db):
    assert api_call(None).status_code in (401, 403)
