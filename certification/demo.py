"""Demo certificates for `manage.py seed_demo`: the colleague certified for DMOP, the trainee in training."""

from __future__ import annotations

from certification.services import certification_grant, certification_start_training
from organisations.demo import DemoPeople


def seed(people: DemoPeople) -> None:
    """Idempotent: granting and starting training leave existing certificates as they are."""
    certification_grant(
        professional=people.colleague,
        course_code="dmop",
        signed_off_by=people.supervisor,
        motivation="Demo: eindbeoordeling DMOP behaald.",
    )
    for code in ("dmop", "vib"):
        certification_start_training(professional=people.trainee, course_code=code)
