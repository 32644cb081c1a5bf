from django.urls import reverse

from courses.models import Requirement
from tests.courses.conftest import add_evidence, requirement_of

URL = reverse("courses:my_training")


def test_professional_sees_each_course_with_requirements_and_progress(
    client_for, professional, dmop_enrolment, vib_enrolment, supervisor
):
    add_evidence(dmop_enrolment, requirement_of(dmop_enrolment, Requirement.Kind.TRAINING_DAY), supervisor)
    response = client_for(professional).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "DMOP-training" in body and "VIB-SamenStarten" in body
    assert "Trainingsdag 1: het DMO-protocol en de vijf domeinen" in body
    assert f'<progress id="progress-{dmop_enrolment.pk}" value="14" max="100">' in body
    assert "Volgende stap" in body or "Next step" in body
