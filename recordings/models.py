"""Recordings of home visits and review conversations, and the VIB cycle.

Every recording belongs to a family (``families``), whose consent ledger decides whether it may be shown.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from families.models import ConsentPurpose, Family


def _new_storage_prefix() -> str:
    return uuid.uuid4().hex


class VibCycle(models.Model):
    """One VIB cycle: a home-visit film and the review conversation (nabespreking) about it."""

    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="vib_cycles",
        verbose_name=_("professional"),
    )
    # The home visit and its nabespreking are of one family: the cycle's family, set by its home visit.
    family = models.ForeignKey(
        Family,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vib_cycles",
        verbose_name=_("family"),
    )
    # The VIB enrolment the cycle was made in: only cycles of an enrolment count for it. Empty for
    # practice cycles (after certification), which never count for training.
    enrolment = models.ForeignKey(
        "courses.Enrolment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vib_cycles",
        verbose_name=_("enrolment"),
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_vib_cycles",
        verbose_name=_("supervisor"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    reviewed_at = models.DateTimeField(pgettext_lazy("vib cycle", "reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_vib_cycles",
        verbose_name=pgettext_lazy("vib cycle", "reviewed by"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("VIB cycle")
        verbose_name_plural = _("VIB cycles")

    def __str__(self) -> str:
        return str(_("VIB cycle {number}").format(number=self.pk))


class RecordingQuerySet(models.QuerySet["Recording"]):
    def not_deleted(self) -> RecordingQuerySet:
        return self.exclude(status=Recording.Status.DELETED)

    def showable(self, purpose: str, day: datetime.date) -> RecordingQuerySet:
        """Films that may be shown on ``day`` for ``purpose``: the queryset form of ``may_be_shown``."""
        return self.filter(
            status__in=[Recording.Status.PLAYABLE, Recording.Status.READY],
            family__in=Family.objects.with_consent(purpose, day),
        )


class Recording(models.Model):
    """A film of a home visit or a review conversation, from upload to playable renditions."""

    class DeletionReason(models.TextChoices):
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent was withdrawn")
        CONSENT_ENDED = "consent_ended", _("Consent ended")
        RETENTION_PERIOD_PASSED = "retention_period_passed", _("Retention period passed")
        CERTIFIED = "certified", _("Training film kept long enough after the certificate")

    class Kind(models.TextChoices):
        HOME_VISIT = "home_visit", _("Home visit")
        REVIEW_CONVERSATION = "review_conversation", _("Review conversation")

    class Purpose(models.TextChoices):
        TRAINING = "training", _("Training")
        # Families outside the training: only certified VIB professionals may film them.
        PRACTICE = "practice", _("Practice")

    class Status(models.TextChoices):
        AWAITING_UPLOAD = "awaiting_upload", _("Awaiting upload")
        PROCESSING = "processing", _("Processing")
        PLAYABLE = "playable", _("Playable")
        READY = "ready", _("Ready")
        REJECTED = "rejected", _("Rejected")
        DELETED = "deleted", _("Deleted")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="recordings",
        verbose_name=_("professional"),
    )
    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, related_name="recordings", verbose_name=_("family")
    )
    cycle = models.ForeignKey(
        VibCycle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recordings",
        verbose_name=_("VIB cycle"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.HOME_VISIT)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.TRAINING)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_UPLOAD
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    # Every stored object of this recording lives under this random folder: nothing personal in keys.
    storage_prefix = models.CharField(max_length=32, default=_new_storage_prefix, editable=False)
    original_key = models.CharField(max_length=255, blank=True)
    original_size = models.BigIntegerField(_("original size"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    # Display size, after applying the rotation metadata of phone videos.
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    has_audio = models.BooleanField(_("has audio"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    processing_started_at = models.DateTimeField(null=True, blank=True)
    # The processing lease: the attempt holding this token (until the expiry, renewed while it works)
    # is the only one that may write renditions or mark the recording ready or rejected.
    attempt_token = models.UUIDField(null=True, blank=True, editable=False)
    lease_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_progress_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    # Tombstone: who deleted the content and why; the row stays, the film does not.
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deleted by"),
    )
    deletion_reason = models.CharField(_("reason for deletion"), max_length=200, blank=True)

    objects = RecordingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="recording_progress_percent")
        ]

    def __str__(self) -> str:
        return str(_("Recording of {day}").format(day=timezone.localdate(self.created_at)))

    @property
    def is_playable(self) -> bool:
        return self.status in (self.Status.PLAYABLE, self.Status.READY)

    def consent_state(
        self, purpose: str = ConsentPurpose.VIB_SUPERVISION, day: datetime.date | None = None
    ) -> str:
        """ "valid", "withdrawn" or "ended": whether the family's consent covers ``purpose`` today."""
        return self.family.consent_state(purpose, day or timezone.localdate())

    def may_be_shown(
        self, purpose: str = ConsentPurpose.VIB_SUPERVISION, day: datetime.date | None = None
    ) -> bool:
        """May this film, or anything made from it, be shown now: playable and covered by consent.

        The one rule behind every film, still, clip, reel, annotation and export. Callers load the
        recording with ``prefetch_related("family__consents")`` (the access helpers do).
        """
        return self.is_playable and self.consent_state(purpose, day) == "valid"

    @property
    def is_deleted(self) -> bool:
        return self.status == self.Status.DELETED

    @property
    def deletion_reason_label(self) -> str:
        if self.deletion_reason in self.DeletionReason.values:
            return str(self.DeletionReason(self.deletion_reason).label)
        return self.deletion_reason


class Rendition(models.Model):
    """One derived file of a recording: a playable video size, the poster or the scrubbing sprite."""

    class Kind(models.TextChoices):
        HIGH = "high", _("High quality")
        LOW = "low", _("Low quality")
        POSTER = "poster", _("Poster")
        SPRITE = "sprite", _("Thumbnail sprite")
        THUMBNAILS_VTT = "thumbnails_vtt", _("Thumbnail track")
        # The original's HEVC picture copied into an MP4 tagged hvc1, for browsers that decode HEVC.
        HEVC = "hevc", _("HEVC copy")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", pgettext_lazy("rendition status", "Done")
        FAILED = "failed", _("Failed")

    recording = models.ForeignKey(
        Recording, on_delete=models.CASCADE, related_name="renditions", verbose_name=_("recording")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=255, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    size = models.BigIntegerField(_("size"), null=True, blank=True)
    # RFC 6381 codecs of a copied picture the player must ask the browser about ("hvc1.2.4.L120.B0").
    codecs = models.CharField(_("codecs"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)

    class Meta:
        ordering = ["recording", "kind"]
        verbose_name = _("rendition")
        verbose_name_plural = _("renditions")
        constraints = [models.UniqueConstraint(fields=["recording", "kind"], name="unique_rendition_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_video(self) -> bool:
        return self.kind in (self.Kind.HIGH, self.Kind.LOW)


class Segment(models.Model):
    """A finished part of the H.264 high rendition, playable before the whole film is encoded.

    Each segment is a self-contained fragmented MP4 (its own init segment, then its fragments) whose
    timestamps are positions in the original film (``start_ms`` to ``end_ms``), so a player can append
    the segments in order to one media source and annotation times equal those of the final rendition.
    A row exists only for a segment that is stored and complete.
    """

    recording = models.ForeignKey(
        Recording, on_delete=models.CASCADE, related_name="segments", verbose_name=_("recording")
    )
    index = models.PositiveIntegerField(_("index"))
    start_ms = models.PositiveIntegerField(_("start (ms)"))
    end_ms = models.PositiveIntegerField(_("end (ms)"))
    key = models.CharField(max_length=255)
    size = models.BigIntegerField(_("size"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # What the join needs besides the high part: the low part (picture only) and the segment's sprite
    # tiles (a tar of JPEGs), stored beside it; and the frames decoded, added up against the limit.
    low_key = models.CharField(max_length=255, blank=True)
    tiles_key = models.CharField(max_length=255, blank=True)
    frames = models.PositiveIntegerField(_("frames"), default=0)

    class Meta:
        ordering = ["recording", "index"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        constraints = [models.UniqueConstraint(fields=["recording", "index"], name="unique_segment_index")]

    def __str__(self) -> str:
        return f"{self.index}: {self.start_ms}-{self.end_ms} ms"
