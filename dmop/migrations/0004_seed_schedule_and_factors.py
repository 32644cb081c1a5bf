"""The JGZ 0-4 contact moment schedule and the starting lists of risk and protective factors (data).

Both are editable by administrators afterwards; the windows and factor labels are a first proposal to
confirm with NCJ. Existing referrals get the status "proposed" on the date of their contact moment.
"""

from django.db import migrations

SCHEDULE = [
    # kind, from age (days), to age (days): the 8-week double contact moment at 6 to 11 weeks.
    ("8w_double", 42, 77),
    ("3m", 77, 135),
    ("6m", 150, 240),
    ("9m", 240, 330),
    ("14m", 390, 480),
    ("18m", 510, 600),
    ("2y", 690, 810),
    ("3y", 1050, 1230),
]

FACTORS = {
    "parent_competence": (
        ["Onzekerheid in de verzorging", "Psychische klachten van een ouder", "Weinig kennis van de ontwikkeling"],
        ["Ouder voelt zich competent", "Sensitieve reactie op het kind"],
    ),
    "partner_role": (
        ["Spanningen tussen de ouders", "Partner weinig betrokken"],
        ["Partner steunt bij de verzorging", "Taken goed verdeeld"],
    ),
    "social_network": (
        ["Klein of geen netwerk", "Sociaal isolement"],
        ["Familie of vrienden helpen", "Contact met andere ouders"],
    ),
    "events_circumstances": (
        ["Financiële zorgen", "Ingrijpende gebeurtenis (verlies, verhuizing, ziekte)", "Problemen met huisvesting"],
        ["Stabiele woonsituatie", "Werk en inkomen zeker"],
    ),
    "child_wellbeing": (
        ["Huil- of slaapproblemen", "Voedingsproblemen", "Vroeggeboorte of ziekte"],
        ["Goede groei en ontwikkeling", "Kind makkelijk te troosten"],
    ),
}


def seed(apps, schema_editor):
    ScheduledMoment = apps.get_model("dmop", "ScheduledMoment")
    Factor = apps.get_model("dmop", "Factor")
    PlanAction = apps.get_model("dmop", "PlanAction")
    for order, (kind, start, end) in enumerate(SCHEDULE):
        ScheduledMoment.objects.get_or_create(
            kind=kind, defaults={"order": order, "from_age_days": start, "to_age_days": end}
        )
    for domain, (risks, protective) in FACTORS.items():
        for kind, labels in (("risk", risks), ("protective", protective)):
            for label in labels:
                Factor.objects.get_or_create(domain=domain, kind=kind, label=label)
    for action in PlanAction.objects.filter(referral__isnull=False).select_related("assessment__contact_moment"):
        action.referral_status = "proposed"
        action.referral_proposed_on = action.assessment.contact_moment.date
        action.save(update_fields=["referral_status", "referral_proposed_on"])


class Migration(migrations.Migration):
    dependencies = [("dmop", "0003_fidelity_schedule_factors_plan_versions_policy")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
