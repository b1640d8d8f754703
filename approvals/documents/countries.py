"""Country names for documents; the table lives in :mod:`config.countries` (Babel's CLDR data
with the Department's official Vietnamese names), where every floor may read it."""

from __future__ import annotations

from config.countries import country_list, country_name

__all__ = ["country_list", "country_name"]
