"""The access log's hash chain: each line's hash covers its content and the previous line's hash.

Changing, removing or reordering a line breaks the chain from that line on; ``chain_verify`` names the first
broken line. The content is serialised canonically (sorted keys, UTC timestamps), so the hash is the same
whether the line is read back from PostgreSQL or SQLite.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from audit.models import AccessLogEntry, ChainHead

GENESIS = "0" * 64
HEAD_ID = 1


def _content(entry: AccessLogEntry) -> str:
    timestamp: datetime.datetime = entry.timestamp
    fields: dict[str, Any] = {
        "timestamp": timestamp.astimezone(datetime.UTC).isoformat(),
        "action_code": entry.action_code,
        "user_id": entry.user_id,
        "user_name": entry.user_name,
        "role": entry.role,
        "responsible_user_id": entry.responsible_user_id,
        "access_point": entry.access_point,
        "organisation_id": entry.organisation_id,
        "family_code": entry.family_code,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "recording_id": entry.recording_id,
        "outcome": entry.outcome,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(entry: AccessLogEntry, previous_hash: str) -> str:
    return hashlib.sha256(f"{previous_hash}\n{_content(entry)}".encode()).hexdigest()


def chain_append(*entries: AccessLogEntry) -> None:
    """Insert ``entries`` in order at the end of the chain.

    Concurrent appends wait for each other on the head row (its lock is held to the end of the caller's
    transaction). No savepoint: a line that cannot be written must fail the whole action it records.
    """
    with transaction.atomic(savepoint=False):
        head = ChainHead.objects.select_for_update().filter(pk=HEAD_ID).first()
        if head is None:
            # The first line ever (or after a test flush emptied the log and its head together); two
            # first appends may race here, so insert-if-absent and lock what is there.
            ChainHead.objects.bulk_create(
                [ChainHead(pk=HEAD_ID, last_hash=GENESIS, length=0)], ignore_conflicts=True
            )
            head = ChainHead.objects.select_for_update().get(pk=HEAD_ID)
        for entry in entries:
            entry.previous_hash = head.last_hash
            entry.entry_hash = entry_hash(entry, head.last_hash)
            head.last_hash = entry.entry_hash
        AccessLogEntry.objects.bulk_create(entries)
        head.length += len(entries)
        head.save(update_fields=["last_hash", "length"])


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int | None
    reason: str


def _walk(entries: Iterable[AccessLogEntry]) -> tuple[ChainBreak | None, str, int]:
    previous, count = GENESIS, 0
    for entry in entries:
        if entry.previous_hash != previous:
            return (
                ChainBreak(entry.pk, "does not follow the previous line (a line was removed or moved)"),
                "",
                0,
            )
        if entry_hash(entry, previous) != entry.entry_hash:
            return ChainBreak(entry.pk, "its content was changed after it was written"), "", 0
        previous, count = entry.entry_hash, count + 1
    return None, previous, count


def chain_verify() -> ChainBreak | None:
    """Walk the whole log in insertion order; return the first broken line, or None when intact."""
    broken, last_hash, length = _walk(AccessLogEntry.objects.order_by("pk").iterator(chunk_size=2000))
    if broken is not None:
        return broken
    head = ChainHead.objects.filter(pk=HEAD_ID).first()
    expected = (head.last_hash, head.length) if head else (GENESIS, 0)
    if expected != (last_hash, length):
        return ChainBreak(None, "lines are missing at the end of the log")
    return None
