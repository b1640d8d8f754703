"""Who decides: the authority matrix of DOMAIN.md §7, as data versioned with the rule set.

The ``authority`` parameter group holds three JSON values an administrator can correct without
code:

- ``outbound``: rows by traveller (``leaders`` for the Director, deputies and Party-managed
  members; ``<managed_by>_staff`` and optionally ``<managed_by>_head`` for the staff and the head
  of a unit managed by the department, a ward or the city), columns by trip;
- ``inbound``: the route by the host unit's managing authority, for conferences, and the guest
  levels that send a visit to the City;
- ``steps``: the human steps of each route (``CITY_VIA_WARD`` for ward-managed units).

:func:`route_for` reads the matrix only; the engine then lets route rules raise the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workflow.rules.dates import add_months
from workflow.rules.facts import InboundFacts, MemberFacts, OutboundFacts
from workflow.rules.param_types import Param, ParamError, ParamGroup, ParamKind
from workflow.rules.registry import REGISTRY, Route
from workflow.rules.timing import STEP_KINDS

OFFICIAL = "official"
PERSONAL_SHORT = "personal_short"  # personal, under the long-stay threshold, no named invitation
PERSONAL_NAMED = "personal_named"  # personal, under the threshold, named invitation
PERSONAL_LONG = "personal_long"  # personal, at or over the long-stay threshold
COLUMNS = (OFFICIAL, PERSONAL_SHORT, PERSONAL_NAMED, PERSONAL_LONG)
REQUIRED_ROWS = ("leaders", "department_staff", "ward_staff", "city_staff")
OPTIONAL_ROWS = ("department_head", "ward_head", "city_head")
STEP_ROUTES = ("WARD", "DEPT", "CITY", "CITY_VIA_WARD")
#: The Sở's own people (DOMAIN.md §7, "every step has someone"): requests whose unit is the
#: department itself (the Director, the deputies: no unit-head step, the Director or the deputy
#: in charge proposes to the City) or one of its offices (the office head, then the Director).
#: Optional in a stored rule set: the defaults apply when a version predates them.
OWN_STEP_ROUTES = ("DEPT_DEPARTMENT", "CITY_DEPARTMENT", "DEPT_OFFICE", "CITY_OFFICE")


def _row(official: str, short: str, named: str, long: str) -> dict[str, str]:
    return {OFFICIAL: official, PERSONAL_SHORT: short, PERSONAL_NAMED: named, PERSONAL_LONG: long}


DEFAULT_OUTBOUND_MATRIX: dict[str, dict[str, str]] = {
    "leaders": _row("CITY", "CITY", "CITY", "CITY"),
    "department_staff": _row("DEPT", "DEPT", "DEPT", "CITY"),
    "department_head": _row("DEPT", "DEPT", "DEPT", "CITY"),
    # "CITY via ward": the route is CITY, the steps go through the ward (CITY_VIA_WARD).
    "ward_staff": _row("CITY", "WARD", "CITY", "CITY"),
    # Staff of a unit the City manages directly (the Sở itself) are the Director's to decide.
    "city_staff": _row("DEPT", "DEPT", "DEPT", "CITY"),
}

DEFAULT_INBOUND_MATRIX: dict[str, Any] = {
    "host_department": "DEPT",
    "host_ward": "WARD",
    "host_city": "DEPT",
    "conference": "CITY",
    "city_guest_levels": ["minister", "vice_minister"],
    "city_guest_route": "CITY",
}

DEFAULT_STEPS: dict[str, list[str]] = {
    "WARD": ["unit_head", "ward_chair"],
    "DEPT": ["unit_head", "dept_review", "director"],
    "CITY": ["unit_head", "dept_review", "director_proposes", "city_decision"],
    "CITY_VIA_WARD": [
        "unit_head", "ward_chair_proposes", "dept_review", "director_proposes", "city_decision",
    ],
    "DEPT_DEPARTMENT": ["dept_review", "director"],
    "CITY_DEPARTMENT": ["dept_review", "director_proposes", "city_decision"],
    "DEPT_OFFICE": ["unit_head", "director"],
    "CITY_OFFICE": ["unit_head", "director_proposes", "city_decision"],
}  # fmt: skip


def _route(value: Any, where: str) -> str:
    if value not in Route.__members__:
        raise ParamError(f"{where}: “{value}” không phải là WARD, DEPT hoặc CITY.")
    return str(value)


def validate_outbound_matrix(value: dict[str, Any]) -> dict[str, dict[str, str]]:
    missing = [row for row in REQUIRED_ROWS if row not in value]
    if missing:
        raise ParamError(f"Thiếu dòng “{missing[0]}” trong ma trận thẩm quyền.")
    cleaned: dict[str, dict[str, str]] = {}
    for row, columns in value.items():
        if row not in REQUIRED_ROWS + OPTIONAL_ROWS:
            raise ParamError(f"Ma trận thẩm quyền không có dòng “{row}”.")
        if not isinstance(columns, dict) or set(columns) != set(COLUMNS):
            raise ParamError(f"Dòng “{row}” phải có đúng các cột {', '.join(COLUMNS)}.")
        cleaned[row] = {c: _route(columns[c], f"{row}.{c}") for c in COLUMNS}
    return cleaned


def validate_inbound_matrix(value: dict[str, Any]) -> dict[str, Any]:
    if set(value) != set(DEFAULT_INBOUND_MATRIX):
        raise ParamError(f"Phải có đúng các khóa {', '.join(DEFAULT_INBOUND_MATRIX)}.")
    cleaned: dict[str, Any] = {
        k: _route(v, k) for k, v in value.items() if k != "city_guest_levels"
    }
    levels = value["city_guest_levels"]
    if not isinstance(levels, list) or not all(isinstance(v, str) for v in levels):
        raise ParamError("city_guest_levels phải là một danh sách chuỗi ký tự.")
    cleaned["city_guest_levels"] = list(levels)
    return cleaned


def validate_steps(value: dict[str, Any]) -> dict[str, list[str]]:
    if not set(STEP_ROUTES) <= set(value) <= set(STEP_ROUTES + OWN_STEP_ROUTES):
        raise ParamError(
            f"Phải có đúng các tuyến {', '.join(STEP_ROUTES)} "
            f"(và có thể thêm {', '.join(OWN_STEP_ROUTES)})."
        )
    for route, kinds in value.items():
        if not isinstance(kinds, list) or not kinds:
            raise ParamError(f"Tuyến {route}: phải là một danh sách bước không rỗng.")
        unknown = [k for k in kinds if k not in STEP_KINDS]
        if unknown:
            raise ParamError(f"Tuyến {route}: không có loại bước “{unknown[0]}”.")
        if not STEP_KINDS[kinds[-1]].decides:
            raise ParamError(f"Tuyến {route}: bước cuối phải là bước quyết định.")
    return {route: list(kinds) for route, kinds in value.items()}


REGISTRY.add_group(
    ParamGroup(
        "authority",
        "Ma trận thẩm quyền quyết định",
        "Authority matrix",
        (
            Param(
                "outbound", ParamKind.MAPPING, DEFAULT_OUTBOUND_MATRIX,
                "Đoàn ra: cấp quyết định theo người đi (dòng) và loại chuyến đi (cột)",
                "Outbound: deciding level by traveller (row) and trip (column)",
                validator=validate_outbound_matrix,
            ),
            Param(
                "inbound", ParamKind.MAPPING, DEFAULT_INBOUND_MATRIX,
                "Đoàn vào: cấp quyết định theo cơ quan quản lý đơn vị đón, hội nghị, khách cấp cao",
                "Inbound: deciding level by host, conference and guest level",
                validator=validate_inbound_matrix,
            ),
            Param(
                "steps", ParamKind.MAPPING, DEFAULT_STEPS,
                "Các bước xử lý của từng tuyến",
                "Human steps of each route",
                validator=validate_steps,
            ),
        ),
    )
)  # fmt: skip


def trip_column(facts: OutboundFacts, long_stay_months: int) -> str:
    """Which matrix column the trip falls in (the long-stay threshold is OUT-LONG-STAY's)."""
    if facts.kind == OFFICIAL:
        return OFFICIAL
    if facts.return_date >= add_months(facts.departure_date, long_stay_months):
        return PERSONAL_LONG
    return PERSONAL_NAMED if facts.named_invitation else PERSONAL_SHORT


def matrix_row(member: MemberFacts, matrix: Mapping[str, Any]) -> str:
    if member.is_department_leader or member.is_party_managed:
        return "leaders"
    managed_by = member.unit.managed_by
    head_row = f"{managed_by}_head"
    if member.is_unit_head and head_row in matrix:
        return head_row
    return f"{managed_by}_staff" if f"{managed_by}_staff" in matrix else "department_staff"


def route_for_outbound(facts: OutboundFacts, params: Mapping[str, Mapping[str, Any]]) -> Route:
    """The matrix route: the highest over the members (the request's unit without members)."""
    matrix = params["authority"]["outbound"]
    column = trip_column(facts, params["OUT-LONG-STAY"]["months"])
    members = facts.members or (MemberFacts(person_id=0, full_name="", unit=facts.unit),)
    routes = [Route(matrix[matrix_row(m, matrix)][column]) for m in members]
    return Route.highest(*routes) or Route.DEPT


def route_for_inbound(facts: InboundFacts, params: Mapping[str, Mapping[str, Any]]) -> Route:
    """By the host's managing authority; conferences and minister-level guests go to the City."""
    matrix = params["authority"]["inbound"]
    route = Route(matrix.get(f"host_{facts.host_unit.managed_by}", matrix["host_department"]))
    if facts.is_conference or facts.purpose_category == "conference":
        route = Route.highest(route, Route(matrix["conference"])) or route
    if facts.senior_guest_level in matrix["city_guest_levels"]:
        route = Route.highest(route, Route(matrix["city_guest_route"])) or route
    return route


def route_for(
    facts: OutboundFacts | InboundFacts, params: Mapping[str, Mapping[str, Any]]
) -> Route:
    """WARD, DEPT or CITY from the matrix alone, before route rules raise it."""
    if isinstance(facts, OutboundFacts):
        return route_for_outbound(facts, params)
    return route_for_inbound(facts, params)


def steps_key(route: Route, unit_managed_by: str, unit_kind: str = "") -> str:
    """Which step list applies: a ward-managed unit's CITY requests go through the ward; the
    department's own requests and its offices' have their own lists (``OWN_STEP_ROUTES``)."""
    if route is Route.CITY and unit_managed_by == "ward":
        return "CITY_VIA_WARD"
    if unit_kind == "department" and route is not Route.WARD:
        return f"{route}_DEPARTMENT"
    if unit_kind == "department_office" and route is not Route.WARD:
        return f"{route}_OFFICE"
    return str(route)


def route_steps(
    steps: Mapping[str, list[str]], route: Route, unit_managed_by: str, unit_kind: str = ""
) -> list[str]:
    """The step kinds of a route (the defaults for a list a stored rule set does not name)."""
    key = steps_key(route, unit_managed_by, unit_kind)
    return list(steps.get(key) or DEFAULT_STEPS[key])
