"""Notification e-mail goes through a Celery task: enqueued on commit, retried while the mail server is
down, sent once even when the task is delivered twice."""

import json
import os
import socket

import pytest
from celery.exceptions import Retry
from django.core import mail

from notifications.models import Notification
from notifications.services import notification_send
from notifications.tasks import MAIL_RETRIES, mail_notification
from tests.recordings.test_tasks_worker import queue, start_worker, wait_for  # noqa: F401 (fixtures)


def notify(user) -> Notification:  # type: ignore[no-untyped-def]
    return notification_send(user=user, subject="Feedback klaar", body="Je supervisor gaf feedback.")


def test_the_mail_is_sent_by_the_task_after_commit_and_recorded(
    professional, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notify(professional)
    assert mail.outbox == []  # nothing is sent inside the request's transaction

    for callback in callbacks:
        callback()

    notification.refresh_from_db()
    assert [message.to for message in mail.outbox] == [[professional.email]]
    assert notification.mailed_at is not None


def test_a_task_delivered_twice_mails_once(professional):
    notification = Notification.objects.create(user=professional, subject="s", body="b")
    arguments = json.loads(json.dumps([notification.pk]))  # what the broker carries

    mail_notification.delay(*arguments)
    mail_notification.delay(*arguments)

    assert len(mail.outbox) == 1


def test_a_deleted_notification_is_not_mailed(professional):
    notification = Notification.objects.create(user=professional, subject="s", body="b")
    notification_id = notification.pk
    notification.delete()

    mail_notification.delay(notification_id)

    assert mail.outbox == []


def test_a_mail_server_that_is_down_schedules_a_retry_and_records_nothing(professional, settings):
    with socket.socket() as probe:  # a port on which nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    notification = Notification.objects.create(user=professional, subject="s", body="b")

    # Run in-process, Celery hands the retry back to the caller instead of queueing it.
    with pytest.raises(Retry) as retry:
        mail_notification.delay(notification.pk)

    notification.refresh_from_db()
    assert isinstance(retry.value.exc, ConnectionRefusedError)
    assert retry.value.when == 60
    assert mail_notification.max_retries == MAIL_RETRIES > 0
    assert notification.mailed_at is None


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")),
    reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)",
)
def test_a_real_worker_mails_the_notification_through_the_broker(professional, start_worker, queue):  # noqa: F811
    notification = Notification.objects.create(user=professional, subject="s", body="b")
    start_worker()

    mail_notification.apply_async(args=[notification.pk], queue=queue)

    wait_for(
        lambda: Notification.objects.filter(pk=notification.pk, mailed_at__isnull=False).exists(),
        60,
        "the worker to mail the notification",
    )
