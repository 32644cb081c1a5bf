import datetime

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from certification.access import has_valid_certificate
from certification.models import Certificate
from tests.certification.conftest import set_dates


def test_a_certified_professional_has_a_valid_certificate_for_that_course_only(certified, professional):
    assert has_valid_certificate(professional, "dmop")
    assert not has_valid_certificate(professional, "vib")


def test_nobody_else_borrows_the_certificate(certified, colleague, coordinator):
    assert not has_valid_certificate(colleague, "dmop")
    assert not has_valid_certificate(coordinator, "dmop")
    assert not has_valid_certificate(AnonymousUser(), "dmop")


def test_valid_until_is_the_last_valid_day(certified, professional):
    today = timezone.localdate()
    set_dates(certified, certified_on=today - datetime.timedelta(days=100), valid_until=today)
    assert has_valid_certificate(professional, "dmop")
    assert not has_valid_certificate(professional, "dmop", on=today + datetime.timedelta(days=1))


def test_access_closes_the_day_after_valid_until_even_before_the_expiry_task(certified, professional):
    today = timezone.localdate()
    set_dates(
        certified,
        certified_on=today - datetime.timedelta(days=100),
        valid_until=today - datetime.timedelta(days=1),
    )
    assert certified.status == Certificate.Status.CERTIFIED
    assert not has_valid_certificate(professional, "dmop")
    assert certified.effective_status() == Certificate.Status.EXPIRED


def test_revoked_and_in_training_are_not_valid(certified, professional):
    Certificate.objects.filter(pk=certified.pk).update(status=Certificate.Status.REVOKED)
    assert not has_valid_certificate(professional, "dmop")
    Certificate.objects.filter(pk=certified.pk).update(status=Certificate.Status.IN_TRAINING)
    assert not has_valid_certificate(professional, "dmop")


def test_an_inactive_professional_has_no_valid_certificate(certified, professional):
    professional.is_active = False
    professional.save()
    assert not has_valid_certificate(professional, "dmop")
