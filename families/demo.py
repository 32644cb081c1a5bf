"""Demo data: besides the trainee's filmed family (recordings.demo), a family that withdrew its consent.

The parents of DEMO-0002 called the organisation: the coordinator withdrew their consent on their behalf,
so the family page shows a withdrawn ledger and nothing of theirs is kept.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from families.models import ConsentPurpose, Family, GivenBy
from families.services import consent_record, consent_withdraw, family_for_code

WITHDRAWN_FAMILY_CODE = "DEMO-0002"


def seed(people: Any) -> Family:
    """Idempotent: a second run finds the withdrawn family and changes nothing."""
    existing = Family.objects.filter(organisation=people.organisation, code=WITHDRAWN_FAMILY_CODE).first()
    if existing is not None:
        return existing
    family = family_for_code(organisation_id=people.organisation.pk, code=WITHDRAWN_FAMILY_CODE)
    given_on = timezone.localdate() - datetime.timedelta(days=30)
    consent_record(
        family=family,
        recorded_by=people.trainee,
        given_by=GivenBy.PARENTS,
        given_on=given_on,
        valid_until=given_on + datetime.timedelta(days=365),
        purposes=[ConsentPurpose.VIB_SUPERVISION, ConsentPurpose.GROUP_SUPERVISION],
    )
    consent_withdraw(family=family, purposes=None, actor=people.coordinator)
    return family
