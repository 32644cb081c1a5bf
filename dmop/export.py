"""Structured exports of DMOP records for registration in the DD-JGZ (digitaal dossier JGZ).

One record per domain assessment: family code, the child's month of birth, contact moment date and type,
domain, level of concern, risk and protective factors (from the lists and free text), and the plan actions
with their status and referrals. Three queries whatever the number of families (assessments with their
contact moment and family; their factors; plan actions with their partner). Field list: README.
The professional's name is left out: the DD-JGZ registration needs the findings, not who typed them.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from dmop.models import ConcernLevel, ContactMoment, Domain, DomainAssessment, FactorKind, PlanAction
from vibplatform.spreadsheet import spreadsheet_cell

# The documented field list (README, "DD-JGZ export"): change both together.
CSV_COLUMNS = [
    "family_code",
    "child_birth_month",
    "contact_moment_date",
    "contact_moment_type",
    "contact_moment_type_label",
    "domain",
    "domain_label",
    "concern_level",
    "concern_level_label",
    "risk_factor_list",
    "protective_factor_list",
    "risk_factors",
    "protective_factors",
    "plan_actions",
    "referrals",
]
# Excel on a Dutch Windows expects semicolons, and only reads UTF-8 correctly with a byte order mark.
CSV_DELIMITER = ";"
UTF8_BOM = "\ufeff"


def export_records(condition: Q) -> list[dict[str, Any]]:
    """The assessments matching ``condition`` (on DomainAssessment), as nested-ready flat records."""
    assessments = list(
        DomainAssessment.objects.filter(condition)
        .select_related("contact_moment__family")
        .prefetch_related("factors")
        .order_by("contact_moment__family__code", "contact_moment__date", "contact_moment_id")
    )
    actions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for action in (
        PlanAction.objects.filter(assessment__in=[a.pk for a in assessments])
        .select_related("referral")
        .order_by("pk")
    ):
        actions[action.assessment_id].append(
            {
                "description": action.description,
                "agreed_with_parents": action.agreed_with_parents,
                "owner": action.owner,
                "due_on": _iso(action.due_on),
                "status": action.status,
                "evaluation": action.evaluation,
                "referral": action.referral.name if action.referral else None,
                "referral_status": action.referral_status or None,
                "referral_proposed_on": _iso(action.referral_proposed_on),
                "referral_accepted_on": _iso(action.referral_accepted_on),
                "referral_started_on": _iso(action.referral_started_on),
                "referral_closed_on": _iso(action.referral_closed_on),
            }
        )
    assessments.sort(key=_sort_key)
    return [_record(assessment, actions[assessment.pk]) for assessment in assessments]


def _iso(day: Any) -> str | None:
    return day.isoformat() if day else None


def _sort_key(assessment: DomainAssessment) -> tuple[str, Any, int, int]:
    moment = assessment.contact_moment
    return (moment.family.code, moment.date, moment.pk, list(Domain.values).index(assessment.domain))


def _record(assessment: DomainAssessment, actions: list[dict[str, Any]]) -> dict[str, Any]:
    moment = assessment.contact_moment
    birth_month = moment.family.child_birth_month
    factors = list(assessment.factors.all())
    return {
        "family_code": moment.family.code,
        # Year and month only ("2026-05"): enough for the child's age, not a date of birth.
        "child_birth_month": birth_month.strftime("%Y-%m") if birth_month else None,
        "contact_moment_date": moment.date.isoformat(),
        "contact_moment_type": moment.kind,
        "contact_moment_type_label": str(ContactMoment.Kind(moment.kind).label),
        "domain": assessment.domain,
        "domain_label": str(Domain(assessment.domain).label),
        "concern_level": assessment.concern_level,
        "concern_level_label": str(ConcernLevel(assessment.concern_level).label),
        "risk_factor_list": [f.label for f in factors if f.kind == FactorKind.RISK],
        "protective_factor_list": [f.label for f in factors if f.kind == FactorKind.PROTECTIVE],
        "risk_factors": assessment.risk_factors,
        "protective_factors": assessment.protective_factors,
        "plan_actions": actions,
    }


def export_json(records: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format": "samenstarten-dmop-ddjgz", "version": 1, "records": records}


def export_csv(records: list[dict[str, Any]]) -> str:
    """Semicolon-separated, UTF-8 with BOM; one line per domain assessment, plan actions joined by " | "."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        actions = record["plan_actions"]
        flat = {
            **record,
            "plan_actions": " | ".join(_action_text(action) for action in actions),
            "referrals": " | ".join(_referral_text(action) for action in actions if action["referral"]),
            "risk_factor_list": " | ".join(record["risk_factor_list"]),
            "protective_factor_list": " | ".join(record["protective_factor_list"]),
        }
        writer.writerow([spreadsheet_cell(flat[column]) for column in CSV_COLUMNS])
    return UTF8_BOM + buffer.getvalue()


def _action_text(action: dict[str, Any]) -> str:
    mark = f" [{_('agreed with the parents')}]" if action["agreed_with_parents"] else ""
    return f"{action['description']}{mark}"


def _referral_text(action: dict[str, Any]) -> str:
    return f"{action['referral']} ({action['referral_status']})"
