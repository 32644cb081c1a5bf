"""Demo data: a few annotations on the trainee's demo film, so the workspace shows what VIB looks like."""

from __future__ import annotations

from typing import Any

from annotations.access import Workspace
from annotations.models import Annotation
from annotations.services import annotation_create, annotation_reply, categories_for_recording
from organisations.rules import Relation
from recordings.models import Recording


def seed(people: Any) -> None:
    """Idempotent: does nothing when the demo film is missing or already annotated."""
    recording = (
        Recording.objects.filter(professional=people.trainee, family__code="DEMO-0001")
        .select_related("professional")
        .first()
    )
    if recording is None or recording.annotations.exists():
        return
    vocabulary = {category.name: category for category in categories_for_recording(recording)}
    if not vocabulary:
        return
    own = Workspace(recording=recording, relation=Relation.SELF)
    supervised = Workspace(recording=recording, relation=Relation.SUPERVISOR)
    initiative = annotation_create(
        workspace=own,
        author=people.trainee,
        start_ms=500,
        category=vocabulary["Initiatief nemen"],
        text="Het kind kijkt naar moeder en maakt een geluidje.",
        kind=Annotation.Kind.ANALYSIS,
    )
    annotation_create(
        workspace=own,
        author=people.trainee,
        start_ms=1200,
        end_ms=2400,
        category=vocabulary["Ontvangen/bevestigen"],
        text="Moeder kijkt terug, glimlacht en zegt: 'Ja, ik hoor je.'",
        kind=Annotation.Kind.ANALYSIS,
        linked_to=initiative,
    )
    feedback = annotation_create(
        workspace=supervised,
        author=people.supervisor,
        start_ms=1200,
        category=vocabulary["Benoemen"],
        text="Mooi moment om te laten zien: moeder benoemt wat het kind doet. Laat dit terugzien in de nabespreking.",
        kind=Annotation.Kind.FEEDBACK,
        visibility=Annotation.Visibility.PUBLISHED,
    )
    annotation_reply(parent=feedback, author=people.trainee, text="Dank je, dit fragment neem ik mee.")
