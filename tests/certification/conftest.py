import datetime

import pytest

from certification.models import Certificate, CertificationEvent
from certification.services import certification_grant
from organisations.models import User


@pytest.fixture
def trainer(db) -> User:
    from tests.conftest import make_person

    return make_person("tom@ncj.example", is_supervisor=True, supervisor_kind=User.SupervisorKind.DMOP)


@pytest.fixture
def certified(professional, trainer) -> Certificate:
    """The professional holds a DMOP certificate granted today."""
    return certification_grant(
        professional=professional, course_code="dmop", signed_off_by=trainer, motivation="Eindtoets behaald."
    )


def set_dates(
    certificate: Certificate, *, certified_on: datetime.date, valid_until: datetime.date
) -> Certificate:
    Certificate.objects.filter(pk=certificate.pk).update(
        certified_on=certified_on, period_starts_on=certified_on, valid_until=valid_until
    )
    certificate.refresh_from_db()
    return certificate


def events(certificate: Certificate) -> list[tuple[str, str]]:
    return list(
        CertificationEvent.objects.filter(certificate=certificate)
        .order_by("at", "pk")
        .values_list("from_status", "to_status")
    )
