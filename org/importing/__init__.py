"""The directory import: units and staff from an XLSX workbook or CSV files (docs/import.md).

- ``files``: bytes → tables of raw cells (XLSX or CSV), or ImportFileError;
- ``rows``: one row → typed values, errors by row and column (shared with the visitor list);
- ``validation``: the unit and staff rows checked against each other and the database;
- ``service``: ``org_import``, which saves all rows or none.

What the admin page and the ``import_org`` command call is exported here.
"""

from org.importing.files import ImportFileError
from org.importing.rows import RowError
from org.importing.service import ImportResult, KindCounts, org_import

__all__ = ["ImportFileError", "ImportResult", "KindCounts", "RowError", "org_import"]
