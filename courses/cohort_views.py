"""The coordinator's cohort pages (groups, enrolments, training days) and the trainer's training days."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses import cohort_services, services
from courses.access import enrolment_for_user
from courses.cohort_access import (
    cohort_for_user,
    cohorts_managed_by,
    require_cohort_manager,
    training_day_for_user,
    training_days_given_by,
)
from courses.cohort_forms import (
    AttendanceListForm,
    CohortChangeForm,
    CohortEnrolForm,
    CohortForm,
    TrainingDayForm,
)
from courses.models import Cohort, Enrolment, TrainingDay
from organisations.http import AuthenticatedRequest
from organisations.models import Organisation
from organisations.rules import Action


@login_required
@require_GET
def cohort_list(request: AuthenticatedRequest) -> HttpResponse:
    cohorts = (
        cohorts_managed_by(request.user)
        .select_related("version__course")
        .annotate(
            members=Count(
                "enrolments", filter=Q(enrolments__status__in=["enrolled", "in_progress"]), distinct=True
            ),
            days=Count("training_days", distinct=True),
        )
    )
    return render(request, "courses/cohort_list.html", {"cohorts": cohorts})


@login_required
@require_http_methods(["GET", "POST"])
def cohort_new(request: AuthenticatedRequest) -> HttpResponse:
    organisation = Organisation.objects.get(pk=require_cohort_manager(request.user))
    form = CohortForm(request.POST or None)
    if form.is_valid():
        try:
            cohort = cohort_services.cohort_create(organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The cohort %(name)s is created.") % {"name": cohort.name})
            return redirect("courses:cohort_detail", pk=cohort.pk)
    return render(request, "courses/cohort_form.html", {"form": form, "heading": _("New cohort")})


def _cohort_page(request: AuthenticatedRequest, cohort: Cohort, enrol_form: CohortEnrolForm) -> HttpResponse:
    enrolments = (
        Enrolment.objects.filter(group=cohort)
        .select_related("professional")
        .order_by("professional__full_name")
    )
    days = TrainingDay.objects.filter(cohort=cohort).select_related("requirement", "trainer")
    context = {"cohort": cohort, "enrolments": enrolments, "days": days, "enrol_form": enrol_form}
    return render(request, "courses/cohort_detail.html", context)


@login_required
@require_GET
def cohort_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    cohort = cohort_for_user(request.user, pk)
    return _cohort_page(request, cohort, CohortEnrolForm(cohort=cohort))


@login_required
@require_POST
def cohort_enrol(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    cohort = cohort_for_user(request.user, pk)
    form = CohortEnrolForm(request.POST, cohort=cohort)
    if form.is_valid():
        try:
            enrolment = cohort_services.cohort_enrol(cohort=cohort, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            name = enrolment.professional.full_name
            messages.success(request, _("%(name)s is enrolled in this cohort.") % {"name": name})
            return redirect("courses:cohort_detail", pk=cohort.pk)
    return _cohort_page(request, cohort, form)


def _after_enrolment_change(enrolment: Enrolment) -> HttpResponse:
    if enrolment.group_id is not None:
        return redirect("courses:cohort_detail", pk=enrolment.group_id)
    return redirect("courses:enrolment_detail", pk=enrolment.pk)


@login_required
@require_POST
def enrolment_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    enrolment, _relation = enrolment_for_user(request.user, pk, Action.MANAGE)
    try:
        services.enrolment_withdraw(enrolment=enrolment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        name = enrolment.professional.full_name
        messages.success(request, _("The enrolment of %(name)s is withdrawn.") % {"name": name})
    return _after_enrolment_change(enrolment)


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_cohort_change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    enrolment, _relation = enrolment_for_user(request.user, pk, Action.MANAGE)
    form = CohortChangeForm(request.POST or None, enrolment=enrolment)
    if form.is_valid():
        try:
            cohort_services.enrolment_cohort_change(enrolment=enrolment, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The cohort is changed."))
            return _after_enrolment_change(enrolment)
    heading = _("Change cohort of %(name)s") % {"name": enrolment.professional.full_name}
    return render(
        request, "courses/cohort_form.html", {"form": form, "heading": heading, "enrolment": enrolment}
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_day_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    cohort = cohort_for_user(request.user, pk)
    form = TrainingDayForm(request.POST or None, cohort=cohort)
    if form.is_valid():
        try:
            day = cohort_services.training_day_plan(cohort=cohort, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The training day is planned."))
            return redirect("courses:training_day_detail", pk=day.pk)
    heading = _("Plan a training day for %(name)s") % {"name": cohort.name}
    return render(request, "courses/cohort_form.html", {"form": form, "heading": heading, "cohort": cohort})


def _training_day_page(
    request: AuthenticatedRequest, day: TrainingDay, form: AttendanceListForm | None
) -> HttpResponse:
    attendances = day.attendances.select_related("enrolment__professional").order_by(
        "enrolment__professional__full_name"
    )
    context = {
        "day": day,
        "form": form,
        "attendances": attendances,
        "is_trainer": day.trainer_id == request.user.pk,
    }
    return render(request, "courses/training_day_detail.html", context)


@login_required
@require_GET
def training_day_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    day = training_day_for_user(request.user, pk, Action.VIEW)
    form = None
    if day.trainer_id == request.user.pk and not day.attendance_registered:
        form = AttendanceListForm(members=cohort_services.training_day_members(day))
    return _training_day_page(request, day, form)


@login_required
@require_POST
def training_day_attendance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    day = training_day_for_user(request.user, pk, Action.FEEDBACK)
    form = AttendanceListForm(request.POST, members=cohort_services.training_day_members(day))
    if form.is_valid():
        try:
            cohort_services.training_day_register_attendance(
                day=day, actor=request.user, present=form.cleaned_data["present"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Attendance of the whole group is registered."))
            return redirect("courses:training_day_detail", pk=day.pk)
    return _training_day_page(request, day, form)


@login_required
@require_GET
def training_days(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.is_supervisor:
        raise PermissionDenied
    days = training_days_given_by(request.user).order_by("-date")
    return render(request, "courses/training_days.html", {"days": days})
