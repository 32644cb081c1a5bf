"""The monitoring page's cache never shows figures older than the data, whatever path changed them.

Each test loads the page once (so the figures sit in the cache), changes the data through one path (a
coordinator's page, the admin site, the nightly retention task, a correction) and loads the page again:
the figure must follow at once.
"""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from courses.models import Cohort, Course, CourseVersion, Enrolment
from dmop.models import ContactMoment, DmopPolicy, Family, ScheduledMoment
from dmop.tasks import expire_dmop_records
from tests.dmop.test_monitoring import PERIOD, URL, figure

pytestmark = pytest.mark.django_db


def admin_change(client: Client, url: str, **changes: Any) -> None:
    """Save an object in the admin site as an administrator would: the change form as shown, plus
    ``changes``."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data: dict[str, Any] = {}
    shown = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        shown.append(inline.formset.management_form)
        shown.extend(inline.formset.forms)
    for form in shown:
        for bound in form:
            value = bound.value()
            if isinstance(bound.field.widget, forms.MultiWidget):  # a split date and time
                for index, part in enumerate(bound.field.widget.decompress(value)):
                    data[f"{bound.html_name}_{index}"] = part
            elif isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif value is not None:
                data[bound.html_name] = value
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def followed(client: Client, **query: Any) -> str:
    return figure(client.get(URL, {**PERIOD, **query}).content.decode(), "families_followed")


@pytest.fixture
def cohorts(organisation, certified_professional) -> tuple[Cohort, Cohort, Enrolment]:
    version = CourseVersion.objects.create(
        course=Course.objects.get_or_create(code="dmop", defaults={"name": "DMOP"})[0], label="2026-cache"
    )
    noord, zuid = (Cohort.objects.create(organisation=organisation, version=version, name=n) for n in "NZ")
    enrolment = Enrolment.objects.create(professional=certified_professional, version=version, group=noord)
    return noord, zuid, enrolment


def test_a_cohort_change_on_the_coordinators_page_shows_at_once(client_for, coordinator, seeded, cohorts):
    noord, zuid, enrolment = cohorts
    client = client_for(coordinator)
    assert followed(client, cohort=noord.pk) == "27"
    url = reverse("courses:enrolment_cohort_change", args=[enrolment.pk])
    assert client.post(url, {"cohort": zuid.pk}).status_code == 302
    assert followed(client, cohort=noord.pk) == "&lt;10"
    assert followed(client, cohort=zuid.pk) == "27"


def test_a_cohort_change_in_the_admin_shows_at_once(client_for, administrator, seeded, cohorts, organisation):
    noord, zuid, enrolment = cohorts
    client = client_for(administrator)
    assert followed(client, organisation=organisation.pk, cohort=noord.pk) == "27"
    admin_change(client, f"/admin/courses/enrolment/{enrolment.pk}/change/", group=zuid.pk)
    assert followed(client, organisation=organisation.pk, cohort=noord.pk) == "&lt;10"


def test_a_new_8_week_window_in_the_admin_shows_at_once(client_for, administrator, seeded, organisation):
    client = client_for(administrator)
    body = client.get(URL, {**PERIOD, "organisation": organisation.pk}).content.decode()
    assert figure(body, "eight_week_in_time") == "12 (44,4%)"  # the 2024 children, seen at 8 weeks
    window = ScheduledMoment.objects.get(kind=ContactMoment.Kind.EIGHT_WEEKS_DOUBLE)
    admin_change(client, f"/admin/dmop/scheduledmoment/{window.pk}/change/", from_age_days=70, to_age_days=77)
    body = client.get(URL, {**PERIOD, "organisation": organisation.pk}).content.decode()
    assert figure(body, "eight_week_in_time") == "&lt;10"  # 56 days old is no longer in time


def test_a_renamed_organisation_in_the_admin_shows_at_once(client_for, administrator, seeded, organisation):
    client = client_for(administrator)
    query = {**PERIOD, "group_by": "organisation"}
    assert [c.group for c in client.get(URL, query).context["survival"].curves] == [organisation.name]
    admin_change(client, f"/admin/organisations/organisation/{organisation.pk}/change/", name="JGZ Hernoemd")
    assert [c.group for c in client.get(URL, query).context["survival"].curves] == ["JGZ Hernoemd"]


def test_families_deleted_by_the_retention_run_leave_the_figures_at_once(
    client_for, coordinator, seeded, organisation
):
    client = client_for(coordinator)
    assert followed(client) == "27"
    # Every seeded family's last contact moment lies more than a month back.
    DmopPolicy.objects.create(organisation=organisation, retention_months=1)
    assert expire_dmop_records.delay().get() == 27
    assert not Family.objects.filter(organisation=organisation).exists()
    assert followed(client) == "&lt;10"
