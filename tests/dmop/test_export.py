import csv
import datetime
import io

import pytest
from django.urls import reverse

from audit.models import AccessLogEntry
from dmop.export import CSV_COLUMNS
from dmop.models import DmopPolicy, Domain
from dmop.services import AssessmentInput, contact_moment_record
from tests.dmop.conftest import TODAY, new_family, record


def family_url(family, ext: str) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"dmop-api-family-export-{ext}", args=[family.pk])


ORG_CSV = reverse("dmop-api-organisation-export-csv")
ORG_JSON = reverse("dmop-api-organisation-export-json")


def parse_csv(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the byte order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def test_the_family_csv_has_one_line_per_domain_with_plan_and_referral(client_for, family, partner):
    record(family, family.registered_by, (0, 1, 2, 3, 0), kind="8w_double", referral=partner)
    response = client_for(family.registered_by).get(family_url(family, "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="dmop-family-{family.pk}.csv"'
    assert family.code not in response["Content-Disposition"]
    rows = parse_csv(response)
    assert list(rows[0]) == CSV_COLUMNS
    assert [r["domain"] for r in rows] == Domain.values
    first = rows[0]
    assert first["family_code"] == family.code
    # Month and year of birth, so that the child's age (time to first signal) can be computed offline.
    assert first["child_birth_month"] == family.child_birth_month.strftime("%Y-%m")
    assert first["contact_moment_date"] == TODAY().isoformat()
    assert first["contact_moment_type_label"] == "Dubbel contactmoment 8 weken"
    assert first["domain_label"] == "Competentie van de ouders"
    assert rows[3]["concern_level"] == "3"
    assert rows[3]["concern_level_label"] == "3 · ernstige zorg"
    assert first["plan_actions"] == "Afspraak parent_competence [samen met de ouders afgesproken]"
    assert first["referrals"] == f"{partner.name} (proposed)"


def test_free_text_that_looks_like_a_formula_is_neutralised_in_the_csv(client_for, family):
    assessments = [
        AssessmentInput(domain=d, concern_level=0, risk_factors='=HYPERLINK("http://x")')
        for d in Domain.values
    ]
    contact_moment_record(
        family=family, professional=family.registered_by, date=TODAY(), kind="3m", assessments=assessments
    )
    rows = parse_csv(client_for(family.registered_by).get(family_url(family, "csv")))
    assert rows[0]["risk_factors"] == '\'=HYPERLINK("http://x")'


def test_the_family_json_is_structured_for_the_dd_jgz(client_for, family, partner):
    record(family, family.registered_by, referral=partner)
    response = client_for(family.registered_by).get(family_url(family, "json"), HTTP_ACCEPT="text/html")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="dmop-family-{family.pk}.json"'
    data = response.json()
    assert data["format"] == "samenstarten-dmop-ddjgz"
    record_ = data["records"][0]
    assert record_["child_birth_month"] == family.child_birth_month.strftime("%Y-%m")
    assert record_["plan_actions"] == [
        {
            "description": "Afspraak parent_competence",
            "agreed_with_parents": True,
            "owner": "parents",
            "due_on": None,
            "status": "open",
            "evaluation": "",
            "referral": partner.name,
            "referral_status": "proposed",
            "referral_proposed_on": TODAY().isoformat(),
            "referral_accepted_on": None,
            "referral_started_on": None,
            "referral_closed_on": None,
        }
    ]
    assert set(record_) == set(CSV_COLUMNS) - {"referrals"}


def designate(professional):  # type: ignore[no-untyped-def]
    policy, _created = DmopPolicy.objects.get_or_create(organisation_id=professional.organisation_id)
    policy.exporters.add(professional)


def test_the_organisation_export_holds_every_family_of_our_organisation_only(
    client_for, family, other_family, organisation, coordinator
):
    second = new_family(organisation, family.registered_by, code="NRD-2")
    record(family, family.registered_by)
    record(second, family.registered_by)
    record(other_family, other_family.registered_by)
    rows = parse_csv(client_for(coordinator).get(ORG_CSV))
    assert sorted({r["family_code"] for r in rows}) == ["NRD-0001", "NRD-2"]
    data = client_for(coordinator).get(ORG_JSON).json()
    assert len(data["records"]) == 10


def test_a_certified_professional_exports_the_whole_organisation_only_when_designated(client_for, family):
    record(family, family.registered_by)
    client = client_for(family.registered_by)
    assert client.get(ORG_CSV).status_code == 403
    assert not AccessLogEntry.objects.filter(action_code="E").exists()
    designate(family.registered_by)
    assert len(parse_csv(client.get(ORG_CSV))) == 5


def test_another_organisations_coordinator_exports_only_their_own_families(
    client_for, family, coordinator_other_org
):
    record(family, family.registered_by)
    response = client_for(coordinator_other_org).get(ORG_CSV)
    assert response.status_code == 200
    assert family.code not in response.content.decode()


def test_every_export_is_written_to_the_access_log(client_for, family):
    record(family, family.registered_by)
    designate(family.registered_by)
    client = client_for(family.registered_by)
    client.get(family_url(family, "csv"))
    client.get(ORG_JSON)
    entries = AccessLogEntry.objects.filter(action_code="E").order_by("pk")
    assert [(e.object_type, e.family_code) for e in entries] == [
        ("dmop.family", family.code),
        ("dmop.family", family.code),  # the organisation-wide export names every family in it
    ]


def test_a_family_of_another_organisation_cannot_be_exported(client_for, family, other_family):
    assert client_for(family.registered_by).get(family_url(other_family, "csv")).status_code == 404
    assert not AccessLogEntry.objects.filter(action_code="E").exists()


def test_the_coordinator_cannot_export_a_single_family(client_for, coordinator, family):
    assert client_for(coordinator).get(family_url(family, "csv")).status_code == 403


def test_post_is_not_allowed(client_for, coordinator):
    assert client_for(coordinator).post(ORG_CSV).status_code == 405


@pytest.mark.parametrize("families", [1, 8])
def test_exports_cost_the_same_number_of_queries_for_few_and_many_families(
    families,
    client_for,
    organisation,
    certified_professional,
    coordinator,
    partner,
    django_assert_num_queries,
):
    for number in range(families):
        family = new_family(organisation, certified_professional, code=f"F-{number:03}")
        record(
            family,
            certified_professional,
            kind="8w_double",
            date=TODAY() - datetime.timedelta(days=20),
            referral=partner,
        )
        record(family, certified_professional, referral=partner)
    client = client_for(coordinator)
    client.get(ORG_CSV)
    # session, user, TOTP device, exported families, audit lines (lock chain head, one insert for all families,
    # move head),
    # assessments with moment and family, their factors,
    # plan actions with partner, session save (3)
    with django_assert_num_queries(13):
        assert len(parse_csv(client.get(ORG_CSV))) == families * 10
    with django_assert_num_queries(13):
        assert len(client.get(ORG_JSON).json()["records"]) == families * 10
    client = client_for(certified_professional)
    # session, user, TOTP device, certificate (permission), family, certificate (access), audit line (3: lock chain head,
    # insert, move head), 3 reads, factors, plan actions, save (3)
    with django_assert_num_queries(15):
        assert len(parse_csv(client.get(family_url(family, "csv")))) == 10
