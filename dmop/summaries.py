"""The monitoring page's summary rows (``ContactMomentSummary``, ``ReferralSummary``): computed from the
records, per family.

``contact_moment_summaries_refresh`` is called by every DMOP service that changes what a row holds, inside
its transaction; it replaces all rows of the given families, because one new or corrected contact moment
can change which moment is a family's first. ``contact_moment_summaries_computed`` is the same computation
without writing, so a test can compare the stored rows with a from-scratch recomputation.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.apps import apps as installed_apps
from django.apps.registry import Apps
from django.db.models import Count, F
from django.utils import timezone

from dmop.models import ConcernLevel, Domain, concern_field, open_actions_field

MID_MONTH = datetime.timedelta(days=14)
CHUNK = 500  # families per round when everything is rebuilt


def child_age_days(day: datetime.date, born: datetime.date) -> int:
    """The child's age on ``day``, counted from the middle of the month of birth (only the month is known)."""
    return (day - (born.replace(day=1) + MID_MONTH)).days


def contact_moment_summaries_computed(
    family_ids: Iterable[int], *, apps: Apps = installed_apps
) -> list[dict[str, Any]]:
    """The summary rows of these families as plain values (without ``refreshed_at``), three queries.

    ``apps`` is the model registry: the installed one, or a migration's historical one for the backfill.
    """
    family_ids = list(family_ids)
    moment_model = apps.get_model("dmop", "ContactMoment")
    moments = list(
        moment_model.objects.filter(family_id__in=family_ids)
        .order_by("family_id", "date", "pk")
        .values(
            "pk",
            "family_id",
            "professional_id",
            "date",
            "kind",
            organisation_id=F("family__organisation_id"),
            born=F("family__child_birth_month"),
        )
    )
    levels: dict[int, dict[str, int]] = defaultdict(dict)
    assessment_model = apps.get_model("dmop", "DomainAssessment")
    for moment_id, domain, level in assessment_model.objects.filter(
        contact_moment__family_id__in=family_ids
    ).values_list("contact_moment_id", "domain", "concern_level"):
        levels[moment_id][domain] = level
    open_actions: dict[int, dict[str, int]] = defaultdict(dict)
    action_model = apps.get_model("dmop", "PlanAction")
    for row in (
        action_model.objects.filter(assessment__contact_moment__family_id__in=family_ids, status="open")
        .values("assessment__contact_moment_id", "assessment__domain")
        .annotate(n=Count("pk"))
    ):
        open_actions[row["assessment__contact_moment_id"]][row["assessment__domain"]] = row["n"]
    return _rows(moments, levels, open_actions)


# A referral row's fields and where they come from, seen from the plan action.
_REFERRAL_SOURCES = {
    "plan_action_id": "pk",
    "family_id": "assessment__contact_moment__family_id",
    "organisation_id": "assessment__contact_moment__family__organisation_id",
    "date": "assessment__contact_moment__date",
    "domain": "assessment__domain",
    "partner_id": "referral_id",
    "status": "referral_status",
    "proposed_on": "referral_proposed_on",
}


def referral_summaries_computed(
    family_ids: Iterable[int], *, apps: Apps = installed_apps
) -> list[dict[str, Any]]:
    """The referral rows of these families as plain values: one query."""
    action_model = apps.get_model("dmop", "PlanAction")
    rows = (
        action_model.objects.filter(
            assessment__contact_moment__family_id__in=list(family_ids), referral__isnull=False
        )
        .order_by("pk")
        .values_list(*_REFERRAL_SOURCES.values())
    )
    return [dict(zip(_REFERRAL_SOURCES, row, strict=True)) for row in rows]


def _rows(
    moments: Iterable[Mapping[str, Any]],
    levels: dict[int, dict[str, int]],
    open_actions: dict[int, dict[str, int]],
) -> list[dict[str, Any]]:
    rows, first_seen = [], set()
    for moment in moments:  # ordered by family, date and entry: a family's first row is its first moment
        pk, family_id, born = moment["pk"], moment["family_id"], moment["born"]
        row: dict[str, Any] = {
            "contact_moment_id": pk,
            "family_id": family_id,
            "organisation_id": moment["organisation_id"],
            "professional_id": moment["professional_id"],
            "date": moment["date"],
            "kind": moment["kind"],
            "is_first": family_id not in first_seen,
            "birth_year": born.year if born else None,
            "age_days": child_age_days(moment["date"], born) if born else None,
        }
        first_seen.add(family_id)
        for domain in Domain.values:
            row[concern_field(domain)] = levels[pk].get(domain, ConcernLevel.NONE)
            row[open_actions_field(domain)] = open_actions[pk].get(domain, 0)
        rows.append(row)
    return rows


def contact_moment_summaries_refresh(*, family_ids: Iterable[int], apps: Apps = installed_apps) -> None:
    """Replace the summary rows of these families; call it inside the transaction of the write."""
    family_ids = list(family_ids)
    summary_model = apps.get_model("dmop", "ContactMomentSummary")
    referral_model = apps.get_model("dmop", "ReferralSummary")
    summary_model.objects.filter(family_id__in=family_ids).delete()
    referral_model.objects.filter(family_id__in=family_ids).delete()
    now = timezone.now()
    summary_model.objects.bulk_create(
        summary_model(**row, refreshed_at=now)
        for row in contact_moment_summaries_computed(family_ids, apps=apps)
    )
    referral_model.objects.bulk_create(
        referral_model(**row) for row in referral_summaries_computed(family_ids, apps=apps)
    )


def contact_moment_summaries_rebuild(*, apps: Apps = installed_apps) -> int:
    """Rebuild every family's rows (the migration's backfill; records written outside the services).
    Returns the number of families."""
    family_ids = list(apps.get_model("dmop", "Family").objects.values_list("pk", flat=True))
    for start in range(0, len(family_ids), CHUNK):
        contact_moment_summaries_refresh(family_ids=family_ids[start : start + CHUNK], apps=apps)
    return len(family_ids)
