from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A JGZ organisation that applies SamenStarten under an NCJ licence."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    # How long recordings may be kept when consent does not end earlier (AVG: no longer than needed).
    recording_retention_days = models.PositiveIntegerField(_("recording retention (days)"), default=730)
    # The seed: the SamenStarten coordinator is the NCJ's point of contact in the organisation.
    ncj_contact = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("NCJ contact"),
        help_text=_("The SamenStarten coordinator who is the point of contact for the NCJ."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Licence(models.Model):
    """The organisation's agreement with the NCJ; its size class sets the yearly contribution."""

    class SizeClass(models.TextChoices):
        SMALL = "small", _("Small")
        MEDIUM = "medium", _("Medium")
        LARGE = "large", _("Large")

    # The NCJ contribution for national management ranges from EUR 3,000 to 6,000 a year by size.
    CONTRIBUTION_EUR = {SizeClass.SMALL: 3000, SizeClass.MEDIUM: 4500, SizeClass.LARGE: 6000}

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="licences", verbose_name=_("organisation")
    )
    starts_on = models.DateField(_("agreement start"))
    ends_on = models.DateField(_("agreement end"), null=True, blank=True)
    size_class = models.CharField(_("size class"), max_length=10, choices=SizeClass.choices)
    # Agreed per licence by the NCJ; empty means the standard amount of the size class.
    contribution_eur = models.PositiveIntegerField(
        _("yearly contribution (EUR)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for the standard amount of the size class (EUR 3,000 to 6,000)."),
    )

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("NCJ licence")
        verbose_name_plural = _("NCJ licences")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="licence_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.starts_on}"

    @property
    def yearly_contribution_eur(self) -> int:
        if self.contribution_eur is not None:
            return self.contribution_eur
        return self.CONTRIBUTION_EUR[self.SizeClass(self.size_class)]

    def is_active_on(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.update(is_staff=True, is_superuser=True, is_administrator=True)
        return self.create_user(email, password, **fields)

    def professionals(self) -> models.QuerySet[User]:
        return self.filter(is_professional=True, is_active=True)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with e-mail and password. One person may hold several roles."""

    class JobTitle(models.TextChoices):
        NURSE = "jeugdverpleegkundige", _("Youth health nurse")
        DOCTOR = "jeugdarts", _("Youth health doctor")
        ASSISTANT = "doktersassistent", _("Doctor's assistant")
        OTHER = "other", _("Other")

    class SupervisorKind(models.TextChoices):
        VIB = "vib", _("AIT VIB supervisor")
        DMOP = "dmop", _("DMOP trainer")
        BOTH = "both", _("VIB supervisor and DMOP trainer")

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    # Professionals and coordinators belong to one organisation; supervisors are external and
    # administrators national, so for them this is empty.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisation"),
    )
    is_professional = models.BooleanField(_("professional"), default=False)
    job_title = models.CharField(_("job title"), max_length=30, choices=JobTitle.choices, blank=True)
    is_supervisor = models.BooleanField(_("supervisor"), default=False)
    supervisor_kind = models.CharField(
        _("supervisor kind"), max_length=10, choices=SupervisorKind.choices, blank=True
    )
    is_coordinator = models.BooleanField(_("SamenStarten coordinator"), default=False)
    is_administrator = models.BooleanField(_("national administrator (NCJ)"), default=False)
    # Administrators see everything except video content; a time-limited grant opens that too.
    video_access_until = models.DateTimeField(_("may view video content until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin site"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_coordinator=False) | Q(organisation__isnull=False),
                name="coordinator_has_organisation",
            ),
            models.CheckConstraint(
                condition=Q(is_professional=False) | Q(organisation__isnull=False),
                name="professional_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def requires_two_factor(self) -> bool:
        # Supervisors, coordinators and administrators see other people's health data: TOTP is mandatory.
        return self.is_supervisor or self.is_coordinator or self.is_administrator or self.is_staff

    @property
    def role_names(self) -> list[str]:
        roles = [
            (self.is_professional, _("Professional")),
            (self.is_supervisor, _("Supervisor")),
            (self.is_coordinator, _("Coordinator")),
            (self.is_administrator, _("Administrator")),
        ]
        return [str(name) for held, name in roles if held]

    def has_video_access_grant(self, now: datetime.datetime | None = None) -> bool:
        return self.video_access_until is not None and self.video_access_until > (now or timezone.now())

    # National administrators manage the platform in the Django admin (curricula, vocabularies,
    # organisations, licences), so they hold every model permission there. Video content is not in the
    # admin: the recordings admin shows metadata only.
    def has_perm(self, perm: str, obj: models.Model | None = None) -> bool:
        if self.is_active and self.is_administrator and self.is_staff:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        if self.is_active and self.is_administrator and self.is_staff:
            return True
        return super().has_module_perms(app_label)


class SupervisorAssignmentQuerySet(models.QuerySet["SupervisorAssignment"]):
    def active(self, day: datetime.date | None = None) -> SupervisorAssignmentQuerySet:
        day = day or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


class SupervisorAssignment(models.Model):
    """An explicit link that lets an (external) supervisor see one trainee's work."""

    supervisor = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="trainee_assignments",
        limit_choices_to={"is_supervisor": True},
        verbose_name=_("supervisor"),
    )
    trainee = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="supervisor_assignments",
        limit_choices_to={"is_professional": True},
        verbose_name=_("trainee"),
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    objects = SupervisorAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervisor assignment")
        verbose_name_plural = _("supervisor assignments")
        constraints = [
            models.UniqueConstraint(fields=["supervisor", "trainee", "starts_on"], name="unique_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} → {self.trainee}"


class ImplementationCheck(models.Model):
    """One organisational condition of SamenStarten (the seed's "randvoorwaarden") and how far it is met."""

    class Item(models.TextChoices):
        DOUBLE_CONTACT_MOMENT = (
            "double_contact_moment",
            _("Room for the double contact moment at the 8-week consultation"),
        )
        EXTRA_CONTACT_MOMENTS = "extra_contact_moments", _("Capacity for extra contact moments")
        FULLY_TRAINED = "fully_trained", _("Every professional has completed the whole training")
        CAMERAS = "cameras", _("Enough video cameras available for VIB")
        DD_JGZ_REGISTRATION = (
            "dd_jgz_registration",
            _("Uniform registration in the DD-JGZ according to the NCJ protocol"),
        )
        NCJ_AGREEMENT = "ncj_agreement", _("Agreement with the NCJ signed and contribution paid")

    class Status(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Condition met")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="implementation_checks",
        verbose_name=_("organisation"),
    )
    item = models.CharField(_("condition"), max_length=30, choices=Item.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    checked_on = models.DateField(_("date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("updated by")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("implementation condition")
        verbose_name_plural = _("implementation checklist")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "item"], name="one_check_per_item_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_item_display()}"
