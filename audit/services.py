"""Write the NEN 7513 access log. Every playback link, download, export, still or clip goes through here."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from audit.models import AccessLogEntry
from organisations.models import User

# Written when there is no request: a management command run by an operator, or a scheduled task.
COMMAND_LINE = "command-line"


def client_address(request: HttpRequest | None) -> str:
    """The access point: the client's IP address, or "command-line" outside a web request."""
    if request is None:
        return COMMAND_LINE
    if settings.AUDIT_TRUST_X_FORWARDED_FOR:
        # Only the proxy's own (rightmost) entry is trustworthy; the client can forge the rest.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()[:100]
    return str(request.META.get("REMOTE_ADDR", ""))[:100]


def _role(user: User | None, outcome: dict[str, Any]) -> str:
    # The relation the user acted in (supervisor of this trainee, administrator with a grant) says more
    # than the roles they hold in general.
    if outcome.get("relation"):
        return str(outcome["relation"])
    if user is None:
        return "system"
    flags = [
        ("professional", user.is_professional),
        ("supervisor", user.is_supervisor),
        ("coordinator", user.is_coordinator),
        ("administrator", user.is_administrator),
    ]
    return ",".join(name for name, held in flags if held)


def access_log_record(
    *,
    request_or_none: HttpRequest | None,
    user: User | None,
    action_code: str,
    object_type: str,
    object_id: str,
    family_code: str,
    responsible_user: User | None = None,
    outcome: dict[str, Any],
) -> AccessLogEntry:
    """Append one NEN 7513 line: action code, time, user and role, the responsible user they acted for,
    access point, client (family code), object, and the outcome of the authorisation, relation and
    consent checks. ``responsible_user`` defaults to the user themself."""
    if action_code not in AccessLogEntry.ActionCode.values:
        raise ValueError(f"unknown NEN 7513 action code {action_code!r}")
    acting = user if user is not None and user.is_authenticated else None
    return AccessLogEntry.objects.create(
        action_code=action_code,
        user=acting,
        user_name=acting.full_name if acting else "",
        role=_role(acting, outcome)[:100],
        responsible_user=responsible_user or acting,
        access_point=client_address(request_or_none),
        family_code=family_code,
        object_type=object_type,
        object_id=str(object_id),
        outcome=outcome,
    )
