"""Pages of supervision sessions: the supervisor records one, the trainee prepares and reflects."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses import supervision
from courses.access import enrolment_for_user, participant_for_trainee, session_for_user
from courses.forms import ParticipationForm, ReportForm, SupervisionSessionForm
from organisations.http import AuthenticatedRequest
from organisations.rules import Action


def _show_errors(form: Form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    enrolment, _relation = enrolment_for_user(request.user, pk, Action.FEEDBACK)
    form = SupervisionSessionForm(request.POST or None, enrolment=enrolment, supervisor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = supervision.supervision_session_record(
                actor=request.user,
                held_on=data["held_on"],
                duration_minutes=data["duration_minutes"],
                enrolments=[enrolment, *data["others"]],
                cycles=data["cycles"],
                recordings=data["recordings"],
                report=data["report"],
                work_points=data["work_points"],
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The supervision session is recorded."))
            return redirect("courses:supervision_session", pk=session.pk)
    context = {"enrolment": enrolment, "form": form}
    return render(request, "courses/session_form.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def session_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, leads = session_for_user(request.user, pk)
    participants = list(session.participants.all())
    own = next((p for p in participants if p.enrolment.professional_id == request.user.pk), None)
    context = {
        "session": session,
        "leads": leads,
        "participants": participants,
        "own": own,
        "cycles": session.cycles.select_related("professional"),
        "recordings": session.recordings.select_related("professional"),
        "today": timezone.localdate(),
        "report_form": ReportForm(initial={"report": session.report, "work_points": session.work_points}),
    }
    return render(request, "courses/session_detail.html", context)


@login_required
@require_POST
def session_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, leads = session_for_user(request.user, pk)
    if not leads:
        raise PermissionDenied
    form = ReportForm(request.POST)
    if form.is_valid():
        supervision.supervision_report_set(session=session, **form.cleaned_data)
        messages.success(request, _("The report is saved."))
    return redirect("courses:supervision_session", pk=session.pk)


@login_required
@require_POST
def participation_write(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    participant = participant_for_trainee(request.user, pk)
    form = ParticipationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("courses:supervision_session", pk=participant.session_id)
    write = (
        supervision.supervision_learning_question_set
        if form.cleaned_data["field"] == "learning_question"
        else supervision.supervision_reflection_set
    )
    try:
        write(participant=participant, text=form.cleaned_data["text"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("courses:supervision_session", pk=participant.session_id)
