"""Structured exports of DMOP records for registration in the DD-JGZ (digitaal dossier JGZ).

One record per domain assessment: family code, contact moment date and type, domain, level of concern,
risk and protective factors, and the plan actions with their referrals. Two queries whatever the number
of families (assessments with their contact moment and family; plan actions with their partner).
The professional's name is left out: the DD-JGZ registration needs the findings, not who typed them.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from dmop.models import ConcernLevel, ContactMoment, Domain, DomainAssessment, PlanAction

CSV_COLUMNS = [
    "family_code",
    "contact_moment_date",
    "contact_moment_type",
    "contact_moment_type_label",
    "domain",
    "domain_label",
    "concern_level",
    "concern_level_label",
    "risk_factors",
    "protective_factors",
    "plan_actions",
    "referrals",
]
# Excel on a Dutch Windows expects semicolons, and only reads UTF-8 correctly with a byte order mark.
CSV_DELIMITER = ";"
UTF8_BOM = "\ufeff"
# Cells starting with these are formulas to a spreadsheet: free text typed by someone must not run.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def export_records(condition: Q) -> list[dict[str, Any]]:
    """The assessments matching ``condition`` (on DomainAssessment), as nested-ready flat records."""
    assessments = list(
        DomainAssessment.objects.filter(condition)
        .select_related("contact_moment__family")
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
                "referral": action.referral.name if action.referral else None,
            }
        )
    assessments.sort(key=_sort_key)
    return [_record(assessment, actions[assessment.pk]) for assessment in assessments]


def _sort_key(assessment: DomainAssessment) -> tuple[str, Any, int, int]:
    moment = assessment.contact_moment
    return (moment.family.code, moment.date, moment.pk, list(Domain.values).index(assessment.domain))


def _record(assessment: DomainAssessment, actions: list[dict[str, Any]]) -> dict[str, Any]:
    moment = assessment.contact_moment
    return {
        "family_code": moment.family.code,
        "contact_moment_date": moment.date.isoformat(),
        "contact_moment_type": moment.kind,
        "contact_moment_type_label": str(ContactMoment.Kind(moment.kind).label),
        "domain": assessment.domain,
        "domain_label": str(Domain(assessment.domain).label),
        "concern_level": assessment.concern_level,
        "concern_level_label": str(ConcernLevel(assessment.concern_level).label),
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
            "referrals": " | ".join(action["referral"] for action in actions if action["referral"]),
        }
        writer.writerow([_cell(flat[column]) for column in CSV_COLUMNS])
    return UTF8_BOM + buffer.getvalue()


def _action_text(action: dict[str, Any]) -> str:
    mark = f" [{_('agreed with the parents')}]" if action["agreed_with_parents"] else ""
    return f"{action['description']}{mark}"


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_PREFIXES) else text
