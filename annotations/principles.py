"""Counts of "aan" (attuned contact) and "uit" (missed moment) per contact principle.

Shown on the cycle page for the cycle itself and across every film of the same family, so a trainee
and supervisor see the development per principle over time. Only published annotations count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from annotations.models import Annotation
from recordings.models import Recording, VibCycle


@dataclass(frozen=True)
class PrincipleCount:
    name: str
    on: int
    off: int


def _count_rows(recordings: QuerySet[Recording], *group: str) -> QuerySet[Annotation, dict[str, object]]:
    rows: QuerySet[Annotation, dict[str, object]] = (
        Annotation.objects.filter(
            recording__in=recordings,
            visibility=Annotation.Visibility.PUBLISHED,
            category__is_contact_principle=True,
        )
        .exclude(contact="")
        .values(*group, "category__name", "category__recording_kind", "category__order")
        .annotate(
            on=Count("pk", filter=Q(contact=Annotation.Contact.ON)),
            off=Count("pk", filter=Q(contact=Annotation.Contact.OFF)),
        )
        .order_by("category__recording_kind", "category__order", "category__name")
    )
    return rows


def _row(row: dict[str, object]) -> PrincipleCount:
    return PrincipleCount(str(row["category__name"]), int(row["on"]), int(row["off"]))  # type: ignore[call-overload]


def _counts(recordings: QuerySet[Recording]) -> list[PrincipleCount]:
    return [_row(row) for row in _count_rows(recordings)]


def contact_counts_for_cycle(cycle: VibCycle) -> list[PrincipleCount]:
    """Aan/uit per principle over the cycle's films (one query)."""
    return _counts(Recording.objects.not_deleted().filter(cycle=cycle))


def contact_counts_for_family(cycle: VibCycle) -> list[PrincipleCount]:
    """Aan/uit per principle over every film the trainee made of the cycle's family (one query)."""
    families = Recording.objects.filter(cycle=cycle).values("family_id")
    films = Recording.objects.not_deleted().filter(
        professional_id=cycle.professional_id, family_id__in=families
    )
    return _counts(films)


def contact_counts_for_enrolments(enrolment_ids: set[int]) -> dict[int, list[PrincipleCount]]:
    """Aan/uit per principle over the trainee's films of each enrolment's cycles (one query).

    Only cycles made within the enrolment count: practice cycles and those of another enrolment stay
    out, as they do for the training's requirements.
    """
    films = Recording.objects.not_deleted().filter(cycle__enrolment_id__in=enrolment_ids)
    counts: dict[int, list[PrincipleCount]] = defaultdict(list)
    for row in _count_rows(films, "recording__cycle__enrolment_id"):
        counts[int(row["recording__cycle__enrolment_id"])].append(_row(row))  # type: ignore[call-overload]
    return counts
