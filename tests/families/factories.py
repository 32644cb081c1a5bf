"""Families with a consent ledger for tests: ``family_with_consent(organisation, code)``.

Every recording needs a family; this is the one way the test modules make one.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from families.models import Consent, ConsentPurpose, Family, GivenBy
from organisations.models import Organisation, User


def family_with_consent(
    organisation: Organisation | None,
    code: str = "FAM-0042",
    *,
    recorded_by: User,
    purposes: tuple[str, ...] = (ConsentPurpose.VIB_SUPERVISION,),
    **fields: object,
) -> Family:
    """The organisation's family ``code`` (made if new) with a current consent for ``purposes``.

    ``fields`` override the consent's given_on, valid_until, withdrawn_at or given_by.
    """
    assert organisation is not None
    family, _created = Family.objects.get_or_create(organisation=organisation, code=code)
    today = timezone.localdate()
    values: dict[str, object] = {
        "given_by": GivenBy.PARENTS,
        "given_on": today - datetime.timedelta(days=10),
        "valid_until": today + datetime.timedelta(days=365),
    } | fields
    for purpose in purposes:
        Consent.objects.create(family=family, purpose=purpose, recorded_by=recorded_by, **values)
    return family


def family_of(professional: User, code: str = "FAM-0042", **fields: object) -> Family:
    """``family_with_consent`` in the professional's own organisation, recorded by them."""
    return family_with_consent(professional.organisation, code, recorded_by=professional, **fields)
