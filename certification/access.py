"""Who may see or change which certificate, and the gate in front of the certified-only tools.

``has_valid_certificate`` is the one rule every gated tool (DMOP instrument, sociale kaart, VIB practice
recordings) asks. It compares local dates in Europe/Amsterdam: ``valid_until`` is the last valid day, so the
tools close at local midnight after it, even before the nightly expiry task has changed the status.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from typing import Any, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from rest_framework.permissions import BasePermission

from certification.models import Certificate, CourseCode, RecertificationEvidence
from organisations.models import User
from organisations.rules import Action, Relation, check, relation_to


def has_valid_certificate(user: Any, course_code: str, on: datetime.date | None = None) -> bool:
    """True when ``user`` holds a certificate for the course that is valid on ``on`` (default: today)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    day = on or timezone.localdate()
    return Certificate.objects.valid_on(day).filter(professional=user, course_code=course_code).exists()


def training_progress_url() -> str:
    try:
        return reverse("courses:my_training")
    except NoReverseMatch:  # the courses app may not offer the page (yet)
        return reverse("home")


def _refusal(request: HttpRequest, course_code: str) -> HttpResponse:
    certificate = Certificate.objects.filter(
        professional=cast(User, request.user), course_code=course_code
    ).first()
    context = {
        "course_label": CourseCode(course_code).label,
        "certificate": certificate,
        "status": certificate.effective_status() if certificate else "",
        "training_url": training_progress_url(),
    }
    return render(request, "certification/not_certified.html", context, status=403)


def certified_required(
    course_code: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """View decorator: only professionals with a valid certificate for the course get through.

    Anonymous visitors go to the login page; everyone else without a valid certificate gets a 403 page
    that explains what is missing (no certificate, in training, expired on a date, revoked) and links to
    their training progress.
    """
    CourseCode(course_code)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_valid_certificate(request.user, course_code):
                return _refusal(request, course_code)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _permission_message(course_code: str) -> str:
    return gettext(
        "You need a valid %(course)s certificate for this. Complete the training or renew your "
        "certificate; your training progress shows what is still missing."
    ) % {"course": CourseCode(course_code).label}


def certified_permission(course_code: str) -> type[BasePermission]:
    """A DRF permission class: authenticated and holding a valid certificate for the course (else 403)."""
    CourseCode(course_code)

    class CertifiedPermission(BasePermission):
        # Lazy: the message is rendered in the language of the request, not of the import.
        message = lazy(_permission_message, str)(course_code)

        def has_permission(self, request: Any, view: Any) -> bool:
            return has_valid_certificate(request.user, course_code)

    CertifiedPermission.__name__ = f"Certified{course_code.title()}Permission"
    return CertifiedPermission


# --- Fetching certificates and evidence on behalf of a user --------------------------------------------------


def certificate_for_user(user: User, certificate_id: int, action: Action) -> Certificate:
    """A certificate by id for ``user``: 404 for outsiders (via the central rules), 403 for too few rights."""
    certificate = (
        Certificate.objects.select_related("professional", "professional__organisation")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None:
        raise Http404
    check(user, certificate.professional, action)
    return certificate


def certificate_for_confirmer(user: User, certificate_id: int) -> Certificate:
    """A certificate whose evidence ``user`` may confirm and renew: the assigned supervisor or an administrator.

    Coordinators may see it (403 here), outsiders get 404.
    """
    certificate = certificate_for_user(user, certificate_id, Action.VIEW)
    if relation_to(user, certificate.professional) not in (Relation.SUPERVISOR, Relation.ADMINISTRATOR):
        raise PermissionDenied
    return certificate


def evidence_of(certificate: Certificate, evidence_id: int) -> RecertificationEvidence:
    """Evidence by id within a certificate already fetched for the user (404 when it belongs elsewhere)."""
    evidence = certificate.evidence.filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    return evidence


def certificate_for_administrator(user: User, certificate_id: int) -> Certificate:
    """Revocation and reinstatement: national administrators only (404 for others who cannot see it)."""
    certificate = certificate_for_user(user, certificate_id, Action.VIEW)
    if not user.is_administrator:
        raise PermissionDenied
    return certificate


def may_download_pdf(user: User, certificate: Certificate) -> bool:
    """The PDF: the professional, their organisation's coordinator and administrators (not supervisors)."""
    return relation_to(user, certificate.professional) in (
        Relation.SELF,
        Relation.COORDINATOR,
        Relation.ADMINISTRATOR,
    )
