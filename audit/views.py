from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.access import require_log_reader
from audit.forms import LogFilterForm
from audit.models import AccessLogEntry, AccessLogQuerySet
from vibplatform.spreadsheet import spreadsheet_cell

PAGE_SIZE = 100
CSV_COLUMNS = [
    "timestamp",
    "action_code",
    "user_id",
    "user_name",
    "role",
    "responsible_user_id",
    "access_point",
    "organisation_id",
    "family_code",
    "object_type",
    "object_id",
    "recording_id",
    "decision",
    "relation",
    "consent",
    "grounds",
    "details",
]
# Local time, to the second: what a parent and a privacy officer read (NEN 7513 needs no microseconds).
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def _filtered(form: LogFilterForm) -> tuple[AccessLogQuerySet, bool]:
    """The lines the filters ask for; the flag says whether they form one family's access list."""
    entries = AccessLogEntry.objects.select_related("organisation")
    if not form.is_valid():
        return entries.none() if form.is_bound else entries, False
    data = form.cleaned_data
    family = bool(data["family_code"].strip())
    if family:
        entries = entries.for_family(data["organisation"].pk, data["family_code"].strip())
    elif data["organisation"]:
        entries = entries.filter(organisation=data["organisation"])
    if data["object_id"].strip():
        entries = entries.filter(object_id=data["object_id"].strip())
    if data["recording_id"].strip():
        entries = entries.for_recording(data["recording_id"].strip())
    return entries, family


@login_required
@require_GET
def log_list(request: HttpRequest) -> HttpResponse:
    """The access log for administrators; per organisation and family code the list a parent may ask for."""
    require_log_reader(request)
    form = LogFilterForm(request.GET or None)
    entries, family = _filtered(form)
    if request.GET.get("format") == "csv" and family:
        return _csv(entries)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "family": family, "query": query.urlencode()}
    return render(request, "audit/log.html", context)


def _row(entry: AccessLogEntry) -> list[object]:
    checks = entry.checks
    return [
        timezone.localtime(entry.timestamp).strftime(TIME_FORMAT),
        entry.action_code,
        entry.user_id or "",
        entry.user_name,
        entry.role,
        entry.responsible_user_id or "",
        entry.access_point,
        entry.organisation_id or "",
        entry.family_code,
        entry.object_type,
        entry.object_id,
        entry.recording_id,
        checks.decision,
        checks.relation,
        checks.consent,
        checks.grounds,
        "; ".join(f"{key}={value}" for key, value in checks.details.items()),
    ]


def _csv(entries: AccessLogQuerySet) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # The family code is pseudonymous, but keep it out of file names anyway: they end up in download folders.
    response["Content-Disposition"] = 'attachment; filename="access-log.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for entry in entries.iterator():
        # Names and free text come from people: a cell must never run as a spreadsheet formula.
        writer.writerow([spreadsheet_cell(value) for value in _row(entry)])
    return response
