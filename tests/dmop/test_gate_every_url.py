"""Every URL of the DMOP instrument and the sociale kaart is closed to everyone who may not use it.

The URLs are not listed by hand: the test walks the whole URL resolver and collects every pattern served
by ``dmop`` code (pages in the ``dmop`` namespace and the ``dmop-api-*`` routes). A URL that appears
without an entry in ``TABLE`` fails the test, so a new page cannot slip past the gate unnoticed.

Closed means: a 403 that explains what is missing (the certification page, or the API's message), or a
404 that does not reveal whether the object exists. Other organisations' staff may open the collection
URLs for their own organisation, but never see anything of ours.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from certification.access import certified_permission
from organisations.models import User
from tests.dmop.conftest import record


@dataclass(frozen=True)
class Entry:
    methods: tuple[str, ...]
    args: tuple[str, ...]  # fixture objects whose pk the URL takes, in order
    opened_by: str  # the persona for whom the URL opens (positive control)
    scoped: bool = False  # a collection of the viewer's own organisation (other organisations see their own)


FAMILY = ("family",)
MOMENT = ("family", "moment")
PARTNER = ("partner",)

TABLE: dict[str, Entry] = {
    "dmop:family_list": Entry(("GET",), (), "professional", scoped=True),
    "dmop:family_new": Entry(("GET", "POST"), (), "professional", scoped=True),
    "dmop:family_detail": Entry(("GET",), FAMILY, "professional"),
    "dmop:contact_moment_new": Entry(("GET", "POST"), FAMILY, "professional"),
    "dmop:contact_moment_detail": Entry(("GET",), MOMENT, "professional"),
    "dmop:contact_moment_correct": Entry(("GET", "POST"), MOMENT, "professional"),
    "dmop:plan_action_edit": Entry(("GET", "POST"), ("family", "action"), "professional"),
    "dmop:partner_list": Entry(("GET",), (), "coordinator", scoped=True),
    "dmop:partner_new": Entry(("GET", "POST"), (), "coordinator", scoped=True),
    "dmop:partner_edit": Entry(("GET", "POST"), PARTNER, "coordinator"),
    "dmop:partner_delete": Entry(("GET", "POST"), PARTNER, "coordinator"),
    "dmop-api-family-list": Entry(("GET", "POST"), (), "professional", scoped=True),
    "dmop-api-family-detail": Entry(("GET",), FAMILY, "professional"),
    "dmop-api-contact-moment-create": Entry(("POST",), FAMILY, "professional"),
    "dmop-api-family-export-json": Entry(("GET",), FAMILY, "professional"),
    "dmop-api-family-export-csv": Entry(("GET",), FAMILY, "professional"),
    # The whole organisation: its coordinators and designated professionals (tests/dmop/test_export.py).
    "dmop-api-organisation-export-json": Entry(("GET",), (), "coordinator", scoped=True),
    "dmop-api-organisation-export-csv": Entry(("GET",), (), "coordinator", scoped=True),
    "dmop-api-factor-list": Entry(("GET",), (), "professional", scoped=True),
    "dmop-api-partner-list": Entry(("GET",), (), "coordinator", scoped=True),
}

REFUSED_PROFESSIONALS = [
    "uncertified_professional",
    "no_certificate",
    "expired_professional",
    "revoked_professional",
]
OUTSIDERS = ["certified_other_org", "coordinator_other_org", "supervisor", "administrator"]


def _is_dmop(pattern: URLPattern) -> bool:
    callback = pattern.callback
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
    return view.__module__.split(".")[0] == "dmop"


def _walk(patterns: list, namespace: str | None = None) -> set[str]:  # type: ignore[type-arg]
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif _is_dmop(pattern):
            names.add(f"{namespace}:{pattern.name}" if namespace else str(pattern.name))
    return names


def dmop_url_names() -> set[str]:
    return _walk(get_resolver().url_patterns)


# Not behind the certificate gate: aggregates for coordinators and administrators, never a family
# (tests/dmop/test_monitoring.py and the permission matrix).
NOT_GATED = {"dmop:monitoring", "dmop:monitoring_curve_csv"}


def test_every_dmop_url_has_an_entry_in_the_table():
    names = dmop_url_names()
    assert any(name.startswith("dmop:") for name in names)
    assert any(name.startswith("dmop-api-") for name in names)
    assert names - NOT_GATED == set(TABLE), "add new DMOP URLs to TABLE (and so to the gate test)"
    assert names >= NOT_GATED


# --- Fixtures -------------------------------------------------------------------------------------------


@pytest.fixture
def no_certificate(organisation) -> User:
    from tests.conftest import make_person

    return make_person("nina@noord.example", organisation=organisation, is_professional=True)


@pytest.fixture
def world(family, partner, certified_professional, coordinator, request):  # type: ignore[no-untyped-def]
    """Our organisation's data, and the personas by name."""
    moment = record(family, certified_professional, (1, 2, 0, 0, 3), referral=partner)
    objects = {
        "family": family,
        "moment": moment,
        "partner": partner,
        "action": moment.assessments.first().plan_actions.first(),
    }
    return objects, request.getfixturevalue


def url_for(name: str, objects: dict) -> str:  # type: ignore[type-arg]
    return reverse(name, args=[objects[arg].pk for arg in TABLE[name].args])


def call(client, method: str, url: str):  # type: ignore[no-untyped-def]
    return client.get(url) if method == "GET" else client.post(url, {}, content_type="application/json")


def cases() -> list[tuple[str, str]]:
    return [(name, method) for name, entry in TABLE.items() for method in entry.methods]


def assert_refused_with_explanation(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 403, response.status_code
    if response["Content-Type"].startswith("application/json"):
        assert response.json()["detail"] == str(certified_permission("dmop").message)
    else:
        assert "certification/not_certified.html" in [t.name for t in response.templates]
        assert "DMOP-certificaat" in response.content.decode()


# --- The gate -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "method"), cases())
def test_the_url_opens_for_the_persona_it_is_meant_for(name, method, world, client_for):
    """Positive control: proves that the table's arguments point at real objects (so 404s below mean it)."""
    objects, persona = world
    response = call(client_for(persona(TABLE[name].opened_by)), method, url_for(name, objects))
    assert response.status_code in (200, 201, 302, 400), response.status_code


@pytest.mark.parametrize("who", REFUSED_PROFESSIONALS)
@pytest.mark.parametrize(("name", "method"), cases())
def test_professionals_without_a_valid_certificate_are_refused_with_the_explanation(
    name, method, who, world, client_for
):
    objects, persona = world
    response = call(client_for(persona(who)), method, url_for(name, objects))
    assert_refused_with_explanation(response)


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize(("name", "method"), cases())
def test_other_organisations_staff_and_outsiders_never_reach_our_records(
    name, method, who, world, client_for
):
    objects, persona = world
    response = call(client_for(persona(who)), method, url_for(name, objects))
    if TABLE[name].scoped and response.status_code not in (403, 404):
        # Their own organisation's collection: nothing of ours in it.
        body = response.content.decode()
        assert objects["family"].code not in body
        assert objects["partner"].name not in body
        assert "Risico" not in body
    else:
        assert response.status_code in (403, 404), response.status_code
        if response.status_code == 403 and who != "certified_other_org":
            # Without a DMOP certificate the gate answers first, with its explanation; a certified
            # professional gets a plain 403 only where the sociale kaart needs a coordinator.
            assert_refused_with_explanation(response)


@pytest.mark.parametrize(("name", "method"), [c for c in cases() if TABLE[c[0]].opened_by == "professional"])
def test_our_own_coordinator_never_sees_families_assessments(name, method, world, client_for, coordinator):
    objects, _persona = world
    response = call(client_for(coordinator), method, url_for(name, objects))
    assert response.status_code == 403
    assert objects["family"].code not in response.content.decode()


def test_an_expired_certificate_closes_the_tool_on_the_day_after_the_last_valid_day(
    client_for, certified_professional, family
):
    import datetime

    from certification.models import Certificate
    from tests.dmop.conftest import TODAY

    url = reverse("dmop:family_detail", args=[family.pk])
    certificate = Certificate.objects.get(professional=certified_professional, course_code="dmop")
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=TODAY())
    assert client_for(certified_professional).get(url).status_code == 200  # the last valid day itself
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=TODAY() - datetime.timedelta(days=1))
    assert_refused_with_explanation(client_for(certified_professional).get(url))
