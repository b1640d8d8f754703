"""Numbering from the registers: gapless, unique, safe under concurrency.

The number is taken under the register's row lock (``SELECT ... FOR UPDATE`` on PostgreSQL,
the database write lock on SQLite) inside the caller's transaction: if the issue rolls back, so
does the number, and two issues at once wait for each other and get consecutive numbers.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from approvals.models import DocumentRegister, DocumentSeries
from org.models import Jurisdiction, Unit, UnitKind

#: The symbols used when a unit's first register of a series is opened (NĐ 30, Phụ lục VI);
#: an administrator may change a register's symbol, and next year's register copies it.
DEFAULT_SYMBOLS: dict[str, dict[str, str]] = {
    UnitKind.DEPARTMENT: {
        DocumentSeries.DECISION: "QĐ-SGDĐT",
        DocumentSeries.LETTER: "GDĐT-VP",
        DocumentSeries.PROPOSAL: "TTr-SGDĐT",
    },
    UnitKind.WARD: {
        DocumentSeries.DECISION: "QĐ-UBND",
        DocumentSeries.LETTER: "UBND",
        DocumentSeries.PROPOSAL: "TTr-UBND",
    },
}
PREFIXES: dict[str, str] = {DocumentSeries.DECISION: "QĐ-", DocumentSeries.PROPOSAL: "TTr-"}


def default_symbol(unit: Unit, series: str, year: int, confidential: bool) -> str:
    """Last year's symbol for the same register if there was one, else the default."""
    previous = (
        DocumentRegister.objects.filter(
            unit=unit, series=series, confidential=confidential, year__lt=year
        )
        .order_by("-year")
        .values_list("symbol", flat=True)
        .first()
    )
    if previous:
        return previous
    by_kind = DEFAULT_SYMBOLS.get(unit.kind)
    if by_kind and unit.kind == UnitKind.DEPARTMENT and series == DocumentSeries.LETTER:
        # The Sở's letters carry the drafting office's code (HCMC: Văn phòng, "GDĐT-VP").
        return f"GDĐT-{Jurisdiction.effective().office_code}"
    if by_kind:
        return by_kind[series]
    return PREFIXES.get(series, "") + unit.code.upper()


def register_lock(*, unit: Unit, series: str, year: int, confidential: bool) -> DocumentRegister:
    """The register of that unit, series, year and confidentiality, opened if need be, locked."""
    lookup = {"unit": unit, "year": year, "series": series, "confidential": confidential}
    locked = DocumentRegister.objects.select_for_update(of=("self",)).filter(**lookup)
    register = locked.first()  # the register exists but for the year's first document
    if register is not None:
        return register
    try:
        with transaction.atomic():
            DocumentRegister.objects.create(
                **lookup, symbol=default_symbol(unit, series, year, confidential)
            )
    except IntegrityError:
        pass  # opened at the same moment by another issue: lock it below
    return locked.get()


def next_number(
    *, unit: Unit, series: str, year: int, confidential: bool = False
) -> tuple[DocumentRegister, int]:
    """Take the next number of the register (call inside the issuing transaction).

    ``last_number`` is the highest number in the register, taken here or entered by hand by
    the văn thư (:func:`number_entered` raises it), so a unit that switched from entering
    numbers back to numbering here never meets a number twice.
    """
    register = register_lock(unit=unit, series=series, year=year, confidential=confidential)
    register.last_number += 1
    register.save(update_fields=["last_number"])
    return register, register.last_number


def number_entered(register: DocumentRegister, number: int) -> None:
    """The văn thư entered ``number`` in the locked ``register``: the numbers taken here from
    now on come above it (:func:`next_number`)."""
    if number > register.last_number:
        register.last_number = number
        register.save(update_fields=["last_number"])
