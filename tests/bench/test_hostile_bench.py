"""How fast hostile input is refused (the timings of the hostile-input issue), by ``make bench``.

The suite proves these refusals happen before the costly work (``tests/org/test_import_limits.py``,
``tests/integrity/test_dates_window.py``, ``tests/test_hostile_input.py``); this benchmark times
them, since a timed unit test fails on a busy machine. Each case is run a few times and the
slowest run is judged: a zip bomb under 300 KiB refused in under 2 s, a year-9999 draft
answered 400 in under 1 s (created, and submitted from a stored row), a forged form count of
10,000 refused in under 5 s.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable

import pytest

from delegations.models import OutboundRequest
from org.importing.files import ImportFileError, read_tables
from tests.api_helpers import post
from tests.bench.report import Table
from tests.conftest import login
from tests.delegations.test_outbound_api import payload
from tests.flows import draft
from tests.org.test_import_limits import zip_bomb

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

RUNS = 3


def slowest(call: Callable[[], None]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return max(times)


def test_hostile_input_is_refused_in_time(org, teacher_a, capsys):
    bomb = zip_bomb()
    client = login(teacher_a)

    def refuse_bomb() -> None:
        with pytest.raises(ImportFileError):
            read_tables(bomb, "khach.xlsx", kind="visitors")

    def create_9999() -> None:
        body = payload(teacher_a, departure=datetime.date(9999, 1, 4))
        response = client.post("/api/v1/outbound/", body, content_type="application/json")
        assert response.status_code == 400

    stored = draft(teacher_a)
    OutboundRequest.objects.filter(pk=stored.pk).update(
        departure_date=datetime.date(9999, 1, 4), return_date=datetime.date(9999, 1, 8)
    )

    def submit_9999() -> None:
        assert post(client, f"/api/v1/outbound/{stored.pk}/submit/").status_code == 400

    def forged_count() -> None:
        forged = {"members-TOTAL_FORMS": "10000", "members-INITIAL_FORMS": "0",
                  "stops-TOTAL_FORMS": "10000", "stops-INITIAL_FORMS": "0"}  # fmt: skip
        assert client.post("/doan-ra/moi/", forged).status_code in (200, 400)

    table = Table(f"Hostile input refused (slowest of {RUNS} runs)")
    for what, call, limit in (
        (f"zip bomb of {len(bomb) // 1024} KiB, visitor import", refuse_bomb, 2.0),
        ("draft dated 9999 (API create)", create_9999, 1.0),
        ("stored draft dated 9999 (API submit)", submit_9999, 1.0),
        ("outbound form claiming 10,000 members and stops", forged_count, 5.0),
    ):
        took = slowest(call)
        table.add(what, f"{took * 1000:.0f} ms", f"< {limit:.0f} s", took < limit)
    with capsys.disabled():
        print(table.render())
    assert not table.misses, table.misses
