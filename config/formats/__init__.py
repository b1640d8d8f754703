"""The product's number and date formats per language (``FORMAT_MODULE_PATH``).

Only what differs from Django's own locale data: dates read dd/mm/yyyy in Vietnamese and
money is grouped by thousands in both languages ("90.000.000 đ", "90,000,000 đ").
"""
