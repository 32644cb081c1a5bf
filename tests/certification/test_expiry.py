"""Expiry on its own: the nightly task expires certificates and announces expiry 90 and 30 days ahead."""

import datetime

from django.core import mail
from django.utils import timezone

from certification.access import has_valid_certificate
from certification.models import Certificate
from certification.services import certifications_announce_expiry, certifications_expire_due
from certification.tasks import expire_certifications
from notifications.models import Notification
from tests.certification.conftest import events, set_dates

DAY = datetime.timedelta(days=1)


def test_the_task_expires_a_certificate_past_its_last_valid_day(
    certified, professional, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    set_dates(certified, certified_on=today - 1000 * DAY, valid_until=today - DAY)
    with django_capture_on_commit_callbacks(execute=True):
        result = expire_certifications.delay().get()
    assert result == {"expired": 1, "announced": 0}
    certified.refresh_from_db()
    assert certified.status == Certificate.Status.EXPIRED
    assert events(certified)[-1] == ("certified", "expired")
    assert certified.events.first().actor is None
    assert not has_valid_certificate(professional, "dmop")


def test_the_task_leaves_a_certificate_valid_through_today(certified, professional):
    today = timezone.localdate()
    set_dates(certified, certified_on=today - 1000 * DAY, valid_until=today)
    assert certifications_expire_due() == 0
    certified.refresh_from_db()
    assert certified.status == Certificate.Status.CERTIFIED
    assert has_valid_certificate(professional, "dmop")


def test_expiring_twice_writes_one_history_entry(certified):
    today = timezone.localdate()
    set_dates(certified, certified_on=today - 1000 * DAY, valid_until=today - DAY)
    assert certifications_expire_due() == 1
    assert certifications_expire_due() == 0
    assert events(certified).count(("certified", "expired")) == 1


def test_revoked_certificates_are_not_expired(certified):
    today = timezone.localdate()
    set_dates(certified, certified_on=today - 1000 * DAY, valid_until=today - DAY)
    Certificate.objects.filter(pk=certified.pk).update(status=Certificate.Status.REVOKED)
    assert certifications_expire_due() == 0


def test_expiry_is_announced_at_90_and_30_days_once_each_to_professional_and_coordinator(
    certified, professional, coordinator, coordinator_other_org, colleague, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    set_dates(certified, certified_on=today - 900 * DAY, valid_until=today + 90 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert certifications_announce_expiry(today=today) == 1
        assert certifications_announce_expiry(today=today) == 0
        assert certifications_announce_expiry(today=today + 20 * DAY) == 0  # still the 90-day window
    assert sorted(m.to[0] for m in mail.outbox) == sorted([professional.email, coordinator.email])
    assert "verloopt op" in mail.outbox[0].subject
    assert Notification.objects.filter(user=professional).count() == 1
    assert Notification.objects.filter(user=coordinator).count() == 1
    assert not Notification.objects.filter(user__in=[coordinator_other_org, colleague]).exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert certifications_announce_expiry(today=today + 60 * DAY) == 1
        assert certifications_announce_expiry(today=today + 61 * DAY) == 0
    assert len(mail.outbox) == 4
    assert Notification.objects.filter(user=professional).count() == 2
    assert f"/certification/{certified.pk}/" in Notification.objects.filter(user=professional).first().url


def test_a_certificate_first_seen_within_30_days_gets_only_the_30_day_announcement(
    certified, professional, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    set_dates(certified, certified_on=today - 900 * DAY, valid_until=today + 10 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert certifications_announce_expiry(today=today) == 1
        assert certifications_announce_expiry(today=today + DAY) == 0
    assert [m.to[0] for m in mail.outbox] == [professional.email]
    assert certified.announcements.get().days_before == 30


def test_nothing_is_announced_more_than_90_days_ahead(certified, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    set_dates(certified, certified_on=today - 900 * DAY, valid_until=today + 91 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert certifications_announce_expiry(today=today) == 0
    assert mail.outbox == []


def test_a_renewed_period_is_announced_again(certified, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    set_dates(certified, certified_on=today - 900 * DAY, valid_until=today + 30 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert certifications_announce_expiry(today=today) == 1
    set_dates(certified, certified_on=today - 900 * DAY, valid_until=today + 1125 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert certifications_announce_expiry(today=today + 1100 * DAY) == 1


def test_the_expiry_announcement_is_written_in_each_readers_language(
    certified, professional, coordinator, django_capture_on_commit_callbacks
):
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    today = timezone.localdate()
    set_dates(certified, certified_on=today - 1000 * DAY, valid_until=today + 30 * DAY)

    with django_capture_on_commit_callbacks(execute=True):
        certifications_announce_expiry(today=today)

    by_reader = {message.to[0]: message.subject for message in mail.outbox}
    assert by_reader[coordinator.email].startswith("Certificate")
    assert by_reader[professional.email].startswith("Certificaat")
