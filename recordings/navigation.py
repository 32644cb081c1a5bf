from django.urls import reverse
from django.utils.translation import gettext as _

from organisations.models import User
from vibplatform.navigation import NavItem


def items(user: User) -> list[NavItem]:
    """Menu entries from the user's role flags only (no queries)."""
    entries: list[NavItem] = []
    if user.is_professional:
        entries.append(
            NavItem(
                _("My recordings"), reverse("recordings:list"), _("Record consent, upload and watch films.")
            )
        )
    if user.is_supervisor:
        entries.append(
            NavItem(
                _("Trainees' recordings"),
                reverse("recordings:list"),
                _("Films of the trainees you supervise."),
            )
        )
    if user.is_administrator:
        entries.append(
            NavItem(_("Access log"), reverse("audit:log"), _("Who accessed which family's data (NEN 7513)."))
        )
    return entries
