"""Video grants for administrators: requested with a reason, decided by a second administrator, logged."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.outcome import ActionCode, Decision, Outcome
from audit.services import access_log_record
from organisations.models import User, VideoGrant


def _log(request: Any, user: User, action: ActionCode, grant: VideoGrant, decision: Decision) -> None:
    access_log_record(
        request_or_none=request,
        user=user,
        action=action,
        object_type="video_grant",
        object_id=grant.pk,
        organisation_id=None,
        responsible_user=grant.administrator,
        outcome=Outcome(
            decision=decision,
            relation="administrator",
            grounds=grant.reason[:200],
            details={"days": grant.days, "for": grant.administrator_id},
        ),
    )


def video_grant_request(*, administrator: User, reason: str, days: int, request: Any = None) -> VideoGrant:
    """An administrator asks for video access for ``days`` (1 to 7) days, saying why."""
    if not administrator.is_administrator:
        raise PermissionDenied
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Say why you need to see video content.")
    if not 1 <= days <= VideoGrant.MAX_DAYS:
        errors["days"] = _("A video grant lasts at least 1 and at most %(max)d days.") % {
            "max": VideoGrant.MAX_DAYS
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        grant = VideoGrant.objects.create(administrator=administrator, reason=reason.strip(), days=days)
        _log(request, administrator, ActionCode.CREATE, grant, Decision.GRANTED)
    return grant


def video_grant_decide(
    *, grant: VideoGrant, decided_by: User, approve: bool, request: Any = None
) -> VideoGrant:
    """A second administrator approves (the grant starts now) or refuses a pending request."""
    if not decided_by.is_administrator or decided_by.pk == grant.administrator_id:
        raise PermissionDenied
    if not grant.is_pending:
        raise ValidationError(_("This request was already decided."))
    now = timezone.now()
    grant.decided_by = decided_by
    if approve:
        grant.approved_at = now
        grant.ends_at = now + datetime.timedelta(days=grant.days)
    else:
        grant.refused_at = now
    with transaction.atomic():
        grant.save(update_fields=["decided_by", "approved_at", "refused_at", "ends_at"])
        _log(request, decided_by, ActionCode.UPDATE, grant, Decision.GRANTED if approve else Decision.REFUSED)
    return grant
