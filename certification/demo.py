"""Demo certificates for `manage.py seed_demo`: the trainee in training.

The colleague's DMOP certificate is not granted here: it follows from the passed final assessment of the
colleague's complete DMOP training (``courses.demo``), so the certificate and the training page agree.
"""

from __future__ import annotations

from certification.services import certification_start_training
from organisations.demo import DemoPeople


def seed(people: DemoPeople) -> None:
    """Idempotent: starting training leaves existing certificates as they are."""
    for code in ("dmop", "vib"):
        certification_start_training(professional=people.trainee, course_code=code)
