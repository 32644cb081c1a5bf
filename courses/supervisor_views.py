"""Pages where coordinators (own organisation) and administrators assign supervisors and trainers.

An assignment belongs to one enrolment; its course decides the kind (VIB supervisor or DMOP trainer).
It ends on its end date or when the enrolment completes or is withdrawn; from then on the supervisor no
longer reaches the professional's work.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courses import services
from courses.access import assignment_for_user, enrolment_for_user
from courses.forms import SupervisorAssignmentForm
from organisations.http import AuthenticatedRequest
from organisations.models import SupervisorAssignment
from organisations.rules import Action


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_assignments(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    enrolment, _relation = enrolment_for_user(request.user, pk, Action.MANAGE)
    form = SupervisorAssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_create(enrolment=enrolment, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The supervisor is assigned to this enrolment."))
            return redirect("courses:enrolment_supervisors", pk=enrolment.pk)
    assignments = SupervisorAssignment.objects.filter(enrolment=enrolment).select_related("supervisor")
    context = {"enrolment": enrolment, "form": form, "assignments": assignments.order_by("-starts_on")}
    return render(request, "courses/supervisors.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def assignment_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assignment = assignment_for_user(request.user, pk)
    services.assignment_end(assignment=assignment)
    messages.success(request, _("The assignment has ended."))
    assert assignment.enrolment_id is not None  # only enrolment assignments are fetched
    return redirect("courses:enrolment_supervisors", pk=assignment.enrolment_id)
