"""Recording workflows: consent, creation, upload hand-over, deletion with tombstone, retention."""

from __future__ import annotations

import datetime
import logging
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError

from audit.services import access_log_record
from organisations.models import Organisation, SupervisorAssignment, User
from recordings.models import FAMILY_CODE_PATTERN, Consent, Recording, VibCycle
from recordings.storage import recording_stored_keys

logger = logging.getLogger(__name__)

REASON_CONSENT_WITHDRAWN = Recording.DeletionReason.CONSENT_WITHDRAWN.value
REASON_CONSENT_ENDED = Recording.DeletionReason.CONSENT_ENDED.value
REASON_RETENTION = Recording.DeletionReason.RETENTION_PERIOD_PASSED.value

# A Dutch citizen service number (BSN) is 8 or 9 digits: such a code identifies a child directly.
_BSN_LIKE = re.compile(r"^\d{8,9}$")


def family_code_error(family_code: str) -> str:
    """Why ``family_code`` is not an acceptable pseudonymous code, or "" when it is."""
    if not re.match(FAMILY_CODE_PATTERN, family_code or ""):
        return str(_("Use 3 to 32 letters, digits or hyphens: a pseudonymous code, never a name."))
    if _BSN_LIKE.match(family_code):
        return str(_("This looks like a citizen service number (BSN). Use the pseudonymous family code."))
    return ""


def consent_errors(
    *, family_code: str, given_on: datetime.date, valid_until: datetime.date, today: datetime.date
) -> dict[str, list[str]]:
    """Field errors for a new consent (empty when valid). Shared by the form and the API."""
    errors: dict[str, list[str]] = {}
    if family_code_error(family_code):
        errors["family_code"] = [family_code_error(family_code)]
    if given_on > today:
        errors["given_on"] = [str(_("Consent cannot be given in the future."))]
    if valid_until < today:
        errors["valid_until"] = [str(_("This consent has already ended: record a current consent."))]
    elif valid_until < given_on:
        errors["valid_until"] = [str(_("The end date must be on or after the date consent was given."))]
    return errors


def _current_supervisor(professional: User) -> User | None:
    assignment = (
        SupervisorAssignment.objects.active()
        .filter(trainee=professional, supervisor__supervisor_kind__in=["vib", "both"])
        .select_related("supervisor")
        .order_by("-starts_on")
        .first()
    )
    return assignment.supervisor if assignment else None


def _recording_errors(
    *, professional: User, kind: str, purpose: str, cycle: VibCycle | None
) -> dict[str, list[str]]:
    from recordings.access import practice_allowed

    errors: dict[str, list[str]] = {}
    if purpose == Recording.Purpose.PRACTICE and not practice_allowed(professional):
        errors["purpose"] = [
            str(_("Filming families outside the training requires a valid VIB certificate."))
        ]
    if kind == Recording.Kind.REVIEW_CONVERSATION:
        if cycle is None:
            errors["cycle"] = [
                str(_("Choose the VIB cycle whose home-visit film this conversation is about."))
            ]
        elif cycle.professional_id != professional.pk:
            errors["cycle"] = [str(_("Choose one of your own VIB cycles."))]
    elif cycle is not None:
        errors["cycle"] = [str(_("A home-visit film starts a new VIB cycle: leave the cycle empty."))]
    return errors


@transaction.atomic
def recording_create_with_consent(
    *,
    professional: User,
    family_code: str,
    given_by: str,
    given_on: datetime.date,
    valid_until: datetime.date,
    kind: str,
    purpose: str,
    scope: str = Consent.Scope.TRAINING_SUPERVISION,
    cycle: VibCycle | None = None,
    today: datetime.date | None = None,
) -> Recording:
    """Record the family's consent and create the recording awaiting its upload.

    A home-visit film starts a new VIB cycle (with the trainee's current VIB supervisor); a review
    conversation (nabespreking) joins an existing cycle of the same professional.
    Raises ValidationError with field errors (nothing is stored then).
    """
    today = today or timezone.localdate()
    errors = consent_errors(family_code=family_code, given_on=given_on, valid_until=valid_until, today=today)
    errors |= _recording_errors(professional=professional, kind=kind, purpose=purpose, cycle=cycle)
    organisation_id = professional.organisation_id
    if organisation_id is None:
        errors.setdefault("family_code", []).append(str(_("You are not a member of an organisation.")))
    if errors:
        raise ValidationError(errors)
    assert organisation_id is not None  # refused above
    consent = Consent.objects.create(
        organisation_id=organisation_id,
        professional=professional,
        family_code=family_code,
        given_by=given_by,
        scope=scope,
        given_on=given_on,
        valid_until=valid_until,
    )
    if kind == Recording.Kind.HOME_VISIT:
        cycle = VibCycle.objects.create(
            professional=professional, supervisor=_current_supervisor(professional)
        )
    return Recording.objects.create(
        professional=professional, consent=consent, cycle=cycle, kind=kind, purpose=purpose
    )


def recording_attach_original(*, recording: Recording, key: str, size: int) -> None:
    """The upload is complete: remember the original and start processing once this commits.

    A recording deleted while its film was still arriving (consent withdrawn mid-upload) keeps no bytes:
    the just-stored original is deleted instead.
    """
    from recordings.tasks import process_recording

    with transaction.atomic():
        current = Recording.objects.select_for_update().only("status").get(pk=recording.pk)
        if current.status == Recording.Status.DELETED:
            transaction.on_commit(lambda: default_storage.delete(key))
            return
        recording.original_key = key
        recording.original_size = size
        recording.status = Recording.Status.PROCESSING
        recording.progress = 0
        # A sign of life: if the task below never reaches the broker, the periodic stall check starts
        # the processing (RECORDING_STALL_SECONDS x 2 after this moment).
        recording.last_progress_at = timezone.now()
        recording.save(
            update_fields=["original_key", "original_size", "status", "progress", "last_progress_at"]
        )
    recording_id = str(recording.pk)

    def enqueue() -> None:
        try:
            process_recording.delay(recording_id)
        except OperationalError:
            # The broker is down. The film is safe in storage and the row says "processing": the stall
            # check (recordings.tasks.detect_stalled) enqueues it once the broker is back.
            logger.warning(
                "Recording %s: broker unreachable; processing starts when it returns", recording_id
            )

    transaction.on_commit(enqueue)


def _delete_annotation_media(recording: Recording) -> None:
    try:
        from annotations.services import media_delete_for_recording
    except ImportError:
        return
    media_delete_for_recording(recording=recording)


def _discard_unfinished_uploads(recording: Recording) -> None:
    # An S3 multipart upload in progress is invisible to listdir; only aborting it frees its parts.
    try:
        from uploads.services import upload_terminate
    except ImportError:
        return
    for upload in recording.uploads.all():
        if not upload.is_complete:
            upload_terminate(upload=upload)


def recording_delete(
    *, recording: Recording, reason: str, actor: User | None = None, request: Any = None
) -> None:
    """Delete every stored object of the recording and leave a tombstone (who, when, why; no content).

    Objects go first: if storage fails, the row stays as it was and the next attempt (or the daily
    retention run) tries again, so a tombstone never hides bytes that are still stored.
    Running it again on a tombstone sweeps the folder once more (a transcode may have finished late).
    """
    _discard_unfinished_uploads(recording)
    _delete_annotation_media(recording)
    for key in sorted(recording_stored_keys(recording)):
        default_storage.delete(key)
    with transaction.atomic():
        locked = Recording.objects.select_for_update().select_related("consent").get(pk=recording.pk)
        was_deleted = locked.is_deleted
        locked.renditions.all().delete()
        locked.status = Recording.Status.DELETED
        locked.original_key = ""
        locked.progress = 0
        if not was_deleted:
            locked.deleted_at = timezone.now()
            locked.deleted_by = actor
            locked.deletion_reason = reason
        locked.save(
            update_fields=[
                "status",
                "original_key",
                "progress",
                "deleted_at",
                "deleted_by",
                "deletion_reason",
            ]
        )
        if not was_deleted:
            access_log_record(
                request_or_none=request,
                user=actor,
                action_code="D",
                object_type="recording",
                object_id=str(locked.pk),
                family_code=locked.consent.family_code,
                responsible_user=locked.professional if actor is None else actor,
                outcome={"authorisation": "granted", "reason": reason},
            )
    recording.refresh_from_db()


def consent_withdraw(*, consent: Consent, actor: User | None, request: Any = None) -> int:
    """The parent withdrew consent: mark it and delete every recording made under it. Returns the count."""
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
    recordings = list(consent.recordings.not_deleted())
    for recording in recordings:
        recording_delete(recording=recording, reason=REASON_CONSENT_WITHDRAWN, actor=actor, request=request)
    return len(recordings)


def _retention_due(today: datetime.date) -> list[tuple[Recording, str]]:
    live = Recording.objects.not_deleted().select_related("consent", "professional")
    due = [
        (recording, REASON_CONSENT_WITHDRAWN if recording.consent.withdrawn_at else REASON_CONSENT_ENDED)
        for recording in live.filter(
            Q(consent__withdrawn_at__isnull=False) | Q(consent__valid_until__lt=today)
        )
    ]
    seen = {recording.pk for recording, _reason in due}
    for organisation in Organisation.objects.all():
        # Midnight of the first day that is too late, in the platform's time zone.
        cutoff = today - datetime.timedelta(days=organisation.recording_retention_days)
        start = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
        expired = live.filter(consent__organisation=organisation, created_at__lt=start).exclude(pk__in=seen)
        due += [(recording, REASON_RETENTION) for recording in expired]
    return due


def recordings_enforce_retention(today: datetime.date | None = None) -> int:
    """Delete recordings whose consent ended or was withdrawn, or that outlived their organisation's
    retention period. Returns how many were deleted; one failure does not stop the others."""
    today = today or timezone.localdate()
    deleted = 0
    for recording, reason in _retention_due(today):
        try:
            recording_delete(recording=recording, reason=reason)
        except Exception:
            # Logged without personal data; the next daily run tries again.
            logger.exception("Retention: deleting recording %s failed", recording.pk)
            continue
        deleted += 1
    return deleted
