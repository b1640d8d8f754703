"""On PostgreSQL, forbid UPDATE and DELETE on the audit log (append-only)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION approvals_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'approvals_auditevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS approvals_auditevent_no_change ON approvals_auditevent;
CREATE TRIGGER approvals_auditevent_no_change
    BEFORE UPDATE OR DELETE ON approvals_auditevent
    FOR EACH ROW EXECUTE FUNCTION approvals_auditevent_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS approvals_auditevent_no_change ON approvals_auditevent;
DROP FUNCTION IF EXISTS approvals_auditevent_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("approvals", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
