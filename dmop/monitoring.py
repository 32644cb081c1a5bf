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
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
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
    ContactMomentSummary,
    Domain,
    Partner,
    PartnerDomain,
    PlanAction,
    ReferralSummary,
    ScheduledMoment,
    concern_field,
    open_actions_field,
)
from organisations.models import Organisation

SMALL_CELL = 10
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


def demand_filter(organisation_id: int | None) -> MonitoringFilter:
    """The sociale kaart's demand: the organisation's families of the last year, concern from level 2."""
    today = timezone.localdate()
    return MonitoringFilter(
        period_from=today - datetime.timedelta(days=365), period_to=today, organisation_id=organisation_id
    )


def suppress(families: int) -> int | None:
    """The figure, or None when it rests on fewer than ``SMALL_CELL`` families."""
    return families if families >= SMALL_CELL else None


# --- Cached results ------------------------------------------------------------------------------------


def monitoring_results(f: MonitoringFilter) -> tuple[Figures, SurvivalResult]:
    """The page's figures and time-to-first-signal analysis, from the cache while the data are unchanged.

    The key holds everything the figures rest on that the data version cannot see: the 8-week window of
    the schedule (data, edited in the admin) and the members of the chosen cohort (moved on the
    coordinator's pages or in the admin). Organisation names are looked up for every request, so a
    renamed organisation needs no new computation.
    """
    window = _eight_week_window()
    members = _cohort_members(f.cohort_id)
    filter_key = f"{data_version()}|{get_language()}|{f!r}|{window}|{members}"
    key = "dmop-monitoring:" + hashlib.sha256(filter_key.encode()).hexdigest()
    results: tuple[Figures, SurvivalResult] | None = cache.get(key)
    if results is None:
        scope = Scope(f, window, members)
        results = (figures(scope), survival(survival_counts(scope)))
        cache.set(key, results, CACHE_SECONDS)
    figures_shown, result = results
    if f.group_by == GroupBy.ORGANISATION:
        result = _named_by_organisation(result)
    return figures_shown, result


# Every table a figure reads, with the column that moves when one of its rows is written. A row added or
# deleted changes the count; a row written moves the latest timestamp. The summary rows stand for the
# contact moments, their assessments and plan actions: the services rewrite a family's rows, with a new
# ``refreshed_at``, on every write that changes them, and erasing a family deletes them.
_VERSIONED = (
    (ContactMomentSummary, "refreshed_at"),
    (Partner, "updated_at"),
    (Certificate, "updated_at"),
)


def data_version() -> str:
    """One cheap query that changes whenever the records behind the monitoring figures change.

    Plain SQL that PostgreSQL and SQLite both understand (CAST, ||, coalesce).
    """
    # Table and column names come from _VERSIONED above, never from input.
    parts = [
        f"(SELECT count(*) || '/' || coalesce(CAST(max({column}) AS TEXT), '') FROM {model._meta.db_table})"  # noqa: S608
        for model, column in _VERSIONED
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + " || ';' || ".join(parts))
        return str(cursor.fetchone()[0])


def _eight_week_window() -> tuple[int, int] | None:
    window = ScheduledMoment.objects.filter(kind=ContactMoment.Kind.EIGHT_WEEKS_DOUBLE).first()
    return (window.from_age_days, window.to_age_days) if window else None


def _cohort_members(cohort_id: int | None) -> tuple[int, ...] | None:
    """The professionals enrolled in the cohort (its ``Enrolment.group``), or None without a cohort filter."""
    if cohort_id is None:
        return None
    members = Enrolment.objects.filter(group_id=cohort_id).values_list("professional_id", flat=True)
    return tuple(sorted(members))


def _named_by_organisation(result: SurvivalResult) -> SurvivalResult:
    """Curves computed per organisation id, named with today's organisation names (one query)."""
    names = dict(Organisation.objects.values_list("pk", "name"))

    def name(group: str) -> str:
        return names.get(int(group), "")

    curves = sorted((replace(c, group=name(c.group)) for c in result.curves), key=lambda c: c.group)
    return replace(result, curves=curves, suppressed_groups=sorted(map(name, result.suppressed_groups)))


# --- Which families ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """A filter with what was looked up for it: the schedule's 8-week window and the cohort's members."""

    filter: MonitoringFilter
    window: tuple[int, int] | None
    members: tuple[int, ...] | None

    @property
    def in_period(self) -> Q:
        return Q(date__range=(self.filter.period_from, self.filter.period_to))

    @property
    def until(self) -> Q:
        return Q(date__lte=self.filter.period_to)

    def rows(self) -> QuerySet[ContactMomentSummary]:
        """The summary rows of the families matching every filter but the period (one lazy query).

        A family's cohort is the cohort (``Enrolment.group``) of the professional who made its first
        contact moment: the group whose training the family's follow-up reflects; likewise "certified
        or in training" is decided on the first contact moment.
        """
        f = self.filter
        rows = ContactMomentSummary.objects.all()
        if f.organisation_id is not None:
            rows = rows.filter(organisation_id=f.organisation_id)
        if f.birth_year is not None:
            rows = rows.filter(birth_year=f.birth_year)
        if self.members is not None:
            firsts = ContactMomentSummary.objects.filter(is_first=True, professional_id__in=self.members)
            rows = rows.filter(family_id__in=firsts.values("family_id"))
        if f.professional_status:
            certified = first_contact_by_certified(f.organisation_id)
            if f.professional_status == ProfessionalStatus.CERTIFIED:
                rows = rows.filter(family_id__in=certified)
            else:
                rows = rows.exclude(family_id__in=certified)
        return rows

    def families(self) -> QuerySet[ContactMomentSummary, Any]:
        """The family ids in scope: a contact moment in the period (a subquery for other tables)."""
        return self.rows().filter(self.in_period).values("family_id")


def first_contact_by_certified(organisation_id: int | None) -> QuerySet[ContactMomentSummary, Any]:
    """Family ids whose first contact moment was done by a DMOP-certified professional.

    Certified on that day means a DMOP certificate granted on or before it and valid through it (the row may
    have expired since; a revoked certificate does not count).
    """
    valid = Certificate.objects.filter(
        professional_id=OuterRef("professional_id"),
        course_code="dmop",
        status__in=[Certificate.Status.CERTIFIED, Certificate.Status.EXPIRED],
        certified_on__lte=OuterRef("date"),
        valid_until__gte=OuterRef("date"),
    )
    firsts = ContactMomentSummary.objects.filter(is_first=True)
    if organisation_id is not None:
        firsts = firsts.filter(organisation_id=organisation_id)
    return firsts.filter(Exists(valid)).values("family_id")


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


def figures(scope: Scope) -> Figures:
    """The monitoring page's figures, suppressed below ``SMALL_CELL`` families.

    One query over the summary rows (grouped per family, then counted) and two over the referrals.
    """
    totals = _family_totals(scope)
    followed, on_time = totals["followed"], totals["eight_week"]
    shown_followed = suppress(followed)
    shown_on_time = suppress(on_time) if shown_followed else None
    concern = [DomainFigure(d, suppress(totals[f"concern_{d}"])) for d in Domain.values]
    open_actions = []
    for domain in Domain.values:
        families = suppress(totals[f"open_families_{domain}"])
        open_actions.append(DomainFigure(domain, families, totals[f"open_{domain}"] if families else None))
    extra_families = suppress(totals["extra_families"])
    return Figures(
        families_followed=shown_followed,
        eight_week_in_time=shown_on_time,
        eight_week_share=round(100 * on_time / followed, 1) if shown_on_time and followed else None,
        extra_moments=totals["extra_moments"] if extra_families else None,
        extra_families=extra_families,
        concern=concern,
        referrals=_referrals(scope),
        open_actions=open_actions,
        long_waits=_long_waits(scope),
        gaps=_gaps(concern, scope.filter),
    )


def _family_totals(scope: Scope) -> dict[str, int]:
    """Per family in SQL (moments in the period, extra moments, the 8-week moment in time, the highest
    concern per domain, open plan actions per domain), then counted over the families: one query."""
    f, in_period, until = scope.filter, scope.in_period, scope.until
    eight_week = Q(kind=ContactMoment.Kind.EIGHT_WEEKS_DOUBLE, age_days__range=scope.window or (1, 0))
    extra = Q(kind=ContactMoment.Kind.EXTRA)
    per_family = (
        scope.rows()
        .values("family_id")
        .annotate(
            moments=Count("pk", filter=in_period),
            extra=Count("pk", filter=in_period & extra),
            eight_week=Count("pk", filter=until & eight_week),
            **{f"max_{d}": Max(concern_field(d), filter=in_period) for d in Domain.values},
            **{f"open_{d}": Sum(open_actions_field(d), filter=until) for d in Domain.values},
        )
        .filter(moments__gt=0)
    )
    # Counting over a grouped query is beyond the ORM: wrap its SQL in an outer SELECT of plain
    # CASE/SUM that PostgreSQL and SQLite both run. Every name below comes from this module, never input.
    outer = {
        "followed": "COUNT(*)",
        "eight_week": _families_where("eight_week > 0"),
        "extra_moments": "SUM(extra)",
        "extra_families": _families_where("extra > 0"),
    }
    for d in Domain.values:
        outer[f"concern_{d}"] = _families_where(f"max_{d} >= %s")
        outer[f"open_{d}"] = f"SUM(open_{d})"
        outer[f"open_families_{d}"] = _families_where(f"open_{d} > 0")
    try:
        inner_sql, inner_params = per_family.query.sql_with_params()
    except EmptyResultSet:  # a filter no row can match, such as a cohort without members
        return dict.fromkeys(outer, 0)
    threshold_params = [f.threshold] * len(Domain.values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(outer.values())} FROM ({inner_sql}) per_family",  # noqa: S608
            [*threshold_params, *inner_params],
        )
        values = cursor.fetchone()
    return {name: int(value or 0) for name, value in zip(outer, values, strict=True)}


def _families_where(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _referrals(scope: Scope) -> list[ReferralFigure]:
    """Referrals agreed at contact moments in the period (their families are therefore in scope)."""
    f = scope.filter
    rows = (
        _scoped(ReferralSummary.objects.filter(date__range=(f.period_from, f.period_to)), scope)
        .values("domain", "partner__name", "status")
        .annotate(referrals=Count("pk"), families=Count("family_id", distinct=True))
        .order_by("domain", "partner__name", "status")
    )
    figures = []
    for row in rows:
        families = suppress(row["families"])
        figures.append(
            ReferralFigure(
                row["domain"],
                row["partner__name"],
                row["status"],
                row["referrals"] if families else None,
                families,
            )
        )
    figures.sort(key=lambda r: (Domain.values.index(r.domain), r.partner, r.status))
    return figures


def _long_waits(scope: Scope) -> list[DomainFigure]:
    """Referrals proposed more than six weeks before the period's end that have not started or closed."""
    waiting = ReferralSummary.objects.filter(
        family_id__in=scope.families(),
        status__in=[PlanAction.ReferralStatus.PROPOSED, PlanAction.ReferralStatus.ACCEPTED],
        proposed_on__lt=scope.filter.period_to - LONG_WAIT,
    )
    rows = waiting.values("domain").annotate(n=Count("pk"), families=Count("family_id", distinct=True))
    counts = {row["domain"]: row for row in rows}
    result = []
    for domain in Domain.values:
        row = counts.get(domain, {"n": 0, "families": 0})
        families = suppress(row["families"])
        result.append(DomainFigure(domain, families, row["n"] if families else None))
    return result


def _scoped(referrals: QuerySet[ReferralSummary], scope: Scope) -> QuerySet[ReferralSummary]:
    """The filters on the families (not the period) applied to referral rows."""
    f = scope.filter
    if f.organisation_id is not None:
        referrals = referrals.filter(organisation_id=f.organisation_id)
    if f.birth_year is not None or scope.members is not None or f.professional_status:
        referrals = referrals.filter(family_id__in=scope.rows().values("family_id"))
    return referrals


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


def survival_counts(scope: Scope) -> Counter[tuple[str, int, bool]]:
    """How many families in scope have each (group, age in days, signal observed): the durations lifelines
    gets, weighted by their counts.

    One query: per family in SQL the age at the first contact moment with concern at or above the
    threshold in the domain (the signal), else at the last contact moment (censored), both up to the
    period's end. Families without a month of birth have no age and are left out.
    """
    f = scope.filter
    signal = Q(**{f"{concern_field(f.domain)}__gte": f.threshold}) & scope.until
    group_field = "organisation_id" if f.group_by == GroupBy.ORGANISATION else "birth_year"
    per_family = (
        scope.rows()
        .filter(age_days__isnull=False)
        .values("family_id", group_field)
        .annotate(
            moments=Count("pk", filter=scope.in_period),
            first_signal=Min("age_days", filter=signal),
            last=Max("age_days", filter=scope.until),
        )
        .filter(moments__gt=0)
        .values_list("family_id", group_field, "first_signal", "last")
    )
    group_of = _group_labels(scope)
    counts: Counter[tuple[str, int, bool]] = Counter()
    for family_id, group, first_signal, last in per_family:
        age = first_signal if first_signal is not None else last
        counts[(group_of(family_id, group), max(age, 0), first_signal is not None)] += 1
    return counts


def _group_labels(scope: Scope) -> Callable[[int, Any], str]:
    """The group of a family: its year of birth, its organisation's id (named after the cache, see
    ``monitoring_results``), or whether its first contact was by a certified professional (one query)."""
    if scope.filter.group_by != GroupBy.CERTIFICATION:
        return lambda _family_id, group: str(group)
    certified_families = set(
        first_contact_by_certified(scope.filter.organisation_id).values_list("family_id", flat=True)
    )
    certified, in_training = (
        _("First contact by a certified professional"),
        _("First contact in training"),
    )
    return lambda family_id, _group: certified if family_id in certified_families else in_training


def survival(counts: Counter[tuple[str, int, bool]]) -> SurvivalResult:
    """Kaplan-Meier curves per group and the log-rank and Tarone-Ware comparison of the groups shown.

    lifelines gets each distinct (age, signal) of a group once with its number of families as weight:
    the same estimates and tests as one row per family, with far less work inside pandas.
    """
    by_group: dict[str, list[tuple[int, bool, int]]] = defaultdict(list)
    for (group, age, observed), families in counts.items():
        by_group[group].append((age, observed, families))
    sizes = {group: sum(n for _a, _o, n in values) for group, values in by_group.items()}
    shown = {g: v for g, v in sorted(by_group.items()) if sizes[g] >= SMALL_CELL}
    result = SurvivalResult(
        curves=[_curve(g, v) for g, v in shown.items()],
        suppressed_groups=sorted(g for g in by_group if g not in shown),
    )
    if len(shown) >= 2:
        rows = [(g, age, observed, n) for g, values in shown.items() for age, observed, n in values]
        durations, events, weights = (numpy.array([row[i] for row in rows]) for i in (1, 2, 3))
        groups = numpy.array([row[0] for row in rows])
        logrank = multivariate_logrank_test(durations, groups, events, weights=weights)
        tarone = multivariate_logrank_test(
            durations, groups, events, weights=weights, weightings="tarone-ware"
        )
        result.logrank_statistic, result.logrank_p = _finite(logrank.test_statistic), _finite(logrank.p_value)
        result.tarone_ware_statistic = _finite(tarone.test_statistic)
        result.tarone_ware_p = _finite(tarone.p_value)
        result.degrees_of_freedom = len(shown) - 1
    return result


def _finite(value: Any) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None


def _curve(group: str, values: list[tuple[int, bool, int]]) -> Curve:
    ages = numpy.array([age for age, _o, _n in values])
    weights = numpy.array([n for _a, _o, n in values])
    fitter = KaplanMeierFitter().fit(ages, [o for _a, o, _n in values], weights=weights)
    shares = fitter.survival_function_.iloc[:, 0]
    # Whole columns at once: a pandas lookup per age took most of the time on 10,000 families.
    at_risk_by_age = fitter.event_table["at_risk"].reindex(shares.index).to_numpy()
    points = []
    for age, survival_share, at_risk in zip(shares.index, shares.to_numpy(), at_risk_by_age, strict=True):
        # The tail of a curve rests on few children: stop where fewer than SMALL_CELL remain at risk.
        if int(at_risk) < SMALL_CELL:
            break
        points.append((int(age), float(survival_share)))
    at_risk_shown = [suppress(int(weights[ages >= age].sum())) for age in AT_RISK_AGES]
    return Curve(group, int(weights.sum()), points, at_risk_shown)


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
