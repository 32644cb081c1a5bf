"""Writes of the coordinator's self-service: staff and their roles, the NCJ contact, the checklist.

The rules that keep an organisation running are checked here, whoever asks: a coordinator only ever
grants the professional and coordinator roles of their own organisation (never administrator or admin-site
rights), never changes a national administrator, and an organisation always keeps an active coordinator.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from organisations.models import ImplementationCheck, Licence, Organisation, User


def _require_changeable(person: User) -> None:
    if person.is_administrator or person.is_staff or person.is_superuser:
        raise ValidationError(_("Only a national administrator can change this person."))


def _other_active_coordinators(organisation: Organisation, person: User) -> bool:
    return (
        User.objects.filter(organisation=organisation, is_coordinator=True, is_active=True)
        .exclude(pk=person.pk)
        .exists()
    )


def staff_create(
    *,
    organisation: Organisation,
    email: str,
    full_name: str,
    job_title: str,
    is_professional: bool,
    is_coordinator: bool,
) -> User:
    """Add a member of staff to ``organisation`` without a password; they set one through an invitation."""
    email = User.objects.normalize_email(email).lower()
    if not (is_professional or is_coordinator):
        raise ValidationError({"is_professional": _("Give the new member of staff at least one role.")})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("This e-mail address already has an account on the platform.")})
    person = User.objects.create_user(
        email=email,
        password=None,  # unusable until the person sets their own
        full_name=full_name.strip(),
        organisation=organisation,
        job_title=job_title,
        is_professional=is_professional,
        is_coordinator=is_coordinator,
    )
    staff_invite(person=person)
    return person


def staff_invite(*, person: User) -> None:
    """E-mail ``person`` a link to set their password, once the transaction commits.

    The link is Django's password-reset token: it stops working once a password is set, and expires
    after PASSWORD_RESET_TIMEOUT. It is not stored anywhere (not even as an in-app notification).
    """
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    path = reverse("password_set", args=[uid, default_token_generator.make_token(person)])
    subject = _("Your account on the SamenStarten VIB platform")
    body = _(
        "Your SamenStarten coordinator has made an account for you. Set your password with this link "
        "(it works once, for a few days):"
    )
    message = f"{body}\n\n{settings.SITE_URL}{path}"
    transaction.on_commit(lambda: send_mail(str(subject), message, None, [person.email], fail_silently=False))


def staff_roles_set(
    *, person: User, actor: User, job_title: str, is_professional: bool, is_coordinator: bool
) -> User:
    """Set a member's roles within the organisation; the last active coordinator keeps that role."""
    _require_changeable(person)
    if not (is_professional or is_coordinator):
        raise ValidationError({"is_professional": _("A member of staff keeps at least one role.")})
    assert person.organisation is not None
    dropping_coordinator = person.is_coordinator and not is_coordinator and person.is_active
    if dropping_coordinator and not _other_active_coordinators(person.organisation, person):
        raise ValidationError(
            {"is_coordinator": _("The organisation needs at least one active coordinator.")}
        )
    person.job_title = job_title
    person.is_professional = is_professional
    person.is_coordinator = is_coordinator
    person.save(update_fields=["job_title", "is_professional", "is_coordinator"])
    if not is_coordinator:
        Organisation.objects.filter(members=person, ncj_contact=person).update(ncj_contact=None)
    return person


def staff_deactivate(*, person: User, actor: User) -> User:
    """End a member's access (they can no longer log in); their records stay as history."""
    _require_changeable(person)
    if not person.is_active:
        raise ValidationError(_("This person is already deactivated."))
    if person.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate yourself; ask another coordinator."))
    assert person.organisation is not None
    if person.is_coordinator and not _other_active_coordinators(person.organisation, person):
        raise ValidationError(_("The organisation needs at least one active coordinator."))
    with transaction.atomic():
        person.is_active = False
        person.save(update_fields=["is_active"])
        Organisation.objects.filter(members=person, ncj_contact=person).update(ncj_contact=None)
    return person


def staff_reactivate(*, person: User, actor: User) -> User:
    _require_changeable(person)
    if person.is_active:
        raise ValidationError(_("This person is already active."))
    person.is_active = True
    person.save(update_fields=["is_active"])
    return person


def organisation_ncj_contact_set(*, organisation: Organisation, contact: User) -> Organisation:
    """Name one of the organisation's active coordinators as the NCJ's point of contact."""
    if not (contact.is_active and contact.is_coordinator and contact.organisation_id == organisation.pk):
        raise ValidationError({"contact": _("Choose an active coordinator of this organisation.")})
    organisation.ncj_contact = contact
    organisation.save(update_fields=["ncj_contact"])
    return organisation


def licence_current(organisation: Organisation, day: datetime.date | None = None) -> Licence | None:
    """The licence in force on ``day`` (today), else the most recent one."""
    day = day or timezone.localdate()
    licences = list(Licence.objects.filter(organisation=organisation))  # ordered newest first
    return next((lic for lic in licences if lic.is_active_on(day)), licences[0] if licences else None)


def implementation_checklist(organisation: Organisation) -> list[ImplementationCheck]:
    """Every condition of the seed in a fixed order; a condition never touched shows as not started."""
    saved = {check.item: check for check in organisation.implementation_checks.select_related("updated_by")}
    return [
        saved.get(item) or ImplementationCheck(organisation=organisation, item=item)
        for item in ImplementationCheck.Item.values
    ]


def implementation_check_save(
    *,
    organisation: Organisation,
    item: str,
    actor: User,
    status: str,
    checked_on: datetime.date | None,
    note: str,
) -> ImplementationCheck:
    if status == ImplementationCheck.Status.DONE and checked_on is None:
        raise ValidationError({"checked_on": _("Give the date on which this condition was met.")})
    if checked_on is not None and checked_on > timezone.localdate():
        raise ValidationError({"checked_on": _("The date cannot be in the future.")})
    check, _created = ImplementationCheck.objects.update_or_create(
        organisation=organisation,
        item=item,
        defaults={"status": status, "checked_on": checked_on, "note": note.strip(), "updated_by": actor},
    )
    return check
