"""Every module of the apps stands on one floor of docs/architecture.md.

The floors are the layers of the import contract in ``pyproject.toml`` (``lint-imports`` checks
the imports between them). A module on no floor would escape the contract, so a new module must
be placed on one, or sit inside a package that is.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("config", "org", "delegations", "approvals", "workflow")


def floors() -> list[list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    return [[module.strip() for module in layer.split(":")] for layer in layers]


def app_modules() -> list[str]:
    modules = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules.append(".".join(parts))
    return modules


def floor_of(module: str, placed: dict[str, int]) -> int | None:
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in placed:
            return placed[prefix]
    return None


def test_every_module_is_on_exactly_one_floor() -> None:
    placed: dict[str, int] = {}
    for level, layer in enumerate(floors()):
        for module in layer:
            assert module not in placed, f"{module} is on two floors"
            placed[module] = level
    unplaced = [
        m for m in app_modules() if m not in APPS and m != "config" and floor_of(m, placed) is None
    ]
    assert unplaced == [], f"put these modules on a floor in pyproject.toml: {unplaced}"


def test_every_floor_entry_names_a_module_that_exists() -> None:
    existing = set(app_modules())
    missing = [m for layer in floors() for m in layer if m not in existing]
    assert missing == []
