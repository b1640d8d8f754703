"""Reading numbers typed by people or sent in addresses, without surprises."""

from __future__ import annotations

#: A database id has at most this many digits (bigint); longer "ids" are not ids.
MAX_ID_DIGITS = 18


def plain_int(text: object, max_digits: int = MAX_ID_DIGITS) -> int | None:
    """The number written with ASCII digits 0-9 only, or None.

    ``str.isdigit()`` also accepts "²" or "١", which ``int()`` then refuses or reads differently;
    a value such as an id in an address must be plain digits, and short enough for its column.
    """
    value = str(text)
    if not value or len(value) > max_digits or not (value.isascii() and value.isdecimal()):
        return None
    return int(value)
