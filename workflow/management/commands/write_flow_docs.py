"""``manage.py write_flow_docs [--check]``: refresh the diagrams in docs/flows/*.md.

Each page keeps its hand-written explanation; only the part between the ``generated`` markers
is rewritten from the flow class, so the diagram can never drift from the code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workflow.diagrams import mermaid, step_table
from workflow.flows.registry import all_flows

START = "<!-- generated:start (manage.py write_flow_docs) -->"
END = "<!-- generated:end -->"


def generated_block(flow_class: Any) -> str:
    return "\n".join(
        [
            START,
            "```mermaid",
            mermaid(flow_class),
            "```",
            "",
            step_table(flow_class),
            END,
        ]
    )


def doc_path(flow_class: Any) -> Path:
    name = flow_class.__name__.removesuffix("Flow").lower()
    return Path(settings.BASE_DIR) / "docs" / "flows" / f"{name}.md"


def render(flow_class: Any, current: str) -> str:
    block = generated_block(flow_class)
    if START in current and END in current:
        head, rest = current.split(START, 1)
        _old, tail = rest.split(END, 1)
        return head + block + tail
    title = f"# {flow_class.process_title}\n\n"
    return (current or title) + "\n" + block + "\n"


class Command(BaseCommand):
    help = "Viết lại sơ đồ quy trình trong docs/flows/ từ mã nguồn."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="Fail if a page is stale.")

    def handle(self, *args: Any, **options: Any) -> None:
        stale = []
        for flow_class in all_flows():
            path = doc_path(flow_class)
            current = path.read_text() if path.exists() else ""
            wanted = render(flow_class, current)
            if wanted == current:
                continue
            if options["check"]:
                stale.append(str(path.relative_to(settings.BASE_DIR)))
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(wanted)
                self.stdout.write(f"wrote {path.relative_to(settings.BASE_DIR)}")
        if stale:
            raise CommandError(
                "Stale flow docs (run manage.py write_flow_docs): " + ", ".join(stale)
            )
