"""Recordings of home visits and review conversations, the consent they rest on and the VIB cycle."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation

# Pseudonymous: letters, digits and hyphens only, so no names with spaces and no 9-digit BSN pattern
# is enforced here; the form adds the BSN check (a family code must never be a citizen number).
FAMILY_CODE_PATTERN = r"^[A-Za-z0-9-]{3,32}$"
family_code_validator = RegexValidator(
    FAMILY_CODE_PATTERN,
    _("Use 3 to 32 letters, digits or hyphens: a pseudonymous code, never a name or citizen number."),
)


def _new_storage_prefix() -> str:
    return uuid.uuid4().hex


class ConsentQuerySet(models.QuerySet["Consent"]):
    def ended(self, today: datetime.date) -> ConsentQuerySet:
        """Consents that no longer cover keeping the film: withdrawn, or past their end date."""
        return self.filter(Q(withdrawn_at__isnull=False) | Q(valid_until__lt=today))


class Consent(models.Model):
    """A parent's or guardian's permission to film the family and use the film for training."""

    class GivenBy(models.TextChoices):
        PARENT = "parent", _("Parent")
        GUARDIAN = "guardian", _("Guardian")

    class Scope(models.TextChoices):
        TRAINING_SUPERVISION = "training_supervision", _("Training and supervision")

    # Family codes are unique only within the organisation that issued them.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="consents", verbose_name=_("organisation")
    )
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("professional"),
    )
    family_code = models.CharField(_("family code"), max_length=32, validators=[family_code_validator])
    given_by = models.CharField(_("consent given by"), max_length=10, choices=GivenBy.choices)
    scope = models.CharField(
        _("scope"), max_length=30, choices=Scope.choices, default=Scope.TRAINING_SUPERVISION
    )
    given_on = models.DateField(_("given on"))
    valid_until = models.DateField(_("valid until"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("given_on")), name="consent_ends_after_given"
            )
        ]

    def __str__(self) -> str:
        return f"{self.family_code} ({self.given_on})"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.withdrawn_at is None and self.given_on <= day <= self.valid_until

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class VibCycle(models.Model):
    """One VIB cycle: a home-visit film and the review conversation (nabespreking) about it."""

    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="vib_cycles",
        verbose_name=_("professional"),
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
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_vib_cycles",
        verbose_name=_("reviewed by"),
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


class Recording(models.Model):
    """A film of a home visit or a review conversation, from upload to playable renditions."""

    class DeletionReason(models.TextChoices):
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent was withdrawn")
        CONSENT_ENDED = "consent_ended", _("Consent ended")
        RETENTION_PERIOD_PASSED = "retention_period_passed", _("Retention period passed")

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
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, related_name="recordings", verbose_name=_("consent")
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

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    recording = models.ForeignKey(
        Recording, on_delete=models.CASCADE, related_name="renditions", verbose_name=_("recording")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=255, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    size = models.BigIntegerField(_("size"), null=True, blank=True)
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
