"""Typed readers for configuration taken from the environment.

Every setting that differs between a laptop and production is read here, once, at start-up.
A value that cannot be parsed stops the process with a message naming the variable, rather
than letting a typo become a silent default.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import importlib.util
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    """Return the variable as text; without a default, a missing variable is an error."""
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}.") from exc


def env_month_day(name: str, default: str) -> str:
    """Return the variable as a day of the year, "MM-DD" (checked against a leap year)."""
    value = env_str(name, default)
    try:
        datetime.date.fromisoformat(f"2000-{value}")
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be MM-DD, not {value!r}.") from exc
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class Database:
    """A parsed DATABASE_URL: ``sqlite:///path`` or ``postgres://user:pw@host:port/name``."""

    engine: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    options: dict[str, str] | None = None

    @property
    def is_postgresql(self) -> bool:
        return self.engine == "django.db.backends.postgresql"

    def working_as(self, role: str) -> Database:
        """The same database, every connection switching to ``role`` (``SET ROLE``) once it has
        logged in: Django's ``assume_role`` option. PostgreSQL only; SQLite has no roles."""
        if not _ROLE_NAME.match(role):
            raise ImproperlyConfigured(f"DATABASE_SET_ROLE must be a plain role name: {role!r}.")
        if not self.is_postgresql:
            return self
        return replace(self, options={**(self.options or {}), "assume_role": role})

    def waiting_at_most(self, lock_timeout_ms: int) -> Database:
        """The same database, every statement giving up after waiting ``lock_timeout_ms`` for a
        lock (PostgreSQL's ``lock_timeout``, with any ``options`` the URL gave). PostgreSQL
        only; SQLite has its busy timeout. 0: no limit."""
        if not self.is_postgresql or lock_timeout_ms <= 0:
            return self
        given = (self.options or {}).get("options", "")
        limit = f"-c lock_timeout={int(lock_timeout_ms)}"
        return replace(
            self, options={**(self.options or {}), "options": f"{given} {limit}".strip()}
        )

    def as_django(self) -> dict[str, object]:
        config: dict[str, object] = {
            # Django's backend with the before-commit queue the audit chain uses (config.db).
            "ENGINE": BACKENDS.get(self.engine, self.engine),
            "NAME": self.name,
            "ATOMIC_REQUESTS": False,
        }
        if self.is_postgresql:
            config.update(
                USER=self.user,
                PASSWORD=self.password,
                HOST=self.host,
                PORT=self.port,
                CONN_MAX_AGE=60,
                CONN_HEALTH_CHECKS=True,
                OPTIONS=dict(self.options or {}),
            )
        else:
            config["OPTIONS"] = SQLITE_OPTIONS.copy()
            # Tests on SQLite run in memory (Django's default, said out loud: pytest-django
            # recognises it only under Django's own engine name).
            config["TEST"] = {"NAME": ":memory:"}
        return config


#: Django's backends → the same with the before-commit queue of :mod:`config.db`.
BACKENDS = {
    "django.db.backends.sqlite3": "config.db.sqlite3",
    "django.db.backends.postgresql": "config.db.postgresql",
}


#: SQLite as an embedded database that holds concurrent requests (``make demo``, a small office):
#: - ``transaction_mode`` IMMEDIATE: every transaction takes the write lock when it begins, so
#:   two writers queue one behind the other instead of both reading and then failing to upgrade
#:   to a write lock ("database is locked", which no busy timeout can cure);
#: - ``timeout`` (the busy timeout): a writer waits up to 20 s for the one ahead of it;
#: - WAL journal: readers never wait for the writer; ``synchronous=NORMAL`` is safe with WAL.
#: Contested decisions thus give one 200 and 409s, as on PostgreSQL (``tests/faults``).
SQLITE_OPTIONS: dict[str, object] = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}


def parse_database_url(url: str, base_dir: Path) -> Database:
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        # sqlite:///relative.db → relative to the project; sqlite:////abs.db → absolute.
        if path.startswith("//"):
            name = path[1:]
        else:
            name = str(base_dir / path.lstrip("/")) if path.strip("/") else ":memory:"
        return Database(engine="django.db.backends.sqlite3", name=name)
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        if not parsed.path.strip("/"):
            raise ImproperlyConfigured("DATABASE_URL must name a database: postgres://…/name")
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return Database(
            engine="django.db.backends.postgresql",
            name=unquote(parsed.path.lstrip("/")),
            user=unquote(parsed.username or ""),
            password=unquote(parsed.password or ""),
            host=parsed.hostname or "",
            port=str(parsed.port or ""),
            options=options,
        )
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {parsed.scheme!r} is not supported; use sqlite:// or postgres://."
    )


def parse_audit_keys(raw: str) -> list[tuple[str, bytes]]:
    """``AUDIT_KEYS="k2:<base64>,k1:<base64>"``: the audit chain's HMAC keys, current first.

    A key id is 1–16 letters, digits, ``-`` or ``_``; a key is at least 32 bytes once decoded.
    """
    keys: list[tuple[str, bytes]] = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        key_id, sep, encoded = item.partition(":")
        key_id = key_id.strip()
        if not sep or not key_id or len(key_id) > 16:
            raise ImproperlyConfigured("AUDIT_KEYS items must read <key id>:<base64 key>.")
        if not all(c.isalnum() or c in "-_" for c in key_id):
            raise ImproperlyConfigured(f"AUDIT_KEYS: key id {key_id!r} has invalid characters.")
        try:
            key = base64.b64decode(encoded.strip(), validate=True)
        except binascii.Error as exc:
            raise ImproperlyConfigured(f"AUDIT_KEYS: key {key_id!r} is not base64.") from exc
        if len(key) < 32:
            raise ImproperlyConfigured(f"AUDIT_KEYS: key {key_id!r} is shorter than 32 bytes.")
        if any(existing == key_id for existing, _key in keys):
            raise ImproperlyConfigured(f"AUDIT_KEYS: key id {key_id!r} appears twice.")
        keys.append((key_id, key))
    if not keys:
        raise ImproperlyConfigured("AUDIT_KEYS names no key.")
    return keys


#: Django's storage of files on this host's disk (``MEDIA_ROOT``).
LOCAL_MEDIA_STORAGE: dict[str, object] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def s3_media_storage(
    bucket: str,
    *,
    endpoint_url: str = "",
    region: str = "",
    access_key: str = "",
    secret_key: str = "",
    prefix: str = "",
) -> dict[str, object]:
    """A ``STORAGES`` entry of files kept in an S3-compatible bucket (django-storages): the
    files' (``default``) or the audit checkpoints'.

    Objects are private and never overwritten: every file is served by the application after
    the user's rights are checked, never by a public URL; a name already taken gets a suffix.
    Empty values are left to boto3's own configuration (its environment, an instance role).
    """
    if importlib.util.find_spec("storages") is None:  # an optional extra
        raise ImproperlyConfigured(
            "MEDIA_S3_BUCKET and AUDIT_CHECKPOINT_S3_BUCKET need django-storages: "
            "pip install '.[s3]' (docs/production.md)."
        )
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "location": prefix.strip("/"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
