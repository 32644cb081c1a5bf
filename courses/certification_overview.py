"""The coordinator's certification overview: every professional's status per course, and its CSV export.

A fixed number of queries (professionals, certificates, open enrolments with their last evidence, and for
administrators the organisations with licences), then combined in Python: the page costs the same for 5 or
300 professionals.
"""

from __future__ import annotations

import csv
import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certification.forms import STATUS_EXPIRING, STATUS_NONE, STATUS_STALLED
from certification.models import Certificate, CourseCode
from courses.models import Enrolment
from organisations.models import Licence, Organisation, User
from organisations.rules import visible_professionals
from vibplatform.spreadsheet import spreadsheet_cell

EXPIRING_WITHIN_DAYS = 90
DEFAULT_STALLED_WEEKS = 6

STATUS_LABELS = {
    **dict(Certificate.Status.choices),
    STATUS_NONE: _("Not started"),
}
STATUS_BADGES = {
    Certificate.Status.CERTIFIED: "ok",
    Certificate.Status.IN_TRAINING: "info",
    Certificate.Status.EXPIRED: "warn",
    Certificate.Status.REVOKED: "bad",
    STATUS_NONE: "",
}


@dataclass
class Cell:
    course_code: str
    status: str
    certificate: Certificate | None
    expiring: bool
    stalled: bool
    last_evidence_at: datetime.datetime | None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def badge(self) -> str:
        return STATUS_BADGES[self.status]

    def matches(self, status: str) -> bool:
        if status == STATUS_EXPIRING:
            return self.expiring
        if status == STATUS_STALLED:
            return self.stalled
        return not status or self.status == status


@dataclass
class Row:
    professional: User
    cells: list[Cell]


@dataclass
class Filters:
    organisation: Organisation | None = None
    course_code: str = ""
    status: str = ""
    stalled_weeks: int = DEFAULT_STALLED_WEEKS


@dataclass
class Overview:
    course_codes: list[str]
    rows: list[Row]
    counts: list[tuple[str, str, int]] = field(default_factory=list)  # (status, label, count)

    @property
    def course_labels(self) -> list[str]:
        return [str(CourseCode(code).label) for code in self.course_codes]

    @property
    def chart(self) -> list[ChartBar]:
        """Bars for the server-rendered SVG chart (attributes, no inline styles: the CSP forbids them)."""
        largest = max([count for _, _, count in self.counts] + [1])
        return [
            ChartBar(status, label, count, y=index * CHART_ROW, width=round(CHART_WIDTH * count / largest))
            for index, (status, label, count) in enumerate(self.counts)
        ]

    @property
    def chart_height(self) -> int:
        return len(self.counts) * CHART_ROW


CHART_ROW = 24
CHART_WIDTH = 320


@dataclass
class ChartBar:
    status: str
    label: str
    count: int
    y: int
    width: int

    @property
    def count_x(self) -> int:
        return 170 + self.width + 6


def _cell(
    course_code: str,
    certificate: Certificate | None,
    enrolment: Enrolment | None,
    filters: Filters,
    today: datetime.date,
) -> Cell:
    status = certificate.effective_status(today) if certificate else STATUS_NONE
    if enrolment is not None and status == STATUS_NONE:
        status = Certificate.Status.IN_TRAINING
    expiring = (
        status == Certificate.Status.CERTIFIED
        and certificate is not None
        and certificate.valid_until is not None
        and (certificate.valid_until - today).days <= EXPIRING_WITHIN_DAYS
    )
    stalled = (
        enrolment is not None
        and status == Certificate.Status.IN_TRAINING
        and enrolment.is_stale(filters.stalled_weeks, today)
    )
    last = getattr(enrolment, "last_evidence_at", None) if enrolment else None
    return Cell(course_code, status, certificate, expiring, stalled, last)


def overview_build(viewer: User, filters: Filters, today: datetime.date | None = None) -> Overview:
    """The overview for the professionals ``viewer`` may see (own organisation; all for administrators)."""
    today = today or timezone.localdate()
    professionals = visible_professionals(viewer).select_related("organisation")
    if filters.organisation is not None:
        professionals = professionals.filter(organisation=filters.organisation)
    professional_ids = professionals.values("pk")
    certificates = {
        (c.professional_id, c.course_code): c
        for c in Certificate.objects.filter(professional__in=professional_ids)
    }
    enrolments: dict[tuple[int, str], Enrolment] = {}
    open_enrolments = (
        Enrolment.objects.active()
        .filter(professional__in=professional_ids)
        .select_related("version__course")
        .with_last_evidence()
        .order_by("started_on", "pk")
    )
    for enrolment in open_enrolments:  # the most recent open enrolment per course wins
        enrolments[(enrolment.professional_id, enrolment.version.course.code)] = enrolment
    course_codes = [filters.course_code] if filters.course_code else list(CourseCode.values)
    counts: Counter[str] = Counter()
    rows = []
    for professional in professionals.order_by("organisation__name", "full_name", "pk"):
        cells = [
            _cell(
                code,
                certificates.get((professional.pk, code)),
                enrolments.get((professional.pk, code)),
                filters,
                today,
            )
            for code in course_codes
        ]
        counts.update(cell.status for cell in cells)
        if any(cell.matches(filters.status) for cell in cells):
            rows.append(Row(professional, cells))
    chart = [(status, str(label), counts[status]) for status, label in STATUS_LABELS.items()]
    return Overview(course_codes=course_codes, rows=rows, counts=chart)


# --- Licences (administrators) -------------------------------------------------------------------------------

LICENCE_ENDING_WITHIN_DAYS = 90


@dataclass
class LicenceState:
    organisation: Organisation
    state: str  # active | ending | expired | none
    ends_on: datetime.date | None

    @property
    def label(self) -> str:
        labels = {
            "active": gettext("Active"),
            "ending": gettext("Ending"),
            "expired": gettext("Expired"),
            "none": gettext("No licence"),
        }
        return labels[self.state]

    @property
    def badge(self) -> str:
        return {"active": "ok", "ending": "warn", "expired": "bad", "none": "bad"}[self.state]


def licence_states(today: datetime.date | None = None) -> list[LicenceState]:
    """Each organisation's NCJ licence today: active, ending within 90 days, expired, or none at all."""
    today = today or timezone.localdate()
    organisations = Organisation.objects.order_by("name").prefetch_related(
        Prefetch("licences", queryset=Licence.objects.order_by("-starts_on"))
    )
    return [_licence_state(organisation, today) for organisation in organisations]


def _licence_state(organisation: Organisation, today: datetime.date) -> LicenceState:
    licences = list(organisation.licences.all())
    if not licences:
        return LicenceState(organisation, "none", None)
    active = [licence for licence in licences if licence.is_active_on(today)]
    if not active:
        return LicenceState(organisation, "expired", max(lic.ends_on or today for lic in licences))
    if any(licence.ends_on is None for licence in active):
        return LicenceState(organisation, "active", None)
    ends_on = max(licence.ends_on for licence in active if licence.ends_on is not None)
    ending = (ends_on - today).days <= LICENCE_ENDING_WITHIN_DAYS
    return LicenceState(organisation, "ending" if ending else "active", ends_on)


# --- CSV export ---------------------------------------------------------------------------------------------


def _day(value: datetime.date | None) -> str:
    return date_format(value, "Y-m-d") if value else ""


def overview_csv(overview: Overview, filename: str) -> HttpResponse:
    """One line per professional and course; UTF-8 with BOM and semicolons so Dutch Excel opens it as is."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            gettext("Organisation"),
            gettext("Professional"),
            gettext("E-mail"),
            gettext("Course"),
            gettext("Status"),
            gettext("Certified on"),
            gettext("Valid through"),
            gettext("Expires within 90 days"),
            gettext("Stalled in training"),
        ]
    )
    yes, no = gettext("yes"), gettext("no")
    for row in overview.rows:
        for cell in row.cells:
            certificate = cell.certificate
            writer.writerow(
                [
                    spreadsheet_cell(row.professional.organisation),
                    spreadsheet_cell(row.professional.full_name),
                    spreadsheet_cell(row.professional.email),
                    CourseCode(cell.course_code).label,
                    cell.status_label,
                    _day(certificate.certified_on if certificate else None),
                    _day(certificate.valid_until if certificate else None),
                    yes if cell.expiring else no,
                    yes if cell.stalled else no,
                ]
            )
    return response
