import logging

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from notifications.models import Notification
from notifications.tasks import mail_notification
from organisations.models import User

logger = logging.getLogger(__name__)


def notification_send(*, user: User, subject: str, body: str, url: str = "") -> Notification:
    """Create an in-app notification; the worker e-mails the same text once the transaction commits.

    Texts must not contain family codes or other client data: e-mail leaves the platform.
    """
    notification = Notification.objects.create(user=user, subject=subject, body=body, url=url)

    def enqueue() -> None:
        try:
            mail_notification.delay(notification.pk)
        except OperationalError:
            # The broker is down: the notification is in the app all the same; only its e-mail is lost.
            logger.warning("Notification %s: broker unreachable, not mailed", notification.pk)

    transaction.on_commit(enqueue)
    return notification


def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(user=user).unread().update(read_at=timezone.now())
