"""Building inbound visits for tests: service inputs, API payloads, the API walk."""

from __future__ import annotations

import datetime
import zlib
from functools import partial

from delegations.models import InboundVisit
from delegations.services.inbound import InboundInput, VisitorInput
from org.calendar import add_working_days
from tests import api_helpers
from tests.api_helpers import post
from workflow.models import RuleSetVersion


def far_arrival(days: int = 40) -> datetime.date:
    """An arrival comfortably past every lead time (conference and agency notice included)."""
    return add_working_days(datetime.date.today(), days)


def visit_input(
    arrival: datetime.date | None = None, days: int = 3, **overrides: object
) -> InboundInput:
    """The service input of a visit from Busan with one visitor; any field may be overridden."""
    arrival = arrival or far_arrival()
    data = InboundInput(
        organisation="Busan Metropolitan Office of Education",
        country="KR",
        purpose_category="visit",
        purpose="Giao lưu học sinh",
        arrival_date=arrival,
        departure_date=arrival + datetime.timedelta(days=days - 1),
        visitors=[
            VisitorInput(
                full_name="Choi Min-ho",
                nationality="KR",
                passport_number="M7654321",
                passport_expiry=datetime.date(2034, 5, 1),
            )
        ],
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


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


def visit_basics(arrival: datetime.date | None = None, days: int = 3) -> dict[str, object]:
    """What the API and the form ask alike: who comes, from where, why, when, the programme."""
    arrival = arrival or far_arrival()
    return {
        "organisation": "Osaka Board of Education",
        "country": "JP",
        "purpose_category": "visit",
        "purpose": "Trao đổi kinh nghiệm dạy học STEM",
        "arrival_date": arrival.isoformat(),
        "departure_date": (arrival + datetime.timedelta(days=days - 1)).isoformat(),
        "programme": "09:00 chào đón; 10:00 dự giờ lớp 11A1",
    }


def payload(arrival: datetime.date | None = None, days: int = 3, **extra: object) -> dict:
    body = {
        **visit_basics(arrival, days),
        "visitors": [visitor()],
        "venues": "Hội trường A, phòng thí nghiệm",
        "interpreter": "Nguyễn Thị Thu (giáo viên tiếng Nhật)",
        "press_coverage": False,
        "accommodation": {"kind": "hotel", "address": "Khách sạn Rex, 141 Nguyễn Huệ"},
    }
    body.update(extra)
    return body


def create(client, **kwargs: object) -> dict:
    response = post(client, "/api/v1/inbound/", payload(**kwargs))
    assert response.status_code == 201, response.json()
    return response.json()


def exam_day(day: datetime.date, label: str = "Kỳ thi tốt nghiệp THPT") -> RuleSetVersion:
    """A rule set, in force from today, with ``day`` in the exam calendar (IN-BLACKOUT)."""
    return RuleSetVersion.objects.create(
        effective_from=datetime.date.today(),
        params={
            "IN-BLACKOUT": {
                "calendar": [{"start": day.isoformat(), "end": day.isoformat(), "label": label}]
            }
        },
    )


# The API walk of ``tests/api_helpers.py`` on the inbound resource.
detail = partial(api_helpers.detail, kind="inbound")
open_human_task = partial(api_helpers.open_task, kind="inbound")
complete = partial(api_helpers.complete, kind="inbound")


def visit(visit_id: int) -> InboundVisit:
    return InboundVisit.objects.get(pk=visit_id)
