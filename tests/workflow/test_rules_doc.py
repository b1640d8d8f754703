"""docs/rules.md is generated from the registry and must be committed up to date."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from workflow.rules.docs import render_rules_doc
from workflow.rules.pack import all_rules

DOC = Path(settings.BASE_DIR) / "docs" / "rules.md"


def test_committed_rules_doc_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render_rules_doc(), (
        "docs/rules.md is stale: run `python manage.py write_rules_doc`"
    )


def test_rules_doc_lists_every_rule_with_its_parameters_and_the_matrix() -> None:
    text = render_rules_doc()
    for r in all_rules():
        assert f"### {r.id}: {r.title_vi}" in text
        assert r.basis in text
    assert "| `quota` | int | `2` |" in text
    assert "| `ward_staff` | CITY | WARD | CITY | CITY |" in text


def test_check_flag_fails_on_a_stale_file(tmp_path, settings) -> None:
    settings.BASE_DIR = tmp_path
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "rules.md").write_text("# old\n", encoding="utf-8")
    with pytest.raises(CommandError, match="stale"):
        call_command("write_rules_doc", "--check")
    call_command("write_rules_doc")
    call_command("write_rules_doc", "--check")
    assert (tmp_path / "docs" / "rules.md").read_text(encoding="utf-8") == render_rules_doc()
