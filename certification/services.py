"""Every change of a certificate goes through these functions, and each one writes a history event.

Certified is never set by hand: ``certification_grant`` is called by the courses service when a trainer
records the final assessment as passed with every other requirement met. The only manual changes are an
administrator's revocation and its reversal, each with a reason.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from certification.models import (
    Certificate,
    CertificationEvent,
    CourseCertificationPolicy,
    CourseCode,
    ExpiryAnnouncement,
    RecertificationEvidence,
)
from notifications.services import notification_send
from organisations.models import User

ANNOUNCE_DAYS_BEFORE = (90, 30)

# Fallbacks when the policy rows are missing (the data migration creates them; the admin edits them).
DEFAULT_POLICIES: dict[str, dict[str, object]] = {
    CourseCode.VIB: {
        "issuing_body": "NCJ / AIT",
        "validity_years": 3,
        "min_guidance_trajectories": 10,
        "min_supervisions": 3,
        "min_intervision_sessions": 3,
        "min_presentations": 1,
    },
    CourseCode.DMOP: {
        "issuing_body": "N. Tan / NCJ",
        "validity_years": 3,
        "min_guidance_trajectories": 0,
        "min_supervisions": 0,
        "min_intervision_sessions": 2,
        "min_presentations": 0,
    },
}


def policy_for(course_code: str) -> CourseCertificationPolicy:
    policy = CourseCertificationPolicy.objects.filter(course_code=course_code).first()
    if policy is None:
        policy = CourseCertificationPolicy(course_code=course_code, **DEFAULT_POLICIES[course_code])
    return policy


def _system_text(message: str) -> str:
    # History reasons written by the system are stored in the interface language, like those people type.
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(message)


def _locked_certificate(professional: User, course_code: str) -> Certificate:
    """The professional's certificate for the course, row-locked; created (in training) when missing."""
    CourseCode(course_code)  # ValueError on an unknown code: a programming error, not user input
    certificate = (
        Certificate.objects.select_for_update()
        .filter(professional=professional, course_code=course_code)
        .first()
    )
    if certificate is not None:
        return certificate
    try:
        with transaction.atomic():
            certificate = Certificate.build(professional=professional, course_code=course_code)
            certificate.save()
    except IntegrityError:  # created concurrently: use that row
        certificate = Certificate.objects.select_for_update().get(
            professional=professional, course_code=course_code
        )
    return certificate


def _record_event(
    certificate: Certificate, *, actor: User | None, from_status: str, reason: str
) -> CertificationEvent:
    return CertificationEvent.objects.create(
        certificate=certificate,
        actor=actor,
        from_status=from_status,
        to_status=certificate.status,
        valid_until=certificate.valid_until,
        reason=reason,
    )


@transaction.atomic
def certification_start_training(*, professional: User, course_code: str) -> Certificate:
    """Make sure the professional has a certificate row for the course (status "in training").

    Idempotent; leaves an existing certificate of any status alone.
    """
    certificate = _locked_certificate(professional, course_code)
    if not certificate.events.exists():
        _record_event(
            certificate, actor=None, from_status="", reason=_system_text(gettext_noop("Training started."))
        )
    return certificate


@transaction.atomic
def certification_grant(
    *, professional: User, course_code: str, signed_off_by: User, motivation: str
) -> Certificate:
    """Certify ``professional`` for the course after the trainer's final sign-off.

    Idempotent: a certificate that is valid today is returned unchanged, so a repeated sign-off does not
    move its dates. An expired (or in-training) certificate becomes certified with a new validity period
    from today. A revoked certificate stays revoked: only an administrator may reverse a revocation.
    """
    today = timezone.localdate()
    certificate = _locked_certificate(professional, course_code)
    if certificate.status == Certificate.Status.REVOKED or certificate.is_valid_on(today):
        return certificate
    policy = policy_for(course_code)
    from_status = certificate.status
    certificate.status = Certificate.Status.CERTIFIED
    certificate.certified_on = today
    certificate.period_starts_on = today
    certificate.valid_until = policy.valid_until_for(today)
    certificate.save(
        update_fields=["status", "certified_on", "period_starts_on", "valid_until", "updated_at"]
    )
    reason = motivation.strip() or _system_text(gettext_noop("Final assessment passed."))
    _record_event(certificate, actor=signed_off_by, from_status=from_status, reason=reason)
    return certificate


def _require_administrator_and_reason(user: User, reason: str) -> str:
    if not user.is_administrator:
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    return reason


@transaction.atomic
def certification_revoke(*, certificate: Certificate, revoked_by: User, reason: str) -> Certificate:
    """An administrator withdraws the certificate (closing the tools at once); the reason is recorded."""
    reason = _require_administrator_and_reason(revoked_by, reason)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status == Certificate.Status.REVOKED:
        raise ValidationError(_("This certificate has already been revoked."))
    from_status = certificate.status
    certificate.status = Certificate.Status.REVOKED
    certificate.save(update_fields=["status", "updated_at"])
    _record_event(certificate, actor=revoked_by, from_status=from_status, reason=reason)
    return certificate


@transaction.atomic
def certification_reinstate(*, certificate: Certificate, reinstated_by: User, reason: str) -> Certificate:
    """An administrator reverses a revocation: the certificate returns to what its dates say it is."""
    reason = _require_administrator_and_reason(reinstated_by, reason)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status != Certificate.Status.REVOKED:
        raise ValidationError(_("Only a revoked certificate can be reinstated."))
    today = timezone.localdate()
    if certificate.valid_until is None:
        new_status = Certificate.Status.IN_TRAINING
    elif certificate.valid_until >= today:
        new_status = Certificate.Status.CERTIFIED
    else:
        new_status = Certificate.Status.EXPIRED
    certificate.status = new_status
    certificate.save(update_fields=["status", "updated_at"])
    _record_event(certificate, actor=reinstated_by, from_status=Certificate.Status.REVOKED, reason=reason)
    return certificate


@transaction.atomic
def certification_expire(*, certificate_id: int, today: datetime.date | None = None) -> bool:
    """Mark one certificate expired if its last valid day has passed; False when there was nothing to do."""
    today = today or timezone.localdate()
    certificate = Certificate.objects.select_for_update().filter(pk=certificate_id).first()
    if certificate is None or certificate.effective_status(today) != Certificate.Status.EXPIRED:
        return False
    if certificate.status == Certificate.Status.EXPIRED:
        return False
    certificate.status = Certificate.Status.EXPIRED
    certificate.save(update_fields=["status", "updated_at"])
    _record_event(
        certificate,
        actor=None,
        from_status=Certificate.Status.CERTIFIED,
        reason=_system_text(gettext_noop("The validity period has ended.")),
    )
    return True


def certifications_expire_due(*, today: datetime.date | None = None) -> int:
    """Expire every certified certificate past its last valid day; returns how many changed."""
    today = today or timezone.localdate()
    ids = list(Certificate.objects.past_validity(today).values_list("pk", flat=True))
    return sum(certification_expire(certificate_id=pk, today=today) for pk in ids)


def _announcement_recipients(certificate: Certificate) -> list[User]:
    professional = certificate.professional
    if professional.organisation_id is None:
        return [professional]
    coordinators = User.objects.filter(
        is_coordinator=True, is_active=True, organisation_id=professional.organisation_id
    ).exclude(pk=professional.pk)
    return [professional, *coordinators]


def _announce(certificate: Certificate, days_before: int) -> None:
    url = reverse("certification:detail", args=[certificate.pk])
    for user in _announcement_recipients(certificate):
        # Each reader in their own language (the professional and the coordinators may differ).
        with translation.override(user.language or settings.LANGUAGE_CODE):
            assert certificate.valid_until is not None
            until = date_format(certificate.valid_until)
            subject = gettext("Certificate %(course)s expires on %(date)s") % {
                "course": certificate.get_course_code_display(),
                "date": until,
            }
            body = gettext(
                "The %(course)s certificate of %(name)s is valid through %(date)s. Record the evidence for "
                "renewal in the platform in time; without renewal the tools close after that day."
            ) % {
                "course": certificate.get_course_code_display(),
                "name": certificate.professional,
                "date": until,
            }
        notification_send(user=user, subject=subject, body=body, url=url)


def certifications_announce_expiry(*, today: datetime.date | None = None) -> int:
    """Announce coming expiries 90 and 30 days ahead, each once per validity period.

    A certificate that first comes into view with 30 days or less left only gets the 30-day message.
    Returns the number of announcements made.
    """
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=max(ANNOUNCE_DAYS_BEFORE))
    candidates = (
        Certificate.objects.valid_on(today).filter(valid_until__lte=horizon).select_related("professional")
    )
    made = 0
    for certificate in candidates:
        assert certificate.valid_until is not None
        left = (certificate.valid_until - today).days
        days_before = min(d for d in ANNOUNCE_DAYS_BEFORE if left <= d)
        with transaction.atomic():
            _, created = ExpiryAnnouncement.objects.get_or_create(
                certificate=certificate, days_before=days_before, valid_until=certificate.valid_until
            )
            if created:
                _announce(certificate, days_before)
                made += 1
    return made


# --- Recertification -------------------------------------------------------------------------------------


def evidence_record(
    *, certificate: Certificate, kind: str, date: datetime.date, note: str, recorded_by: User
) -> RecertificationEvidence:
    """The professional records work that counts towards renewal; a supervisor confirms it later."""
    if certificate.status not in (Certificate.Status.CERTIFIED, Certificate.Status.EXPIRED):
        raise ValidationError(_("Evidence for renewal can only be recorded for a certificate."))
    if date > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    return RecertificationEvidence.objects.create(
        certificate=certificate, kind=kind, date=date, note=note.strip(), recorded_by=recorded_by
    )


def evidence_confirm(*, evidence: RecertificationEvidence, confirmed_by: User) -> RecertificationEvidence:
    """A supervisor or administrator confirms recorded evidence (idempotent)."""
    if evidence.confirmed_at is None:
        evidence.confirmed_by = confirmed_by
        evidence.confirmed_at = timezone.now()
        evidence.save(update_fields=["confirmed_by", "confirmed_at"])
    return evidence


def _renewal_counts(certificate: Certificate) -> Counter[str]:
    """Confirmed evidence per kind dated within the current validity period."""
    counts: Counter[str] = Counter()
    if certificate.period_starts_on is None or certificate.valid_until is None:
        return counts
    rows = (
        certificate.evidence.filter(
            confirmed_at__isnull=False,
            date__gte=certificate.period_starts_on,
            date__lte=certificate.valid_until,
        )
        .values("kind")
        .annotate(n=Count("pk"))
    )
    counts.update({row["kind"]: row["n"] for row in rows})
    return counts


def renewal_shortfall(certificate: Certificate) -> dict[str, int]:
    """Evidence kind -> how many confirmed items are still missing in the current validity period."""
    counts = _renewal_counts(certificate)
    minimums = policy_for(certificate.course_code).minimums()
    return {kind: minimum - counts[kind] for kind, minimum in minimums.items() if counts[kind] < minimum}


def renewal_progress(certificate: Certificate) -> list[tuple[str, int, int]]:
    """(label, confirmed so far, required) per evidence kind the course's policy asks for."""
    counts = _renewal_counts(certificate)
    minimums = policy_for(certificate.course_code).minimums()
    return [
        (str(RecertificationEvidence.Kind(kind).label), counts[kind], minimum)
        for kind, minimum in minimums.items()
        if minimum
    ]


@transaction.atomic
def certification_renew(*, certificate: Certificate, renewed_by: User) -> Certificate:
    """Extend a certified (or just expired) certificate by one validity period when the evidence suffices.

    Renewing before the end adds the new period right after the current one; renewing an expired
    certificate starts the new period today (the gap in between stays uncertified).
    """
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status not in (Certificate.Status.CERTIFIED, Certificate.Status.EXPIRED):
        raise ValidationError(_("Only a certified or expired certificate can be renewed."))
    if renewal_shortfall(certificate):
        raise ValidationError(_("There is not yet enough confirmed evidence in this validity period."))
    assert certificate.valid_until is not None
    starts_on = max(certificate.valid_until + datetime.timedelta(days=1), timezone.localdate())
    from_status = certificate.status
    certificate.status = Certificate.Status.CERTIFIED
    certificate.period_starts_on = starts_on
    certificate.valid_until = policy_for(certificate.course_code).valid_until_for(starts_on)
    certificate.save(update_fields=["status", "period_starts_on", "valid_until", "updated_at"])
    _record_event(
        certificate,
        actor=renewed_by,
        from_status=from_status,
        reason=_system_text(gettext_noop("Renewed on confirmed recertification evidence.")),
    )
    return certificate
