"""Certificates: may this professional use the SamenStarten tools of a course (DMOP, VIB)?

A certificate's ``valid_until`` is the LAST valid day, as a local date in Europe/Amsterdam: a certificate
valid until 31 March opens the tools through 31 March and closes them on 1 April at 00:00 local time,
whether or not the nightly expiry task has already run (``is_valid_on`` compares dates, not status alone).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CourseCode(models.TextChoices):
    # The same codes as courses.Course.code; kept here as choices so certification does not depend on
    # the courses tables to answer "is this person certified" (one small indexed query).
    DMOP = "dmop", _("DMOP")
    VIB = "vib", _("VIB")


def new_verification_code() -> str:
    # 16 random bytes: unguessable, so the public verification page cannot be enumerated.
    return secrets.token_urlsafe(16)


def verification_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


class CourseCertificationPolicy(models.Model):
    """How long a course's certificate stays valid and what renewing it takes (editable in the admin)."""

    course_code = models.CharField(_("course"), max_length=10, choices=CourseCode.choices, unique=True)
    issuing_body = models.CharField(_("issuing body"), max_length=200)
    validity_years = models.PositiveSmallIntegerField(_("validity (years)"), default=3)
    min_guidance_trajectories = models.PositiveSmallIntegerField(
        _("minimum guidance trajectories"), default=0
    )
    min_supervisions = models.PositiveSmallIntegerField(_("minimum supervisions"), default=0)
    min_intervision_sessions = models.PositiveSmallIntegerField(
        _("minimum peer review (intervisie) sessions"), default=0
    )
    min_presentations = models.PositiveSmallIntegerField(_("minimum presentations"), default=0)

    class Meta:
        ordering = ["course_code"]
        verbose_name = _("certification policy")
        verbose_name_plural = _("certification policies")

    def __str__(self) -> str:
        return str(CourseCode(self.course_code).label)

    def minimums(self) -> dict[str, int]:
        """Evidence kind -> minimum count within one validity period."""
        return {
            RecertificationEvidence.Kind.GUIDANCE_TRAJECTORY: self.min_guidance_trajectories,
            RecertificationEvidence.Kind.SUPERVISION: self.min_supervisions,
            RecertificationEvidence.Kind.INTERVISION: self.min_intervision_sessions,
            RecertificationEvidence.Kind.PRESENTATION: self.min_presentations,
        }

    def valid_until_for(self, starts_on: datetime.date) -> datetime.date:
        """The last valid day of a period starting on ``starts_on``: N years later, minus one day."""
        return add_years(starts_on, self.validity_years) - datetime.timedelta(days=1)


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a non-leap target year
        return day.replace(year=day.year + years, day=28)


class CertificateQuerySet(models.QuerySet["Certificate"]):
    def valid_on(self, day: datetime.date) -> CertificateQuerySet:
        return self.filter(status=Certificate.Status.CERTIFIED, certified_on__lte=day, valid_until__gte=day)

    def past_validity(self, day: datetime.date) -> CertificateQuerySet:
        """Certified rows whose last valid day lies before ``day``: due for the expiry task."""
        return self.filter(status=Certificate.Status.CERTIFIED, valid_until__lt=day)


class Certificate(models.Model):
    """One professional's certification for one course, with its current status and dates."""

    class Status(models.TextChoices):
        IN_TRAINING = "in_training", _("In training")
        CERTIFIED = "certified", _("Certified")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("professional"),
    )
    course_code = models.CharField(_("course"), max_length=10, choices=CourseCode.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IN_TRAINING)
    # First certification; stays when the certificate is renewed.
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    # Start of the current validity period (renewal evidence must fall within it).
    period_starts_on = models.DateField(_("current period starts on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until (last valid day)"), null=True, blank=True)
    # The plain code is kept to print it on the PDF; the public page looks up by its SHA-256 only.
    verification_code = models.CharField(_("verification code"), max_length=64, unique=True, editable=False)
    verification_code_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["professional__full_name", "course_code"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["professional", "course_code"], name="one_certificate_per_course"
            ),
            models.CheckConstraint(
                condition=~Q(status="certified")
                | (Q(certified_on__isnull=False) & Q(valid_until__isnull=False)),
                name="certified_has_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.professional} {self.get_course_code_display()}"

    def is_valid_on(self, day: datetime.date) -> bool:
        return (
            self.status == self.Status.CERTIFIED
            and self.certified_on is not None
            and self.valid_until is not None
            and self.certified_on <= day <= self.valid_until
        )

    def effective_status(self, day: datetime.date | None = None) -> str:
        """The status as of ``day``: a certified row past its last valid day counts as expired already."""
        day = day or timezone.localdate()
        if self.status == self.Status.CERTIFIED and self.valid_until is not None and self.valid_until < day:
            return self.Status.EXPIRED
        return self.status

    def effective_status_label(self) -> str:
        return str(self.Status(self.effective_status()).label)

    @classmethod
    def build(cls, *, professional: Any, course_code: str) -> Certificate:
        """A new, unsaved certificate with a fresh verification code (and its lookup hash)."""
        certificate = cls(professional=professional, course_code=course_code)
        certificate.set_verification_code()
        return certificate

    def set_verification_code(self, code: str | None = None) -> None:
        self.verification_code = code or new_verification_code()
        self.verification_code_sha256 = verification_hash(self.verification_code)


class CertificationEvent(models.Model):
    """One change of a certificate, append-only: who, when, from which status to which, and why."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="events", verbose_name=_("certificate")
    )
    # Empty for changes the system makes on its own (the nightly expiry).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    from_status = models.CharField(_("from"), max_length=12, choices=Certificate.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Certificate.Status.choices)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("certification event")
        verbose_name_plural = _("certification events")

    def __str__(self) -> str:
        return f"{self.certificate} {self.from_status}→{self.to_status}"


class ExpiryAnnouncement(models.Model):
    """Remembers that the 90- or 30-day announcement for one validity period went out (send once)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="announcements")
    days_before = models.PositiveSmallIntegerField()
    # Per period: after a renewal the new end date gets its own announcements.
    valid_until = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "days_before", "valid_until"], name="one_announcement_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate} -{self.days_before}d"


class RecertificationEvidence(models.Model):
    """Work that counts towards renewal, recorded by the professional and confirmed by a supervisor."""

    class Kind(models.TextChoices):
        GUIDANCE_TRAJECTORY = "guidance_trajectory", _("Guidance trajectory")
        SUPERVISION = "supervision", _("Supervision")
        INTERVISION = "intervision", _("Peer review session (intervisie)")
        PRESENTATION = "presentation", _("Presentation")

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("certificate")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("recertification evidence")
        verbose_name_plural = _("recertification evidence")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
