"""When a VIB cycle counts for the training: its checklist, the review that closes it and its undoing.

AIT's route: a cycle is a film of parent-child interaction at a home visit plus the recorded review
conversation (nabespreking) with the parents. It counts for the VIB training only when the trainee
analysed both films, the reviewing supervisor published feedback, and that supervisor is assigned for
VIB to the trainee's open VIB enrolment the cycle belongs to. A cycle made outside an enrolment (practice
after certification) never counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from annotations.models import Annotation
from notifications.services import notification_send
from organisations.models import SupervisorAssignment, User
from recordings.models import Recording, VibCycle


@dataclass(frozen=True)
class CheckItem:
    label: str
    met: bool


def is_vib_supervisor_of_cycle(user: User, cycle: VibCycle) -> bool:
    """Whether ``user`` is assigned for VIB to the open enrolment ``cycle`` belongs to."""
    enrolment = cycle.enrolment
    if enrolment is None or not enrolment.is_open or not user.gives_vib_supervision:
        return False
    return (
        SupervisorAssignment.objects.active()
        .filter(supervisor=user, trainee_id=cycle.professional_id, enrolment=enrolment)
        .exists()
    )


def cycle_checklist(cycle: VibCycle, reviewer: User | None = None) -> list[CheckItem]:
    """What the cycle needs to count, item by item (a few queries; shown on the cycle page).

    With ``reviewer`` the feedback must be theirs and they must be assigned for VIB to the enrolment;
    without, any published supervisor feedback is shown as enough.
    """
    recordings = list(cycle.recordings.not_deleted())
    home = [r for r in recordings if r.kind == Recording.Kind.HOME_VISIT and r.is_playable]
    review = [r for r in recordings if r.kind == Recording.Kind.REVIEW_CONVERSATION and r.is_playable]
    published = Annotation.objects.filter(
        recording__in=recordings, visibility=Annotation.Visibility.PUBLISHED
    )
    analysed = set(
        published.filter(author_id=cycle.professional_id, kind=Annotation.Kind.ANALYSIS).values_list(
            "recording_id", flat=True
        )
    )
    feedback = published.filter(kind=Annotation.Kind.FEEDBACK)
    if reviewer is not None:
        feedback = feedback.filter(author=reviewer)
    enrolment = cycle.enrolment
    items = [
        CheckItem(_("Part of an open VIB enrolment"), enrolment is not None and enrolment.is_open),
        CheckItem(_("A ready home-visit film"), bool(home)),
        CheckItem(_("A ready review conversation (nabespreking)"), bool(review)),
        CheckItem(_("Own analysis of the home-visit film"), any(r.pk in analysed for r in home)),
        CheckItem(_("Own analysis of the review conversation"), any(r.pk in analysed for r in review)),
        CheckItem(_("Published feedback by the supervisor"), feedback.exists()),
    ]
    if reviewer is not None:
        assigned = is_vib_supervisor_of_cycle(reviewer, cycle)
        items.append(CheckItem(_("Reviewed by a supervisor assigned for VIB to this enrolment"), assigned))
    return items


def cycle_mark_reviewed(*, cycle: VibCycle, supervisor: User) -> VibCycle:
    """The supervisor closes a VIB cycle; refused, naming what is missing, unless the checklist holds.

    Idempotent: the first review's time and reviewer stay. The trainee is notified once.
    """
    missing = [item.label for item in cycle_checklist(cycle, supervisor) if not item.met]
    if missing:
        raise ValidationError(
            _("This cycle cannot be marked as reviewed yet. Missing: %(missing)s.")
            % {"missing": "; ".join(missing)}
        )
    with transaction.atomic():
        locked = VibCycle.objects.select_for_update().get(pk=cycle.pk)
        if locked.reviewed_at is not None:
            return locked
        locked.reviewed_at = timezone.now()
        locked.reviewed_by = supervisor
        locked.save(update_fields=["reviewed_at", "reviewed_by"])
    with override("nl"):
        notification_send(
            user=cycle.professional,
            message="cycle_reviewed",
            params={"film": cycle.created_at.isoformat()},
            url=reverse("annotations:cycle", args=[cycle.pk]),
        )
    return locked


def cycle_unmark_reviewed(*, cycle: VibCycle, supervisor: User) -> VibCycle:
    """Undo a review while the enrolment is open (not yet signed off); only a VIB supervisor of the cycle."""
    if cycle.reviewed_at is None:
        raise ValidationError(_("This cycle is not marked as reviewed."))
    if not is_vib_supervisor_of_cycle(supervisor, cycle):
        raise ValidationError(
            _("Only a supervisor assigned for VIB to the open enrolment can undo the review.")
        )
    cycle.reviewed_at = None
    cycle.reviewed_by = None
    cycle.save(update_fields=["reviewed_at", "reviewed_by"])
    return cycle
