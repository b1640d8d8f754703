"""``make demo`` on another port: the seed prints the address served, e-mail links follow it,
and e-mails on a laptop land in files whose place the seed names."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def _settings_in_a_fresh_process(**env: str) -> list[str]:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SITE_URL); print(settings.EMAIL_BACKEND); print(settings.EMAIL_FILE_PATH)"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "EMAIL_BACKEND"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.splitlines()


def test_make_demo_passes_its_port_to_the_seed_and_the_server() -> None:
    result = subprocess.run(
        ["make", "-n", "demo", "PORT=8123", "HOST=127.0.0.1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    seed_line = next(line for line in result.stdout.splitlines() if "seed_demo" in line)
    assert "PORT=8123" in seed_line
    assert "runserver 127.0.0.1:8123" in result.stdout


def test_site_url_follows_the_demo_port_and_mail_goes_to_files_in_debug() -> None:
    site_url, backend, mail_dir = _settings_in_a_fresh_process(
        DEBUG="true", HOST="127.0.0.1", PORT="8123"
    )
    assert site_url == "http://127.0.0.1:8123"
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert mail_dir.endswith("mail")
    # An explicit SITE_URL (production) wins over the port.
    assert (
        _settings_in_a_fresh_process(PORT="8123", SITE_URL="https://doanravao.example")[0]
        == "https://doanravao.example"
    )


def test_seed_prints_the_address_of_the_port_served_and_where_mail_goes(settings) -> None:
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEMO_HOST, settings.DEMO_PORT = "127.0.0.1", 8123
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = "/tmp/demo-mail"
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "http://127.0.0.1:8123/" in out.getvalue()
    assert "8000" not in out.getvalue()
    assert "/tmp/demo-mail" in out.getvalue()


def test_readme_keeps_two_set_up_commands_and_says_how_to_change_the_port() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make demo", "make test"]
    assert "make demo PORT=" in readme
    assert "SITE_URL" in readme
    assert "var/mail" in readme
