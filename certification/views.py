from __future__ import annotations

import hashlib
import hmac

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from certification import services
from certification.access import (
    certificate_for_administrator,
    certificate_for_confirmer,
    certificate_for_user,
    evidence_of,
    may_download_pdf,
)
from certification.forms import EvidenceForm, ReasonForm
from certification.models import Certificate
from certification.pdf import certificate_pdf
from organisations.http import AuthenticatedRequest
from organisations.rules import Action, Relation, relation_to

VERIFY_RATE_PER_MINUTE = 30


@login_required
@require_GET
def my_certificates(request: AuthenticatedRequest) -> HttpResponse:
    certificates = Certificate.objects.filter(professional=request.user).order_by("course_code")
    return render(request, "certification/mine.html", {"certificates": certificates})


def _detail_context(
    request: AuthenticatedRequest, certificate: Certificate, **extra: object
) -> dict[str, object]:
    user = request.user
    relation = relation_to(user, certificate.professional)
    context: dict[str, object] = {
        "certificate": certificate,
        "policy": services.policy_for(certificate.course_code),
        "events": certificate.events.select_related("actor"),
        "evidence": certificate.evidence.select_related("recorded_by", "confirmed_by"),
        "renewal_progress": services.renewal_progress(certificate),
        "renewable": not services.renewal_shortfall(certificate),
        "is_owner": relation is Relation.SELF,
        "may_confirm": relation in (Relation.SUPERVISOR, Relation.ADMINISTRATOR),
        "may_administer": user.is_administrator,
        "may_download": may_download_pdf(user, certificate),
        "evidence_form": EvidenceForm(),
    }
    context.update(extra)
    return context


@login_required
@require_GET
def certificate_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    certificate = certificate_for_user(request.user, pk, Action.VIEW)
    return render(request, "certification/detail.html", _detail_context(request, certificate))


@login_required
@require_POST
def evidence_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    certificate = certificate_for_user(request.user, pk, Action.CHANGE)
    form = EvidenceForm(request.POST)
    if form.is_valid():
        try:
            services.evidence_record(certificate=certificate, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The evidence has been recorded; your supervisor confirms it."))
            return redirect("certification:detail", pk=certificate.pk)
    context = _detail_context(request, certificate, evidence_form=form)
    return render(request, "certification/detail.html", context, status=400)


@login_required
@require_POST
def evidence_confirm(request: AuthenticatedRequest, pk: int, evidence_pk: int) -> HttpResponse:
    certificate = certificate_for_confirmer(request.user, pk)
    evidence = evidence_of(certificate, evidence_pk)
    services.evidence_confirm(evidence=evidence, confirmed_by=request.user)
    messages.success(request, _("The evidence has been confirmed."))
    return redirect("certification:detail", pk=certificate.pk)


@login_required
@require_POST
def certificate_renew(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    certificate = certificate_for_confirmer(request.user, pk)
    try:
        services.certification_renew(certificate=certificate, renewed_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The certificate has been renewed."))
    return redirect("certification:detail", pk=certificate.pk)


def _reason_view(request: AuthenticatedRequest, pk: int, *, revoke: bool) -> HttpResponse:
    certificate = certificate_for_administrator(request.user, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = services.certification_revoke if revoke else services.certification_reinstate
        actor_key = "revoked_by" if revoke else "reinstated_by"
        try:
            service(certificate=certificate, reason=form.cleaned_data["reason"], **{actor_key: request.user})
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The certificate has been revoked.")
                if revoke
                else _("The certificate has been reinstated."),
            )
            return redirect("certification:detail", pk=certificate.pk)
    context = {"certificate": certificate, "form": form, "revoke": revoke}
    status = 400 if request.method == "POST" else 200
    return render(request, "certification/reason.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def certificate_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _reason_view(request, pk, revoke=True)


@login_required
@require_http_methods(["GET", "POST"])
def certificate_reinstate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _reason_view(request, pk, revoke=False)


@login_required
@require_GET
def certificate_pdf_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    certificate = certificate_for_user(request.user, pk, Action.VIEW)
    if not may_download_pdf(request.user, certificate):
        raise PermissionDenied
    if certificate.status not in (Certificate.Status.CERTIFIED, Certificate.Status.EXPIRED):
        messages.error(request, _("There is no certificate to download yet."))
        return redirect("certification:detail", pk=certificate.pk)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    # No name in the file name: it ends up in download folders and proxy logs.
    response["Content-Disposition"] = f'attachment; filename="certificaat-{certificate.course_code}.pdf"'
    return response


# --- Public verification ------------------------------------------------------------------------------------


def _rate_limited(request: HttpRequest) -> bool:
    """At most VERIFY_RATE_PER_MINUTE lookups per client address per minute (shared cache, so per site)."""
    # The window opens with an address's first lookup and lasts a minute (incr keeps the expiry).
    key = f"certification:verify:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60)
        count = 1
    return count > VERIFY_RATE_PER_MINUTE


def _certificate_by_code(code: str) -> Certificate | None:
    """Look the code up by its SHA-256 (indexed) and compare in constant time; never reveal more."""
    if len(code) > 64:
        return None
    digest = hashlib.sha256(code.encode()).hexdigest()
    certificate = (
        Certificate.objects.select_related("professional")
        .filter(verification_code_sha256=digest)
        .exclude(status=Certificate.Status.IN_TRAINING)
        .first()
    )
    if certificate is None or not hmac.compare_digest(certificate.verification_code_sha256, digest):
        return None
    return certificate


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    if _rate_limited(request):
        context = {"certificate": None, "rate_limited": True}
        return render(request, "certification/verify.html", context, status=429)
    certificate = _certificate_by_code(code)
    status = 200 if certificate else 404
    return render(request, "certification/verify.html", {"certificate": certificate}, status=status)
