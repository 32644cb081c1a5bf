"""A family's timeline: the level of concern per domain across its contact moments.

Computed in Python from the rows of one query (one row per domain assessment), so the page and the API
cost the same number of queries for a family with two contact moments or twenty.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from dmop.models import ConcernLevel, ContactMoment, Domain, DomainAssessment, Family

TIMELINE_FIELDS = (
    "contact_moment_id",
    "contact_moment__date",
    "contact_moment__kind",
    "domain",
    "concern_level",
)


@dataclass(frozen=True)
class TimelineColumn:
    contact_moment_id: int
    date: datetime.date
    kind: str

    @property
    def kind_label(self) -> str:
        return str(ContactMoment.Kind(self.kind).label)


@dataclass(frozen=True)
class TimelineCell:
    concern_level: int | None  # None: the domain was not assessed at this contact moment
    rose: bool  # higher than at the previous contact moment at which the domain was assessed

    @property
    def label(self) -> str:
        return "" if self.concern_level is None else str(ConcernLevel(self.concern_level).label)


@dataclass(frozen=True)
class TimelineRow:
    domain: str
    cells: tuple[TimelineCell, ...]

    @property
    def label(self) -> str:
        return str(Domain(self.domain).label)

    @property
    def rose_at_latest(self) -> bool:
        return bool(self.cells) and self.cells[-1].rose


@dataclass(frozen=True)
class Timeline:
    columns: tuple[TimelineColumn, ...]
    rows: tuple[TimelineRow, ...]

    @property
    def rising_domains(self) -> list[str]:
        """Domains whose concern rose at the most recent contact moment."""
        return [row.domain for row in self.rows if row.rose_at_latest]


def timeline_rows_query(family: Family) -> QuerySet[DomainAssessment, dict[str, Any]]:
    rows: QuerySet[DomainAssessment, dict[str, Any]] = (
        DomainAssessment.objects.filter(contact_moment__family=family)
        .order_by("contact_moment__date", "contact_moment_id")
        .values(*TIMELINE_FIELDS)
    )
    return rows


def timeline_for_family(family: Family) -> Timeline:
    return timeline_from_rows(timeline_rows_query(family))


def timeline_from_rows(rows: Iterable[Mapping[str, Any]]) -> Timeline:
    """Build the table from assessment rows ordered by contact moment date (then id)."""
    columns: dict[int, TimelineColumn] = {}
    levels: dict[tuple[str, int], int] = {}
    for row in rows:
        moment_id = row["contact_moment_id"]
        columns.setdefault(
            moment_id, TimelineColumn(moment_id, row["contact_moment__date"], row["contact_moment__kind"])
        )
        levels[(row["domain"], moment_id)] = row["concern_level"]
    return Timeline(
        columns=tuple(columns.values()),
        rows=tuple(_domain_row(domain, list(columns), levels) for domain in Domain.values),
    )


def _domain_row(domain: str, moment_ids: list[int], levels: dict[tuple[str, int], int]) -> TimelineRow:
    cells: list[TimelineCell] = []
    previous: int | None = None
    for moment_id in moment_ids:
        level = levels.get((domain, moment_id))
        cells.append(
            TimelineCell(level, rose=level is not None and previous is not None and level > previous)
        )
        if level is not None:
            previous = level
    return TimelineRow(domain, tuple(cells))
