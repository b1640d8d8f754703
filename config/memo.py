"""A memo of reads for one unit of work: the POST of a decision reads each thing once.

Inside :func:`memo_scope` (opened by the decision views and by
:func:`workflow.services.task_complete`),
:func:`memoized` computes a value once per key and hands the same value back afterwards; outside
a scope it simply computes. The scope is a context variable, so threads and concurrent requests
never share it, and it ends with the unit of work: nothing outlives the request, so an
administrator's change (a rule-set version, a calendar day, a role) is seen by the next request.

Only reads that the unit of work itself does not change belong here: the rule-set version in
force, the working calendar, a user's unit grants, the task read before its lock.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("memo", default=None)


@contextmanager
def memo_scope() -> Iterator[None]:
    """Open a memo for the duration of the block (a block inside another shares the outer one)."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memoized(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per key within the open scope; always computed outside a scope."""
    store = _memo.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    value: T = store[key]
    return value


def memo_keep(key: Hashable, value: Any) -> None:
    """Hand ``value`` to the later reads of ``key`` in the open scope: the unit of work wrote
    it, so reading it back would only find it again. Nothing outside a scope."""
    store = _memo.get()
    if store is not None:
        store[key] = value


def memo_recall(key: Hashable) -> Any:
    """What the open scope holds for ``key``, or ``None`` (never computes)."""
    store = _memo.get()
    return None if store is None else store.get(key)


def in_memo_scope() -> bool:
    """Whether a scope is open (a caller may then read more at once, to be reused)."""
    return _memo.get() is not None


def memo_forget(key: Hashable) -> None:
    """Drop one key (its value changed within the unit of work)."""
    store = _memo.get()
    if store is not None:
        store.pop(key, None)
