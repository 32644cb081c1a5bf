"""Write the NEN 7513 access log. Every view, change, export or refusal of a family's data goes through here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NotRequired, TypedDict, Unpack

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from audit.chain import chain_append
from audit.models import AccessLogEntry
from audit.outcome import ActionCode, Decision, Outcome
from organisations.models import User, VideoGrant

if TYPE_CHECKING:
    from recordings.models import Recording

# Written when there is no request: a management command run by an operator, or a scheduled task.
COMMAND_LINE = "command-line"


def client_address(request: HttpRequest | Any | None) -> str:
    """The access point: the client's IP address, or "command-line" outside a web request."""
    if request is None:
        return COMMAND_LINE
    if settings.AUDIT_TRUST_X_FORWARDED_FOR:
        # Only the proxy's own (rightmost) entry is trustworthy; the client can forge the rest.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return str(forwarded.split(",")[-1].strip()[:100])
    return str(request.META.get("REMOTE_ADDR", ""))[:100]


def relation_code(relation: object) -> str:
    """The relation as the log names it: the owner acts on "own work" ("self" is no role)."""
    code = str(relation or "")
    return "owner" if code == "self" else code


def _role(user: User | None, outcome: Outcome) -> str:
    # The relation the user acted in (supervisor of this trainee, administrator with a grant) says more
    # than the roles they hold in general.
    if outcome.relation:
        return outcome.relation
    if user is None:
        return "system"
    flags = [
        ("professional", user.is_professional),
        ("supervisor", user.is_supervisor),
        ("coordinator", user.is_coordinator),
        ("administrator", user.is_administrator),
    ]
    return ",".join(name for name, held in flags if held)


class LogLine(TypedDict):
    """What one access-log line names; ``responsible_user`` defaults to the user themself."""

    request_or_none: HttpRequest | Any | None
    user: User | Any | None
    action: ActionCode
    object_type: str
    object_id: object
    outcome: Outcome
    organisation_id: int | None
    family_code: NotRequired[str]
    recording_id: NotRequired[object]
    responsible_user: NotRequired[User | None]


def _entry(**line: Unpack[LogLine]) -> AccessLogEntry:
    user = line["user"]
    acting = user if user is not None and user.is_authenticated else None
    given = line["outcome"]
    outcome = Outcome(
        decision=given.decision,
        relation=relation_code(given.relation),
        consent=given.consent,
        grounds=given.grounds,
        details=given.details,
    )
    return AccessLogEntry(
        timestamp=timezone.now(),
        action_code=ActionCode(line["action"]),
        user=acting,
        user_name=acting.full_name if acting else "",
        role=_role(acting, outcome)[:100],
        responsible_user=line.get("responsible_user") or acting,
        access_point=client_address(line["request_or_none"]),
        organisation_id=line["organisation_id"],
        family_code=line.get("family_code", ""),
        object_type=line["object_type"],
        object_id=str(line["object_id"])[:64],
        recording_id=str(line.get("recording_id") or ""),
        outcome=outcome.as_json(),
    )


def access_log_record(**line: Unpack[LogLine]) -> AccessLogEntry:
    """Append one NEN 7513 line: action code, time, user and role, the responsible user they acted for,
    access point, organisation and client (family code), object, and the outcome of the authorisation,
    relation and consent checks."""
    entry = _entry(**line)
    chain_append(entry)
    return entry


def access_log_record_per_family(
    *,
    request: HttpRequest | Any | None,
    user: User | Any,
    action: ActionCode,
    object_type: str,
    outcome: Outcome,
    organisation_id: int,
    families: list[tuple[object, str]],
) -> None:
    """One line per (object id, family code), appended together: an organisation-wide export names every
    family in it, at a constant number of queries."""
    entries = [
        _entry(
            request_or_none=request,
            user=user,
            action=action,
            object_type=object_type,
            object_id=object_id,
            outcome=outcome,
            organisation_id=organisation_id,
            family_code=family_code,
        )
        for object_id, family_code in families
    ]
    if entries:
        chain_append(*entries)


def recording_access_log(
    *,
    request: HttpRequest | Any | None,
    user: User | Any | None,
    action: ActionCode,
    recording: Recording,
    outcome: Outcome,
    object_type: str = "recording",
    object_id: object = None,
    responsible_user: User | None = None,
) -> AccessLogEntry:
    """One line about a film or something made from it (still, clip, reel, annotation, export)."""
    return access_log_record(
        request_or_none=request,
        user=user,
        action=action,
        object_type=object_type,
        object_id=recording.pk if object_id is None else object_id,
        outcome=outcome,
        organisation_id=recording.family.organisation_id,
        family_code=recording.family.code,
        recording_id=recording.pk,
        responsible_user=responsible_user,
    )


def annotation_access_log(
    request: HttpRequest | Any,
    user: User | Any,
    action: ActionCode,
    recording: Recording,
    relation: object,
    annotation_id: int | None = None,
) -> None:
    """One line per read of a film's annotations (``annotation_id`` None: the list) or per change of one."""
    recording_access_log(
        request=request,
        user=user,
        action=action,
        recording=recording,
        object_type="annotations" if annotation_id is None else "annotation",
        object_id=recording.pk if annotation_id is None else annotation_id,
        outcome=Outcome(decision=Decision.GRANTED, relation=str(relation)),
    )


def video_grant_grounds(user: User | Any, relation: object) -> str:
    """For an administrator watching a film: the approved video grant that allowed it."""
    if str(relation) != "administrator":
        return ""
    grant = VideoGrant.objects.active_for(user).first()
    return f"video grant {grant.pk}" if grant else ""


def recording_created_log(request: HttpRequest | Any, user: User | Any, recording: Recording) -> None:
    """A new film (the family's consents log their own creation line in ``families.services``)."""
    recording_access_log(
        request=request,
        user=user,
        action=ActionCode.CREATE,
        recording=recording,
        outcome=Outcome(decision=Decision.GRANTED, relation="owner"),
    )
