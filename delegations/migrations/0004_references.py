"""References unique across the system: ``THPT-NTMK/ĐR/2026/0001`` instead of ``2026/0001``.

Existing references were numbered per unit, kind and year already (``ReferenceCounter``), so
prefixing each with its unit's code and its kind's mark keeps them gapless and makes them
unique; the counters stay as they are. Backwards, the prefix is taken off again.
"""

import re

from django.db import migrations, models

OLD = re.compile(r"^(\d{4})/(\d+)$")
NEW = re.compile(r"^.+/Đ[RV]/(\d{4})/(\d+)$")
MARKS = {"OutboundRequest": "ĐR", "InboundVisit": "ĐV"}


def rewrite(apps, schema_editor):
    for model_name, mark in MARKS.items():
        model = apps.get_model("delegations", model_name)
        rows = model.objects.filter(reference__isnull=False).values_list(
            "pk", "reference", "unit__code"
        )
        for pk, reference, unit_code in rows.iterator():
            match = OLD.match(reference)
            if match:
                year, number = match.groups()
                new = f"{unit_code}/{mark}/{year}/{int(number):04d}"
                model.objects.filter(pk=pk).update(reference=new)


def unwrite(apps, schema_editor):
    for model_name in MARKS:
        model = apps.get_model("delegations", model_name)
        rows = model.objects.filter(reference__isnull=False).values_list("pk", "reference")
        for pk, reference in rows.iterator():
            match = NEW.match(reference)
            if match:
                year, number = match.groups()
                model.objects.filter(pk=pk).update(reference=f"{year}/{number}")


class Migration(migrations.Migration):
    dependencies = [
        ("delegations", "0003_inboundvisit_visitor"),
        ("org", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="inboundvisit",
            name="inbound_reference_unique_per_unit",
        ),
        migrations.RemoveConstraint(
            model_name="outboundrequest",
            name="outbound_reference_unique_per_unit",
        ),
        migrations.AlterField(
            model_name="inboundvisit",
            name="reference",
            field=models.CharField(blank=True, max_length=64, null=True, verbose_name="số hồ sơ"),
        ),
        migrations.AlterField(
            model_name="outboundrequest",
            name="reference",
            field=models.CharField(blank=True, max_length=64, null=True, verbose_name="số hồ sơ"),
        ),
        migrations.RunPython(rewrite, unwrite, elidable=False),
        migrations.AddConstraint(
            model_name="inboundvisit",
            constraint=models.UniqueConstraint(
                condition=models.Q(("reference__isnull", False)),
                fields=("reference",),
                name="inbound_reference_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="outboundrequest",
            constraint=models.UniqueConstraint(
                condition=models.Q(("reference__isnull", False)),
                fields=("reference",),
                name="outbound_reference_unique",
            ),
        ),
    ]
