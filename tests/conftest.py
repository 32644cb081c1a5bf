"""Shared personas and helpers for every test.

The personas are the cast of every permission test: a professional (the owner of most objects), a
colleague in the same organisation, a professional of another organisation, the owner's assigned
supervisor, an unassigned supervisor, a coordinator of the owner's organisation, one of another
organisation, and a national administrator.
"""

import datetime
import os
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisations.models import Licence, Organisation, SupervisorAssignment, User, VideoGrant
from organisations.tokens import api_token_create

PASSWORD = "correct-horse-battery-staple"

# The video fixtures script lives beside the repository, in ../shared/video-fixtures/.
MAKE_FIXTURES = Path(
    os.environ.get("VIDEO_FIXTURES_SCRIPT")
    or Path(__file__).resolve().parents[2] / "shared" / "video-fixtures" / "make_fixtures.sh"
)


def make_person(email: str, **fields: object) -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, full_name=email.split("@")[0].title(), **fields
    )
    if user.requires_two_factor:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def grant_video(administrator: User, days: int = 1) -> VideoGrant:
    """An approved video grant for ``administrator``, as a second administrator would approve it."""
    grant = VideoGrant.objects.create(administrator=administrator, reason="test", days=days)
    now = timezone.now()
    VideoGrant.objects.filter(pk=grant.pk).update(
        approved_at=now, ends_at=now + datetime.timedelta(days=days)
    )
    return grant


def api_token_for(user: User, days: int = 30) -> str:
    """A personal API key for ``user``, made as on the tokens page after a two-factor login."""
    return api_token_create(user=user, name="test", days=days, second_factor=True)[1]


def login(client: Client, user: User) -> Client:
    """Log in as ``user`` including the second factor, as the login form would after a valid code."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def organisation(db) -> Organisation:
    organisation = Organisation.objects.create(name="JGZ Noord")
    Licence.objects.create(
        organisation=organisation, starts_on=datetime.date(2025, 1, 1), size_class=Licence.SizeClass.LARGE
    )
    return organisation


@pytest.fixture
def other_organisation(db) -> Organisation:
    return Organisation.objects.create(name="JGZ Zuid")


@pytest.fixture
def professional(organisation) -> User:
    return make_person(
        "petra@noord.example", organisation=organisation, is_professional=True, job_title=User.JobTitle.NURSE
    )


@pytest.fixture
def colleague(organisation) -> User:
    return make_person(
        "jan@noord.example", organisation=organisation, is_professional=True, job_title=User.JobTitle.DOCTOR
    )


@pytest.fixture
def professional_other_org(other_organisation) -> User:
    return make_person(
        "olga@zuid.example",
        organisation=other_organisation,
        is_professional=True,
        job_title=User.JobTitle.NURSE,
    )


@pytest.fixture
def supervisor(professional) -> User:
    user = make_person("sanne@ait.example", is_supervisor=True, supervisor_kind=User.SupervisorKind.BOTH)
    SupervisorAssignment.objects.create(
        supervisor=user, trainee=professional, starts_on=datetime.date.today() - datetime.timedelta(days=30)
    )
    return user


@pytest.fixture
def supervisor_unassigned(db) -> User:
    return make_person("udo@ait.example", is_supervisor=True, supervisor_kind=User.SupervisorKind.VIB)


@pytest.fixture
def coordinator(organisation) -> User:
    return make_person("carla@noord.example", organisation=organisation, is_coordinator=True)


@pytest.fixture
def coordinator_other_org(other_organisation) -> User:
    return make_person("chris@zuid.example", organisation=other_organisation, is_coordinator=True)


@pytest.fixture
def administrator(db) -> User:
    return make_person("anton@ncj.example", is_administrator=True, is_staff=True)


@pytest.fixture
def client_for(client):  # type: ignore[no-untyped-def]
    """``client_for(user)`` returns a test client logged in (with second factor) as ``user``."""

    def _client_for(user: User | None) -> Client:
        fresh = Client()
        return login(fresh, user) if user is not None else fresh

    return _client_for


# --- Browser tests: Debian's chromium driven by Playwright -------------------------------------------------

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    import shutil

    from playwright.sync_api import sync_playwright

    executable = (
        os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if executable is None:
        pytest.skip("chromium is not installed (make test installs it)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def browser_login(page, user: User) -> None:  # type: ignore[no-untyped-def]
    """Log in through the real login form, entering a real TOTP code when the role needs one."""
    from organisations.two_factor import totp_current_code

    page.goto("/login/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        page.get_by_label("Zescijferige code uit je authenticator-app").fill(totp_current_code(device))
        page.get_by_role("button", name="Controleren").click()
    page.wait_for_url(lambda url: "/login/" not in url and "/two-factor/" not in url)


# --- A missing ../shared: one message, not an error per pipeline test ------------------------------------


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    needing = [item for item in items if "video_fixtures" in getattr(item, "fixturenames", ())]
    if needing and not MAKE_FIXTURES.is_file():
        pytest.exit(
            f"{len(needing)} selected tests need the video fixtures script {MAKE_FIXTURES}, which is missing. "
            "Put the shared folder beside this repository (../shared/video-fixtures/make_fixtures.sh) or set "
            "VIDEO_FIXTURES_SCRIPT to the script's path.",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )


# --- CI: a test skipped because a service is missing is a failure there ------------------------------------


def pytest_sessionfinish(session, exitstatus):  # type: ignore[no-untyped-def]
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") == "true" and skipped and session.exitstatus == 0:
        reporter.write_line(f"CI: {len(skipped)} test(s) were skipped; every test must run in CI.", red=True)
        session.exitstatus = 1
