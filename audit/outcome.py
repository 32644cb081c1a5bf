"""What a NEN 7513 line records about an access: the action and the outcome of the checks, one typed shape.

Every caller hands the log an ``ActionCode`` and an ``Outcome``; the log stores the outcome as JSON with
exactly these keys, so the access-log page, the CSV and a parent's access list read one shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

Detail = str | int | bool | list[str]


class ActionCode(models.TextChoices):
    """The NEN 7513 action codes."""

    CREATE = "C", _("Create")
    READ = "R", _("Read")
    UPDATE = "U", _("Update")
    DELETE = "D", _("Delete")
    EXECUTE = "E", _("Export")


class Decision(models.TextChoices):
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    # Allowed, but nothing was handed out (say a film without finished renditions).
    NOTHING_ISSUED = "nothing_issued", _("Nothing issued")


# Role and relation words as they appear on the log pages; the codes are what the lines store.
ROLE_LABELS = {
    "professional": _("Professional"),
    "owner": _("Own work"),
    "supervisor": _("Supervisor"),
    "coordinator": _("Coordinator"),
    "administrator": _("Administrator"),
    "administrator_with_grant": _("Administrator with video grant"),
    "operator": _("Operator (command line)"),
    "system": _("System"),
    "none": _("No relation"),
}


# What a line is about, in words; object types are codes in the lines.
OBJECT_LABELS = {
    "recording": _("Film"),
    "review_media:still": _("Still image"),
    "review_media:clip": _("Clip"),
    "review_media:reel": _("Compilation"),
    "review_media": _("Still, clip or compilation"),
    "annotations": _("Annotations"),
    "annotation": _("Annotation"),
    "consent": _("Consent"),
    "upload": _("Upload"),
    "vib_cycle": _("VIB cycle"),
    "dmop.family": _("DMOP family record"),
    "dmop.contact_moment": _("DMOP contact moment"),
    "video_grant": _("Video grant"),
}


@dataclass(frozen=True)
class Outcome:
    """The outcome of the authorisation, relation and consent checks behind one access."""

    decision: Decision
    relation: str = ""
    consent: str = ""
    # The grounds beyond the relation: "dmop certificate", "video grant 12", "data-subject request".
    grounds: str = ""
    details: Mapping[str, Detail] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "decision": str(self.decision),
            "relation": self.relation,
            "consent": self.consent,
            "grounds": self.grounds,
            "details": dict(self.details),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Outcome:
        """Read a stored outcome, including lines written before this shape (kept as they were written)."""
        if "decision" in data:
            decision = Decision(data["decision"])
        elif data.get("authorisation") == "no content issued":
            decision = Decision.NOTHING_ISSUED
        else:
            decision = Decision.GRANTED
        known = {"decision", "relation", "consent", "grounds", "details", "authorisation", "authorised"}
        details = dict(data.get("details") or {}) | {k: v for k, v in data.items() if k not in known}
        return cls(
            decision=decision,
            relation=str(data.get("relation") or ""),
            consent=str(data.get("consent") or ""),
            grounds=str(data.get("grounds") or ""),
            details=details,
        )


def granted(relation: str = "", **details: Detail) -> Outcome:
    return Outcome(decision=Decision.GRANTED, relation=relation, details=details)


def object_label(object_type: str) -> str:
    return str(OBJECT_LABELS.get(object_type, object_type))


def role_label(roles: str) -> str:
    """A stored comma-separated role code as Dutch (or English) words."""
    return ", ".join(str(ROLE_LABELS.get(code, code)) for code in roles.split(",") if code)
