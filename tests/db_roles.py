"""The PostgreSQL pass works as the application role, as production does (docs/production.md).

``make test-services`` logs in as the owner (``DATABASE_URL``, a superuser in CI) and sets
``DATABASE_SET_ROLE`` to the application role: every connection the application opens — the
tests', the live server's threads, the real workers and gunicorn started as subprocesses —
switches to that role (``SET ROLE``) once logged in, so the code under test has exactly the
rights production gives it (``manage.py database_roles_sql``).

The harness (``tests/conftest.py``) puts the role aside while the owner creates and migrates the
test database, as production's ``migrate`` runs as the owner; then it creates the role if the
cluster lacks it, runs the grants of ``database_roles_sql`` on the test database and puts the role
back. Only two things switch back to the owner for a moment, on the same connection
(:func:`as_owner`): Django's flush between transactional tests (it truncates every table, which
the application role may not), and the tamper tests' steps that play an insider with the owner's
rights.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections, transaction
from django.db.backends.postgresql.operations import DatabaseOperations

from approvals.management.commands.database_roles_sql import app_role_grants

#: Django's option: the role a PostgreSQL connection switches to once logged in.
OPTION = "assume_role"
_aside: dict[str, str] = {}


def app_role(alias: str = "default") -> str | None:
    """The application role the pass works as (``DATABASE_SET_ROLE``), or None."""
    options = connections[alias].settings_dict.get("OPTIONS") or {}
    return options.get(OPTION) or _aside.get(alias)


def put_aside(alias: str = "default") -> None:
    """Connect as the owner until :func:`assume`: it creates, migrates, drops the test database."""
    connection = connections[alias]
    role = connection.settings_dict.get("OPTIONS", {}).pop(OPTION, None)
    if role:
        _aside[alias] = role
        connection.close()


def assume(alias: str = "default") -> None:
    """As the owner: make the role (once per cluster) and give it production's grants on the test
    database; then every new connection works as it."""
    role = _aside.pop(alias, None)
    if role is None:
        return
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            # NOLOGIN: only a session that logged in as the owner may switch to it. Roles belong
            # to the cluster: the xdist workers' databases share them, and two workers may both
            # find it missing (the one that loses the race is told it exists).
            cursor.execute(
                "DO $$ BEGIN "
                f"CREATE ROLE {role} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE; "
                "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
            )
        for statement in app_role_grants(role):
            cursor.execute(statement)
    connection.settings_dict["OPTIONS"][OPTION] = role
    connection.close()


@contextmanager
def as_owner(alias: str = "default") -> Iterator[None]:
    """The block runs as the role the connection logged in as (the owner), then the application
    role again. Inside a transaction that rolls back, PostgreSQL restores the role by itself."""
    connection = connections[alias]
    role = (connection.settings_dict.get("OPTIONS") or {}).get(OPTION)
    if connection.vendor != "postgresql" or not role:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {role}")  # a plain name (config.env checks it)


_flush = DatabaseOperations.execute_sql_flush


def _flush_as_owner(self: DatabaseOperations, sql_list: list[str]) -> None:
    with as_owner(self.connection.alias):
        _flush(self, sql_list)


def flush_as_owner(monkeypatch: Any) -> None:
    """Django's flush between transactional tests truncates every table (the audit log too),
    which only the owner may do: it runs as the owner."""
    monkeypatch.setattr(DatabaseOperations, "execute_sql_flush", _flush_as_owner)


def end_other_sessions(alias: str = "default") -> None:
    """As the owner, before the test database is dropped: end the sessions a test left on it (a
    render thread's, a racing writer's). Otherwise the drop fails ("is being accessed by other
    users"), pytest warns, and the database stays until the next ``--create-db``."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()
