"""What of a person's papers may be shown: passport numbers are masked outside the documents."""

from __future__ import annotations


def mask_passport(number: str) -> str:
    """Passport numbers are shown masked; the full number is for the documents only."""
    return ("•" * max(len(number) - 3, 0)) + number[-3:] if number else ""
