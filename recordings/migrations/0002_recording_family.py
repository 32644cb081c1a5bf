"""Recordings and cycles get their family (filled in by the next migration)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0001_families_and_consents"),
        ("recordings", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="recording",
            name="family",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="recordings",
                to="families.family",
                verbose_name="family",
            ),
        ),
        migrations.AddField(
            model_name="vibcycle",
            name="family",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="vib_cycles",
                to="families.family",
                verbose_name="family",
            ),
        ),
    ]
