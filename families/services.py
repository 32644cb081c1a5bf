"""Consent workflows: record a family's consent, make a recording under it, withdraw it.

This module sits above recordings, uploads and annotations: it calls their services (through
``families.erasure``) and none of them imports it back.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.outcome import ActionCode, granted
from audit.services import access_log_record
from families.erasure import REASON_CONSENT_WITHDRAWN, family_erase
from families.models import TEACHING_MAX_YEARS, Consent, ConsentPurpose, Family, SignedForm
from families.pseudonyms import family_code_problem
from organisations.models import User
from recordings.models import Recording, VibCycle
from recordings.services import recording_create, recording_errors

# What the films of a family exist for: without this purpose nothing of the family may be kept.
STORING_PURPOSE = ConsentPurpose.VIB_SUPERVISION


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def consent_errors(
    *,
    given_on: datetime.date,
    valid_until: datetime.date,
    purposes: Iterable[str],
    today: datetime.date,
) -> dict[str, list[str]]:
    """Field errors for a new consent (empty when valid). Shared by the forms and the API."""
    errors: dict[str, list[str]] = {}
    if given_on > today:
        errors["given_on"] = [_("Consent cannot be given in the future.")]
    if valid_until < today:
        errors["valid_until"] = [_("This consent has already ended: record a current consent.")]
    elif valid_until < given_on:
        errors["valid_until"] = [_("The end date must be on or after the date consent was given.")]
    elif ConsentPurpose.TEACHING in purposes and valid_until > _add_years(given_on, TEACHING_MAX_YEARS):
        errors["valid_until"] = [
            _("Consent for teaching lasts at most %(years)d years.") % {"years": TEACHING_MAX_YEARS}
        ]
    if not list(purposes):
        errors["purposes"] = [_("Choose at least one purpose.")]
    return errors


def family_for_code(*, organisation_id: int, code: str) -> Family:
    """The organisation's family with this code, made on first use (the code is checked by the caller)."""
    family, _created = Family.objects.get_or_create(organisation_id=organisation_id, code=code)
    return family


def consent_record(
    *,
    family: Family,
    recorded_by: User,
    given_by: str,
    given_on: datetime.date,
    valid_until: datetime.date,
    purposes: Iterable[str],
    request: Any = None,
) -> list[Consent]:
    """Store one consent row per purpose (validated by ``consent_errors``); one access-log line (C)."""
    consents = Consent.objects.bulk_create(
        Consent(
            family=family,
            purpose=purpose,
            given_by=given_by,
            given_on=given_on,
            valid_until=valid_until,
            recorded_by=recorded_by,
        )
        for purpose in sorted(set(purposes))
    )
    access_log_record(
        request_or_none=request,
        user=recorded_by,
        action=ActionCode.CREATE,
        object_type="consent",
        object_id=",".join(str(consent.pk) for consent in consents),
        organisation_id=family.organisation_id,
        family_code=family.code,
        outcome=granted(purposes=sorted(set(purposes))),
    )
    return consents


@transaction.atomic
def recording_create_with_consent(
    *,
    professional: User,
    family_code: str,
    kind: str,
    purpose: str,
    given_by: str = "",
    given_on: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    purposes: Iterable[str] = (STORING_PURPOSE,),
    cycle: VibCycle | None = None,
    today: datetime.date | None = None,
    request: Any = None,
) -> Recording:
    """Create a recording of the family ``family_code``, recording a new consent when one is given.

    Without ``given_by`` the family's existing consent must cover VIB supervision. A nabespreking must be
    of its cycle's family. Raises ValidationError with field errors (nothing is stored then).
    """
    today = today or timezone.localdate()
    organisation_id = professional.organisation_id
    errors: dict[str, list[str]] = {}
    if problem := family_code_problem(family_code):
        errors["family_code"] = [problem]
    if organisation_id is None:
        errors.setdefault("family_code", []).append(_("You are not a member of an organisation."))
    family = (
        Family.objects.filter(organisation_id=organisation_id, code=family_code).first()
        if organisation_id is not None
        else None
    )
    errors |= recording_errors(
        professional=professional, family_code=family_code, kind=kind, purpose=purpose, cycle=cycle
    )
    purposes = sorted(set(purposes))
    if given_by:
        errors |= _new_consent_errors(given_on, valid_until, purposes, today)
    elif family is None or not family.consent_covers(STORING_PURPOSE, today):
        errors.setdefault("given_by", []).append(
            _("This family has no valid consent for VIB supervision: record the family's consent.")
        )
    if errors:
        raise ValidationError(errors)
    assert organisation_id is not None  # refused above
    family = family or family_for_code(organisation_id=organisation_id, code=family_code)
    if given_by:
        assert given_on is not None and valid_until is not None
        consent_record(
            family=family,
            recorded_by=professional,
            given_by=given_by,
            given_on=given_on,
            valid_until=valid_until,
            purposes=purposes,
            request=request,
        )
    return recording_create(professional=professional, family=family, kind=kind, purpose=purpose, cycle=cycle)


def _new_consent_errors(
    given_on: datetime.date | None,
    valid_until: datetime.date | None,
    purposes: list[str],
    today: datetime.date,
) -> dict[str, list[str]]:
    if given_on is None or valid_until is None:
        return {"given_on": [_("Give the dates of the consent.")]}
    errors = consent_errors(given_on=given_on, valid_until=valid_until, purposes=purposes, today=today)
    if STORING_PURPOSE not in purposes:
        errors.setdefault("purposes", []).append(
            _("A film can only be made with consent for VIB supervision.")
        )
    return errors


def consent_withdraw(
    *, family: Family, purposes: Iterable[str] | None, actor: User | None, request: Any = None
) -> int:
    """The family withdraws consent for ``purposes`` (None: all). Returns how many recordings were erased.

    Withdrawing VIB supervision (the purpose the films are kept for) erases at once everything of the
    family: films, renditions, posters, sprites, stills, clips, reels, annotations and unfinished
    uploads. The other purposes only end that use of the films: nothing is stored for them alone.
    """
    chosen = set(ConsentPurpose.values if purposes is None else purposes)
    now = timezone.now()
    withdrawn = Consent.objects.filter(family=family, purpose__in=chosen, withdrawn_at__isnull=True)
    withdrawn.update(withdrawn_at=now, withdrawn_by=actor)
    access_log_record(
        request_or_none=request,
        user=actor,
        action=ActionCode.UPDATE,
        object_type="consent",
        object_id=str(family.pk),
        organisation_id=family.organisation_id,
        family_code=family.code,
        outcome=granted(withdrawn=sorted(chosen)),
    )
    if STORING_PURPOSE not in chosen:
        return 0
    return family_erase(family=family, reason=REASON_CONSENT_WITHDRAWN, actor=actor, request=request)


# --- Signed forms ------------------------------------------------------------------------------------------

SIGNED_FORM_MAX_BYTES = 10 * 1024 * 1024
# Judged by the first bytes, not by the name or the browser's claim.
_SIGNATURES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png", b"%PDF-": "application/pdf"}


def _content_type(head: bytes) -> str:
    return next((kind for magic, kind in _SIGNATURES.items() if head.startswith(magic)), "")


def signed_form_store(
    *, family: Family, file: UploadedFile[bytes], uploaded_by: User, request: Any = None
) -> SignedForm:
    """Keep the scan or photo of the signed form under a random key in private storage; logged (C).

    Raises ValidationError on an empty or too large file or one that is not a JPEG, PNG or PDF.
    """
    if not file.size or file.size > SIGNED_FORM_MAX_BYTES:
        raise ValidationError({"file": _("Choose a scan or photo of at most 10 MB.")})
    file.seek(0)
    content_type = _content_type(file.read(8))
    file.seek(0)
    if not content_type:
        raise ValidationError({"file": _("The signed form must be a photo (JPEG or PNG) or a PDF.")})
    form = SignedForm(family=family, content_type=content_type, size=file.size, uploaded_by=uploaded_by)
    form.key = default_storage.save(form.key, file)
    form.save()
    _log_form(request, uploaded_by, form, "C")
    return form


def signed_form_open(*, form: SignedForm, user: User, request: Any = None) -> File[bytes]:
    """The stored form for reading; one access-log line (R)."""
    _log_form(request, user, form, "R")
    return default_storage.open(form.key, "rb")


def _log_form(request: Any, user: User, form: SignedForm, action_code: str) -> None:
    access_log_record(
        request_or_none=request,
        user=user,
        action=ActionCode(action_code),
        object_type="consent_form",
        object_id=str(form.pk),
        organisation_id=form.family.organisation_id,
        family_code=form.family.code,
        outcome=granted(),
    )
