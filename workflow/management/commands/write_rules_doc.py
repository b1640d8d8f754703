"""Write docs/rules.md from the rule registry, or check that it is up to date."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from workflow.rules.docs import render_rules_doc


def rules_doc_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "rules.md"


class Command(BaseCommand):
    help = "Write docs/rules.md from the rule registry (--check: fail if it is stale)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Do not write; exit with an error when docs/rules.md differs.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Render the document; write it, or compare it with the committed file."""
        path = rules_doc_path()
        text = render_rules_doc()
        if options["check"]:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                raise CommandError(
                    f"{path} is stale: run `python manage.py write_rules_doc` and commit it."
                )
            self.stdout.write(f"{path} is up to date.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {path}.")
