"""Monitoring and evaluation of SamenStarten: aggregates over families, never a family.

Everything here is computed from a fixed number of aggregate queries, whatever the number of families,
and every cell that rests on fewer than ``SMALL_CELL`` families is suppressed (``None``) so that nobody can
be recognised in a figure. The statistics of the time to first signal (Kaplan-Meier, log-rank and
Tarone-Ware) come from lifelines, a maintained survival-analysis library.

The figures and the survival analysis of one filter are kept in the cache for ``CACHE_SECONDS``, keyed by a
version of the data (``data_version``), so a change in the records shows at once.

The child's age uses the middle of the month of birth (day 15): only the month is recorded.
"""

from __future__ import annotations

import datetime
import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, IntegerField, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import ExtractYear
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from lifelines import KaplanMeierFitter
from lifelines.statistics import multivariate_logrank_test

from certification.models import Certificate
from courses.models import Enrolment
from dmop.models import (
    ConcernLevel,
    ContactMoment,
    Domain,
    DomainAssessment,
    Family,
    Partner,
    PartnerDomain,
    PlanAction,
    ScheduledMoment,
)
from organisations.models import Organisation

SMALL_CELL = 10
MID_MONTH = datetime.timedelta(days=14)
# Referrals that wait longer than this for the parents' answer or a start count as waiting too long.
LONG_WAIT = datetime.timedelta(weeks=6)
# Ages (days) at which the numbers at risk are shown under the plot.
AT_RISK_AGES = (0, 56, 91, 182, 274, 365, 548, 730, 1095, 1461)
PLOT_MAX_DAYS = 1461  # four years: SamenStarten follows children from 0 to 4
# Changes the data version does not see (the schedule's windows, renamed organisations) show after this.
CACHE_SECONDS = 600


class GroupBy:
    BIRTH_YEAR = "birth_year"
    ORGANISATION = "organisation"
    CERTIFICATION = "certification"


class ProfessionalStatus:
    CERTIFIED = "certified"
    IN_TRAINING = "in_training"


@dataclass(frozen=True)
class MonitoringFilter:
    period_from: datetime.date
    period_to: datetime.date
    organisation_id: int | None = None  # None: every organisation (national administrators only)
    birth_year: int | None = None
    professional_status: str = ""  # who did the family's first contact moment: certified or in training
    cohort_id: int | None = None  # the training cohort of the professional of the first contact moment
    domain: str = Domain.CHILD_WELLBEING
    threshold: int = ConcernLevel.CONCERN
    group_by: str = GroupBy.BIRTH_YEAR


def suppress(families: int) -> int | None:
    """The figure, or None when it rests on fewer than ``SMALL_CELL`` families."""
    return families if families >= SMALL_CELL else None


# --- Cached results ------------------------------------------------------------------------------------


def monitoring_results(f: MonitoringFilter) -> tuple[Figures, SurvivalResult]:
    """The page's figures and time-to-first-signal analysis, from the cache while the data are unchanged."""
    filter_key = f"{data_version()}|{get_language()}|{f!r}"
    key = "dmop-monitoring:" + hashlib.sha256(filter_key.encode()).hexdigest()
    results: tuple[Figures, SurvivalResult] | None = cache.get(key)
    if results is None:
        results = (figures(f), survival(survival_rows(f)))
        cache.set(key, results, CACHE_SECONDS)
    return results


# Every table a figure reads, with the column that moves when one of its rows is written. A row added or
# deleted changes the count; a row changed through the services moves the latest timestamp. Domain
# assessments change only with their contact moment (``contact_moment_correct`` saves its updated_at).
_VERSIONED = (
    (ContactMoment, "updated_at"),
    (PlanAction, "updated_at"),
    (Partner, "updated_at"),
    (Family, "created_at"),
    (Certificate, "updated_at"),
)


def data_version() -> str:
    """One cheap query that changes whenever the records behind the monitoring figures change."""
    # Table and column names come from _VERSIONED above, never from input.
    parts = [
        f"(SELECT count(*) || '/' || coalesce(max({column})::text, '') FROM {model._meta.db_table})"  # noqa: S608
        for model, column in _VERSIONED
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + " || ';' || ".join(parts))
        return str(cursor.fetchone()[0])


# --- Which families ------------------------------------------------------------------------------------


def families_in_scope(f: MonitoringFilter) -> QuerySet[Family]:
    """Families matching the filter with at least one contact moment in the period (one lazy query)."""
    in_period = ContactMoment.objects.filter(family=OuterRef("pk"), date__range=(f.period_from, f.period_to))
    families = Family.objects.filter(Exists(in_period))
    if f.organisation_id is not None:
        families = families.filter(organisation_id=f.organisation_id)
    if f.birth_year is not None:
        families = families.filter(child_birth_month__year=f.birth_year)
    if f.professional_status or f.group_by == GroupBy.CERTIFICATION:
        families = with_first_professional_certified(families)
    if f.cohort_id is not None:
        families = families.filter(Exists(_first_professional_in_cohort(f.cohort_id)))
    if f.professional_status:
        wanted = f.professional_status == ProfessionalStatus.CERTIFIED
        families = families.filter(**{"first_by_certified": wanted})  # an annotation django-stubs cannot see
    return families


def _first_professional_in_cohort(cohort_id: int) -> QuerySet[Enrolment]:
    """A family's cohort is the cohort (``Enrolment.group``) of the professional who made its first
    contact moment: the group whose training the family's follow-up reflects."""
    first = ContactMoment.objects.filter(family=OuterRef(OuterRef("pk"))).order_by("date", "pk")
    return Enrolment.objects.filter(
        group_id=cohort_id, professional_id=Subquery(first.values("professional_id")[:1])
    )


def with_first_professional_certified(families: QuerySet[Family]) -> QuerySet[Family]:
    """Annotate whether the family's first contact moment was done by a DMOP-certified professional.

    Certified on that day means a DMOP certificate granted on or before it and valid through it (the row may
    have expired since; a revoked certificate does not count).
    """
    first = ContactMoment.objects.filter(family=OuterRef("pk")).order_by("date", "pk")
    families = families.annotate(
        first_professional=Subquery(first.values("professional_id")[:1], output_field=IntegerField()),
        first_date=Subquery(first.values("date")[:1]),
    )
    valid = Certificate.objects.filter(
        professional_id=OuterRef("first_professional"),
        course_code="dmop",
        status__in=[Certificate.Status.CERTIFIED, Certificate.Status.EXPIRED],
        certified_on__lte=OuterRef("first_date"),
        valid_until__gte=OuterRef("first_date"),
    )
    return families.annotate(first_by_certified=Exists(valid))


# --- Figures ---------------------------------------------------------------------------------------------


@dataclass
class DomainFigure:
    domain: str
    families: int | None
    count: int | None = None

    @property
    def label(self) -> str:
        return str(Domain(self.domain).label)


@dataclass
class ReferralFigure:
    domain: str
    partner: str
    status: str
    referrals: int | None
    families: int | None

    @property
    def domain_label(self) -> str:
        return str(Domain(self.domain).label)

    @property
    def status_label(self) -> str:
        return str(PlanAction.ReferralStatus(self.status).label) if self.status else ""


@dataclass
class Figures:
    families_followed: int | None
    eight_week_in_time: int | None
    eight_week_share: float | None  # percent of families followed
    extra_moments: int | None
    extra_families: int | None
    concern: list[DomainFigure]
    referrals: list[ReferralFigure]
    open_actions: list[DomainFigure]
    long_waits: list[DomainFigure]
    gaps: list[str] = field(default_factory=list)  # domains with concern but no partner (one organisation)

    @property
    def domain_rows(self) -> list[tuple[DomainFigure, DomainFigure, DomainFigure]]:
        return list(zip(self.concern, self.open_actions, self.long_waits, strict=True))

    @property
    def gap_labels(self) -> list[str]:
        return [str(Domain(domain).label) for domain in self.gaps]


def figures(f: MonitoringFilter) -> Figures:
    """The monitoring page's figures: six aggregate queries, suppressed below ``SMALL_CELL`` families."""
    scope = families_in_scope(f).values("pk")
    followed = families_in_scope(f).count()
    on_time = _eight_week_in_time(scope, f)
    extra = ContactMoment.objects.filter(
        family__in=scope, kind=ContactMoment.Kind.EXTRA, date__range=(f.period_from, f.period_to)
    ).aggregate(moments=Count("pk"), families=Count("family", distinct=True))
    concern = _concern_per_domain(scope, f)
    open_actions, long_waits = _open_actions_and_long_waits(scope, f)
    shown_followed = suppress(followed)
    shown_on_time = suppress(on_time) if shown_followed else None
    return Figures(
        families_followed=shown_followed,
        eight_week_in_time=shown_on_time,
        eight_week_share=round(100 * on_time / followed, 1) if shown_on_time and followed else None,
        extra_moments=extra["moments"] if suppress(extra["families"]) else None,
        extra_families=suppress(extra["families"]),
        concern=concern,
        referrals=_referrals(scope, f),
        open_actions=open_actions,
        long_waits=long_waits,
        gaps=_gaps(concern, f),
    )


def _eight_week_in_time(scope: QuerySet[Any], f: MonitoringFilter) -> int:
    """Families whose 8-week double contact moment lies within the schedule's window for the child's age."""
    window = ScheduledMoment.objects.filter(kind=ContactMoment.Kind.EIGHT_WEEKS_DOUBLE).first()
    if window is None:
        return 0
    rows = ContactMoment.objects.filter(
        family__in=scope, kind=ContactMoment.Kind.EIGHT_WEEKS_DOUBLE, date__lte=f.period_to
    ).values_list("date", "family__child_birth_month")
    return sum(
        1
        for day, born in rows
        if born is not None and window.from_age_days <= _age(day, born) <= window.to_age_days
    )


def _age(day: datetime.date, born: datetime.date) -> int:
    return (day - (born.replace(day=1) + MID_MONTH)).days


def _concern_per_domain(scope: QuerySet[Any], f: MonitoringFilter) -> list[DomainFigure]:
    rows = (
        DomainAssessment.objects.filter(
            contact_moment__family__in=scope,
            contact_moment__date__range=(f.period_from, f.period_to),
            concern_level__gte=f.threshold,
        )
        .values("domain")
        .annotate(families=Count("contact_moment__family", distinct=True))
    )
    counts = {row["domain"]: row["families"] for row in rows}
    return [DomainFigure(d, suppress(counts.get(d, 0))) for d in Domain.values]


def _referrals(scope: QuerySet[Any], f: MonitoringFilter) -> list[ReferralFigure]:
    rows = (
        PlanAction.objects.filter(
            assessment__contact_moment__family__in=scope,
            assessment__contact_moment__date__range=(f.period_from, f.period_to),
            referral__isnull=False,
        )
        .values("assessment__domain", "referral__name", "referral_status")
        .annotate(referrals=Count("pk"), families=Count("assessment__contact_moment__family", distinct=True))
        .order_by("assessment__domain", "referral__name", "referral_status")
    )
    figures = []
    for row in rows:
        families = suppress(row["families"])
        figures.append(
            ReferralFigure(
                row["assessment__domain"],
                row["referral__name"],
                row["referral_status"],
                row["referrals"] if families else None,
                families,
            )
        )
    figures.sort(key=lambda r: (Domain.values.index(r.domain), r.partner, r.status))
    return figures


def _per_domain(rows: Iterable[Any]) -> list[DomainFigure]:
    counts = {row["assessment__domain"]: row for row in rows}
    result = []
    for domain in Domain.values:
        row = counts.get(domain, {"n": 0, "families": 0})
        families = suppress(row["families"])
        result.append(DomainFigure(domain, families, row["n"] if families else None))
    return result


def _open_actions_and_long_waits(
    scope: QuerySet[Any], f: MonitoringFilter
) -> tuple[list[DomainFigure], list[DomainFigure]]:
    """Open plan actions, and referrals proposed more than six weeks before the period's end that have
    not started or closed: one pass over the plan actions with a filtered count for each."""
    is_open = Q(status=PlanAction.Status.OPEN, assessment__contact_moment__date__lte=f.period_to)
    waits = Q(
        referral_status__in=[PlanAction.ReferralStatus.PROPOSED, PlanAction.ReferralStatus.ACCEPTED],
        referral_proposed_on__lt=f.period_to - LONG_WAIT,
    )
    family = "assessment__contact_moment__family"
    rows = list(
        PlanAction.objects.filter(is_open | waits, assessment__contact_moment__family__in=scope)
        .values("assessment__domain")
        .annotate(
            open_n=Count("pk", filter=is_open),
            open_families=Count(family, distinct=True, filter=is_open),
            wait_n=Count("pk", filter=waits),
            wait_families=Count(family, distinct=True, filter=waits),
        )
    )
    return (
        _per_domain(
            {"assessment__domain": r["assessment__domain"], "n": r["open_n"], "families": r["open_families"]}
            for r in rows
        ),
        _per_domain(
            {"assessment__domain": r["assessment__domain"], "n": r["wait_n"], "families": r["wait_families"]}
            for r in rows
        ),
    )


def _gaps(concern: list[DomainFigure], f: MonitoringFilter) -> list[str]:
    """Demand without supply: domains where families have concern but no active partner serves them."""
    if f.organisation_id is None:
        return []
    served = set(
        PartnerDomain.objects.filter(
            partner__in=Partner.objects.of_organisation(f.organisation_id).active()
        ).values_list("domain", flat=True)
    )
    return [row.domain for row in concern if row.families and row.domain not in served]


# --- Time to first signal ----------------------------------------------------------------------------------


@dataclass
class Curve:
    group: str
    families: int
    points: list[tuple[int, float]]  # (age in days, share without signal yet), steps, cut where < 10 at risk
    at_risk: list[int | None]  # at AT_RISK_AGES, suppressed below SMALL_CELL


@dataclass
class SurvivalResult:
    curves: list[Curve]
    suppressed_groups: list[str]
    logrank_statistic: float | None = None
    logrank_p: float | None = None
    tarone_ware_statistic: float | None = None
    tarone_ware_p: float | None = None
    degrees_of_freedom: int | None = None


def survival_rows(f: MonitoringFilter) -> list[tuple[str, int, bool]]:
    """(group, age in days, signal observed) per family in scope.

    Three grouped queries joined in Python (families; last contact per family; first signal per family):
    a correlated subquery per family was twenty times slower on 10,000 families.
    """
    families = families_in_scope(f).filter(child_birth_month__isnull=False)
    if f.group_by == GroupBy.CERTIFICATION and "first_by_certified" not in families.query.annotations:
        families = with_first_professional_certified(families)
    scope = families.values("pk")
    last_contact = dict(
        ContactMoment.objects.filter(family__in=scope, date__lte=f.period_to)
        .values("family_id")
        .annotate(last=Max("date"))
        .values_list("family_id", "last")
    )
    first_signal = dict(
        DomainAssessment.objects.filter(
            contact_moment__family__in=scope,
            domain=f.domain,
            concern_level__gte=f.threshold,
            contact_moment__date__lte=f.period_to,
        )
        .values("contact_moment__family_id")
        .annotate(first=Min("contact_moment__date"))
        .values_list("contact_moment__family_id", "first")
    )
    group_field = {
        GroupBy.BIRTH_YEAR: "birth_year",
        GroupBy.ORGANISATION: "organisation_id",
        GroupBy.CERTIFICATION: "first_by_certified",
    }[f.group_by]
    names = _group_names(f)
    rows = []
    for pk, group, born in families.annotate(birth_year=ExtractYear("child_birth_month")).values_list(
        "pk", group_field, "child_birth_month"
    ):
        signal = first_signal.get(pk)
        last = signal or last_contact.get(pk)
        if last is None:
            continue
        rows.append((names(group), max(_age(last, born), 0), signal is not None))
    return rows


def _group_names(f: MonitoringFilter) -> Any:
    if f.group_by == GroupBy.ORGANISATION:
        names = dict(Organisation.objects.values_list("pk", "name"))
        return lambda value: names.get(value, "")
    if f.group_by == GroupBy.CERTIFICATION:
        certified, in_training = (
            _("First contact by a certified professional"),
            _("First contact in training"),
        )
        return lambda value: certified if value else in_training
    return str


def survival(rows: list[tuple[str, int, bool]]) -> SurvivalResult:
    """Kaplan-Meier curves per group and the log-rank and Tarone-Ware comparison of the groups shown."""
    by_group: dict[str, list[tuple[int, bool]]] = defaultdict(list)
    for group, age, observed in rows:
        by_group[group].append((age, observed))
    shown = {g: v for g, v in sorted(by_group.items()) if len(v) >= SMALL_CELL}
    result = SurvivalResult(
        curves=[_curve(g, v) for g, v in shown.items()],
        suppressed_groups=sorted(g for g in by_group if g not in shown),
    )
    if len(shown) >= 2:
        durations = [age for values in shown.values() for age, _observed in values]
        events = [observed for values in shown.values() for _age, observed in values]
        groups = [g for g, values in shown.items() for _value in values]
        logrank = multivariate_logrank_test(durations, groups, events)
        tarone = multivariate_logrank_test(durations, groups, events, weightings="tarone-ware")
        result.logrank_statistic, result.logrank_p = _finite(logrank.test_statistic), _finite(logrank.p_value)
        result.tarone_ware_statistic = _finite(tarone.test_statistic)
        result.tarone_ware_p = _finite(tarone.p_value)
        result.degrees_of_freedom = len(shown) - 1
    return result


def _finite(value: Any) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None


def _curve(group: str, values: list[tuple[int, bool]]) -> Curve:
    ages = numpy.array([a for a, _o in values])
    fitter = KaplanMeierFitter().fit(ages, [o for _a, o in values])
    shares = fitter.survival_function_.iloc[:, 0]
    # Whole columns at once: a pandas lookup per age took most of the time on 10,000 families.
    at_risk_by_age = fitter.event_table["at_risk"].reindex(shares.index).to_numpy()
    points = []
    for age, survival_share, at_risk in zip(shares.index, shares.to_numpy(), at_risk_by_age, strict=True):
        # The tail of a curve rests on few children: stop where fewer than SMALL_CELL remain at risk.
        if int(at_risk) < SMALL_CELL:
            break
        points.append((int(age), float(survival_share)))
    at_risk_shown = [suppress(int((ages >= age).sum())) for age in AT_RISK_AGES]
    return Curve(group, len(values), points, at_risk_shown)


def curve_csv_rows(result: SurvivalResult) -> list[list[Any]]:
    rows: list[list[Any]] = [["group", "age_days", "share_without_signal"]]
    for curve in result.curves:
        rows += [[curve.group, age, f"{share:.4f}"] for age, share in curve.points]
    return rows


# --- The picture -----------------------------------------------------------------------------------------

PALETTE = ("#1f5f8b", "#c0392b", "#2e7d32", "#8e44ad", "#d35400", "#5d6d7e")
_W, _H, _LEFT, _TOP, _BOTTOM = 640, 300, 48, 12, 36


def svg_plot(result: SurvivalResult) -> str:
    """Step curves as a small SVG (server-side, no script): x is the child's age, y the share without signal."""
    width, height = _W - _LEFT - 12, _H - _TOP - _BOTTOM

    def x(age: int) -> float:
        return _LEFT + width * min(age, PLOT_MAX_DAYS) / PLOT_MAX_DAYS

    def y(share: float) -> float:
        return _TOP + height * (1 - share)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_H}" role="img" class="dmop-km" '
        f'aria-labelledby="km-title"><title id="km-title">{escape(_("Share of children without a signal, by age"))}</title>',
        f'<rect x="{_LEFT}" y="{_TOP}" width="{width}" height="{height}" fill="none" stroke="#999"/>',
    ]
    for share in (0.25, 0.5, 0.75):
        parts.append(
            f'<line x1="{_LEFT}" x2="{_LEFT + width}" y1="{y(share):.1f}" y2="{y(share):.1f}" stroke="#ddd"/>'
        )
    for share in (0, 0.5, 1):
        parts.append(
            f'<text x="{_LEFT - 6}" y="{y(share) + 4:.1f}" text-anchor="end" font-size="11">{int(share * 100)}%</text>'
        )
    for year in range(5):
        age = year * 365
        parts.append(
            f'<text x="{x(age):.1f}" y="{_TOP + height + 16}" text-anchor="middle" font-size="11">{year}</text>'
        )
    parts.append(
        f'<text x="{_LEFT + width / 2}" y="{_H - 4}" text-anchor="middle" font-size="11">{escape(_("Age (years)"))}</text>'
    )
    for index, curve in enumerate(result.curves):
        parts.append(_step_path(curve, PALETTE[index % len(PALETTE)], x, y))
    parts.append("</svg>")
    return "".join(parts)


def _step_path(curve: Curve, colour: str, x: Any, y: Any) -> str:
    commands = [f"M{x(0):.1f},{y(1.0):.1f}"]
    for age, share in curve.points:
        commands.append(f"H{x(age):.1f}V{y(share):.1f}")
    if curve.points:
        commands.append(f"H{x(curve.points[-1][0]):.1f}")
    return f'<path d="{"".join(commands)}" fill="none" stroke="{colour}" stroke-width="2"/>'
