"""Refusing what a family's consent does not cover: one exception, one log line, one Dutch explanation.

Sits low (models and the audit service only), so the access helpers of recordings and annotations can
call it; the consent workflows that call down into other apps live in ``families.services``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.outcome import ActionCode, Decision, Outcome
from audit.services import access_log_record
from families.models import ConsentPurpose, Family
from organisations.models import User

if TYPE_CHECKING:
    from organisations.rules import Relation


class ConsentRefused(PermissionDenied):
    """403: the family's consent does not cover this use (now). The message says why, in Dutch."""


def refusal_message(state: str, purpose: str) -> str:
    label = ConsentPurpose(purpose).label
    if state == "withdrawn":
        return _(
            "The family withdrew its consent for %(purpose)s: the film and everything made from it "
            "may no longer be shown."
        ) % {"purpose": label}
    return _(
        "The family's consent for %(purpose)s has ended or was never given: the film and everything "
        "made from it may not be shown."
    ) % {"purpose": label}


def consent_require(
    *,
    family: Family,
    user: User,
    relation: Relation,
    object_type: str,
    object_id: str,
    request: HttpRequest | None = None,
    purpose: str = ConsentPurpose.VIB_SUPERVISION,
) -> None:
    """Raise ConsentRefused (after one refused access-log line) unless consent covers ``purpose`` today."""
    state = family.consent_state(purpose, timezone.localdate())
    if state == "valid":
        return
    access_log_record(
        request_or_none=request,
        user=user,
        action=ActionCode.READ,
        object_type=object_type,
        object_id=object_id,
        organisation_id=family.organisation_id,
        family_code=family.code,
        outcome=Outcome(
            decision=Decision.REFUSED, relation=str(relation), consent=state, details={"purpose": purpose}
        ),
    )
    refusal = ConsentRefused(refusal_message(state, purpose))
    # Logged here with the consent state; the refusal middleware must not write a second line.
    refusal._audit_noted = True  # type: ignore[attr-defined]
    raise refusal
