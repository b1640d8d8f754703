"""The Python versions the project installs on, its classifiers and its tools agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUPPORTED = ["3.11", "3.12", "3.13"]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _allows(spec: str, version: str) -> bool:
    """Whether a ``>=a.b,<c.d`` specifier admits ``version`` (the only form used here)."""

    def as_tuple(v: str) -> tuple[int, ...]:
        return tuple(int(p) for p in v.split("."))

    for clause in spec.split(","):
        op, bound = re.fullmatch(r"\s*(>=|<|<=|>)\s*([\d.]+)\s*", clause).groups()  # type: ignore[union-attr]
        ok = {
            ">=": as_tuple(version) >= as_tuple(bound),
            ">": as_tuple(version) > as_tuple(bound),
            "<": as_tuple(version) < as_tuple(bound),
            "<=": as_tuple(version) <= as_tuple(bound),
        }[op]
        if not ok:
            return False
    return True


def test_requires_python_admits_311_to_313_and_nothing_older() -> None:
    spec = _pyproject()["project"]["requires-python"]
    for version in SUPPORTED:
        assert _allows(spec, version), (spec, version)
    assert not _allows(spec, "3.10")


def test_classifiers_name_exactly_the_supported_versions() -> None:
    classifiers = _pyproject()["project"]["classifiers"]
    named = sorted(
        c.rsplit(" :: ", 1)[1]
        for c in classifiers
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    )
    assert named == SUPPORTED
    spec = _pyproject()["project"]["requires-python"]
    assert all(_allows(spec, v) for v in named)


def test_tools_check_against_the_oldest_supported_version() -> None:
    tools = _pyproject()["tool"]
    assert tools["ruff"]["target-version"] == "py311"
    assert tools["mypy"]["python_version"] == "3.11"


def test_readme_names_the_supported_versions() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Python 3.11, 3.12 or 3.13" in readme
