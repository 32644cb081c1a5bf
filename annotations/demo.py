"""Demo data: annotations on the trainee's demo films, so the workspace shows what VIB looks like.

The cycle of family DEMO-0001 stays incomplete (no nabespreking yet); the cycle of DEMO-0002 meets its
checklist (both films, own analysis on both, the supervisor's feedback), is reviewed, and is linked to
the trainee's latest supervision session.
"""

from __future__ import annotations

from typing import Any

from annotations.access import Workspace
from annotations.cycles import cycle_mark_reviewed
from annotations.models import Annotation
from annotations.services import annotation_create, annotation_reply, categories_for_recording
from courses.models import SupervisionSession
from organisations.rules import Relation
from recordings.models import Recording


def seed(people: Any) -> None:
    """Idempotent: does nothing for films that are missing or already annotated."""
    _seed_first_film(people)
    _seed_complete_cycle(people)


def _seed_complete_cycle(people: Any) -> None:
    films = list(
        Recording.objects.filter(professional=people.trainee, family__code="DEMO-0002")
        .select_related("professional", "cycle__enrolment")
        .order_by("kind")
    )
    if len(films) != 2 or any(film.annotations.exists() for film in films):
        return
    for film in films:
        vocabulary = list(categories_for_recording(film))
        if not vocabulary:
            return
        own = Workspace(recording=film, relation=Relation.SELF)
        annotation_create(
            workspace=own,
            author=people.trainee,
            start_ms=800,
            category=vocabulary[0],
            contact=Annotation.Contact.ON if vocabulary[0].is_contact_principle else "",
            text="Hier volg ik het initiatief." if film.kind == "review_conversation" else "Kind kijkt op.",
            kind=Annotation.Kind.ANALYSIS,
        )
    annotation_create(
        workspace=Workspace(recording=films[0], relation=Relation.SUPERVISOR),
        author=people.supervisor,
        start_ms=800,
        category=list(categories_for_recording(films[0]))[0],
        text="Goed gezien. Laat dit moment in de nabespreking als eerste zien.",
        kind=Annotation.Kind.FEEDBACK,
        visibility=Annotation.Visibility.PUBLISHED,
    )
    cycle = films[0].cycle
    if cycle is None or not all(film.is_playable for film in films):
        return
    cycle_mark_reviewed(cycle=cycle, supervisor=people.supervisor)
    latest = SupervisionSession.objects.filter(participants__enrolment__professional=people.trainee).first()
    if latest is not None:
        latest.cycles.add(cycle)


def _seed_first_film(people: Any) -> None:
    recording = (
        Recording.objects.filter(professional=people.trainee, family__code="DEMO-0001", kind="home_visit")
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
