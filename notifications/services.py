from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import override
from kombu.exceptions import OperationalError

from notifications.messages import MESSAGES
from notifications.models import Notification
from notifications.tasks import mail_notification
from organisations.models import User

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from recordings.models import Recording


def notification_send(
    *,
    user: User,
    subject: str = "",
    body: str = "",
    url: str = "",
    message: str = "",
    params: dict[str, Any] | None = None,
    recording: Recording | None = None,
) -> Notification:
    """Create an in-app notification; the worker e-mails the same text once the transaction commits.

    Prefer a ``message`` key (see ``notifications.messages``) over ready ``subject``/``body`` texts: it is
    written in the reader's language. Texts must not contain family codes or other client data: e-mail
    leaves the platform.
    """
    params = params or {}
    if message:
        with override(user.language or settings.LANGUAGE_CODE):
            subject, body = MESSAGES[message].subject(params), MESSAGES[message].body(params)
    notification = Notification.objects.create(
        user=user, subject=subject, body=body, url=url, message=message, params=params, recording=recording
    )

    def enqueue() -> None:
        try:
            mail_notification.delay(notification.pk)
        except OperationalError:
            # The broker is down: the notification is in the app all the same; only its e-mail is lost.
            logger.warning("Notification %s: broker unreachable, not mailed", notification.pk)

    transaction.on_commit(enqueue)
    return notification


def notification_send_grouped(
    *, user: User, message: str, params: dict[str, Any], recording: Recording, url: str
) -> Notification:
    """Like ``notification_send``, but folded into an unread one of the same kind about the same film.

    The counts add up, the link moves to the newest moment, and no second e-mail goes out: the person
    has not yet read the first.
    """
    with transaction.atomic():
        unread = (
            Notification.objects.select_for_update()
            .filter(user=user, message=message, recording=recording, read_at__isnull=True)
            .first()
        )
        if unread is None:
            return notification_send(user=user, url=url, message=message, params=params, recording=recording)
        unread.params = {**params, "count": unread.params.get("count", 0) + params.get("count", 0)}
        unread.url = url
        unread.created_at = timezone.now()
        unread.save(update_fields=["params", "url", "created_at"])
        return unread


def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(user=user).unread().update(read_at=timezone.now())
