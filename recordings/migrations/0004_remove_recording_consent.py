"""Consent lives in families now: the per-recording consent goes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("recordings", "0003_consents_to_families")]

    operations = [
        migrations.RemoveField(model_name="recording", name="consent"),
        migrations.DeleteModel(name="Consent"),
        migrations.AlterField(
            model_name="recording",
            name="family",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="recordings",
                to="families.family",
                verbose_name="family",
            ),
        ),
    ]
