"""Sending a notification's e-mail (called by the worker, see notifications.tasks)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from notifications.models import Notification


def notification_mail(*, notification_id: int) -> None:
    """E-mail a notification to its person, once: a notification already mailed (or deleted) is left alone."""
    with transaction.atomic():
        notification = (
            # Locked while the mail goes out: a second delivery of the task waits here, then finds it mailed.
            Notification.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=notification_id, mailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return
        link = f"\n\n{settings.SITE_URL}{notification.url}" if notification.url else ""
        send_mail(notification.subject, notification.body + link, None, [notification.user.email])
        notification.mailed_at = timezone.now()
        notification.save(update_fields=["mailed_at"])
