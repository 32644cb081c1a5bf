"""A family (one pseudonymous code within an organisation) and the consents its parents gave.

Consent belongs to the family, not to one film: every recording of the family, and every VIB cycle made
with it, rests on the same ledger. One consent row covers one purpose; the rows given together on one
signed form share that form. Withdrawing a purpose ends its rows; the rows themselves stay as the
family's proof of what was agreed and when it ended.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.pseudonyms import FAMILY_CODE_MAX_LENGTH, family_code_validator
from organisations.models import Organisation

# Use in teaching is allowed for at most five years (and only where the family cannot be recognised).
TEACHING_MAX_YEARS = 5


class ConsentPurpose(models.TextChoices):
    """What a family's films may be used for; each is consented to (and withdrawn) on its own."""

    VIB_SUPERVISION = "vib_supervision", _("VIB supervision")
    GROUP_SUPERVISION = "group_supervision", _("Group supervision or intervisie")
    ASSESSMENT = "assessment", _("Certification assessment")
    TEACHING = "teaching", _("Teaching (only where the family is not recognisable)")


class GivenBy(models.TextChoices):
    """Who signed: parental authority, from 12 the child as well, from 16 the young person alone."""

    PARENTS = "parents", _("Every parent or carer with parental authority")
    PARENTS_AND_CHILD = "parents_and_child", _("Parents or carers and the child (12 to 15 years)")
    YOUNG_PERSON = "young_person", _("The young person alone (16 years or older)")


class FamilyQuerySet(models.QuerySet["Family"]):
    def with_consent(self, purpose: str, day: datetime.date) -> FamilyQuerySet:
        """Families whose consent for ``purpose`` is in force on ``day``."""
        return self.filter(pk__in=Consent.objects.in_force(day).filter(purpose=purpose).values("family_id"))


class Family(models.Model):
    """One family as the organisation knows it: a pseudonymous code, unique only within the organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="families", verbose_name=_("organisation")
    )
    code = models.CharField(
        _("family code"), max_length=FAMILY_CODE_MAX_LENGTH, validators=[family_code_validator]
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = FamilyQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "code"]
        verbose_name = _("family")
        verbose_name_plural = _("families")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="family_code_unique_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.code

    def consent_state(self, purpose: str, day: datetime.date) -> str:
        """ "valid", "withdrawn" or "ended" for ``purpose`` on ``day`` (also "ended" when never given)."""
        consents = [consent for consent in self.consents.all() if consent.purpose == purpose]
        if any(consent.is_valid_on(day) for consent in consents):
            return "valid"
        return "withdrawn" if any(consent.is_withdrawn for consent in consents) else "ended"

    def consent_covers(self, purpose: str, day: datetime.date) -> bool:
        return self.consent_state(purpose, day) == "valid"


def _new_form_key() -> str:
    return f"consent-forms/{uuid.uuid4().hex}"


class SignedForm(models.Model):
    """The scan or photo of a signed consent form: stored like a film (private, random key, logged)."""

    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, related_name="signed_forms", verbose_name=_("family")
    )
    key = models.CharField(max_length=255, default=_new_form_key, editable=False)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("signed consent form")
        verbose_name_plural = _("signed consent forms")

    def __str__(self) -> str:
        return str(_("Signed form of {day}").format(day=timezone.localdate(self.uploaded_at)))


class ConsentQuerySet(models.QuerySet["Consent"]):
    def in_force(self, day: datetime.date) -> ConsentQuerySet:
        return self.filter(withdrawn_at__isnull=True, given_on__lte=day, valid_until__gte=day)

    def ended(self, day: datetime.date) -> ConsentQuerySet:
        """Consents that no longer cover anything: withdrawn, or past their end date."""
        return self.filter(Q(withdrawn_at__isnull=False) | Q(valid_until__lt=day))


class Consent(models.Model):
    """The family's permission for one purpose, from ``given_on`` to ``valid_until`` unless withdrawn."""

    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, related_name="consents", verbose_name=_("family")
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    given_by = models.CharField(_("consent given by"), max_length=20, choices=GivenBy.choices)
    given_on = models.DateField(_("given on"))
    valid_until = models.DateField(_("valid until"))
    signed_form = models.ForeignKey(
        SignedForm,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("signed form"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="recorded_consents",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("given_on")), name="family_consent_ends_after_given"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on})"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.withdrawn_at is None and self.given_on <= day <= self.valid_until

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class RetentionPolicy(models.Model):
    """How long an organisation keeps training films once the professional is certified (AVG: no longer
    than needed). Films are kept at most ``Organisation.recording_retention_days`` in any case."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="retention_policy",
        verbose_name=_("organisation"),
    )
    training_films_days_after_certificate = models.PositiveIntegerField(
        _("keep training films after the certificate (days)"), default=90
    )

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self) -> str:
        return str(self.organisation)


class DestructionRecord(models.Model):
    """Proof that a recording's content was destroyed: ids, a hash of what was deleted and dates only.

    No family code, no names, no storage keys: the record must not itself hold personal data.
    """

    recording_id = models.UUIDField(_("recording"), db_index=True)
    family_id = models.PositiveIntegerField(_("family"))
    organisation_id = models.PositiveIntegerField(_("organisation"))
    reason = models.CharField(_("reason"), max_length=40)
    recorded_on = models.DateField(_("recorded on"))
    destroyed_at = models.DateTimeField(_("destroyed at"), default=timezone.now)
    object_count = models.PositiveIntegerField(_("objects deleted"))
    # SHA-256 over the sorted keys of the deleted objects (random names, but not kept themselves).
    objects_sha256 = models.CharField(_("SHA-256 of the deleted objects"), max_length=64)

    class Meta:
        ordering = ["-destroyed_at", "-pk"]
        verbose_name = _("destruction record")
        verbose_name_plural = _("destruction records")

    def __str__(self) -> str:
        return f"{self.recording_id} ({self.destroyed_at:%Y-%m-%d})"
