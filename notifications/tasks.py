"""E-mail of notifications, sent by the worker so a slow or absent mail server never holds up a page."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from celery.app.task import Task

from notifications.mail import notification_mail

logger = logging.getLogger(__name__)

MAIL_RETRIES = 8


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAIL_RETRIES,
    soft_time_limit=90,
    time_limit=120,
)
def mail_notification(self: Task[[int], None], notification_id: int) -> None:
    """Mail one notification. A redelivery after the mail went out sends nothing (see notifications.mail)."""
    try:
        notification_mail(notification_id=notification_id)
    except (smtplib.SMTPException, OSError) as exc:
        # The mail server is down or refuses for now: 1, 2, 4 ... minutes, about four hours in all.
        logger.warning("Mail of notification %s failed (%s); retrying", notification_id, type(exc).__name__)
        raise self.retry(exc=exc, countdown=min(3600, 60 * 2**self.request.retries)) from exc
