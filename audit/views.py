from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from audit.access import require_log_reader
from audit.forms import LogFilterForm
from audit.models import AccessLogEntry, AccessLogQuerySet

PAGE_SIZE = 100
CSV_COLUMNS = [
    "timestamp",
    "action_code",
    "user_id",
    "user_name",
    "role",
    "responsible_user_id",
    "access_point",
    "family_code",
    "object_type",
    "object_id",
    "outcome",
]


def _filtered(form: LogFilterForm) -> tuple[AccessLogQuerySet, str]:
    entries = AccessLogEntry.objects.all()
    family_code = form.cleaned_data.get("family_code", "").strip() if form.is_valid() else ""
    object_id = form.cleaned_data.get("object_id", "").strip() if form.is_valid() else ""
    if family_code:
        entries = entries.for_family(family_code)
    if object_id:
        entries = entries.filter(object_id=object_id)
    return entries, family_code


@login_required
@require_GET
def log_list(request: HttpRequest) -> HttpResponse:
    """The access log for administrators; per family code the chronological list a parent may ask for."""
    require_log_reader(request)
    form = LogFilterForm(request.GET or None)
    entries, family_code = _filtered(form)
    if request.GET.get("format") == "csv" and family_code:
        return _csv(entries, family_code)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"form": form, "page": page, "family_code": family_code})


def _csv(entries: AccessLogQuerySet, family_code: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # The family code is pseudonymous, but keep it out of file names anyway: they end up in download folders.
    response["Content-Disposition"] = 'attachment; filename="access-log.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for entry in entries.iterator():
        writer.writerow(
            [
                entry.timestamp.isoformat(),
                entry.action_code,
                entry.user_id or "",
                entry.user_name,
                entry.role,
                entry.responsible_user_id or "",
                entry.access_point,
                entry.family_code,
                entry.object_type,
                entry.object_id,
                entry.outcome,
            ]
        )
    return response
