"""What an edit changed, in a size the audit log can keep for ever.

An edit records only the fields whose value changed, before and after. A text longer than
:data:`TEXT_KEPT` characters is kept as an excerpt, its length and its SHA-256, so the log proves
what the text was (a copy can be checked against the hash) without copying it again on every
edit; the dossier itself holds the full text (``docs/record.md``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

#: Texts up to this many characters are recorded whole.
TEXT_KEPT = 200
#: How much of a longer text the record keeps to be read.
EXCERPT = 120


def bounded(value: Any) -> Any:
    """``value`` itself, or for a long text its excerpt, length and hash."""
    if isinstance(value, str) and len(value) > TEXT_KEPT:
        return {
            "excerpt": value[:EXCERPT],
            "length": len(value),
            "sha256": hashlib.sha256(value.encode()).hexdigest(),
        }
    return value


def bounded_snapshot(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """A whole snapshot (a creation) with every long text bounded."""
    return {name: bounded(value) for name, value in snapshot.items()}


def changes(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields that differ between two snapshots: (before, after), long texts bounded."""
    changed = [name for name in after if before.get(name) != after[name]]
    changed += [name for name in before if name not in after]
    return (
        {name: bounded(before.get(name)) for name in changed},
        {name: bounded(after.get(name)) for name in changed},
    )
