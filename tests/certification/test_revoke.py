"""Revocation and reinstatement: administrators only, always with a reason, always in the history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from certification.access import has_valid_certificate
from certification.models import Certificate
from certification.services import certification_reinstate, certification_revoke
from tests.certification.conftest import events, set_dates


def url(certificate, action="revoke") -> str:  # type: ignore[no-untyped-def]
    return f"/certification/{certificate.pk}/{action}/"


def test_the_administrator_revokes_with_a_reason(certified, professional, administrator, client_for):
    client = client_for(administrator)
    assert client.get(url(certified)).status_code == 200
    response = client.post(url(certified), {"reason": "Klacht gegrond verklaard."})
    assert response.status_code == 302
    certified.refresh_from_db()
    assert certified.status == Certificate.Status.REVOKED
    event = certified.events.first()
    assert (event.from_status, event.to_status, event.actor, event.reason) == (
        "certified",
        "revoked",
        administrator,
        "Klacht gegrond verklaard.",
    )
    assert not has_valid_certificate(professional, "dmop")


def test_a_revocation_without_reason_is_refused(certified, administrator, client_for):
    response = client_for(administrator).post(url(certified), {"reason": "   "})
    assert response.status_code == 400
    assert "Dit veld is vereist." in response.content.decode()
    certified.refresh_from_db()
    assert certified.status == Certificate.Status.CERTIFIED


def test_revoking_twice_is_explained(certified, administrator, client_for):
    certification_revoke(certificate=certified, revoked_by=administrator, reason="Eerste keer")
    response = client_for(administrator).post(url(certified), {"reason": "Nog eens"})
    assert response.status_code == 400
    assert "al ingetrokken" in response.content.decode()


def test_nobody_else_revokes(certified, professional, supervisor, coordinator, colleague, client_for):
    for user in (professional, supervisor, coordinator):
        assert client_for(user).get(url(certified)).status_code == 403
        assert client_for(user).post(url(certified), {"reason": "x"}).status_code == 403
    assert client_for(colleague).post(url(certified), {"reason": "x"}).status_code == 404
    assert client_for(None).post(url(certified), {"reason": "x"}).status_code == 302
    certified.refresh_from_db()
    assert certified.status == Certificate.Status.CERTIFIED


def test_the_service_refuses_non_administrators(certified, coordinator):
    with pytest.raises(PermissionDenied):
        certification_revoke(certificate=certified, revoked_by=coordinator, reason="x")


def test_revoke_accepts_get_and_post_only(certified, administrator, client_for):
    assert client_for(administrator).delete(url(certified)).status_code == 405


def test_reinstating_returns_a_valid_certificate_to_certified(
    certified, professional, administrator, client_for
):
    certification_revoke(certificate=certified, revoked_by=administrator, reason="Onderzoek")
    response = client_for(administrator).post(url(certified, "reinstate"), {"reason": "Onderzoek afgerond"})
    assert response.status_code == 302
    certified.refresh_from_db()
    assert certified.status == Certificate.Status.CERTIFIED
    assert events(certified)[-2:] == [("certified", "revoked"), ("revoked", "certified")]
    assert has_valid_certificate(professional, "dmop")


def test_reinstating_after_the_validity_ended_gives_expired(certified, administrator):
    today = timezone.localdate()
    certification_revoke(certificate=certified, revoked_by=administrator, reason="Onderzoek")
    set_dates(
        certified,
        certified_on=today - datetime.timedelta(days=900),
        valid_until=today - datetime.timedelta(days=1),
    )
    certified = certification_reinstate(certificate=certified, reinstated_by=administrator, reason="Afgerond")
    assert certified.status == Certificate.Status.EXPIRED


def test_only_a_revoked_certificate_can_be_reinstated(certified, administrator, client_for):
    with pytest.raises(ValidationError):
        certification_reinstate(certificate=certified, reinstated_by=administrator, reason="x")
    response = client_for(administrator).post(url(certified, "reinstate"), {"reason": "x"})
    assert response.status_code == 400


def test_nobody_else_reinstates(certified, administrator, professional, coordinator, client_for):
    certification_revoke(certificate=certified, revoked_by=administrator, reason="Onderzoek")
    for user in (professional, coordinator):
        assert client_for(user).post(url(certified, "reinstate"), {"reason": "x"}).status_code == 403
    certified.refresh_from_db()
    assert certified.status == Certificate.Status.REVOKED
