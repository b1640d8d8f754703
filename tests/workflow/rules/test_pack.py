"""The rule pack is a floor of pure functions: loaded in one place, no database, no hidden cycle."""

import ast
from pathlib import Path

from workflow.rules.pack import all_rules, param_groups
from workflow.rules.params import default_params

ROOT = Path(__file__).resolve().parents[3]
RULE_PACK = sorted((ROOT / "workflow" / "rules").glob("*.py"))
# What the pack may not import: the database, the apps above it, dynamic imports.
FORBIDDEN = ("workflow.models", "delegations", "approvals", "org.models", "django.db", "importlib")


def _imports(path: Path) -> list[tuple[ast.AST, str]]:
    """(node, imported module) for every import statement of the file."""
    found: list[tuple[ast.AST, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node, node.module or ""))
    return found


def test_rule_pack_and_facts_import_nothing_inside_a_function() -> None:
    nested = []
    for path in [*RULE_PACK, ROOT / "delegations" / "facts.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                nested += [
                    f"{path.name}:{node.lineno}"
                    for node in ast.walk(function)
                    if isinstance(node, ast.Import | ast.ImportFrom)
                ]
    assert nested == []


def test_rule_pack_imports_no_database_and_no_app_above_it() -> None:
    bad = [
        f"{path.name}: {module}"
        for path in RULE_PACK
        for _node, module in _imports(path)
        if any(module == f or module.startswith(f"{f}.") for f in FORBIDDEN)
    ]
    assert bad == []


def test_only_the_pack_module_imports_the_rule_modules() -> None:
    rule_modules = {"workflow.rules.authority", "workflow.rules.inbound", "workflow.rules.outbound"}
    rule_modules |= {"workflow.rules.outbound_more", "workflow.rules.timing"}
    importers = set()
    for path in RULE_PACK:
        for node, module in _imports(path):
            names = [a.name for a in getattr(node, "names", [])]
            targets = {module} | {f"{module}.{n}" for n in names}
            if targets & rule_modules:
                importers.add(path.name)
    # authority reads the step kinds of timing; docs and engine read the data of authority/timing.
    assert importers <= {"pack.py", "authority.py", "docs.py", "engine.py"}
    assert "registry.py" not in importers and "outbound.py" not in importers


def test_the_pack_registers_shared_groups_then_inbound_then_outbound_rules() -> None:
    ids = [r.id for r in all_rules()]
    assert ids[:7] == [
        "IN-BLACKOUT", "IN-PURPOSE", "IN-SPONSOR", "IN-CONFERENCE", "IN-NOTIFY-LEAD",
        "IN-VISITOR-DATA", "IN-FREEZE",
    ]  # fmt: skip
    assert ids[7:10] == ["OUT-BARRED", "OUT-ENTERPRISE", "OUT-CONTRACT-FUNDING"]
    assert ids[-1] == "OUT-FREEZE"
    assert list(param_groups()) == [*ids, "timing", "authority"]
    assert list(default_params()) == list(param_groups())
