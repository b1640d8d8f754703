"""Reading numbers typed by people or sent in addresses, without surprises."""

from __future__ import annotations

from django.utils.translation import gettext as _

#: Control characters refused in any text: all C0 controls except tab, newline and carriage return.
CONTROL_CHARACTERS = frozenset(chr(c) for c in range(32)) - {"\t", "\n", "\r"}

#: A database id has at most this many digits (bigint); longer "ids" are not ids.
MAX_ID_DIGITS = 18
#: The largest id (or version) the API accepts: fits a bigint, and SQLite's INTEGER.
MAX_ID = 10**MAX_ID_DIGITS - 1


def plain_int(text: object, max_digits: int = MAX_ID_DIGITS) -> int | None:
    """The number written with ASCII digits 0-9 only, or None.

    ``str.isdigit()`` also accepts "²" or "١", which ``int()`` then refuses or reads differently;
    a value such as an id in an address must be plain digits, and short enough for its column.
    """
    value = str(text)
    if not value or len(value) > max_digits or not (value.isascii() and value.isdecimal()):
        return None
    return int(value)


def control_character_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored (PostgreSQL refuses NUL; no form sends controls), or None.

    One check for the query string (``config.security``) and for JSON bodies (``config.parsers``).
    """
    if "\x00" in text:
        return _("Không được chứa ký tự rỗng (NUL).")
    if any(ch in CONTROL_CHARACTERS for ch in text):
        return _("Không được chứa ký tự điều khiển.")
    return None
