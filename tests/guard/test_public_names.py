"""Names stored outside the code must not change when the code is moved around.

viewflow stores flow references and node names in ``Process``/``Task`` rows, Celery messages and
beat's schedule carry task names, and e-mails already sent link to URL paths. A move that renames
any of them orphans running work; this test fails first.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.guard.public_names import celery_task_names, flow_names, url_names

SNAPSHOT = json.loads((Path(__file__).parent / "public_names.json").read_text())


def test_flow_references_and_node_names_are_unchanged() -> None:
    assert flow_names() == SNAPSHOT["flows"]


def test_celery_task_names_are_unchanged() -> None:
    assert celery_task_names() == SNAPSHOT["celery_tasks"]


def test_url_names_and_paths_are_unchanged() -> None:
    assert url_names() == SNAPSHOT["urls"]


@pytest.mark.django_db
def test_models_need_no_new_migration() -> None:
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
