"""Ship the VIB and DMOP certification policies; the admin edits them afterwards.

AIT's VIB certificate is valid 3 years and renewed on at least 10 guidance trajectories, 3 supervisions,
peer review (intervisie) sessions and 1 presentation. The intervisie count and the DMOP figures are our
starting assumptions; NCJ can change them in the admin.
"""

from django.db import migrations

POLICIES = [
    {
        "course_code": "vib",
        "issuing_body": "NCJ / AIT",
        "validity_years": 3,
        "min_guidance_trajectories": 10,
        "min_supervisions": 3,
        "min_intervision_sessions": 3,
        "min_presentations": 1,
    },
    {
        "course_code": "dmop",
        "issuing_body": "N. Tan / NCJ",
        "validity_years": 3,
        "min_guidance_trajectories": 0,
        "min_supervisions": 0,
        "min_intervision_sessions": 2,
        "min_presentations": 0,
    },
]


def create_policies(apps, schema_editor):  # type: ignore[no-untyped-def]
    policy_model = apps.get_model("certification", "CourseCertificationPolicy")
    for fields in POLICIES:
        policy_model.objects.get_or_create(course_code=fields["course_code"], defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial")]

    operations = [migrations.RunPython(create_policies, migrations.RunPython.noop)]
