"""The audit chain becomes keyed: each event names the HMAC key its hash was made with.

Existing rows get an empty ``key_id``: the legacy plain SHA-256 prefix of the chain. Adding a
column with a default rewrites no row, so the append-only trigger is not involved.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("approvals", "0006_document_render_state")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16, verbose_name="mã khóa"),
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "ordering": ["seq"],
                "verbose_name": "sự kiện nhật ký",
                "verbose_name_plural": "nhật ký hệ thống",
            },
        ),
    ]
