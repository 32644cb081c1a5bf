import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from organisations.models import SupervisorAssignment, User

LINE = re.compile(r"^(professional|supervisor|coordinator|admin): (\S+@\S+) (\S+)  # .+$")


def _run_seed() -> list[tuple[str, str, str]]:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    assert all(LINE.match(line) or line.startswith("#") for line in lines), lines
    return [m.groups() for m in map(LINE.match, lines) if m]


@pytest.mark.slow
def test_seed_demo_prints_one_login_per_role_and_is_idempotent(db, client):
    logins = _run_seed()
    assert [role for role, _, _ in logins] == [
        "professional",
        "professional",
        "supervisor",
        "coordinator",
        "admin",
    ]
    people_before = User.objects.count()
    assert _run_seed() == logins
    assert User.objects.count() == people_before

    (_, trainee, password), (_, colleague, _) = logins[0], logins[1]
    supervisor = User.objects.get(email=logins[2][1])
    assigned = set(
        SupervisorAssignment.objects.active()
        .filter(supervisor=supervisor)
        .values_list("trainee__email", flat=True)
    )
    assert trainee in assigned
    # The colleague's DMOP trainer was assigned until the DMOP training was completed.
    assert colleague not in assigned
    assert User.objects.get(email=trainee).organisation == User.objects.get(email=colleague).organisation
    response = client.post("/login/", {"username": trainee, "password": password})
    assert response.status_code == 302


def test_demo_totp_prints_a_code_that_passes_the_second_factor(db, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from organisations.demo import seed_people

    settings.DEBUG = True
    people = seed_people()
    out = StringIO()
    call_command("demo_totp", people.supervisor.email, stdout=out)
    device = TOTPDevice.objects.get(user=people.supervisor)
    assert device.verify_token(out.getvalue().strip())


def test_demo_totp_is_refused_outside_the_demo(db, settings):
    from organisations.demo import seed_people

    people = seed_people()
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_totp", people.supervisor.email)
    settings.DEBUG = True
    with pytest.raises(CommandError, match="demo accounts"):
        call_command("demo_totp", "someone@example.nl")
