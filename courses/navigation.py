from django.urls import reverse
from django.utils.translation import gettext as _

from organisations.models import User
from vibplatform.navigation import NavItem


def items(user: User) -> list[NavItem]:
    entries = []
    if user.is_professional:
        entries.append(
            NavItem(
                _("My training"), reverse("courses:my_training"), _("Your DMOP and VIB steps and progress")
            )
        )
    if user.is_supervisor:
        entries.append(
            NavItem(_("My trainees"), reverse("courses:trainees"), _("Trainees and what awaits your action"))
        )
    if user.is_coordinator or user.is_administrator:
        entries.append(
            NavItem(
                _("Training overview"),
                reverse("courses:overview"),
                _("Where every professional stands in the training"),
            )
        )
    return entries
