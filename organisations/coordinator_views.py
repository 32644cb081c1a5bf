"""The coordinator's self-service pages: the organisation (licence, NCJ contact, checklist) and its staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisations import services
from organisations.access import implementation_item_for_user, managed_organisation, staff_member_for_user
from organisations.forms import ImplementationCheckForm, NcjContactForm, StaffCreateForm, StaffRolesForm
from organisations.http import AuthenticatedRequest
from organisations.models import ImplementationCheck, Organisation, User


def _fully_trained(organisation: Organisation) -> dict[str, int]:
    """Active professionals, and how many hold a valid DMOP and VIB certificate today (one query)."""
    today = timezone.localdate()
    valid = Q(
        certificates__status="certified",
        certificates__certified_on__lte=today,
        certificates__valid_until__gte=today,
    )
    people = User.objects.professionals().filter(organisation=organisation)
    people = people.annotate(valid_certificates=Count("certificates", filter=valid))
    professionals = len(people)
    return {"professionals": professionals, "trained": sum(1 for p in people if p.valid_certificates >= 2)}


@login_required
@require_GET
def coordination(request: AuthenticatedRequest) -> HttpResponse:
    organisation = managed_organisation(request.user)
    context = {
        "organisation": organisation,
        "licence": services.licence_current(organisation),
        "checklist": services.implementation_checklist(organisation),
        "training": _fully_trained(organisation),
        "contact_form": NcjContactForm(
            organisation=organisation, initial={"contact": organisation.ncj_contact}
        ),
        "Item": ImplementationCheck.Item,
    }
    return render(request, "organisations/coordination.html", context)


@login_required
@require_POST
def ncj_contact(request: AuthenticatedRequest) -> HttpResponse:
    organisation = managed_organisation(request.user)
    form = NcjContactForm(request.POST, organisation=organisation)
    if form.is_valid():
        services.organisation_ncj_contact_set(organisation=organisation, contact=form.cleaned_data["contact"])
        messages.success(request, _("The NCJ contact is saved."))
    else:
        messages.error(request, " ".join(str(error) for error in form.errors["contact"]))
    return redirect("organisations:coordination")


@login_required
@require_http_methods(["GET", "POST"])
def implementation_check(request: AuthenticatedRequest, item: str) -> HttpResponse:
    organisation, item = implementation_item_for_user(request.user, item)
    saved = ImplementationCheck.objects.filter(organisation=organisation, item=item).first()
    initial = {"status": saved.status, "checked_on": saved.checked_on, "note": saved.note} if saved else {}
    form = ImplementationCheckForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            services.implementation_check_save(
                organisation=organisation, item=item, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The checklist is updated."))
            return redirect("organisations:coordination")
    label = ImplementationCheck.Item(item).label
    return render(request, "organisations/implementation_check.html", {"form": form, "label": label})


@login_required
@require_GET
def staff_list(request: AuthenticatedRequest) -> HttpResponse:
    organisation = managed_organisation(request.user)
    people = User.objects.filter(organisation=organisation).order_by("-is_active", "full_name")
    return render(request, "organisations/staff_list.html", {"organisation": organisation, "people": people})


@login_required
@require_http_methods(["GET", "POST"])
def staff_new(request: AuthenticatedRequest) -> HttpResponse:
    organisation = managed_organisation(request.user)
    form = StaffCreateForm(request.POST or None, initial={"is_professional": True})
    if form.is_valid():
        try:
            person = services.staff_create(organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s is added.") % {"name": person.full_name})
            return redirect("organisations:staff_list")
    return render(request, "organisations/staff_form.html", {"form": form, "person": None})


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = staff_member_for_user(request.user, pk)
    initial = {
        "job_title": person.job_title,
        "is_professional": person.is_professional,
        "is_coordinator": person.is_coordinator,
    }
    form = StaffRolesForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            services.staff_roles_set(person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The roles of %(name)s are saved.") % {"name": person.full_name})
            return redirect("organisations:staff_list")
    return render(request, "organisations/staff_form.html", {"form": form, "person": person})


@login_required
@require_POST
def staff_deactivate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = staff_member_for_user(request.user, pk)
    try:
        services.staff_deactivate(person=person, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s can no longer log in.") % {"name": person.full_name})
    return redirect("organisations:staff_list")


@login_required
@require_POST
def staff_reactivate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = staff_member_for_user(request.user, pk)
    try:
        services.staff_reactivate(person=person, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s can log in again.") % {"name": person.full_name})
    return redirect("organisations:staff_list")
