"""Countries by ISO 3166-1 alpha-2 code, named from the Unicode CLDR data that Babel ships.

One table for every floor: forms and the API accept only these codes, pages show the name in the
reader's language, official documents and exports in Vietnamese. Where the Department writes a
country differently from CLDR (``Hồng Kông (Trung Quốc)`` in official documents), its own
Vietnamese name wins (:data:`OFFICIAL_NAMES_VI`).
"""

from __future__ import annotations

import unicodedata
from functools import cache

from babel import Locale
from django.utils.translation import get_language
from django.utils.translation import gettext as _

#: CLDR territories that are not ISO 3166-1 countries: groupings, private-use and reserved codes.
NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)

#: The names the Department's documents use where they differ from CLDR's Vietnamese.
OFFICIAL_NAMES_VI: dict[str, str] = {
    "AE": "Các Tiểu vương quốc Ả Rập Thống nhất",
    "BR": "Brasil",
    "HK": "Hồng Kông (Trung Quốc)",
    "IT": "Ý",
    "MM": "Myanmar",
    "MO": "Ma Cao (Trung Quốc)",
    "RU": "Liên bang Nga",
    "SA": "Ả Rập Xê Út",
    "TW": "Đài Loan (Trung Quốc)",
}


@cache
def _names(language: str) -> dict[str, str]:
    territories = Locale.parse(language).territories
    names = {
        code: str(name)
        for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    }
    if language == "vi":
        names.update(OFFICIAL_NAMES_VI)
    return names


def _language(language: str | None) -> str:
    active = (language or get_language() or "vi").lower()
    return "en" if active.startswith("en") else "vi"


#: Every country code, sorted (the API's enum).
COUNTRY_CODES: tuple[str, ...] = tuple(sorted(_names("vi")))


def is_country(code: str) -> bool:
    """Whether ``code`` (any case) is an ISO 3166-1 alpha-2 country code."""
    return (code or "").upper() in _names("vi")


def unknown_country_message(code: str) -> str:
    """The form and API error for a code that names no country."""
    return _(
        "Không có quốc gia nào mang mã “%(code)s”; hãy chọn quốc gia trong danh sách "
        "(mã ISO 3166-1 gồm 2 chữ cái, ví dụ JP, KR, SG)."
    ) % {"code": (code or "")[:20]}


def country_name(code: str) -> str:
    """The Vietnamese name of a country (documents, exports), or its code when unknown."""
    key = (code or "").upper()
    return _names("vi").get(key, key)


def country_label(code: str, language: str | None = None) -> str:
    """The name in the reader's language (default: the active one), or the code when unknown."""
    key = (code or "").upper()
    return _names(_language(language)).get(key, key)


def _sort_key(name: str) -> str:
    # Vietnamese order closely enough for a picker: letters before their accents, "Đ" with "D".
    plain = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()


@cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    names = _names(language)
    return tuple(sorted(names.items(), key=lambda item: _sort_key(item[1])))


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) for a picker, ordered by name in the reader's language."""
    return list(_choices(_language(language)))


def country_list(codes: list[str]) -> str:
    """``Nhật Bản, Hàn Quốc và Singapore``: distinct Vietnamese names in the given order."""
    names: list[str] = []
    for code in codes:
        name = country_name(code)
        if name and name not in names:
            names.append(name)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " và " + names[-1]
