"""The menu is declared once, in vibplatform/navigation.py: the whole menu per role, and no app reaching up
to register itself."""

import re
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse

from vibplatform.navigation import menu_for

ROOT = Path(__file__).resolve().parents[2]


def labels(user) -> list[str]:  # type: ignore[no-untyped-def]
    return [item.label for item in menu_for(user)]


def test_the_whole_menu_per_role_in_dutch_without_queries(
    professional, supervisor, coordinator, administrator, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert labels(professional) == [
            "Mijn opleiding",
            "Mijn opnames",
            "Mijn certificaten",
            "DMOP-instrument",
            "Sociale kaart",
            "API-tokens",
            "Meldingen",
        ]
        assert labels(supervisor) == [
            "Mijn deelnemers",
            "Mijn trainingsdagen",
            "Opnames van trainees",
            "Feedbackwachtrij",
            "API-tokens",
            "Meldingen",
        ]
        assert labels(coordinator) == [
            "Opleidingsoverzicht",
            "Groepen en trainingsdagen",
            "SamenStarten in de organisatie",
            "Medewerkers",
            "Certificering",
            "Sociale kaart",
            "SamenStarten-monitoring",
            "API-tokens",
            "Meldingen",
        ]
        assert labels(administrator) == [
            "Opleidingsoverzicht",
            "Toegangslog",
            "Certificering",
            "SamenStarten-monitoring",
            "Videotoegang",
            "API-tokens",
            "Meldingen",
        ]
    assert menu_for(administrator)[1].url == reverse("audit:log")


def test_no_app_imports_the_menu_to_register_itself():
    apps = [name for name in settings.INSTALLED_APPS if (ROOT / name).is_dir() and name != "vibplatform"]
    upward = [
        str(path.relative_to(ROOT))
        for app in apps
        for path in (ROOT / app).rglob("*.py")
        if re.search(r"^\s*(from|import) vibplatform\.navigation", path.read_text(), re.MULTILINE)
    ]

    assert apps and upward == []
    assert not any((ROOT / app / "navigation.py").exists() for app in apps)


def test_before_the_second_factor_the_menu_is_empty(coordinator):
    client = Client()
    client.force_login(coordinator)  # password accepted, TOTP code not yet entered

    response = client.get(reverse("two_factor_verify"))

    assert response.context["nav_items"] == []
