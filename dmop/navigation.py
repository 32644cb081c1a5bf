from django.urls import reverse
from django.utils.translation import gettext as _

from vibplatform.navigation import NavItem


def items(user) -> list[NavItem]:  # type: ignore[no-untyped-def]
    # Role flags only, no queries: the certificate gate on the pages explains what is missing.
    entries: list[NavItem] = []
    if user.is_professional:
        entries.append(
            NavItem(
                _("DMOP instrument"),
                reverse("dmop:family_list"),
                _("Follow families across the five domains at each contact moment."),
            )
        )
    if (user.is_professional or user.is_coordinator) and user.organisation_id is not None:
        entries.append(
            NavItem(
                _("Sociale kaart"),
                reverse("dmop:partner_list"),
                _("Partners per domain for referrals, and the gaps in care."),
            )
        )
    if user.is_administrator or (user.is_coordinator and user.organisation_id is not None):
        entries.append(
            NavItem(
                _("SamenStarten monitoring"),
                reverse("dmop:monitoring"),
                _("Figures about the families followed, referrals and time to first signal."),
            )
        )
    return entries
