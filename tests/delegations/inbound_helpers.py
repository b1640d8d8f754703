"""Building inbound visits for tests: payloads, agencies, and walking the open steps."""

from __future__ import annotations

import datetime
import zlib

from delegations.models import InboundVisit
from org.calendar import add_working_days


def far_arrival(days: int = 40) -> datetime.date:
    """An arrival comfortably past every lead time (conference and agency notice included)."""
    return add_working_days(datetime.date.today(), days)


def visitor(name: str = "Tanaka Hiroshi", **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "full_name": name,
        "nationality": "JP",
        "passport_number": f"TK{zlib.crc32(name.encode()) % 10**7:07d}",
        "passport_expiry": "2035-01-01",
        "date_of_birth": "1975-04-02",
        "organisation": "Osaka Board of Education",
        "title": "Director",
    }
    body.update(overrides)
    return body


def payload(arrival: datetime.date | None = None, days: int = 3, **extra: object) -> dict:
    arrival = arrival or far_arrival()
    body = {
        "organisation": "Osaka Board of Education",
        "country": "JP",
        "purpose_category": "visit",
        "purpose": "Trao đổi kinh nghiệm dạy học STEM",
        "arrival_date": arrival.isoformat(),
        "departure_date": (arrival + datetime.timedelta(days=days - 1)).isoformat(),
        "visitors": [visitor()],
        "programme": "09:00 chào đón; 10:00 dự giờ lớp 11A1",
        "venues": "Hội trường A, phòng thí nghiệm",
        "interpreter": "Nguyễn Thị Thu (giáo viên tiếng Nhật)",
        "press_coverage": False,
        "accommodation": {"kind": "hotel", "address": "Khách sạn Rex, 141 Nguyễn Huệ"},
    }
    body.update(extra)
    return body


def post(client, url: str, body: dict | None = None):
    return client.post(url, body or {}, content_type="application/json")


def create(client, **kwargs: object) -> dict:
    response = post(client, "/api/v1/inbound/", payload(**kwargs))
    assert response.status_code == 201, response.json()
    return response.json()


def detail(client, visit_id: int) -> dict:
    response = client.get(f"/api/v1/inbound/{visit_id}/")
    assert response.status_code == 200
    return response.json()


def open_human_task(client, visit_id: int) -> dict:
    tasks = [t for t in detail(client, visit_id)["current_tasks"] if t["actions"]]
    assert len(tasks) == 1, tasks
    return tasks[0]


def complete(client, visit_id: int, action: str = "approve", **fields: object):
    """Complete the one open human step of the visit as the client's user."""
    task = open_human_task(client, visit_id)
    return post(client, f"/api/v1/tasks/{task['id']}/complete/", {"action": action, **fields})


def visit(visit_id: int) -> InboundVisit:
    return InboundVisit.objects.get(pk=visit_id)
