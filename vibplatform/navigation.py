"""The menu, declared here in one place: the apps do not know it exists.

Each entry names a page, who sees it and what it is for. Whom it is shown to is decided from the role
flags on the user alone, so building the menu costs no query. To add a page, add an entry to MENU.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from organisations.models import User
from organisations.two_factor import second_factor_pending


def _professional(user: User) -> bool:
    return user.is_professional


def _supervisor(user: User) -> bool:
    return user.is_supervisor


def _coordinator_or_administrator(user: User) -> bool:
    return user.is_coordinator or user.is_administrator


def _coordinator(user: User) -> bool:
    return user.is_coordinator


def _administrator(user: User) -> bool:
    return user.is_administrator


def _member_professional_or_coordinator(user: User) -> bool:
    # The sociale kaart is an organisation's own: only for people who belong to one.
    return (user.is_professional or user.is_coordinator) and user.organisation_id is not None


def _monitoring(user: User) -> bool:
    # Aggregates only: an organisation's coordinators, and national administrators across organisations.
    return user.is_administrator or (user.is_coordinator and user.organisation_id is not None)


def _everyone(user: User) -> bool:
    return True


@dataclass(frozen=True)
class MenuEntry:
    label: Promise
    url_name: str
    description: Promise
    shown_to: Callable[[User], bool]


MENU = [
    MenuEntry(
        _("My training"), "courses:my_training", _("Your DMOP and VIB steps and progress"), _professional
    ),
    MenuEntry(_("My trainees"), "courses:trainees", _("Trainees and what awaits your action"), _supervisor),
    MenuEntry(
        _("My training days"),
        "courses:training_days",
        _("The groups you train and their attendance"),
        _supervisor,
    ),
    MenuEntry(
        _("Training overview"),
        "courses:overview",
        _("Where every professional stands in the training"),
        _coordinator_or_administrator,
    ),
    MenuEntry(
        _("Cohorts and training days"),
        "courses:cohort_list",
        _("Enrol professionals in a group and plan its training days"),
        _coordinator,
    ),
    MenuEntry(
        _("SamenStarten in the organisation"),
        "organisations:coordination",
        _("NCJ licence, NCJ contact and the implementation checklist"),
        _coordinator,
    ),
    MenuEntry(
        _("Staff"), "organisations:staff_list", _("Add staff, set their roles, deactivate"), _coordinator
    ),
    MenuEntry(
        _("My recordings"), "recordings:list", _("Record consent, upload and watch films."), _professional
    ),
    MenuEntry(
        _("Trainees' recordings"), "recordings:list", _("Films of the trainees you supervise."), _supervisor
    ),
    MenuEntry(
        _("Access log"), "audit:log", _("Who accessed which family's data (NEN 7513)."), _administrator
    ),
    MenuEntry(
        _("Feedback queue"),
        "annotations:queue",
        _("Recordings of your trainees awaiting your feedback, oldest first."),
        _supervisor,
    ),
    MenuEntry(
        _("My certificates"),
        "certification:mine",
        _("Your DMOP and VIB certificates, renewal evidence and the certificate PDF."),
        _professional,
    ),
    MenuEntry(
        _("Certification"),
        "certification:overview",
        _("Who is certified, in training, stalled or expiring soon; CSV export."),
        _coordinator_or_administrator,
    ),
    MenuEntry(
        _("DMOP instrument"),
        "dmop:family_list",
        _("Follow families across the five domains at each contact moment."),
        _professional,
    ),
    MenuEntry(
        _("Sociale kaart"),
        "dmop:partner_list",
        _("Partners per domain for referrals, and the gaps in care."),
        _member_professional_or_coordinator,
    ),
    MenuEntry(
        _("SamenStarten monitoring"),
        "dmop:monitoring",
        _("Figures about the families followed, referrals and time to first signal."),
        _monitoring,
    ),
    MenuEntry(
        _("Video grants"),
        "organisations:video_grants",
        _("Request or approve time-limited access to films (four eyes)."),
        _administrator,
    ),
    MenuEntry(
        _("API tokens"),
        "organisations:api_tokens",
        _("Your personal keys for the API, with an end date."),
        _everyone,
    ),
    MenuEntry(
        _("Notifications"), "notifications:list", _("Messages about your training and films"), _everyone
    ),
]


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    description: str = ""


def menu_for(user: User) -> list[NavItem]:
    """The entries ``user`` may see, in menu order."""
    return [
        NavItem(str(entry.label), reverse(entry.url_name), str(entry.description))
        for entry in MENU
        if entry.shown_to(user)
    ]


def nav_items(request: HttpRequest) -> dict[str, list[NavItem]]:
    """Template context processor: the menu of the signed-in person (none before the second factor)."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or second_factor_pending(user):
        return {"nav_items": []}
    return {"nav_items": menu_for(user)}
