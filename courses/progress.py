"""Progress derived from evidence, never typed: one pass over many enrolments in a fixed number of queries.

Every list page builds progress through ``progress_for``: one query for the requirements of the versions
involved, one for the evidence (rows or counts), and one each for reviewed VIB cycles and distinct families
from the recordings app, counted per enrolment (only cycles made within an enrolment count for it). The number of queries does not depend on the number of professionals.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from annotations.principles import PrincipleCount, contact_counts_for_enrolments
from courses.models import Enrolment, Evidence, Requirement, SupervisionParticipant, SupervisionSession
from recordings.models import Recording, VibCycle

Kind = Requirement.Kind
EvidenceKey = tuple[int, int]  # (enrolment id, requirement id)


class State:
    MET = "met"
    AWAITING_REVIEW = "awaiting_review"
    RETURNED = "returned"
    LOCKED = "locked"
    OPEN = "open"


@dataclass
class RequirementProgress:
    requirement: Requirement
    statuses: Counter[str]
    derived_count: int | None = None  # VIB cycles / families, from the recordings app
    locked: bool = False
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def done(self) -> int:
        if self.derived_count is not None:
            return self.derived_count
        return sum(self.statuses[status] for status in Evidence.COUNTING)

    @property
    def target(self) -> int:
        # A milestone's target_count is the number of meetings before it; the milestone itself is one step.
        if self.requirement.kind in (Kind.MILESTONE, Kind.FINAL_ASSESSMENT, Kind.ASSIGNMENT):
            return 1
        return self.requirement.target_count

    @property
    def met(self) -> bool:
        return self.done >= self.target

    @property
    def fraction(self) -> float:
        return min(self.done, self.target) / self.target

    @property
    def state(self) -> str:
        if self.met:
            return State.MET
        if self.locked:
            return State.LOCKED
        if self.statuses[Evidence.Status.SUBMITTED]:
            return State.AWAITING_REVIEW
        if self.statuses[Evidence.Status.RETURNED] and self.requirement.kind == Kind.ASSIGNMENT:
            return State.RETURNED
        return State.OPEN

    @property
    def state_label(self) -> str:
        labels = {
            State.MET: _("Met"),
            State.AWAITING_REVIEW: _("Awaiting review"),
            State.RETURNED: _("Returned for rework"),
            State.LOCKED: _("Not yet possible"),
            State.OPEN: _("To do"),
        }
        return labels[self.state]

    @property
    def badge(self) -> str:
        return {State.MET: "ok", State.AWAITING_REVIEW: "info", State.RETURNED: "warn"}.get(self.state, "")

    @property
    def next_step(self) -> str:
        """What the professional should do (or wait for) next for this requirement."""
        requirement, state = self.requirement, self.state
        if state == State.MET:
            return ""
        if requirement.kind == Kind.MILESTONE and state == State.LOCKED:
            return ngettext(
                "Possible after %(count)d supervision meeting.",
                "Possible after %(count)d supervision meetings.",
                requirement.target_count,
            ) % {"count": requirement.target_count}
        if state == State.LOCKED:
            return _("Possible when every other requirement is met.")
        if state == State.AWAITING_REVIEW:
            return _("Your trainer reviews your assignment.")
        if state == State.RETURNED:
            return _("Your assignment was returned: rework it and submit it again.")
        remaining = self.target - self.done
        steps = {
            Kind.TRAINING_DAY: _("Attend the training day; your trainer registers your attendance."),
            Kind.STUDY_MODULE: _("Mark the study module as done when you have finished it."),
            Kind.ASSIGNMENT: _("Submit the assignment."),
            Kind.VIB_CYCLES: ngettext(
                "Film a home visit and its review conversation: %(count)d more cycle to be reviewed.",
                "Film a home visit and its review conversation: %(count)d more cycles to be reviewed.",
                remaining,
            )
            % {"count": remaining},
            Kind.SUPERVISION_MEETINGS: ngettext(
                "%(count)d more supervision meeting; your supervisor registers it.",
                "%(count)d more supervision meetings; your supervisor registers them.",
                remaining,
            )
            % {"count": remaining},
            Kind.DISTINCT_FAMILIES: ngettext(
                "Complete a reviewed cycle with %(count)d more family.",
                "Complete reviewed cycles with %(count)d more families.",
                remaining,
            )
            % {"count": remaining},
            Kind.MILESTONE: _("Your supervisor and a second trainer record the interim evaluation."),
            Kind.FINAL_ASSESSMENT: _("Your trainer records the final assessment."),
        }
        return str(steps[Kind(requirement.kind)])


@dataclass
class EnrolmentProgress:
    enrolment: Enrolment
    requirements: list[RequirementProgress]
    # Filled by pages that list them (``courses.supervision.sessions_attach``).
    sessions: list[SupervisionSession] = field(default_factory=list)
    # Aan/uit per contact principle over the enrolment's films (``courses.supervision.principles_attach``).
    principles: list[PrincipleCount] = field(default_factory=list)

    @property
    def percent(self) -> int:
        if not self.requirements:
            return 0
        return round(100 * sum(item.fraction for item in self.requirements) / len(self.requirements))

    @property
    def met_count(self) -> int:
        return sum(1 for item in self.requirements if item.met)

    @property
    def requirements_met(self) -> bool:
        """Everything but the final assessment is met."""
        return all(item.met for item in self.requirements if item.requirement.kind != Kind.FINAL_ASSESSMENT)

    @property
    def next_step(self) -> RequirementProgress | None:
        return next((item for item in self.requirements if not item.met and not item.locked), None)

    def item_for(self, requirement_id: int) -> RequirementProgress:
        return next(item for item in self.requirements if item.requirement.pk == requirement_id)


def progress_for(enrolments: Iterable[Enrolment], *, with_evidence: bool = False) -> list[EnrolmentProgress]:
    """Progress of each enrolment; ``with_evidence`` also loads the evidence rows (for detail pages)."""
    enrolments = list(enrolments)
    if not enrolments:
        return []
    requirements = _requirements_by_version({e.version_id for e in enrolments})
    rows: dict[EvidenceKey, list[Evidence]] = defaultdict(list)
    statuses = _statuses_from_rows(enrolments, rows) if with_evidence else _statuses_from_counts(enrolments)
    kinds = {r.kind for reqs in requirements.values() for r in reqs}
    enrolment_ids = {e.pk for e in enrolments}
    cycles = _reviewed_cycles(enrolment_ids) if Kind.VIB_CYCLES in kinds else {}
    families = _distinct_families(enrolment_ids) if Kind.DISTINCT_FAMILIES in kinds else {}
    derived = {Kind.VIB_CYCLES: cycles, Kind.DISTINCT_FAMILIES: families}
    sessions = _session_dates(enrolment_ids) if Kind.SUPERVISION_MEETINGS in kinds else {}
    result = []
    for enrolment in enrolments:
        items = []
        for requirement in requirements.get(enrolment.version_id, []):
            key = (enrolment.pk, requirement.pk)
            counts = derived.get(Kind(requirement.kind))
            items.append(
                RequirementProgress(
                    requirement=requirement,
                    statuses=statuses.get(key, Counter()),
                    derived_count=counts.get(enrolment.pk, 0) if counts is not None else None,
                    evidence=rows.get(key, []),
                )
            )
        _count_sessions(items, sessions.get(enrolment.pk, []))
        _lock(items)
        result.append(EnrolmentProgress(enrolment=enrolment, requirements=items))
    return result


def _count_sessions(items: list[RequirementProgress], dates: list[datetime.date]) -> None:
    """Spread the held supervision sessions over the supervision requirements, in curriculum order.

    AIT: the first trajectory takes sessions until its target is reached; the follow-up ("tweede jaar")
    only counts sessions dated after the first trajectory was complete and within the year after.
    Attendance ticks registered by a supervisor before sessions existed still count (``Evidence.UNCOUNTED``).
    """
    completed_on: datetime.date | None = None
    for index, item in enumerate(i for i in items if i.requirement.kind == Kind.SUPERVISION_MEETINGS):
        ticks = sum(item.statuses[status] for status in Evidence.COUNTING)
        if index == 0:
            counted = dates[: max(item.target - ticks, 0)]
            item.derived_count = ticks + len(dates)
            if ticks + len(counted) >= item.target:
                completed_on = counted[-1] if counted else None
            continue
        if completed_on is None and ticks < item.target:
            item.derived_count = ticks
            continue
        window_end = completed_on + datetime.timedelta(days=365) if completed_on else None
        later = [d for d in dates if completed_on is None or completed_on < d <= window_end]  # type: ignore[operator]
        item.derived_count = ticks + len(later)


def _session_dates(enrolment_ids: set[int]) -> dict[int, list[datetime.date]]:
    """Dates of the held supervision sessions per enrolment, oldest first (one query)."""
    dates: dict[int, list[datetime.date]] = defaultdict(list)
    rows = (
        SupervisionParticipant.objects.filter(
            enrolment_id__in=enrolment_ids, session__held_on__lte=timezone.localdate()
        )
        .order_by("session__held_on", "session_id")
        .values_list("enrolment_id", "session__held_on")
    )
    for enrolment_id, held_on in rows:
        dates[enrolment_id].append(held_on)
    return dates


def _lock(items: list[RequirementProgress]) -> None:
    # AIT: the interim evaluation comes after the 8th supervision; the final judgement after all the rest.
    meetings = sum(item.done for item in items if item.requirement.kind == Kind.SUPERVISION_MEETINGS)
    for item in items:
        if item.requirement.kind == Kind.MILESTONE:
            item.locked = meetings < item.requirement.target_count
    rest_met = all(item.met for item in items if item.requirement.kind != Kind.FINAL_ASSESSMENT)
    for item in items:
        if item.requirement.kind == Kind.FINAL_ASSESSMENT:
            item.locked = not rest_met


def _requirements_by_version(version_ids: set[int]) -> dict[int, list[Requirement]]:
    by_version: dict[int, list[Requirement]] = defaultdict(list)
    for requirement in Requirement.objects.filter(version_id__in=version_ids).order_by("version_id", "order"):
        by_version[requirement.version_id].append(requirement)
    return by_version


def _statuses_from_counts(enrolments: list[Enrolment]) -> dict[EvidenceKey, Counter[str]]:
    statuses: dict[EvidenceKey, Counter[str]] = defaultdict(Counter)
    counts = (
        Evidence.objects.filter(enrolment_id__in=[e.pk for e in enrolments])
        .exclude(Evidence.UNCOUNTED)
        .values("enrolment_id", "requirement_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in counts:
        statuses[(row["enrolment_id"], row["requirement_id"])][row["status"]] = row["n"]
    return statuses


def _statuses_from_rows(
    enrolments: list[Enrolment], rows: dict[EvidenceKey, list[Evidence]]
) -> dict[EvidenceKey, Counter[str]]:
    statuses: dict[EvidenceKey, Counter[str]] = defaultdict(Counter)
    evidence = (
        Evidence.objects.filter(enrolment_id__in=[e.pk for e in enrolments])
        .select_related("recorded_by", "second_assessor", "reviewed_by")
        .prefetch_related("scores__criterion")  # the assessments' scores, shown to the trainee
        .annotate(uncounted=ExpressionWrapper(Evidence.UNCOUNTED, output_field=BooleanField()))
    )
    for item in evidence:
        key = (item.enrolment_id, item.requirement_id)
        rows[key].append(item)
        if not item.uncounted:
            statuses[key][item.status] += 1
    return statuses


def _reviewed_cycles(enrolment_ids: set[int]) -> dict[int, int]:
    """Reviewed VIB cycles per enrolment. A cycle is only marked reviewed when its checklist holds
    (``annotations.cycles``); practice cycles belong to no enrolment and so never count."""
    counts = (
        VibCycle.objects.filter(enrolment_id__in=enrolment_ids, reviewed_at__isnull=False)
        .values("enrolment_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["enrolment_id"]: row["n"] for row in counts}


# How a cycle's family is identified when counting different families.
FAMILY_KEY = "family"


def _distinct_families(enrolment_ids: set[int]) -> dict[int, int]:
    """Different families among the counted (reviewed) cycles of each enrolment."""
    counts = (
        Recording.objects.filter(cycle__enrolment_id__in=enrolment_ids, cycle__reviewed_at__isnull=False)
        .values("cycle__enrolment_id")
        .annotate(n=Count(FAMILY_KEY, distinct=True))
        .order_by()
    )
    return {row["cycle__enrolment_id"]: row["n"] for row in counts}


def principles_attach(progresses: list[EnrolmentProgress]) -> None:
    """Give each enrolment's progress the aan/uit counts per contact principle of its films (one query)."""
    counts = contact_counts_for_enrolments({progress.enrolment.pk for progress in progresses})
    for progress in progresses:
        progress.principles = counts.get(progress.enrolment.pk, [])
