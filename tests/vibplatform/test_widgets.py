"""Date fields keep their value in Dutch: the browser's date picker only takes ISO dates."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.courses.conftest import *  # noqa: F403  (curricula, dmop_enrolment)


@pytest.mark.django_db
def test_a_date_field_with_a_value_shows_it_in_dutch(client_for, coordinator, dmop_enrolment):
    # The supervisor form starts on today; a Dutch value (03-12-2026) would be dropped by the browser,
    # which then sends an empty field and the form answers "Dit veld is vereist".
    url = reverse("courses:enrolment_supervisors", args=[dmop_enrolment.pk])
    response = client_for(coordinator).get(url, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    today = timezone.localdate()
    assert f'type="date" name="starts_on" value="{today.isoformat()}"' in response.content.decode()
    assert today.strftime("%d-%m-%Y") not in response.content.decode()
