"""Refused attempts leave a NEN 7513 line too.

An access helper (``recording_for_user`` and the like) decorated with ``@logs_refusals(...)`` notes every
404 or 403 it raises; ``RefusalLogMiddleware`` writes the noted refusals once the response is known to be a
403 or 404. Writing after the view keeps the line even when the view's transaction rolls back, and a refusal
that a view catches and recovers from (a page asking "may this user play?" without failing) leaves no line.
Helpers call each other (``annotation_for_user`` asks ``recording_for_user``): only the innermost one, which
knows exactly what was refused, notes the refusal.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

from audit.outcome import ActionCode, Decision, Outcome
from audit.services import access_log_record

P = ParamSpec("P")
R = TypeVar("R")

# The requested action (organisations.rules.Action, annotations' AnnotationAction) as a NEN 7513 code.
_ACTION_CODES = {
    "view": ActionCode.READ,
    "play": ActionCode.READ,
    "change": ActionCode.UPDATE,
    "feedback": ActionCode.UPDATE,
    "manage": ActionCode.UPDATE,
    "edit": ActionCode.UPDATE,
    "publish": ActionCode.UPDATE,
    "resolve": ActionCode.UPDATE,
    "reply": ActionCode.CREATE,
}
_pending: contextvars.ContextVar[list[Refusal] | None] = contextvars.ContextVar(
    "audit_refusals", default=None
)


@dataclass(frozen=True)
class Refusal:
    user: Any
    object_type: str
    object_id: str
    action: ActionCode
    status: int
    organisation_id: int | None
    family_code: str
    recording_id: str


@dataclass(frozen=True)
class _Locator:
    """Where the organisation, family code and film of a refused object are found (lookups from the model)."""

    model: type[models.Model]
    organisation: str
    family: str = ""
    recording: str = ""

    def locate(self, object_id: str) -> tuple[int | None, str, str]:
        fields = [self.organisation, self.family or self.organisation, self.recording or self.organisation]
        try:
            row = self.model._default_manager.filter(pk=object_id).values_list(*fields).first()
        except (ValueError, TypeError, ValidationError):  # a malformed id (say "abc" for a UUID): not found
            row = None
        if row is None:
            return None, "", ""
        return row[0], str(row[1]) if self.family else "", str(row[2] or "") if self.recording else ""


def logs_refusals(
    object_type: str,
    model: type[models.Model],
    *,
    organisation: str,
    family: str = "",
    recording: str = "",
    action: ActionCode | None = None,
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate an access helper ``helper(user, object_id, [action], ...)`` so its refusals are logged.

    ``organisation``, ``family`` and ``recording`` are lookups from ``model`` (say "family__code"),
    used only when a refusal happens, so that the refusal shows in the family's and the film's access list.
    """
    locator = _Locator(model, organisation, family, recording)

    def decorate(helper: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(helper)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return helper(*args, **kwargs)
            except (Http404, PermissionDenied) as refusal:
                _note(refusal, object_type, locator, action, args, kwargs)
                raise

        return wrapper

    return decorate


def _note(
    error: Exception,
    object_type: str,
    locator: _Locator,
    action: ActionCode | None,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    pending = _pending.get()
    if pending is None or getattr(error, "_audit_noted", False):
        return
    error._audit_noted = True  # type: ignore[attr-defined]
    user, object_id = args[0], str(args[1]) if len(args) > 1 else ""
    requested = kwargs.get("action", args[2] if len(args) > 2 else None)
    code = action or _ACTION_CODES.get(str(requested), ActionCode.READ)
    organisation_id, family_code, recording_id = locator.locate(object_id)
    status = 404 if isinstance(error, Http404) else 403
    pending.append(
        Refusal(user, object_type, object_id[:64], code, status, organisation_id, family_code, recording_id)
    )


def refusals_write(request: HttpRequest, refusals: list[Refusal]) -> None:
    for refusal in refusals:
        access_log_record(
            request_or_none=request,
            user=refusal.user,
            action=refusal.action,
            object_type=refusal.object_type,
            object_id=refusal.object_id,
            outcome=Outcome(decision=Decision.REFUSED, details={"status": refusal.status}),
            organisation_id=refusal.organisation_id,
            family_code=refusal.family_code,
            recording_id=refusal.recording_id,
        )


class RefusalLogMiddleware:
    """Collect the refusals of one request and log them when the answer is a 403 or 404."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusals: list[Refusal] = []
        token = _pending.set(refusals)
        try:
            response = self.get_response(request)
        finally:
            _pending.reset(token)
        if refusals and response.status_code in (403, 404):
            refusals_write(request, refusals)
        return response
