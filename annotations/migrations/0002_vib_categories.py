"""Ship the VIB vocabulary for the VIB course's current version; administrators edit it in the admin.

The names and descriptions are content (Dutch, as the supervisors use them), not interface strings.
Colours come from the Okabe-Ito palette, which stays distinguishable with the common colour blindnesses.
"""

from django.db import migrations

VIB_CATEGORIES = [
    (
        "Initiatief nemen",
        "#E69F00",
        "Het kind of de ouder doet een toenadering: kijken, wijzen, een geluid, een gebaar, een woord. "
        "Initiatieven zijn het begin van elk contact; eerst zien, dan volgen.",
    ),
    (
        "Ontvangen/bevestigen",
        "#009E73",
        "Het initiatief wordt gezien en beantwoord: toewenden, aankijken, knikken, benoemen wat het kind "
        "laat zien. Het kind ervaart dat het gezien en gehoord wordt.",
    ),
    (
        "Beurt geven en nemen",
        "#56B4E9",
        "Contact als een gesprek in beurten: wachten, ruimte laten, op elkaar reageren, zodat een "
        "contactketen ontstaat.",
    ),
    (
        "Benoemen",
        "#CC79A7",
        "Waarnemingen, gevoelens, bedoelingen en handelingen onder woorden brengen: van het kind, van "
        "jezelf en van wat er samen gebeurt.",
    ),
    (
        "Leiding geven",
        "#0072B2",
        "Structuur bieden vanuit een goed contact: richting geven, grenzen stellen, voorstellen doen, "
        "afronden en overgaan naar iets nieuws.",
    ),
    (
        "Werkpunt",
        "#D55E00",
        "Een moment om samen naar te kijken: wat kan de professional of de ouder hier (nog) anders doen? "
        "Altijd met een positief alternatief.",
    ),
]


def ship_vib_categories(apps, schema_editor):
    CourseVersion = apps.get_model("courses", "CourseVersion")
    Category = apps.get_model("annotations", "Category")
    version = CourseVersion.objects.filter(course__code="vib", is_current=True).first()
    if version is None:
        return
    for order, (name, colour, description) in enumerate(VIB_CATEGORIES, start=1):
        Category.objects.get_or_create(
            course_version=version,
            name=name,
            defaults={"colour": colour, "description": description, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0001_initial"),
        ("courses", "0002_curricula"),
    ]

    operations = [migrations.RunPython(ship_vib_categories, migrations.RunPython.noop)]
