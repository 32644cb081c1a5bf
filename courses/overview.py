"""The coordinator's training overview: every professional with progress per course, and its CSV export.

Built in a fixed number of queries (courses, professionals, enrolments, then ``progress_for``) and
filtered in Python, so an organisation of 5 or 200 professionals costs the same number of queries.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.forms import STATUS_NOT_ENROLLED
from courses.models import Course, Enrolment
from courses.progress import EnrolmentProgress, progress_for
from organisations.models import Organisation, User
from organisations.rules import visible_professionals
from vibplatform.spreadsheet import spreadsheet_cell


@dataclass
class OverviewCell:
    course: Course
    progress: EnrolmentProgress | None
    stale: bool

    @property
    def enrolment(self) -> Enrolment | None:
        return self.progress.enrolment if self.progress else None

    @property
    def last_evidence_at(self) -> datetime.datetime | None:
        return getattr(self.enrolment, "last_evidence_at", None)

    def matches(self, status: str, stale_weeks: int | None, require_enrolment: bool) -> bool:
        if status == STATUS_NOT_ENROLLED:
            return self.enrolment is None
        if self.enrolment is None:
            return not (status or stale_weeks or require_enrolment)
        if status and self.enrolment.status != status:
            return False
        return not stale_weeks or self.stale


@dataclass
class OverviewRow:
    professional: User
    cells: list[OverviewCell]


@dataclass
class OverviewFilters:
    organisation: Organisation | None = None
    course: Course | None = None
    status: str = ""
    stale_weeks: int | None = None


def overview_rows(
    viewer: User, filters: OverviewFilters, today: datetime.date | None = None
) -> tuple[list[Course], list[OverviewRow]]:
    """Rows for the professionals ``viewer`` may see, optionally of one organisation, after filtering."""
    today = today or timezone.localdate()
    courses = list(Course.objects.all())
    professionals = visible_professionals(viewer).select_related("organisation")
    if filters.organisation is not None:
        professionals = professionals.filter(organisation=filters.organisation)
    enrolments = (
        Enrolment.objects.filter(professional__in=professionals.values("pk"))
        .select_related("version__course")
        .with_last_evidence()
        .order_by("professional_id", "started_on", "pk")
    )
    # The most recent enrolment per course is the one that counts for the overview.
    latest: dict[tuple[int, int], EnrolmentProgress] = {}
    for progress in progress_for(enrolments):
        enrolment = progress.enrolment
        latest[(enrolment.professional_id, enrolment.version.course_id)] = progress
    rows = []
    for professional in professionals.order_by("organisation__name", "full_name"):
        cells = [
            _cell(course, latest.get((professional.pk, course.pk)), filters, today) for course in courses
        ]
        if _row_matches(cells, filters):
            rows.append(OverviewRow(professional=professional, cells=cells))
    return courses, rows


def _cell(
    course: Course, progress: EnrolmentProgress | None, filters: OverviewFilters, today: datetime.date
) -> OverviewCell:
    stale = bool(progress and filters.stale_weeks and progress.enrolment.is_stale(filters.stale_weeks, today))
    return OverviewCell(course=course, progress=progress, stale=stale)


def _row_matches(cells: list[OverviewCell], filters: OverviewFilters) -> bool:
    candidates = [cell for cell in cells if filters.course is None or cell.course.pk == filters.course.pk]
    require = filters.course is not None
    return any(cell.matches(filters.status, filters.stale_weeks, require) for cell in candidates)


def overview_csv(courses: Iterable[Course], rows: Iterable[OverviewRow], filename: str) -> HttpResponse:
    """CSV that opens cleanly in Dutch Excel: UTF-8 with BOM, semicolons, every field quoted when needed."""
    courses = list(courses)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    header = [_("Organisation"), _("Name"), _("E-mail address"), _("Job title")]
    columns = [_("status"), _("progress (%)"), _("start date"), _("last evidence")]
    for course in courses:
        header += [f"{course.name}: {column}" for column in columns]
    writer.writerow([spreadsheet_cell(value) for value in header])
    for row in rows:
        person = row.professional
        values: list[object] = [
            person.organisation,
            person.full_name,
            person.email,
            person.get_job_title_display(),
        ]
        for cell in row.cells:
            values += _cell_values(cell)
        writer.writerow([spreadsheet_cell(value) for value in values])
    return response


def _cell_values(cell: OverviewCell) -> list[object]:
    if cell.progress is None:
        return [_("Not enrolled"), "", "", ""]
    enrolment = cell.progress.enrolment
    last = cell.last_evidence_at
    return [
        enrolment.get_status_display(),
        cell.progress.percent,
        enrolment.started_on.isoformat(),
        timezone.localdate(last).isoformat() if last else "",
    ]
