"""The family's consent ledger: see it, add the signed form, withdraw (all purposes or some)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from families.access import FamilyAccess, FamilyAction, family_for_user, signed_form_for_user
from families.forms import SignedFormUploadForm, WithdrawForm
from families.models import ConsentPurpose, Family
from families.services import consent_withdraw, signed_form_open, signed_form_store
from organisations.http import AuthenticatedRequest


def _ledger(family: Family) -> list[tuple[str, str]]:
    """Per purpose its label and today's state ("valid", "withdrawn" or "ended")."""
    today = timezone.localdate()
    return [(str(purpose.label), family.consent_state(purpose.value, today)) for purpose in ConsentPurpose]


def _detail(
    request: AuthenticatedRequest, access: FamilyAccess, upload_form: SignedFormUploadForm
) -> HttpResponse:
    family = Family.objects.prefetch_related("consents", "signed_forms").get(pk=access.family.pk)
    context = {
        "family": family,
        "ledger": _ledger(family),
        "may_change": access.allows(FamilyAction.CHANGE),
        "recording_count": family.recordings.not_deleted().count(),
        "upload_form": upload_form,
    }
    response = render(request, "families/detail.html", context, status=400 if upload_form.errors else 200)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def family_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = family_for_user(request.user, pk, FamilyAction.VIEW)
    return _detail(request, access, SignedFormUploadForm())


@login_required
@require_http_methods(["GET", "POST"])
def family_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Withdraw consent on the parents' word (the professional) or on the family's behalf (coordinator)."""
    access = family_for_user(request.user, pk, FamilyAction.CHANGE)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        purposes = form.cleaned_data["purposes"] or None
        count = consent_withdraw(family=access.family, purposes=purposes, actor=request.user, request=request)
        messages.success(request, _("Consent withdrawn; %(count)d recording(s) erased.") % {"count": count})
        return redirect("families:detail", access.family.pk)
    recordings = access.family.recordings.not_deleted()
    context = {"family": access.family, "form": form, "recording_count": recordings.count()}
    return render(request, "families/withdraw.html", context)


@login_required
@require_POST
def signed_form_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = family_for_user(request.user, pk, FamilyAction.CHANGE)
    form = SignedFormUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            signed_form_store(
                family=access.family,
                file=form.cleaned_data["file"],
                uploaded_by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The signed form is stored."))
            return redirect("families:detail", access.family.pk)
    return _detail(request, access, form)


@login_required
@require_GET
def signed_form_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    form, _access = signed_form_for_user(request.user, pk)
    extension = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}[form.content_type]
    response = FileResponse(
        signed_form_open(form=form, user=request.user, request=request),
        content_type=form.content_type,
        as_attachment=True,
        filename=f"toestemmingsformulier-{form.pk}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    return response
