from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.messages import MESSAGES


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message to one person; the same text is also e-mailed.

    With a ``message`` key the text is written when it is read, in the reader's language
    (``notifications.messages``); without one, ``subject`` and ``body`` are shown as stored.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    message = models.CharField(_("message kind"), max_length=40, blank=True)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    # The film the message is about: grouping per film, and the family code shown in the list.
    recording = models.ForeignKey(
        "recordings.Recording", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set by the worker when the e-mail went out, so a redelivered task does not mail twice.
    mailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.subject

    @property
    def subject_text(self) -> str:
        message = MESSAGES.get(self.message)
        return message.subject(self.params) if message else self.subject

    @property
    def body_text(self) -> str:
        message = MESSAGES.get(self.message)
        return message.body(self.params) if message else self.body
