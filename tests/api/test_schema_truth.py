"""The OpenAPI schema tells a client what it will really meet: error answers, nulls, formats and limits.

A client generated from the schema (openapi-python-client and the like) raises "unexpected status" for any
status code the schema does not declare, and rejects a null or a value in another format than declared.
"""

import re

import pytest
import yaml
from django.test import Client

from organisations.models import User
from tests.conftest import api_token_for
from tests.recordings.conftest import create_recording

ERROR_CODES = ["400", "401", "403", "404", "429"]
BIGINT_MAX = 2**63 - 1


@pytest.fixture
def schema(client) -> dict:  # type: ignore[type-arg]
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def operations(schema: dict) -> list[tuple[str, str, dict]]:  # type: ignore[type-arg]
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def api_get(user: User, url: str) -> Client:
    return Client().get(url, headers={"Authorization": f"Token {api_token_for(user)}"})


def test_every_operation_documents_its_error_answers_with_a_json_body(schema):
    missing = [
        f"{method.upper()} {path} {code}"
        for path, method, operation in operations(schema)
        for code in ERROR_CODES
        if "application/json" not in operation["responses"].get(code, {}).get("content", {})
    ]

    assert operations(schema)
    assert missing == []


def test_the_documented_error_body_is_what_a_403_and_a_404_carry(schema, professional, supervisor):
    error = schema["components"]["schemas"]["Error"]

    forbidden = api_get(supervisor, "/api/dmop/families/1/")
    not_found = api_get(professional, "/api/recordings/00000000-0000-0000-0000-000000000000/")

    assert error["required"] == ["detail"]
    assert forbidden.status_code == 403 and set(forbidden.json()) == {"detail"}
    assert not_found.status_code == 404 and set(not_found.json()) == {"detail"}


def test_an_api_path_that_matches_no_route_answers_a_json_404(professional):
    for url in ["/api/annotations/-1/replies/", "/api/recordings/not-a-uuid/", "/api/nothing/"]:
        response = api_get(professional, url)

        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json", url
        assert set(response.json()) == {"detail"}, url


def test_me_declares_organisation_nullable_because_a_supervisor_has_none(schema, supervisor):
    response = api_get(supervisor, "/api/me/")

    assert response.status_code == 200
    assert response.json()["organisation"] is None
    assert schema["components"]["schemas"]["Me"]["properties"]["organisation"].get("nullable") is True


def test_child_birth_month_is_declared_as_the_year_month_it_returns(schema):
    declared = schema["components"]["schemas"]["Family"]["properties"]["child_birth_month"]

    assert declared.get("format") != "date"
    assert re.fullmatch(declared["pattern"], "2026-05")
    assert declared.get("nullable") is True


@pytest.mark.parametrize(
    "query",
    [
        f"limit={BIGINT_MAX + 1}",
        f"offset={BIGINT_MAX + 1}",
        "offset=null",
        "limit=abc",
        "limit=-1",
        "offset=-1",
    ],
)
def test_oversized_or_malformed_paging_values_answer_400(professional, query):
    create_recording(professional)  # with a row the database itself is asked for the page

    response = api_get(professional, f"/api/recordings/?{query}")

    assert response.status_code == 400
    assert set(response.json()) & {"limit", "offset"}


def test_every_list_endpoint_declares_the_bounds_of_its_paging_values(schema):
    bounds = {
        (path, parameter["name"]): parameter["schema"]
        for path, method, operation in operations(schema)
        for parameter in operation.get("parameters", [])
        if parameter["name"] in {"limit", "offset"}
    }

    assert len({path for path, _name in bounds}) >= 5
    for (path, name), declared in bounds.items():
        assert declared["type"] == "integer", path
        assert "maximum" in declared and declared["maximum"] <= BIGINT_MAX, (path, name)
        assert declared["minimum"] == (1 if name == "limit" else 0), (path, name)


def test_a_filter_value_outside_its_declared_enum_answers_400(professional):
    response = api_get(professional, "/api/enrolments/?status=bogus")

    assert response.status_code == 400
    assert "status" in response.json()
