import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError

from dmop.models import ContactMoment, Family, looks_like_bsn
from dmop.services import family_create
from tests.dmop.conftest import record


@pytest.mark.parametrize("code", ["Jan Jansen", "ab", "x" * 33, "naam@mail.nl", "Jansen,P"])
def test_names_bsn_like_and_malformed_codes_never_reach_the_database(
    code, organisation, certified_professional
):
    # PostgreSQL refuses an overlong value as a DataError before it checks the constraint.
    with pytest.raises((IntegrityError, DataError)):
        Family.objects.create(organisation=organisation, registered_by=certified_professional, code=code)


@pytest.mark.parametrize("code", ["Jan Jansen", "ab", "x" * 33, "111222333", "12345672"])
def test_the_service_reports_malformed_codes_as_a_field_error(code, organisation, certified_professional):
    with pytest.raises(ValidationError) as error:
        family_create(organisation_id=organisation.pk, registered_by=certified_professional, code=code)
    assert "code" in error.value.message_dict


def test_the_service_stores_the_month_of_birth_as_its_first_day(organisation, certified_professional):
    import datetime

    family = family_create(
        organisation_id=organisation.pk,
        registered_by=certified_professional,
        code="NRD-5",
        child_birth_month=datetime.date(2026, 3, 17),
    )
    assert family.child_birth_month == datetime.date(2026, 3, 1)


def test_the_database_allows_one_double_contact_moment_at_8_weeks_per_family(family):
    record(family, family.registered_by, kind="8w_double")
    with pytest.raises(IntegrityError):
        ContactMoment.objects.create(
            family=family, professional=family.registered_by, date=family.created_at.date(), kind="8w_double"
        )


@pytest.mark.parametrize(
    ("value", "is_bsn"),
    [
        ("111222333", True),
        ("123456782", True),
        # The shared pseudonym rule (families.pseudonyms): any 8 or 9 digits, eleven test or not.
        ("123456789", True),
        ("12345678", True),
        ("1234567", False),
        ("NRD-111222333", False),
    ],
)
def test_a_bsn_is_recognised_by_its_shape(value, is_bsn):
    assert looks_like_bsn(value) is is_bsn
