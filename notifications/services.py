from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from notifications.models import Notification
from organisations.models import User


def notification_send(*, user: User, subject: str, body: str, url: str = "") -> Notification:
    """Create an in-app notification and e-mail the same text once the transaction commits.

    Texts must not contain family codes or other client data: e-mail leaves the platform.
    """
    notification = Notification.objects.create(user=user, subject=subject, body=body, url=url)
    link = f"\n\n{settings.SITE_URL}{url}" if url else ""
    transaction.on_commit(lambda: send_mail(subject, body + link, None, [user.email], fail_silently=False))
    return notification


def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(user=user).unread().update(read_at=timezone.now())
