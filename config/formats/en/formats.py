"""English: Django's data, with thousands grouped (Django groups none unless told)."""

NUMBER_GROUPING = 3
