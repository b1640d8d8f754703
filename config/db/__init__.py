"""Database backends with one addition: work queued to run just before the transaction commits.

The audit log chains its events under a lock on one row (the chain head). Taken when an event is
written, that lock would serialise every writer for the rest of its transaction; instead the
events of a transaction wait in :attr:`BeforeCommit.before_commit_items` and the handler queued
with them chains them in one step just before ``COMMIT`` (``docs/record.md``).

The queue follows the transaction: a savepoint rolled back drops what was queued after it, a
rollback drops everything. Under the test suite, whose tests run inside an atomic block that
never commits, the queue runs when the outermost atomic block that is not the test's exits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: Called with the connection and every item queued with it, in the order they were queued.
Handler = Callable[[Any, list[Any]], None]


class BeforeCommit:
    """Mixin for a ``DatabaseWrapper``: a per-transaction queue run just before commit."""

    before_commit_items: list[tuple[Handler, Any]]
    _before_commit_marks: dict[str, int]
    atomic_blocks: list[Any]
    in_atomic_block: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.before_commit_items = []
        self._before_commit_marks = {}

    def queues_before_commit(self) -> bool:
        """Whether an item queued now would wait for a commit (an atomic block of the code's
        own is open), rather than having to be handled at once."""
        return self.in_atomic_block and any(
            not getattr(block, "_from_testcase", False) for block in self.atomic_blocks
        )

    def queue_before_commit(self, handler: Handler, item: Any) -> None:
        """``handler(connection, [item, ...])`` will run just before this transaction commits."""
        self.before_commit_items.append((handler, item))

    def run_before_commit(self) -> None:
        queued, self.before_commit_items = self.before_commit_items, []
        self._before_commit_marks = {}
        by_handler: dict[Handler, list[Any]] = {}
        for handler, item in queued:
            by_handler.setdefault(handler, []).append(item)
        for handler, items in by_handler.items():
            handler(self, items)

    def commit(self) -> None:
        self.run_before_commit()
        super().commit()  # type: ignore[misc]

    def rollback(self) -> None:
        self.before_commit_items = []
        self._before_commit_marks = {}
        super().rollback()  # type: ignore[misc]

    def savepoint(self) -> Any:
        sid = super().savepoint()  # type: ignore[misc]
        if sid is not None:
            self._before_commit_marks[sid] = len(self.before_commit_items)
        return sid

    def savepoint_rollback(self, sid: str) -> None:
        mark = self._before_commit_marks.get(sid)
        if mark is not None:
            del self.before_commit_items[mark:]
        super().savepoint_rollback(sid)  # type: ignore[misc]

    def savepoint_commit(self, sid: str) -> None:
        # Leaving the outermost block of the code's own inside a test's block: run the queue
        # as a commit would (the test's transaction itself never commits).
        if self.before_commit_items and not self.queues_before_commit():
            self.run_before_commit()
        self._before_commit_marks.pop(sid, None)
        super().savepoint_commit(sid)  # type: ignore[misc]
