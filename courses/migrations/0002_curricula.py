"""Ship the DMOP and VIB-SamenStarten curricula as data; administrators edit them in the admin.

The texts are content (Dutch), not interface strings. The VIB route follows AIT: 16 supervision sessions
over about one and a half years, an interim evaluation after the 8th by the supervisor and a second
trainer, and 2 more sessions in the following year. A VIB cycle is one film of parent-child interaction
plus its recorded review conversation (nabespreking) with the parents.
"""

from django.db import migrations

DMOP = {
    "name": "DMOP-training",
    "description": (
        "Werken met het DMO-protocol: samen met ouders de opvoedingssituatie in kaart brengen en volgen "
        "aan de hand van de vijf domeinen (competentie van de ouders, rol van de partner, sociaal netwerk, "
        "gebeurtenissen en omstandigheden, welbevinden van het kind)."
    ),
    "requirements": [
        ("training_day", "Trainingsdag 1: het DMO-protocol en de vijf domeinen", 1, False,
         "Kennismaking met SamenStarten en het DMOP als stapsgewijs volgsysteem."),
        ("study_module", "Handleiding DMOP bestuderen", 1, False,
         "Lees de handleiding en de gespreksleidraad per domein voor de tweede trainingsdag."),
        ("training_day", "Trainingsdag 2: gespreksvoering vanuit empowerment", 1, False,
         "Oefenen met het bespreken van de vijf domeinen en samen met ouders een plan van aanpak maken."),
        ("assignment", "Casusopdracht: een gezin in kaart met de vijf domeinen", 1, False,
         "Werk een (geanonimiseerde) casus uit met het DMOP en beschrijf welke zorg op maat je afsprak."),
        ("supervision_meetings", "Casuïstiekbesprekingen", 2, False,
         "Bespreek je eigen DMOP-gesprekken in twee casuïstiekbesprekingen met de trainer."),
        ("training_day", "Terugkomdag", 1, False, "Ervaringen uitwisselen en de sociale kaart bespreken."),
        ("final_assessment", "Eindbeoordeling DMOP", 1, False,
         "De trainer beoordeelt of je het DMOP zelfstandig toepast en motiveert het oordeel."),
    ],
}

VIB = {
    "name": "VIB-SamenStarten",
    "description": (
        "Individuele Video Interactie Begeleiding volgens de route van AIT: filmen van ouder-kindinteractie "
        "tijdens huisbezoeken, de film analyseren en met de ouders nabespreken, onder supervisie."
    ),
    "requirements": [
        ("training_day", "Startbijeenkomst VIB-SamenStarten", 1, False,
         "Uitleg over de route, de basiscommunicatie en de contactprincipes."),
        ("study_module", "Theorie: basiscommunicatie en contactprincipes", 1, False,
         "Bestudeer de theorie over basiscommunicatie en het analyseren van interactie op film."),
        ("supervision_meetings", "Supervisies eerste traject", 16, False,
         "Zestien supervisies in ongeveer anderhalf jaar; in elke supervisie bespreek je een eigen film."),
        ("milestone", "Tussentijdse evaluatie", 8, True,
         "Na de 8e supervisie beoordelen je supervisor en een tweede trainer samen je voortgang."),
        ("vib_cycles", "Begeleide VIB-cycli", 8, False,
         "Een cyclus is een film van ouder-kindinteractie plus de opgenomen nabespreking met de ouders, "
         "besproken door je supervisor."),
        ("distinct_families", "Verschillende gezinnen", 4, False,
         "Je cycli komen uit ten minste vier verschillende gezinnen."),
        ("assignment", "Reflectieverslag", 1, False,
         "Beschrijf wat je hebt geleerd van je films en nabesprekingen en hoe je VIB verder toepast."),
        ("supervision_meetings", "Supervisies tweede jaar", 2, False,
         "Twee vervolgsupervisies in het jaar na het eerste traject."),
        ("final_assessment", "Eindbeoordeling VIB", 1, False,
         "De supervisor beoordeelt of je VIB zelfstandig toepast en motiveert het oordeel."),
    ],
}


def ship_curricula(apps, schema_editor):
    Course = apps.get_model("courses", "Course")
    CourseVersion = apps.get_model("courses", "CourseVersion")
    Requirement = apps.get_model("courses", "Requirement")
    for code, data in (("dmop", DMOP), ("vib", VIB)):
        course, _ = Course.objects.get_or_create(
            code=code, defaults={"name": data["name"], "description": data["description"]}
        )
        version, created = CourseVersion.objects.get_or_create(
            course=course, label="2025", defaults={"is_current": True}
        )
        if not created:
            continue
        for order, (kind, title, target, second, description) in enumerate(data["requirements"], start=1):
            Requirement.objects.create(
                version=version,
                order=order,
                kind=kind,
                title=title,
                target_count=target,
                needs_second_assessor=second,
                description=description,
            )


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]

    operations = [migrations.RunPython(ship_curricula, migrations.RunPython.noop)]
