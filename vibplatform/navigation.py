"""The menu: every app offers its own entries in ``<app>/navigation.py`` through ``items(user)``."""

from dataclasses import dataclass
from importlib import import_module

from django.http import HttpRequest

MENU_APPS = [
    "courses",
    "recordings",
    "annotations",
    "certification",
    "dmop",
    "organisations",
    "notifications",
]


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    description: str = ""


def nav_items(request: HttpRequest) -> dict[str, list[NavItem]]:
    from organisations.two_factor import second_factor_pending

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or second_factor_pending(user):
        return {"nav_items": []}
    items: list[NavItem] = []
    for app in MENU_APPS:
        items.extend(import_module(f"{app}.navigation").items(user))
    return {"nav_items": items}
