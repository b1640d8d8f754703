"""Redis down is "nothing cached", never a 500: the cache backend carries on without it.

The jurisdiction row (every page's header, the documents, the rule texts), the denial rate
limits and the sweepers' leases live in the cache. With Django's own Redis backend a lost Redis
raised into the request: the fault suite's approvals during an outage failed with
``ConnectionError``. Here the cache points at a port nobody listens on.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from approvals.models import AuditEvent
from org.models import Jurisdiction
from tests.conftest import login
from tests.delegations.page_helpers import create_draft, decide, submit
from tests.factories import make_staff
from tests.faults.conftest import _closed_port
from tests.flows import open_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache_down(settings: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.TolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }


def test_the_backend_degrades_to_nothing_cached(redis_cache_down):
    assert cache.get("k", "default") == "default"
    assert cache.add("k", 1) is True  # a lease or rate limit lets the work through
    assert cache.incr("k") == 1
    cache.set("k", 2)
    cache.delete("k")
    assert cache.get_many(["k"]) == {}


def test_a_head_approves_while_redis_is_down(redis_cache_down, org, clerk_a, head_a):
    Jurisdiction.objects.create()  # read from the database, as the cache answers nothing
    client = login(clerk_a)
    request = create_draft(client, clerk_a, make_staff("staff_a1", org.school_a))
    submit(client, request)
    task = open_task(request, "review_by_unit_head")
    head = login(head_a)
    page = head.get(f"/viec/{task.pk}/")
    assert page.status_code == 200
    assert Jurisdiction.effective().department_name in page.content.decode()
    assert decide(head, task, "approve", comment="Đồng ý").status_code == 302


def test_a_refusal_is_a_404_and_recorded_while_redis_is_down(redis_cache_down, org, clerk_a,
                                                              head_b):  # fmt: skip
    client = login(clerk_a)
    request = create_draft(client, clerk_a, make_staff("staff_a1", org.school_a))
    response = login(head_b).get(f"/doan-ra/{request.pk}/")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action__startswith="access.denied").exists()
