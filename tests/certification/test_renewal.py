"""Renewal on confirmed recertification evidence within the validity period."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from certification.models import Certificate, RecertificationEvidence
from certification.services import certification_grant, certification_renew, renewal_shortfall
from tests.certification.conftest import events, set_dates

DAY = datetime.timedelta(days=1)


@pytest.fixture
def vib(professional, trainer):  # type: ignore[no-untyped-def]
    """A VIB certificate in its last month."""
    certificate = certification_grant(
        professional=professional, course_code="vib", signed_off_by=trainer, motivation=""
    )
    today = timezone.localdate()
    return set_dates(certificate, certified_on=today - 1070 * DAY, valid_until=today + 25 * DAY)


def add(certificate, professional, confirmer, kind, count, days_ago=100):  # type: ignore[no-untyped-def]
    for _ in range(count):
        RecertificationEvidence.objects.create(
            certificate=certificate,
            kind=kind,
            date=timezone.localdate() - days_ago * DAY,
            recorded_by=professional,
            confirmed_by=confirmer,
            confirmed_at=timezone.now() if confirmer else None,
        )


def enough(certificate, professional, confirmer):  # type: ignore[no-untyped-def]
    add(certificate, professional, confirmer, "guidance_trajectory", 10)
    add(certificate, professional, confirmer, "supervision", 3)
    add(certificate, professional, confirmer, "intervision", 3)
    add(certificate, professional, confirmer, "presentation", 1)


def test_vib_needs_10_trajectories_3_supervisions_3_intervisions_and_1_presentation(vib):
    assert renewal_shortfall(vib) == {
        "guidance_trajectory": 10,
        "supervision": 3,
        "intervision": 3,
        "presentation": 1,
    }


def test_renewal_with_enough_confirmed_evidence_adds_a_period_after_the_current_one(
    vib, professional, supervisor
):
    enough(vib, professional, supervisor)
    old_until = vib.valid_until
    renewed = certification_renew(certificate=vib, renewed_by=supervisor)
    assert renewed.status == Certificate.Status.CERTIFIED
    assert renewed.period_starts_on == old_until + DAY
    assert renewed.valid_until == old_until.replace(year=old_until.year + 3)
    assert events(renewed)[-1] == ("certified", "certified")


def test_unconfirmed_evidence_does_not_count(vib, professional, supervisor):
    enough(vib, professional, None)
    with pytest.raises(ValidationError):
        certification_renew(certificate=vib, renewed_by=supervisor)


def test_evidence_outside_the_validity_period_does_not_count(vib, professional, supervisor):
    enough(vib, professional, supervisor)
    add(vib, professional, supervisor, "presentation", 0)
    RecertificationEvidence.objects.filter(kind="presentation").update(date=vib.period_starts_on - DAY)
    assert renewal_shortfall(vib) == {"presentation": 1}


def test_an_expired_certificate_renews_from_today(vib, professional, supervisor):
    today = timezone.localdate()
    set_dates(vib, certified_on=today - 1200 * DAY, valid_until=today - 10 * DAY)
    Certificate.objects.filter(pk=vib.pk).update(status=Certificate.Status.EXPIRED)
    enough(vib, professional, supervisor)
    RecertificationEvidence.objects.update(date=today - 300 * DAY)
    vib.refresh_from_db()
    renewed = certification_renew(certificate=vib, renewed_by=supervisor)
    assert renewed.status == Certificate.Status.CERTIFIED
    assert renewed.period_starts_on == today
    assert renewed.certified_on == today - 1200 * DAY  # the first certification date stays


def test_a_revoked_certificate_cannot_be_renewed(vib, professional, supervisor):
    enough(vib, professional, supervisor)
    Certificate.objects.filter(pk=vib.pk).update(status=Certificate.Status.REVOKED)
    vib.refresh_from_db()
    with pytest.raises(ValidationError):
        certification_renew(certificate=vib, renewed_by=supervisor)


def test_the_supervisor_renews_through_the_page(vib, professional, supervisor, client_for):
    enough(vib, professional, supervisor)
    response = client_for(supervisor).post(f"/certification/{vib.pk}/renew/")
    assert response.status_code == 302
    vib.refresh_from_db()
    assert vib.valid_until > timezone.localdate() + 1000 * DAY


def test_renewing_without_enough_evidence_explains_why(vib, supervisor, client_for):
    client = client_for(supervisor)
    response = client.post(f"/certification/{vib.pk}/renew/", follow=True)
    assert "nog niet genoeg bevestigd bewijs" in response.content.decode()
    old = vib.valid_until
    vib.refresh_from_db()
    assert vib.valid_until == old


def test_only_supervisor_or_administrator_renews(vib, professional, coordinator, colleague, client_for):
    enough(vib, professional, None)
    url = f"/certification/{vib.pk}/renew/"
    assert client_for(professional).post(url).status_code == 403
    assert client_for(coordinator).post(url).status_code == 403
    assert client_for(colleague).post(url).status_code == 404
    assert client_for(None).post(url).status_code == 302
    assert client_for(professional).get(url).status_code == 405
