"""A register's ``last_number`` is its highest number, entered by hand ones included.

Until now a number taken by the system also looked up the highest number in the register's
documents, because a number the văn thư entered did not raise ``last_number``; entering one now
raises it (``approvals.documents.registers.number_entered``), and this brings every register
up to the numbers already entered, so that lookup is no longer needed.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import Max


def raise_to_entered(apps: Any, schema_editor: Any) -> None:
    register_model = apps.get_model("approvals", "DocumentRegister")
    document_model = apps.get_model("approvals", "Document")
    tops = document_model.objects.order_by().values("register_id").annotate(top=Max("number"))
    for row in tops:
        if row["top"] is not None:
            register_model.objects.filter(
                pk=row["register_id"], last_number__lt=row["top"]
            ).update(last_number=row["top"])


class Migration(migrations.Migration):
    dependencies = [("approvals", "0001_squashed_0012_rule_stamp_reuse")]

    operations = [migrations.RunPython(raise_to_entered, migrations.RunPython.noop)]
