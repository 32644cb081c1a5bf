"""Resumable uploads (tus 1.0.0) of a recording's original film."""

from __future__ import annotations

import datetime
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recordings.models import Recording


class UploadQuerySet(models.QuerySet["Upload"]):
    def expired(self, now: datetime.datetime) -> UploadQuerySet:
        """Incomplete uploads whose client has had its chance to resume."""
        return self.filter(completed_at__isnull=True, expires_at__lt=now)

    def claim(
        self, *, upload_id: uuid.UUID, offset: int, now: datetime.datetime, lease: datetime.timedelta
    ) -> int:
        """Lock an incomplete upload at ``offset`` for one PATCH; returns 1 when this request got it.

        A conditional UPDATE instead of SELECT ... FOR UPDATE: the lock must outlive no transaction while a
        slow phone sends its bytes, and a lock left by a killed process lapses by itself after ``lease``.
        """
        free = Q(locked_until__isnull=True) | Q(locked_until__lt=now)
        return self.filter(free, pk=upload_id, offset=offset, completed_at__isnull=True).update(
            locked_until=now + lease
        )


class Upload(models.Model):
    """One tus upload resource: the bytes of a recording's original film on their way into storage."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recording = models.ForeignKey(
        Recording, on_delete=models.CASCADE, related_name="uploads", verbose_name=_("recording")
    )
    length = models.BigIntegerField(_("length"))
    offset = models.BigIntegerField(_("offset"), default=0)
    # Final storage key, chosen at creation: random, with only an allow-listed container extension kept
    # from the client's filename (which may hold a family's name and is never stored).
    storage_key = models.CharField(max_length=255)
    # S3 multipart upload: its id and the parts sent so far ([{"PartNumber", "ETag", "Size"}]).
    s3_upload_id = models.CharField(max_length=255, blank=True)
    parts = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    locked_until = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    objects = UploadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        constraints = [
            models.CheckConstraint(
                condition=Q(offset__gte=0) & Q(offset__lte=models.F("length")), name="upload_offset_in_range"
            )
        ]

    def __str__(self) -> str:
        return str(self.pk)

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    @property
    def remaining(self) -> int:
        return self.length - self.offset

    @property
    def parts_size(self) -> int:
        return sum(int(part["Size"]) for part in self.parts)

    def is_expired(self, now: datetime.datetime) -> bool:
        return self.completed_at is None and self.expires_at < now
