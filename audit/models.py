"""The NEN 7513 access log: who accessed which client's data, when, from where, and on what grounds."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.outcome import ActionCode, Outcome, object_label, role_label
from organisations.models import Organisation


class AppendOnlyError(Exception):
    """The access log is evidence: a line, once written, is never changed or removed."""


class AccessLogQuerySet(models.QuerySet["AccessLogEntry"]):
    def for_family(self, organisation_id: int, family_code: str) -> AccessLogQuerySet:
        """The chronological list a parent may ask for: every access to their family's data.

        Family codes are unique only within an organisation, so the organisation is part of the key.
        """
        return self.filter(organisation_id=organisation_id, family_code__iexact=family_code).order_by(
            "timestamp", "pk"
        )

    def for_recording(self, recording_id: str) -> AccessLogQuerySet:
        """Everything that touched one film: playback, stills, clips, reels, annotations, exports, refusals."""
        return self.filter(recording_id=recording_id)

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError

    def delete(self) -> NoReturn:
        raise AppendOnlyError


class AccessLogEntry(models.Model):
    """One NEN 7513 log line. Written through ``audit.services.access_log_record`` only."""

    timestamp = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    action_code = models.CharField(_("action"), max_length=1, choices=ActionCode.choices)
    # No database constraint and no cascade: deleting a person must not delete or block evidence of
    # what they did, so the ids stay as they were written.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    user_name = models.CharField(_("user name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=100, blank=True)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("responsible user"),
    )
    access_point = models.CharField(_("access point"), max_length=100, blank=True)
    # The organisation whose client the line is about: family codes are unique only within it.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    family_code = models.CharField(_("family code"), max_length=32, db_index=True)
    object_type = models.CharField(_("object type"), max_length=50)
    object_id = models.CharField(_("object id"), max_length=64)
    # The film the line touched (directly or through a still, clip, reel, annotation or export), so its
    # professional's "who viewed my recording" shows everything.
    recording_id = models.CharField(_("recording"), max_length=36, blank=True, db_index=True)
    outcome = models.JSONField(_("outcome of the checks"), default=dict)
    # Tamper evidence: a SHA-256 over this line's content and the previous line's hash (audit.chain).
    previous_hash = models.CharField(_("previous line's hash"), max_length=64, default="")
    entry_hash = models.CharField(_("hash"), max_length=64, default="")

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-timestamp", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")

    def __str__(self) -> str:
        return f"{self.timestamp.isoformat()} {self.action_code} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A guard, not logic: an existing line must never be rewritten through the ORM.
        if not self._state.adding:
            raise AppendOnlyError
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError

    @property
    def checks(self) -> Outcome:
        return Outcome.from_json(self.outcome)

    @property
    def role_display(self) -> str:
        return role_label(self.role)

    @property
    def object_label(self) -> str:
        return object_label(self.object_type)


class ChainHead(models.Model):
    """The end of the access log's hash chain: one row, locked while a line is appended.

    Appends serialise on this row (SELECT ... FOR UPDATE on PostgreSQL, the database write lock on
    SQLite), so two concurrent requests never chain onto the same previous line. It also lets the
    verification notice lines cut off the end of the log.
    """

    last_hash = models.CharField(max_length=64)
    length = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("access log chain head")

    def __str__(self) -> str:
        return f"{self.length} lines, last {self.last_hash[:12]}"
