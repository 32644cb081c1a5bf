"""Pages of the DMOP instrument and the sociale kaart. Every view sits behind a certificate gate."""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from certification.access import certified_required
from courses.models import Cohort
from dmop import access
from dmop.forms import (
    ContactMomentForm,
    FamilyForm,
    MonitoringFilterForm,
    PartnerForm,
    PlanActionForm,
    assessment_formset,
    assessment_initial,
    concerns_of,
    correction_initial,
    show_service_errors,
)
from dmop.models import Domain, Partner, domains_without_partner, partners_per_domain
from dmop.monitoring import (
    AT_RISK_AGES,
    PALETTE,
    SMALL_CELL,
    curve_csv_rows,
    demand_filter,
    monitoring_results,
    svg_plot,
)
from dmop.services import contact_moment_correct as contact_moment_correct_service
from dmop.services import (
    contact_moment_record,
    dmop_access_log,
    family_access_log,
    family_create,
    partner_remove,
    partner_save,
    plan_action_update,
)
from dmop.timeline import timeline_for_family
from organisations.http import AuthenticatedRequest
from organisations.models import Organisation
from organisations.rules import Action

instrument_gate = certified_required(access.COURSE_CODE)


def sociale_kaart_gate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The sociale kaart is for the organisation's coordinators and its DMOP-certified professionals.

    Coordinators pass without a certificate (they do not take the training); everyone else meets the
    same gate as the instrument, with its explanation of what is missing.
    """
    gated = instrument_gate(view)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and access.is_member_coordinator(
            request.user, request.user.organisation_id
        ):
            return view(request, *args, **kwargs)
        return gated(request, *args, **kwargs)

    return wrapper


# --- Families --------------------------------------------------------------------------------------------


@require_GET
@instrument_gate
def family_list(request: AuthenticatedRequest) -> HttpResponse:
    families = access.families_visible_to(request.user).annotate(
        moment_count=Count("contact_moments"), last_contact_on=Max("contact_moments__date")
    )
    return render(request, "dmop/family_list.html", {"families": families})


@require_http_methods(["GET", "POST"])
@instrument_gate
def family_new(request: AuthenticatedRequest) -> HttpResponse:
    organisation_id = access.organisation_id_for_instrument(request.user)
    form = FamilyForm(request.POST or None)
    if form.is_valid():
        try:
            family = family_create(
                organisation_id=organisation_id,
                registered_by=request.user,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            show_service_errors(error, form)
        else:
            messages.success(request, _("Family registered. Record the first contact moment."))
            return redirect("dmop:contact_moment_new", family.pk)
    return render(request, "dmop/family_form.html", {"form": form})


@require_GET
@instrument_gate
def family_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    family = access.family_for_user(request.user, pk, Action.VIEW)
    family_access_log(request=request, user=request.user, family=family, action_code="R")
    moments = family.contact_moments.select_related("professional")
    context = {"family": family, "timeline": timeline_for_family(family), "moments": moments}
    return render(request, "dmop/family_detail.html", context)


# --- Contact moments -------------------------------------------------------------------------------------


def _active_partners(organisation_id: int) -> dict[int, Partner]:
    active = Partner.objects.of_organisation(organisation_id).active().prefetch_related("served_domains")
    return {p.pk: p for p in active}


@require_http_methods(["GET", "POST"])
@instrument_gate
def contact_moment_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    family = access.family_for_user(request.user, pk, Action.CHANGE)
    partners = _active_partners(family.organisation_id)
    data = request.POST if request.method == "POST" else None
    form = ContactMomentForm(data, concerns=concerns_of(family), initial={"date": timezone.localdate()})
    formset = assessment_formset(data, partners)
    if form.is_valid() and formset.is_valid():
        try:
            moment = contact_moment_record(
                family=family,
                professional=request.user,
                date=form.cleaned_data["date"],
                kind=form.cleaned_data["kind"],
                triggered_by=form.trigger,
                assessments=[f.to_input() for f in formset.forms],
                request=request,
            )
        except ValidationError as error:
            show_service_errors(error, form, formset)
        else:
            messages.success(request, _("Contact moment recorded."))
            return redirect("dmop:contact_moment_detail", family.pk, moment.pk)
    context = {"family": family, "form": form, "formset": formset, "has_partners": bool(partners)}
    return render(request, "dmop/contact_moment_form.html", context)


@require_http_methods(["GET", "POST"])
@instrument_gate
def contact_moment_correct(request: AuthenticatedRequest, pk: int, moment_pk: int) -> HttpResponse:
    moment = access.contact_moment_for_user(request.user, pk, moment_pk, Action.CHANGE)
    data = request.POST if request.method == "POST" else None
    form = ContactMomentForm(
        data, concerns=concerns_of(moment.family), correcting=True, initial=correction_initial(moment)
    )
    formset = assessment_formset(data, {}, initial=assessment_initial(moment))
    if form.is_valid() and formset.is_valid():
        try:
            contact_moment_correct_service(
                moment=moment,
                corrected_by=request.user,
                date=form.cleaned_data["date"],
                kind=form.cleaned_data["kind"],
                triggered_by=form.trigger,
                assessments=[f.to_input() for f in formset.forms],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            show_service_errors(error, form, formset)
        else:
            messages.success(request, _("Contact moment corrected; the previous version is kept."))
            return redirect("dmop:contact_moment_detail", moment.family.pk, moment.pk)
    context = {"family": moment.family, "form": form, "formset": formset, "moment": moment}
    return render(request, "dmop/contact_moment_form.html", context)


@require_http_methods(["GET", "POST"])
@instrument_gate
def plan_action_edit(request: AuthenticatedRequest, pk: int, action_pk: int) -> HttpResponse:
    action = access.plan_action_for_user(request.user, pk, action_pk, Action.CHANGE)
    initial = {
        "status": action.status,
        "evaluation": action.evaluation,
        "referral_status": action.referral_status,
    }
    form = PlanActionForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            plan_action_update(action=action, updated_by=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(error, form)
        else:
            messages.success(request, _("Agreement updated."))
            moment = action.assessment.contact_moment
            return redirect("dmop:contact_moment_detail", pk, moment.pk)
    return render(request, "dmop/plan_action_form.html", {"form": form, "action": action})


@require_GET
@instrument_gate
def contact_moment_detail(request: AuthenticatedRequest, pk: int, moment_pk: int) -> HttpResponse:
    moment = access.contact_moment_for_user(request.user, pk, moment_pk, Action.VIEW)
    dmop_access_log(
        request=request,
        user=request.user,
        action_code="R",
        object_type="dmop.contact_moment",
        object_id=moment.pk,
        family_code=moment.family.code,
    )
    assessments = sorted(
        moment.assessments.prefetch_related("plan_actions__referral", "factors"),
        key=lambda a: Domain.values.index(a.domain),
    )
    context = {
        "moment": moment,
        "assessments": assessments,
        "versions": moment.versions.select_related("corrected_by"),
    }
    return render(request, "dmop/contact_moment_detail.html", context)


# --- Sociale kaart ---------------------------------------------------------------------------------------


@require_GET
@sociale_kaart_gate
def partner_list(request: AuthenticatedRequest) -> HttpResponse:
    partners = list(access.partners_visible_to(request.user).active().prefetch_related("served_domains"))
    demand, _survival = monitoring_results(demand_filter(request.user.organisation_id))
    context = {
        "partners": partners,
        "gaps": domains_without_partner(partners),
        "coverage": partners_per_domain(partners),
        "demand": demand,
        "small_cell": SMALL_CELL,
        "may_manage": access.is_member_coordinator(request.user, request.user.organisation_id),
    }
    return render(request, "dmop/partner_list.html", context)


@require_http_methods(["GET", "POST"])
@sociale_kaart_gate
def partner_new(request: AuthenticatedRequest) -> HttpResponse:
    organisation_id = access.require_partner_manager(request.user)
    form = PartnerForm(request.POST or None)
    if form.is_valid():
        try:
            partner_save(partner=Partner(organisation_id=organisation_id), **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(error, form)
        else:
            messages.success(request, _("Partner added to the sociale kaart."))
            return redirect("dmop:partner_list")
    return render(request, "dmop/partner_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@sociale_kaart_gate
def partner_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    partner = access.partner_for_user(request.user, pk, Action.MANAGE)
    initial = {"name": partner.name, "contact": partner.contact, "domains": partner.domain_values}
    form = PartnerForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            partner_save(partner=partner, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(error, form)
        else:
            messages.success(request, _("Partner saved."))
            return redirect("dmop:partner_list")
    return render(request, "dmop/partner_form.html", {"form": form, "partner": partner})


@require_http_methods(["GET", "POST"])
@sociale_kaart_gate
def partner_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    partner = access.partner_for_user(request.user, pk, Action.MANAGE)
    if request.method == "POST":
        deleted = partner_remove(partner=partner)
        messages.success(
            request,
            _("Partner removed.")
            if deleted
            else _("Partner removed from the sociale kaart; earlier referrals keep it."),
        )
        return redirect("dmop:partner_list")
    return render(request, "dmop/partner_confirm_delete.html", {"partner": partner})


# --- Monitoring (aggregates only) ------------------------------------------------------------------------


def _monitoring_context(request: AuthenticatedRequest) -> dict[str, Any]:
    """The filter and the organisation the user may see; the scope is decided by ``access``."""
    user = request.user
    organisations = list(Organisation.objects.values_list("pk", "name")) if user.is_administrator else None
    cohorts = Cohort.objects.order_by("name")
    if not user.is_administrator:  # a coordinator chooses among their own organisation's cohorts only
        cohorts = cohorts.filter(Q(organisation_id=user.organisation_id))
    form = MonitoringFilterForm(
        request.GET or None, organisations=organisations, cohorts=list(cohorts.values_list("pk", "name"))
    )
    requested = form.cleaned_data.get("organisation") if form.is_valid() else None
    organisation_id = access.monitoring_organisation_for(user, requested)
    return {"form": form, "filter": form.to_filter(organisation_id)}


@require_GET
@login_required
def monitoring(request: AuthenticatedRequest) -> HttpResponse:
    context = _monitoring_context(request)
    figures, result = monitoring_results(context["filter"])
    context |= {
        "figures": figures,
        "survival": result,
        "plot": mark_safe(svg_plot(result)),  # noqa: S308 - built from numbers and escaped labels only
        "palette": PALETTE,
        "at_risk_ages": AT_RISK_AGES,
        "small_cell": SMALL_CELL,
        "csv_query": request.GET.urlencode(),
    }
    return render(request, "dmop/monitoring.html", context)


@require_GET
@login_required
def monitoring_curve_csv(request: AuthenticatedRequest) -> HttpResponse:
    context = _monitoring_context(request)
    rows = curve_csv_rows(monitoring_results(context["filter"])[1])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dmop-time-to-first-signal.csv"'
    csv.writer(response, delimiter=";", lineterminator="\r\n").writerows(rows)
    return response
