"""Recording workflows: creation, upload hand-over, deleting a recording's files with a tombstone.

Consent, withdrawal, retention and the erasure of everything derived from a film live in ``families``,
which calls down into this module; nothing here imports upwards.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError

from audit.outcome import ActionCode, granted
from audit.services import recording_access_log
from certification.access import has_valid_certificate
from courses.models import Enrolment
from families.models import Family
from organisations.models import SupervisorAssignment, User
from recordings.models import Recording, VibCycle
from recordings.storage import recording_stored_keys
from recordings.tasks import process_recording

logger = logging.getLogger(__name__)

REASON_CONSENT_WITHDRAWN = Recording.DeletionReason.CONSENT_WITHDRAWN.value
REASON_CONSENT_ENDED = Recording.DeletionReason.CONSENT_ENDED.value
REASON_RETENTION = Recording.DeletionReason.RETENTION_PERIOD_PASSED.value
REASON_CERTIFIED = Recording.DeletionReason.CERTIFIED.value


def practice_allowed(professional: User) -> bool:
    """Whether ``professional`` may film (and use films of) families outside the training."""
    return has_valid_certificate(professional, "vib")


def _current_supervisor(professional: User) -> User | None:
    assignment = (
        SupervisorAssignment.objects.active()
        .filter(trainee=professional, supervisor__supervisor_kind__in=["vib", "both"])
        .select_related("supervisor")
        .order_by("-starts_on")
        .first()
    )
    return assignment.supervisor if assignment else None


def recording_errors(
    *, professional: User, family_code: str, kind: str, purpose: str, cycle: VibCycle | None
) -> dict[str, list[str]]:
    """Field errors for a new recording of the family ``family_code``; empty when acceptable."""
    errors: dict[str, list[str]] = {}
    # The VIB gate: a training film needs an open VIB enrolment, a practice film a valid VIB certificate.
    if purpose == Recording.Purpose.PRACTICE and not practice_allowed(professional):
        errors["purpose"] = [
            str(_("Filming families outside the training requires a valid VIB certificate."))
        ]
    if purpose == Recording.Purpose.TRAINING and not Enrolment.objects.open_vib(professional.pk).exists():
        errors["purpose"] = [
            str(_("A training film requires an open VIB enrolment. Ask your coordinator to enrol you."))
        ]
    if kind == Recording.Kind.REVIEW_CONVERSATION:
        if cycle is None:
            errors["cycle"] = [
                str(_("Choose the VIB cycle whose home-visit film this conversation is about."))
            ]
        elif cycle.professional_id != professional.pk:
            errors["cycle"] = [str(_("Choose one of your own VIB cycles."))]
        elif cycle.family is not None and cycle.family.code != family_code:
            # One cycle, one family: the nabespreking is about this family's home visit.
            errors["family_code"] = [
                str(_("This VIB cycle is about another family: use the family code of its home visit."))
            ]
    elif cycle is not None:
        errors["cycle"] = [str(_("A home-visit film starts a new VIB cycle: leave the cycle empty."))]
    return errors


def recording_create(
    *, professional: User, family: Family, kind: str, purpose: str, cycle: VibCycle | None = None
) -> Recording:
    """Create the recording awaiting its upload; the caller has checked ``recording_errors`` and consent.

    A home-visit film starts a new VIB cycle of its family (with the trainee's current VIB supervisor); a
    review conversation (nabespreking) joins the existing cycle of the same family.
    """
    if kind == Recording.Kind.HOME_VISIT:
        # A training cycle belongs to the open VIB enrolment; a practice cycle to none (it never counts).
        enrolment = (
            Enrolment.objects.open_vib(professional.pk).order_by("-started_on", "-pk").first()
            if purpose == Recording.Purpose.TRAINING
            else None
        )
        cycle = VibCycle.objects.create(
            professional=professional,
            family=family,
            enrolment=enrolment,
            supervisor=_current_supervisor(professional),
        )
    elif cycle is not None and cycle.family_id is None:
        VibCycle.objects.filter(pk=cycle.pk).update(family=family)
    return Recording.objects.create(
        professional=professional, family=family, cycle=cycle, kind=kind, purpose=purpose
    )


def recording_attach_original(*, recording: Recording, key: str, size: int) -> None:
    """The upload is complete: remember the original and start processing once this commits.

    A recording deleted while its film was still arriving (consent withdrawn mid-upload) keeps no bytes:
    the just-stored original is deleted instead.
    """
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


def recording_files_delete(
    *, recording: Recording, reason: str, actor: User | None = None, request: Any = None
) -> list[str]:
    """Delete every stored object of the recording and leave a tombstone (who, when, why; no content).

    Only the recording's own files: ``families.erasure.recording_erase`` first removes what other apps
    made from the film (unfinished uploads, stills, clips, reels, annotations) and then calls this.
    Objects go first: if storage fails, the row stays as it was and the next attempt (or the daily
    retention run) tries again, so a tombstone never hides bytes that are still stored.
    Running it again on a tombstone sweeps the folder once more (a transcode may have finished late).
    Returns the keys it deleted.
    """
    keys = sorted(recording_stored_keys(recording))
    for key in keys:
        default_storage.delete(key)
    with transaction.atomic():
        locked = Recording.objects.select_for_update().select_related("family").get(pk=recording.pk)
        was_deleted = locked.is_deleted
        locked.renditions.all().delete()
        locked.segments.all().delete()
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
            recording_access_log(
                request=request,
                user=actor,
                action=ActionCode.DELETE,
                recording=locked,
                responsible_user=locked.professional if actor is None else actor,
                outcome=granted(reason=reason),
            )
    recording.refresh_from_db()
    return keys


def recording_upload_again(*, recording: Recording) -> Recording:
    """Give a rejected recording a second chance: same recording, consent and cycle, a fresh upload.

    Nothing is typed again and no new row appears in the list. The rejection swept every stored byte,
    so only the row's film facts and its failed renditions are cleared; the last reason stays, so the
    page can still say what went wrong the previous time.
    """
    with transaction.atomic():
        locked = Recording.objects.select_for_update().get(pk=recording.pk)
        if locked.status != Recording.Status.REJECTED:
            raise ValidationError(_("Only a film that could not be used can be uploaded again."))
        locked.renditions.all().delete()
        locked.segments.all().delete()
        locked.status = Recording.Status.AWAITING_UPLOAD
        locked.progress = 0
        locked.original_key = ""
        for field in ("original_size", "duration_ms", "width", "height", "has_audio"):
            setattr(locked, field, None)
        locked.processing_started_at = locked.last_progress_at = locked.ready_at = None
        locked.save(
            update_fields=[
                "status",
                "progress",
                "original_key",
                "original_size",
                "duration_ms",
                "width",
                "height",
                "has_audio",
                "processing_started_at",
                "last_progress_at",
                "ready_at",
            ]
        )
    return locked
