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
        entries.append(
            NavItem(
                _("My training days"),
                reverse("courses:training_days"),
                _("The groups you train and their attendance"),
            )
        )
    if user.is_coordinator or user.is_administrator:
        entries.append(
            NavItem(
                _("Training overview"),
                reverse("courses:overview"),
                _("Where every professional stands in the training"),
            )
        )
    if user.is_coordinator:
        entries.append(
            NavItem(
                _("Cohorts and training days"),
                reverse("courses:cohort_list"),
                _("Enrol professionals in a group and plan its training days"),
            )
        )
    return entries
