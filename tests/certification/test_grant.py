import datetime

import pytest
from django.utils import timezone

from certification.access import has_valid_certificate
from certification.models import Certificate, verification_hash
from certification.services import certification_grant, certification_start_training
from tests.certification.conftest import events, set_dates


def test_grant_certifies_for_the_policy_validity_and_writes_history(professional, trainer):
    certificate = certification_grant(
        professional=professional,
        course_code="vib",
        signed_off_by=trainer,
        motivation="Eindgesprek positief.",
    )
    today = timezone.localdate()
    assert certificate.status == Certificate.Status.CERTIFIED
    assert certificate.certified_on == today
    # Three years, the last valid day is the day before the third anniversary.
    assert certificate.valid_until == today.replace(year=today.year + 3) - datetime.timedelta(days=1)
    assert events(certificate) == [("in_training", "certified")]
    event = certificate.events.get()
    assert event.actor == trainer and event.reason == "Eindgesprek positief."


def test_grant_is_idempotent(certified, professional, trainer):
    again = certification_grant(
        professional=professional, course_code="dmop", signed_off_by=trainer, motivation="x"
    )
    assert again.pk == certified.pk
    assert again.valid_until == certified.valid_until
    assert certified.events.count() == 1


def test_grant_after_training_started_turns_the_same_row_certified(professional, trainer):
    started = certification_start_training(professional=professional, course_code="dmop")
    assert started.status == Certificate.Status.IN_TRAINING
    certificate = certification_grant(
        professional=professional, course_code="dmop", signed_off_by=trainer, motivation=""
    )
    assert certificate.pk == started.pk
    assert events(certificate) == [("", "in_training"), ("in_training", "certified")]


def test_grant_renews_an_expired_certificate(certified, professional, trainer):
    today = timezone.localdate()
    set_dates(
        certified,
        certified_on=today - datetime.timedelta(days=1200),
        valid_until=today - datetime.timedelta(days=10),
    )
    Certificate.objects.filter(pk=certified.pk).update(status=Certificate.Status.EXPIRED)
    renewed = certification_grant(
        professional=professional, course_code="dmop", signed_off_by=trainer, motivation=""
    )
    assert renewed.status == Certificate.Status.CERTIFIED and renewed.valid_until > today


def test_grant_leaves_a_revoked_certificate_revoked(certified, professional, trainer):
    Certificate.objects.filter(pk=certified.pk).update(status=Certificate.Status.REVOKED)
    again = certification_grant(
        professional=professional, course_code="dmop", signed_off_by=trainer, motivation=""
    )
    assert again.status == Certificate.Status.REVOKED
    assert not has_valid_certificate(professional, "dmop")


def test_grant_rejects_an_unknown_course(professional, trainer):
    with pytest.raises(ValueError):
        certification_grant(
            professional=professional, course_code="xyz", signed_off_by=trainer, motivation=""
        )


def test_verification_code_is_random_and_hashed(certified, colleague, trainer):
    other = certification_grant(
        professional=colleague, course_code="dmop", signed_off_by=trainer, motivation=""
    )
    assert len(certified.verification_code) >= 20
    assert certified.verification_code != other.verification_code
    assert certified.verification_code_sha256 == verification_hash(certified.verification_code)
