"""On PostgreSQL: refuse TRUNCATE of the audit log too, and take every write right but INSERT
from any role other than the owner (the application's role may only INSERT and SELECT).

A row trigger does not fire on TRUNCATE; a statement trigger does. Taking the rights away here
makes the first ``migrate`` safe even when default privileges granted the application role
everything on the table when it was created (``docs/production.md``).
"""

from django.db import migrations

FORWARD = """
-- A superuser may empty the table (Django's flush between transactional tests, a test
-- database): a superuser can switch any trigger off anyway. Everyone else is refused.
CREATE OR REPLACE FUNCTION approvals_auditevent_no_truncate() RETURNS trigger AS $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'approvals_auditevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS approvals_auditevent_no_truncate ON approvals_auditevent;
CREATE TRIGGER approvals_auditevent_no_truncate
    BEFORE TRUNCATE ON approvals_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION approvals_auditevent_no_truncate();
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON approvals_auditevent FROM PUBLIC;
DO $$
DECLARE grantee_name text;
BEGIN
    FOR grantee_name IN
        SELECT DISTINCT grantee FROM information_schema.table_privileges
        WHERE table_schema = current_schema() AND table_name = 'approvals_auditevent'
          AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER')
          AND grantee NOT IN ('PUBLIC', current_user)
          AND grantee <> (SELECT tableowner FROM pg_tables
                          WHERE schemaname = current_schema()
                            AND tablename = 'approvals_auditevent')
    LOOP
        EXECUTE format(
            'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON approvals_auditevent FROM %I',
            grantee_name
        );
    END LOOP;
END
$$;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS approvals_auditevent_no_truncate ON approvals_auditevent;
DROP FUNCTION IF EXISTS approvals_auditevent_no_truncate();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("approvals", "0007_audit_key")]
    operations = [migrations.RunPython(forward, backward)]
