from django.urls import reverse
from django.utils.translation import gettext as _

from vibplatform.navigation import NavItem


def items(user) -> list[NavItem]:  # type: ignore[no-untyped-def]
    # Role flags only, no queries.
    entries: list[NavItem] = []
    if user.is_professional:
        entries.append(
            NavItem(
                _("My certificates"),
                reverse("certification:mine"),
                _("Your DMOP and VIB certificates, renewal evidence and the certificate PDF."),
            )
        )
    if user.is_coordinator or user.is_administrator:
        entries.append(
            NavItem(
                _("Certification"),
                reverse("certification:overview"),
                _("Who is certified, in training, stalled or expiring soon; CSV export."),
            )
        )
    return entries
