"""Pages of the training: "Mijn opleiding", an enrolment, the trainer's forms, "Mijn deelnemers", the overview."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses import services
from courses.access import (
    enrolment_for_user,
    evidence_for_user,
    overview_organisation_for_user,
    requirement_for_enrolment,
)
from courses.forms import (
    AssignmentReviewForm,
    AssignmentSubmitForm,
    AttendanceForm,
    CriteriaForm,
    FinalAssessmentForm,
    MilestoneForm,
    OverviewFilterForm,
)
from courses.models import Enrolment, Evidence, Requirement
from courses.overview import OverviewFilters, overview_csv, overview_rows
from courses.progress import principles_attach, progress_for
from courses.supervision import sessions_attach
from courses.worklist import awaiting_actions, trainee_progress
from organisations.http import AuthenticatedRequest
from organisations.rules import Action, Relation, is_allowed

Kind = Requirement.Kind


@login_required
@require_GET
def my_training(request: AuthenticatedRequest) -> HttpResponse:
    enrolments = Enrolment.objects.filter(professional=request.user).select_related("version__course")
    progresses = progress_for(enrolments.order_by("version__course__code", "started_on"), with_evidence=True)
    sessions_attach(progresses)
    principles_attach(progresses)
    return render(request, "courses/my_training.html", {"progresses": progresses})


@login_required
@require_GET
def enrolment_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    enrolment, relation = enrolment_for_user(request.user, pk, Action.VIEW)
    progress = progress_for([enrolment], with_evidence=True)[0]
    sessions_attach([progress])
    principles_attach([progress])
    return render(
        request, "courses/enrolment_detail.html", {"progress": progress, **_rights(request, relation)}
    )


def _rights(request: AuthenticatedRequest, relation: Relation) -> dict[str, bool]:
    return {
        "can_change": is_allowed(request.user, relation, Action.CHANGE),
        "can_feedback": is_allowed(request.user, relation, Action.FEEDBACK),
        "can_manage": is_allowed(request.user, relation, Action.MANAGE),
    }


def _back(enrolment: Enrolment, relation: Relation) -> HttpResponse:
    if relation is Relation.SELF:
        return redirect("courses:my_training")
    return redirect("courses:enrolment_detail", pk=enrolment.pk)


@login_required
@require_POST
def study_module_done(request: AuthenticatedRequest, pk: int, requirement_id: int) -> HttpResponse:
    enrolment, relation = enrolment_for_user(request.user, pk, Action.CHANGE)
    requirement = requirement_for_enrolment(enrolment, requirement_id, Kind.STUDY_MODULE)
    try:
        services.study_module_mark_done(enrolment=enrolment, requirement=requirement, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(title)s” is marked as done.") % {"title": requirement.title})
    return _back(enrolment, relation)


def _form_page(
    request: AuthenticatedRequest,
    form: forms.Form,
    enrolment: Enrolment,
    requirement: Requirement,
    heading: str,
) -> HttpResponse:
    context = {"form": form, "enrolment": enrolment, "requirement": requirement, "heading": heading}
    return render(request, "courses/evidence_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def assignment_submit(request: AuthenticatedRequest, pk: int, requirement_id: int) -> HttpResponse:
    enrolment, relation = enrolment_for_user(request.user, pk, Action.CHANGE)
    requirement = requirement_for_enrolment(enrolment, requirement_id, Kind.ASSIGNMENT)
    form = AssignmentSubmitForm(request.POST or None)
    if form.is_valid():
        try:
            services.assignment_submit(
                enrolment=enrolment,
                requirement=requirement,
                actor=request.user,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your assignment is submitted for review."))
            return _back(enrolment, relation)
    return _form_page(request, form, enrolment, requirement, _("Submit assignment"))


@login_required
@require_http_methods(["GET", "POST"])
def attendance_register(request: AuthenticatedRequest, pk: int, requirement_id: int) -> HttpResponse:
    enrolment, relation = enrolment_for_user(request.user, pk, Action.FEEDBACK)
    requirement = requirement_for_enrolment(
        enrolment, requirement_id, Kind.TRAINING_DAY, Kind.SUPERVISION_MEETINGS
    )
    form = AttendanceForm(request.POST or None)
    if form.is_valid():
        try:
            services.attendance_register(
                enrolment=enrolment, requirement=requirement, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Attendance is registered."))
            return _back(enrolment, relation)
    return _form_page(request, form, enrolment, requirement, _("Register attendance"))


@login_required
@require_http_methods(["GET", "POST"])
def milestone_record(request: AuthenticatedRequest, pk: int, requirement_id: int) -> HttpResponse:
    enrolment, relation = enrolment_for_user(request.user, pk, Action.FEEDBACK)
    requirement = requirement_for_enrolment(enrolment, requirement_id, Kind.MILESTONE)
    form = MilestoneForm(request.POST or None, actor=request.user, criteria=list(requirement.criteria.all()))
    if _assessment_recorded(request, form, services.milestone_record, enrolment, requirement):
        messages.success(request, _("The evaluation is recorded."))
        return _back(enrolment, relation)
    return _form_page(request, form, enrolment, requirement, _("Record evaluation"))


@login_required
@require_http_methods(["GET", "POST"])
def final_assessment(request: AuthenticatedRequest, pk: int, requirement_id: int) -> HttpResponse:
    enrolment, relation = enrolment_for_user(request.user, pk, Action.FEEDBACK)
    requirement = requirement_for_enrolment(enrolment, requirement_id, Kind.FINAL_ASSESSMENT)
    form = FinalAssessmentForm(request.POST or None, criteria=list(requirement.criteria.all()))
    if _assessment_recorded(request, form, services.final_assessment_record, enrolment, requirement):
        messages.success(request, _("The final assessment is recorded."))
        return _back(enrolment, relation)
    return _form_page(request, form, enrolment, requirement, _("Record final assessment"))


def _assessment_recorded(
    request: AuthenticatedRequest,
    form: CriteriaForm,
    record: Callable[..., Evidence],
    enrolment: Enrolment,
    requirement: Requirement,
) -> bool:
    """Record a scored assessment from a valid form; the service's refusal goes on the form."""
    if not form.is_valid():
        return False
    try:
        record(
            enrolment=enrolment,
            requirement=requirement,
            actor=request.user,
            scores=form.scores(),
            **form.general_data(),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def assignment_review(request: AuthenticatedRequest, evidence_id: int) -> HttpResponse:
    evidence = evidence_for_user(request.user, evidence_id, Action.FEEDBACK)
    form = AssignmentReviewForm(request.POST or None)
    if form.is_valid():
        approved = form.cleaned_data["decision"] == "approve"
        try:
            services.assignment_review(
                evidence=evidence,
                reviewer=request.user,
                approved=approved,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your review is saved."))
            return redirect("courses:enrolment_detail", pk=evidence.enrolment_id)
    return render(request, "courses/assignment_review.html", {"form": form, "evidence": evidence})


@login_required
@require_GET
def trainees(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.is_supervisor:
        raise PermissionDenied
    progresses = trainee_progress(request.user)
    actions = awaiting_actions(request.user, progresses)
    return render(request, "courses/trainees.html", {"progresses": progresses, "actions": actions})


def _overview_filters(request: AuthenticatedRequest) -> tuple[OverviewFilterForm, OverviewFilters]:
    form = OverviewFilterForm(request.GET or None, show_organisation=request.user.is_administrator)
    data = form.cleaned_data if form.is_valid() else {}
    organisation = data.get("organisation")
    # The access helper decides which organisation may be shown (404 for anyone else).
    organisation = overview_organisation_for_user(request.user, organisation.pk if organisation else None)
    filters = OverviewFilters(
        organisation=organisation,
        course=data.get("course"),
        status=data.get("status") or "",
        stale_weeks=data.get("stale_weeks"),
    )
    return form, filters


@login_required
@require_GET
def overview(request: AuthenticatedRequest) -> HttpResponse:
    form, filters = _overview_filters(request)
    courses, rows = overview_rows(request.user, filters)
    context = {"form": form, "filters": filters, "courses": courses, "rows": rows}
    return render(request, "courses/overview.html", context)


@login_required
@require_GET
def overview_export(request: AuthenticatedRequest) -> HttpResponse:
    _form, filters = _overview_filters(request)
    courses, rows = overview_rows(request.user, filters)
    filename = f"opleidingsoverzicht-{timezone.localdate().isoformat()}.csv"
    return overview_csv(courses, rows, filename)
