"""The DMOP instrument (DMO-Protocol) and the organisation's sociale kaart.

A family is known only by a pseudonymous code chosen within the organisation: no names, no BSN. At the
8-week double contact moment and at later contact moments the professional and the parents go through the
five domains; for each domain the professional records risk and protective factors, a level of concern and
the agreed plan (plan van aanpak), whose actions may refer to a partner from the sociale kaart.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from families.pseudonyms import FAMILY_CODE_PATTERN, looks_like_bsn
from organisations.models import Organisation

family_code_validator = RegexValidator(
    FAMILY_CODE_PATTERN,
    _("Use 3 to 32 letters, digits or hyphens; never a name or BSN."),
    code="invalid_family_code",
)


def validate_not_bsn(value: str) -> None:
    if looks_like_bsn(value):
        raise ValidationError(
            _("This looks like a BSN. Use your organisation's pseudonymous family code instead."),
            code="bsn",
        )


class Domain(models.TextChoices):
    """The five domains of the DMOP, in the protocol's order."""

    PARENT_COMPETENCE = "parent_competence", _("Competence of the parents")
    PARTNER_ROLE = "partner_role", _("Role of the partner")
    SOCIAL_NETWORK = "social_network", _("Social network")
    EVENTS = "events_circumstances", _("Events and circumstances")
    CHILD_WELLBEING = "child_wellbeing", _("Well-being of the child")


DOMAIN_ORDER: dict[str, int] = {value: index for index, value in enumerate(Domain.values)}


class ConcernLevel(models.IntegerChoices):
    NONE = 0, _("0 · no concern")
    SLIGHT = 1, _("1 · slight concern")
    CONCERN = 2, _("2 · concern")
    SERIOUS = 3, _("3 · serious concern")


class PartnerQuerySet(models.QuerySet["Partner"]):
    def active(self) -> PartnerQuerySet:
        return self.filter(archived_at__isnull=True)

    def of_organisation(self, organisation_id: int | None) -> PartnerQuerySet:
        # A person without an organisation (a national administrator) has no sociale kaart.
        return self.none() if organisation_id is None else self.filter(organisation_id=organisation_id)


class Partner(models.Model):
    """A partner on the organisation's sociale kaart, serving one or more of the five domains."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="dmop_partners", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    contact = models.TextField(
        _("contact"), blank=True, help_text=_("Contact person, phone number, e-mail address or website.")
    )
    # A partner that has received referrals is archived instead of deleted, so plans keep their history.
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # part of the monitoring page's data version

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("sociale kaart partner")
        verbose_name_plural = _("sociale kaart partners")

    def __str__(self) -> str:
        return self.name

    @property
    def domain_values(self) -> list[str]:
        """The served domains in protocol order; uses prefetched rows when present."""
        return sorted((row.domain for row in self.served_domains.all()), key=DOMAIN_ORDER.__getitem__)

    @property
    def domain_labels(self) -> list[str]:
        return [str(Domain(value).label) for value in self.domain_values]


def partners_per_domain(partners: Iterable[Partner]) -> list[tuple[Domain, int]]:
    """How many of ``partners`` serve each domain, in protocol order (uses their prefetched domains)."""
    counts = dict.fromkeys(Domain.values, 0)
    for partner in partners:
        for value in partner.domain_values:
            counts[value] += 1
    return [(Domain(value), count) for value, count in counts.items()]


def domains_without_partner(partners: Iterable[Partner]) -> list[Domain]:
    """The gaps in care: domains that none of ``partners`` serves."""
    return [domain for domain, count in partners_per_domain(partners) if count == 0]


class PartnerDomain(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="served_domains")
    domain = models.CharField(_("domain"), max_length=32, choices=Domain.choices)

    class Meta:
        verbose_name = _("domain served")
        verbose_name_plural = _("domains served")
        constraints = [
            models.UniqueConstraint(fields=["partner", "domain"], name="dmop_partner_domain_unique")
        ]

    def __str__(self) -> str:
        return self.get_domain_display()


class Family(models.Model):
    """A family followed with the DMOP, identified only by a pseudonymous code within its organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="dmop_families", verbose_name=_("organisation")
    )
    code = models.CharField(
        _("family code"), max_length=32, validators=[family_code_validator, validate_not_bsn]
    )
    # Month and year only: the exact date of birth is not needed to follow the contact moments.
    child_birth_month = models.DateField(_("child's month of birth"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dmop_families_registered",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("family")
        verbose_name_plural = _("families")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="dmop_family_code_unique"),
            models.CheckConstraint(
                condition=Q(code__regex=FAMILY_CODE_PATTERN), name="dmop_family_code_pseudonymous"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def age_range_on(self, day: datetime.date) -> tuple[int, int] | None:
        """The child's possible age in days on ``day``: only the month of birth is known."""
        if self.child_birth_month is None:
            return None
        first = self.child_birth_month.replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        return (day - last).days, (day - first).days


class ScheduledMomentQuerySet(models.QuerySet["ScheduledMoment"]):
    def by_kind(self) -> dict[str, ScheduledMoment]:
        return {row.kind: row for row in self.order_by("order")}


class ScheduledMoment(models.Model):
    """One contact moment of the JGZ 0-4 schedule, with the child's age window in which it is done.

    Data, editable by administrators: the 8-week double contact moment belongs around 8 weeks, and later
    moments come in the schedule's order. Kinds without a row (extra, other) follow no schedule.
    """

    kind = models.CharField(_("contact moment"), max_length=12, unique=True)
    order = models.PositiveSmallIntegerField(_("order"))
    from_age_days = models.PositiveIntegerField(_("from age (days)"))
    to_age_days = models.PositiveIntegerField(_("to age (days)"))

    objects = ScheduledMomentQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        verbose_name = _("scheduled contact moment")
        verbose_name_plural = _("contact moment schedule")
        constraints = [
            models.CheckConstraint(
                condition=Q(to_age_days__gte=models.F("from_age_days")), name="dmop_schedule_window"
            )
        ]

    def __str__(self) -> str:
        return self.kind


class FactorKind(models.TextChoices):
    RISK = "risk", _("Risk factor")
    PROTECTIVE = "protective", _("Protective factor")


class Factor(models.Model):
    """A risk or protective factor of one domain, chosen from a list so that factors can be counted.

    Data, editable by administrators; a factor no longer offered is deactivated, never deleted, because
    assessments keep referring to it.
    """

    domain = models.CharField(_("domain"), max_length=32, choices=Domain.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=FactorKind.choices)
    label = models.CharField(pgettext_lazy("risk or protective factor", "label"), max_length=200)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["domain", "kind", "label"]
        verbose_name = _("factor")
        verbose_name_plural = _("factors")
        constraints = [models.UniqueConstraint(fields=["domain", "kind", "label"], name="dmop_factor_unique")]

    def __str__(self) -> str:
        return self.label


class DmopPolicy(models.Model):
    """An organisation's DMOP settings: how long records are kept and who may export the whole organisation."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="dmop_policy", verbose_name=_("organisation")
    )
    # Counted from the family's last contact moment. The DD-JGZ keeps the medical record; these are the
    # working notes of the instrument, so they need not outlive the 0-4 follow-up by long.
    retention_months = models.PositiveSmallIntegerField(
        _("retention (months after last contact)"), default=60
    )
    # The author corrects a saved contact moment freely for this many days; later, or anyone else, gives
    # a reason.
    correction_days = models.PositiveSmallIntegerField(_("free correction period (days)"), default=7)
    # Besides the organisation's coordinators: professionals designated to export every family.
    exporters = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("designated exporters")
    )

    class Meta:
        verbose_name = _("DMOP policy")
        verbose_name_plural = _("DMOP policies")

    def __str__(self) -> str:
        return str(self.organisation)

    @classmethod
    def for_organisation(cls, organisation_id: int) -> DmopPolicy:
        """The organisation's policy; the defaults when none was saved."""
        return cls.objects.filter(organisation_id=organisation_id).first() or cls(
            organisation_id=organisation_id
        )


class ContactMoment(models.Model):
    """One contact moment with the family at which the five domains were discussed."""

    class Kind(models.TextChoices):
        # The SamenStarten protocol starts with a double contact moment at the 8-week consultation.
        EIGHT_WEEKS_DOUBLE = "8w_double", _("Double contact moment 8 weeks")
        THREE_MONTHS = "3m", _("3 months")
        SIX_MONTHS = "6m", _("6 months")
        NINE_MONTHS = "9m", _("9 months")
        FOURTEEN_MONTHS = "14m", _("14 months")
        EIGHTEEN_MONTHS = "18m", _("18 months")
        TWO_YEARS = "2y", _("2 years")
        THREE_YEARS = "3y", _("3 years")
        EXTRA = "extra", _("Extra contact moment")
        OTHER = "other", _("Other")

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="contact_moments", verbose_name=_("family")
    )
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dmop_contact_moments",
        verbose_name=_("professional"),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("contact moment"), max_length=12, choices=Kind.choices)
    # An extra contact moment answers a concern found earlier: the domain assessment that raised it.
    triggered_by = models.ForeignKey(
        "DomainAssessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="extra_moments",
        verbose_name=_("triggered by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("contact moment")
        verbose_name_plural = _("contact moments")
        constraints = [
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(kind="8w_double"),
                name="dmop_one_eight_week_contact_moment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d-%m-%Y}"


class DomainAssessment(models.Model):
    """What the professional and the parents found for one domain at one contact moment."""

    contact_moment = models.ForeignKey(
        ContactMoment, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("contact moment")
    )
    domain = models.CharField(_("domain"), max_length=32, choices=Domain.choices)
    risk_factors = models.TextField(_("risk factors"), blank=True)
    protective_factors = models.TextField(_("protective factors"), blank=True)
    factors = models.ManyToManyField(Factor, blank=True, related_name="+", verbose_name=_("factors"))
    concern_level = models.PositiveSmallIntegerField(_("level of concern"), choices=ConcernLevel.choices)

    class Meta:
        verbose_name = _("domain assessment")
        verbose_name_plural = _("domain assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["contact_moment", "domain"], name="dmop_one_assessment_per_domain"
            ),
            models.CheckConstraint(condition=Q(concern_level__lte=3), name="dmop_concern_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.concern_level}"


class PlanAction(models.Model):
    """An agreement in the plan van aanpak, made together with the parents, maybe with a referral.

    Evaluated at the next contact moment: status and evaluation change, the agreement itself does not.
    """

    class Owner(models.TextChoices):
        PARENTS = "parents", _("Parents")
        PROFESSIONAL = "professional", _("JGZ professional")
        PARTNER = "partner", _("Partner from the sociale kaart")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        STOPPED = "stopped", _("Stopped")

    class ReferralStatus(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted by the parents")
        STARTED = "started", _("Started")
        DECLINED = "declined", _("Declined")
        ENDED = "ended", _("Ended")

    assessment = models.ForeignKey(
        DomainAssessment, on_delete=models.CASCADE, related_name="plan_actions", verbose_name=_("domain")
    )
    description = models.TextField(_("agreement"))
    agreed_with_parents = models.BooleanField(_("agreed with the parents"), default=False)
    owner = models.CharField(_("who"), max_length=12, choices=Owner.choices, default=Owner.PARENTS)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    evaluation = models.TextField(_("evaluation"), blank=True)
    evaluated_at = models.ForeignKey(
        ContactMoment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluated_actions",
        verbose_name=_("evaluated at"),
    )
    # PROTECT: a referral stays part of the record; removing a partner archives it instead.
    referral = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("referral to"),
    )
    # Blank without a referral. Each status keeps its own date, so waiting times can be measured.
    referral_status = models.CharField(
        _("referral status"), max_length=10, choices=ReferralStatus.choices, blank=True
    )
    referral_proposed_on = models.DateField(_("referral proposed on"), null=True, blank=True)
    referral_accepted_on = models.DateField(_("referral accepted on"), null=True, blank=True)
    referral_started_on = models.DateField(_("referral started on"), null=True, blank=True)
    referral_closed_on = models.DateField(_("referral declined or ended on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)  # part of the monitoring page's data version

    class Meta:
        ordering = ["pk"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")

    def __str__(self) -> str:
        return self.description[:60]


class ContactMomentVersion(models.Model):
    """The state of a contact moment before a correction: every version is kept (append-only)."""

    contact_moment = models.ForeignKey(
        ContactMoment, on_delete=models.CASCADE, related_name="versions", verbose_name=_("contact moment")
    )
    snapshot = models.JSONField(_("previous content"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("corrected by")
    )
    corrected_at = models.DateTimeField(_("corrected at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["corrected_at", "pk"]
        verbose_name = _("contact moment version")
        verbose_name_plural = _("contact moment versions")

    def __str__(self) -> str:
        return f"{self.contact_moment_id} {self.corrected_at:%Y-%m-%d}"


def concern_field(domain: str) -> str:
    return f"concern_{domain}"


def open_actions_field(domain: str) -> str:
    return f"open_actions_{domain}"


class ContactMomentSummary(models.Model):
    """One contact moment as the monitoring page needs it: a narrow row, kept by the DMOP services.

    The page aggregates these rows (one per contact moment, grouped per family in SQL) instead of joining
    every domain assessment and plan action. ``dmop.summaries`` writes them, for the whole family, in the
    same transaction as every write that changes them (record, correction, evaluation of a plan action);
    erasing a family deletes them with it. Per contact moment rather than per family, because the page's
    period filter (by default the last year) asks which moments fall inside it.
    """

    contact_moment = models.OneToOneField(
        ContactMoment, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    professional = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    kind = models.CharField(max_length=12)
    is_first = models.BooleanField()  # the family's first contact moment (by date, then by entry)
    birth_year = models.PositiveSmallIntegerField(null=True)
    # The child's age in days on the date, counted from the middle of the month of birth (only the
    # month is known); None without a month of birth.
    age_days = models.IntegerField(null=True)
    concern_parent_competence = models.PositiveSmallIntegerField(default=0)
    concern_partner_role = models.PositiveSmallIntegerField(default=0)
    concern_social_network = models.PositiveSmallIntegerField(default=0)
    concern_events_circumstances = models.PositiveSmallIntegerField(default=0)
    concern_child_wellbeing = models.PositiveSmallIntegerField(default=0)
    open_actions_parent_competence = models.PositiveSmallIntegerField(default=0)
    open_actions_partner_role = models.PositiveSmallIntegerField(default=0)
    open_actions_social_network = models.PositiveSmallIntegerField(default=0)
    open_actions_events_circumstances = models.PositiveSmallIntegerField(default=0)
    open_actions_child_wellbeing = models.PositiveSmallIntegerField(default=0)
    refreshed_at = models.DateTimeField()  # part of the monitoring page's data version

    class Meta:
        indexes = [models.Index(fields=["organisation", "date"], name="dmop_summary_org_date")]

    def __str__(self) -> str:
        return f"{self.family_id} {self.date}"


class ReferralSummary(models.Model):
    """One referral (a plan action with a partner) as the monitoring page needs it, beside
    ``ContactMomentSummary`` and rewritten with it: no join through the domain assessments."""

    plan_action = models.OneToOneField(
        PlanAction, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()  # of the contact moment that agreed the referral
    domain = models.CharField(max_length=32)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10)
    proposed_on = models.DateField(null=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "date"], name="dmop_referral_summary_org_date")]

    def __str__(self) -> str:
        return f"{self.family_id} {self.domain} {self.status}"
