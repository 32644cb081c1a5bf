"""Erasing a family's films and everything made from them: on withdrawal, and by the retention rules.

The one place that deletes across apps: unfinished uploads (uploads), stills, clips, reels and
annotations (annotations), then the film's own files with a tombstone (recordings). Plain imports, no
guards: if one of these apps could not be imported the erasure must fail loudly, not skip its part.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from annotations.review_media import media_delete_for_recording
from certification.models import Certificate
from families.models import Consent, ConsentPurpose, DestructionRecord, Family, RetentionPolicy
from organisations.models import Organisation, User
from recordings.models import Recording
from recordings.services import (
    REASON_CERTIFIED,
    REASON_CONSENT_ENDED,
    REASON_CONSENT_WITHDRAWN,
    REASON_RETENTION,
    recording_files_delete,
)
from uploads.services import uploads_discard_unfinished

__all__ = ["REASON_CERTIFIED", "REASON_CONSENT_ENDED", "REASON_CONSENT_WITHDRAWN", "REASON_RETENTION"]

logger = logging.getLogger(__name__)


def recording_erase(
    *, recording: Recording, reason: str, actor: User | None = None, request: Any = None
) -> None:
    """Delete every stored object of the recording and of what was made from it; leave a tombstone.

    Unfinished uploads go first (an uploader then gets 404/410, never a 500), then stills, clips, reels and
    annotations, then the film's original, renditions, poster and sprite. Safe to run again: a clip or
    transcode that finished late is swept up by the next run.
    """
    was_deleted = recording.is_deleted
    uploads_discard_unfinished(recording=recording)
    media_count = media_delete_for_recording(recording=recording)
    keys = recording_files_delete(recording=recording, reason=reason, actor=actor, request=request)
    if not was_deleted:
        _destruction_record(recording, reason, keys, media_count)


def _destruction_record(recording: Recording, reason: str, keys: list[str], media_count: int) -> None:
    DestructionRecord.objects.create(
        recording_id=recording.pk,
        family_id=recording.family_id,
        organisation_id=recording.family.organisation_id,
        reason=reason,
        recorded_on=timezone.localdate(recording.created_at),
        object_count=len(keys) + media_count,
        objects_sha256=hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest(),
    )


def family_erase(*, family: Family, reason: str, actor: User | None = None, request: Any = None) -> int:
    """Erase every recording of the family (all of them, tombstones swept again). Returns the count."""
    recordings = list(Recording.objects.filter(family=family).select_related("family", "professional"))
    live = sum(1 for recording in recordings if not recording.is_deleted)
    for recording in recordings:
        recording_erase(recording=recording, reason=reason, actor=actor, request=request)
    return live


def _storing_consent_ended(today: datetime.date) -> Q:
    in_force = Consent.objects.in_force(today).filter(purpose=ConsentPurpose.VIB_SUPERVISION)
    return ~Q(family__in=in_force.values("family_id"))


def _retention_due(today: datetime.date) -> list[tuple[Recording, str]]:
    live = Recording.objects.not_deleted().select_related("family", "professional")
    withdrawn = set(
        Consent.objects.filter(
            purpose=ConsentPurpose.VIB_SUPERVISION, withdrawn_at__isnull=False
        ).values_list("family_id", flat=True)
    )
    due = [
        (recording, REASON_CONSENT_WITHDRAWN if recording.family_id in withdrawn else REASON_CONSENT_ENDED)
        for recording in live.filter(_storing_consent_ended(today))
    ]
    seen = {recording.pk for recording, _reason in due}
    for organisation in Organisation.objects.all():
        # Midnight of the first day that is too late, in the platform's time zone.
        cutoff = today - datetime.timedelta(days=organisation.recording_retention_days)
        start = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
        expired = live.filter(family__organisation=organisation, created_at__lt=start).exclude(pk__in=seen)
        due += [(recording, REASON_RETENTION) for recording in expired]
        seen |= {recording.pk for recording in expired}
    return due + _certified_due(live.exclude(pk__in=seen), today)


def _certified_due(live: QuerySet[Recording], today: datetime.date) -> list[tuple[Recording, str]]:
    """Training films of professionals whose VIB certificate was issued longer ago than their
    organisation keeps training films after certification."""
    due: list[tuple[Recording, str]] = []
    for policy in RetentionPolicy.objects.all():
        cutoff = today - datetime.timedelta(days=policy.training_films_days_after_certificate)
        certified = Certificate.objects.filter(course_code="vib", certified_on__lt=cutoff)
        films = live.filter(
            family__organisation_id=policy.organisation_id,
            purpose=Recording.Purpose.TRAINING,
            professional__in=certified.values("professional_id"),
        )
        due += [(recording, REASON_CERTIFIED) for recording in films]
    return due


def recordings_enforce_retention(today: datetime.date | None = None) -> int:
    """Erase recordings whose family's consent for VIB supervision ended or was withdrawn, or that outlived
    their organisation's retention period. Returns how many; one failure does not stop the others."""
    today = today or timezone.localdate()
    deleted = 0
    for recording, reason in _retention_due(today):
        try:
            recording_erase(recording=recording, reason=reason)
        except Exception:
            # Logged without personal data; the next daily run tries again.
            logger.exception("Retention: erasing recording %s failed", recording.pk)
            continue
        deleted += 1
    return deleted
