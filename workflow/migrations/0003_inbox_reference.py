"""The inbox copies the request's reference: room for ``THPT-NTMK/ĐR/2026/0001``, and the
rows of open and finished tasks take the rewritten references (delegations 0100)."""

import re

from django.db import migrations, models

NEW = re.compile(r"^.+/Đ[RV]/(\d{4})/(\d+)$")

MODELS = {"outbound": "OutboundRequest", "inbound": "InboundVisit"}


def copy_references(apps, schema_editor):
    entry = apps.get_model("workflow", "InboxEntry")
    for kind, model_name in MODELS.items():
        model = apps.get_model("delegations", model_name)
        ids = entry.objects.filter(request_kind=kind).values_list("request_id", flat=True)
        references = dict(
            model.objects.filter(pk__in=set(ids), reference__isnull=False).values_list(
                "pk", "reference"
            )
        )
        for request_id, reference in references.items():
            entry.objects.filter(request_kind=kind, request_id=request_id).update(
                reference=reference
            )


def strip_references(apps, schema_editor):
    entry = apps.get_model("workflow", "InboxEntry")
    for pk, reference in entry.objects.exclude(reference="").values_list("pk", "reference"):
        match = NEW.match(reference)
        if match:
            entry.objects.filter(pk=pk).update(reference="/".join(match.groups()))


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0002_inbox_entry"),
        ("delegations", "0004_references"),
    ]

    operations = [
        migrations.AlterField(
            model_name="inboxentry",
            name="reference",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(copy_references, strip_references, elidable=False),
    ]
