"""What a notification says, written when it is read: in the reader's language, dates in local time.

A notification stores a message key and its parameters; the texts live here, so switching the interface to
English also turns earlier notifications into English. Texts never contain a family code: the e-mail copy
leaves the platform. (The in-app list shows the family code next to the text, from the linked recording.)
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Message:
    subject: Callable[[dict[str, Any]], str]
    body: Callable[[dict[str, Any]], str]


def film_label(iso_moment: str) -> str:
    """ "3 december 2026 14:05": the day and time a film was added, enough to tell two films apart."""
    moment = parse_datetime(iso_moment)
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


def _feedback_subject(params: dict[str, Any]) -> str:
    return _("New feedback on your film of %(film)s") % {"film": film_label(params["film"])}


def _feedback_body(params: dict[str, Any]) -> str:
    return ngettext(
        "Your supervisor published %(count)d remark on your film of %(film)s.",
        "Your supervisor published %(count)d remarks on your film of %(film)s.",
        params["count"],
    ) % {"count": params["count"], "film": film_label(params["film"])}


def _question_subject(params: dict[str, Any]) -> str:
    return _("A question about the film of %(film)s") % {"film": film_label(params["film"])}


def _question_body(params: dict[str, Any]) -> str:
    return _("%(name)s asked a question about the moment %(time)s in the film of %(film)s.") % {
        "name": params["name"],
        "time": params["time"],
        "film": film_label(params["film"]),
    }


def _reply_subject(params: dict[str, Any]) -> str:
    return _("New reply to your annotation")


def _reply_body(params: dict[str, Any]) -> str:
    return _("%(name)s replied to your annotation at %(time)s in the film of %(film)s.") % {
        "name": params["name"],
        "time": params["time"],
        "film": film_label(params["film"]),
    }


def _cycle_subject(params: dict[str, Any]) -> str:
    return _("Your VIB cycle has been reviewed")


def _cycle_body(params: dict[str, Any]) -> str:
    return _(
        "Your supervisor marked the VIB cycle of %(film)s as reviewed. It counts towards your VIB training."
    ) % {"film": film_label(params["film"])}


MESSAGES: dict[str, Message] = {
    "feedback_published": Message(_feedback_subject, _feedback_body),
    "question_asked": Message(_question_subject, _question_body),
    "reply_added": Message(_reply_subject, _reply_body),
    "cycle_reviewed": Message(_cycle_subject, _cycle_body),
}
