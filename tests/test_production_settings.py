"""The production example configuration: clean deploy checks, and no published secret accepted."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

from config.env import parse_database_url

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / ".env.production.example"


def example_environment(tmp_path: Path, **overrides: str) -> dict[str, str]:
    values = {}
    for line in EXAMPLE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _sep, value = line.partition("=")
            values[name] = value
    # No PostgreSQL or Redis needed to read the settings and run the checks.
    values |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "REDIS_URL": ""}
    values |= overrides
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return keep | {"DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path)} | values


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_checks_are_clean_with_the_production_example(tmp_path: Path) -> None:
    env = example_environment(tmp_path, SECRET_KEY=secrets.token_urlsafe(60))
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_example_secret_key_refuses_to_start(tmp_path: Path) -> None:
    result = manage(example_environment(tmp_path), "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be 50+ random characters" in result.stderr


def test_a_short_secret_key_refuses_to_start(tmp_path: Path) -> None:
    result = manage(example_environment(tmp_path, SECRET_KEY="abcdefghij" * 3), "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_malformed_set_role_refuses_to_start(tmp_path: Path) -> None:
    env = example_environment(
        tmp_path, SECRET_KEY=secrets.token_urlsafe(60), DATABASE_SET_ROLE="app; RESET ROLE"
    )
    result = manage(env, "check")
    assert result.returncode != 0
    assert "DATABASE_SET_ROLE must be a plain role name" in result.stderr


def test_set_role_is_django_s_assume_role_on_postgresql_only(tmp_path: Path) -> None:
    postgres = parse_database_url("postgres://owner@db:5432/doanravao?sslmode=require", ROOT)
    assert postgres.working_as("doanravao_app").as_django()["OPTIONS"] == {
        "sslmode": "require",
        "assume_role": "doanravao_app",
    }
    sqlite = parse_database_url(f"sqlite:///{tmp_path / 'db.sqlite3'}", ROOT)
    assert sqlite.working_as("doanravao_app") == sqlite


def settings_of(tmp_path: Path, expression: str, **env: str) -> Any:
    """``expression`` (over ``settings`` and ``router``) evaluated by the production settings
    with the example environment and ``env``, in a process of its own."""
    script = (
        "import json; from django.conf import settings; from django.db import router; "
        f"print(json.dumps({expression}))"
    )
    environment = example_environment(tmp_path, SECRET_KEY=secrets.token_urlsafe(60), **env)
    result = manage(environment, "shell", "-c", script)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_replica_url_adds_a_read_only_alias_that_never_migrates(tmp_path: Path) -> None:
    replica = settings_of(
        tmp_path,
        "[settings.DATABASES['replica'][k] for k in ('HOST', 'OPTIONS')]"
        " + [router.allow_migrate(db, 'delegations') for db in ('replica', 'default')]",
        DATABASE_URL="postgres://doanravao_app:pw@primary.example:5432/doanravao",
        DATABASE_REPLICA_URL="postgres://doanravao_app:pw@standby.example:5432/doanravao",
        DATABASE_SET_ROLE="doanravao_app",
    )
    # A standby that does not answer is given up after 3 s, not the TCP timeout; a lock wait
    # after DATABASE_LOCK_TIMEOUT_MS, as on the primary.
    options = {
        "connect_timeout": "3",
        "assume_role": "doanravao_app",
        "options": "-c lock_timeout=10000",
    }
    assert replica == ["standby.example", options, False, True]


def test_without_a_replica_url_there_is_no_replica(tmp_path: Path) -> None:
    assert settings_of(tmp_path, "sorted(settings.DATABASES)") == ["default"]


def test_a_bucket_name_keeps_the_files_in_s3_privately(tmp_path: Path) -> None:
    storage = settings_of(
        tmp_path,
        "settings.STORAGES['default']",
        MEDIA_S3_BUCKET="doanravao-files",
        MEDIA_S3_ENDPOINT_URL="https://s3.example.gov.vn",
        MEDIA_S3_PREFIX="/media/",
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["location"]) == (
        "doanravao-files",
        "https://s3.example.gov.vn",
        "media",
    )
    # Private and never overwritten: served only through the application's checked views.
    assert (options["default_acl"], options["querystring_auth"], options["file_overwrite"]) == (
        None,
        True,
        False,
    )


def test_without_a_bucket_the_files_stay_under_media_root(tmp_path: Path) -> None:
    storage = settings_of(tmp_path, "settings.STORAGES['default']")
    assert storage == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_checkpoint_bucket_keeps_the_audit_checkpoints_in_s3_with_the_files_keys(
    tmp_path: Path,
) -> None:
    storage = settings_of(
        tmp_path,
        "settings.STORAGES['audit_checkpoints']",
        MEDIA_S3_BUCKET="doanravao-files",
        MEDIA_S3_ENDPOINT_URL="https://s3.example.gov.vn",
        MEDIA_S3_ACCESS_KEY_ID="files-key",
        AUDIT_CHECKPOINT_S3_BUCKET="doanravao-audit-worm",
        AUDIT_CHECKPOINT_S3_ACCESS_KEY_ID="append-only-key",
    )
    options = storage["OPTIONS"]
    assert (options["bucket_name"], options["location"], options["file_overwrite"]) == (
        "doanravao-audit-worm",
        "audit-checkpoints",
        False,
    )
    # The address comes from the files' bucket; the keys its own, when it names them.
    assert (options["endpoint_url"], options["access_key"]) == (
        "https://s3.example.gov.vn",
        "append-only-key",
    )


def test_without_a_checkpoint_bucket_the_checkpoints_stay_in_their_directory(
    tmp_path: Path,
) -> None:
    assert "audit_checkpoints" not in settings_of(tmp_path, "sorted(settings.STORAGES)")


def test_lock_timeout_joins_the_url_s_options_on_postgresql_only(tmp_path: Path) -> None:
    url = "postgres://app@db:5432/doanravao?options=-c%20search_path%3Dapp"
    postgres = parse_database_url(url, ROOT)
    assert postgres.waiting_at_most(5000).as_django()["OPTIONS"] == {
        "options": "-c search_path=app -c lock_timeout=5000"
    }
    assert postgres.waiting_at_most(0) == postgres  # 0: no limit
    sqlite = parse_database_url(f"sqlite:///{tmp_path / 'db.sqlite3'}", ROOT)
    assert sqlite.waiting_at_most(5000) == sqlite
