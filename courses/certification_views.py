"""The coordinator's certification overview page and its CSV export.

It combines certificates with open enrolments (training that has started or stalled), so it lives with
the training: courses reads certification, never the other way round.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from certification.forms import OverviewFilterForm
from courses.certification_overview import (
    DEFAULT_STALLED_WEEKS,
    Filters,
    licence_states,
    overview_build,
    overview_csv,
)
from organisations.http import AuthenticatedRequest


def _overview_filters(request: AuthenticatedRequest) -> tuple[OverviewFilterForm, Filters]:
    user = request.user
    if not (user.is_coordinator or user.is_administrator):
        raise PermissionDenied
    form = OverviewFilterForm(request.GET or None, administrator=user.is_administrator)
    if not form.is_valid():
        return form, Filters()
    data = form.cleaned_data
    filters = Filters(
        organisation=data.get("organisation"),
        course_code=data["course"],
        status=data["status"],
        stalled_weeks=data["stalled_weeks"] or DEFAULT_STALLED_WEEKS,
    )
    return form, filters


@login_required
@require_GET
def overview(request: AuthenticatedRequest) -> HttpResponse:
    form, filters = _overview_filters(request)
    context = {
        "form": form,
        "overview": overview_build(request.user, filters),
        "licences": licence_states() if request.user.is_administrator else None,
        "query": request.GET.urlencode(),
    }
    # Invalid filters: explain them and show the unfiltered overview (400 so scripts notice).
    return render(request, "certification/overview.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def overview_export(request: AuthenticatedRequest) -> HttpResponse:
    form, filters = _overview_filters(request)
    if form.errors:
        return render(request, "certification/overview.html", {"form": form, "overview": None}, status=400)
    filename = f"certificering-{timezone.localdate():%Y-%m-%d}.csv"
    return overview_csv(overview_build(request.user, filters), filename)
