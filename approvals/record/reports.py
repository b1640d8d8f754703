"""The annual foreign-affairs report (báo cáo công tác đối ngoại năm), per unit and consolidated.

The period is the calendar year: a trip counts in the year of its departure, a visit in the
year of its arrival, an MOU in the year it was signed. Units report to the Sở by
``settings.ANNUAL_REPORT_DEADLINE`` ("MM-DD", 15 October by default; Hải Phòng uses 10
December). What is counted:

- outbound: approved trips (approved, travelling, back, closed; not cancelled): delegations,
  person-trips, distinct people, countries, days abroad (actual dates when confirmed, else the
  decision's), person-days, delegations and estimated cost per funding source;
- inbound: approved visits: visits, visitors, countries; conferences held (``is_conference``);
- MOUs signed; conferences attended abroad (purpose "conference");
- late reports (handed in after ``report_due``, or still missing past it), official passports
  not returned past their due date;
- violations, by the rule's title: blocks that were overridden (a blocking check failed in a
  stamp of a request that was nonetheless approved: it cannot be submitted with one, so the
  check failed at a decision and the approver went ahead) and the real failures (late reports,
  unreturned official passports). Warnings are never violations, nor are justified checks: the
  rule pack asked for a justification and got one.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from approvals.models import RuleStamp
from approvals.permissions import expand_scope, units_in_scope
from approvals.record.access import may_read_everything
from delegations.models import (
    Agreement,
    InboundVisit,
    OutboundMember,
    OutboundRequest,
    OutboundStop,
    Visitor,
)
from org.models import Unit
from workflow.rules.pack import rule_title

OUTBOUND_COUNTED = ("approved", "travelling", "returned_home", "closed")
INBOUND_COUNTED = ("approved", "visiting", "visit_ended", "closed")
#: Only a failed block counts as a violation (when the request went ahead anyway).
VIOLATION_SEVERITIES = ("block",)
#: How the real failures are named among the violations.
LATE_REPORT = "Báo cáo kết quả nộp quá hạn"
UNRETURNED_PASSPORT = "Hộ chiếu công vụ chưa nộp lại đúng hạn (Luật 49/2019/QH14, Điều 23 khoản 3)"


def report_deadline(year: int) -> datetime.date:
    """The day units' reports for ``year`` are due (``ANNUAL_REPORT_DEADLINE``, "MM-DD")."""
    raw = getattr(settings, "ANNUAL_REPORT_DEADLINE", "10-15")
    try:
        month, day = (int(part) for part in raw.split("-"))
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"ANNUAL_REPORT_DEADLINE must be MM-DD (e.g. 10-15), not {raw!r}."
        ) from exc


@dataclass
class Figures:
    """The report's numbers for one unit, or for all of them together."""

    unit: str | None = None
    unit_name: str = ""
    outbound_delegations: int = 0
    outbound_official: int = 0
    outbound_personal: int = 0
    outbound_people: int = 0
    outbound_distinct_people: int = 0
    outbound_countries: list[str] = field(default_factory=list)
    outbound_days: int = 0
    outbound_person_days: int = 0
    funding: dict[str, dict[str, int]] = field(default_factory=dict)
    inbound_visits: int = 0
    inbound_visitors: int = 0
    inbound_countries: list[str] = field(default_factory=list)
    mous_signed: int = 0
    conferences_abroad: int = 0
    conferences_held: int = 0
    late_reports: int = 0
    unreturned_passports: int = 0
    rule_violations: int = 0
    violations_by_rule: dict[str, int] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not any(
            (self.outbound_delegations, self.inbound_visits, self.mous_signed, self.late_reports,
             self.unreturned_passports, self.rule_violations)
        )  # fmt: skip


@dataclass
class AnnualReport:
    year: int
    deadline: datetime.date
    as_of: datetime.date
    unit: str | None
    total: Figures
    units: list[Figures]
    countries: dict[str, dict[str, int]]
    by_month: list[int]

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "period": {"from": f"{self.year}-01-01", "to": f"{self.year}-12-31"},
            "deadline": self.deadline.isoformat(),
            "as_of": self.as_of.isoformat(),
            "unit": self.unit,
            "total": asdict(self.total),
            "units": [asdict(u) for u in self.units],
            "countries": self.countries,
            "departures_by_month": self.by_month,
        }


@dataclass
class _Acc:
    """What is summed per unit before it becomes :class:`Figures`."""

    figures: Figures
    people: set[int] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    inbound_countries: set[str] = field(default_factory=set)
    violations: Counter[str] = field(default_factory=Counter)

    def finish(self) -> Figures:
        f = self.figures
        f.outbound_distinct_people = len(self.people)
        f.outbound_countries = sorted(self.countries)
        f.inbound_countries = sorted(self.inbound_countries)
        f.violations_by_rule = dict(sorted((k, n) for k, n in self.violations.items() if n))
        f.rule_violations = sum(self.violations.values())
        return f


def _late(
    due: datetime.date | None, handed_in: datetime.datetime | None, as_of: datetime.date
) -> bool:
    if due is None:
        return False
    if handed_in is None:
        return due < as_of
    return timezone.localtime(handed_in).date() > due


def _scoped(qs: Any, unit_ids: Iterable[int] | None, name: str = "unit_id") -> Any:
    return qs if unit_ids is None else qs.filter(**{f"{name}__in": list(unit_ids)})


def _overridden_blocks(kind: str, request_ids: list[int]) -> dict[int, list[str]]:
    """Per approved request, the titles of the blocking rules that failed in any of its stamps
    (each rule once per request)."""
    stamps = (
        RuleStamp.objects.filter(request_kind=kind, request_id__in=request_ids)
        .order_by("request_id", "created_at", "id")
        .values_list("request_id", "checks")
    )
    failures: dict[int, set[str]] = defaultdict(set)
    for request_id, checks in stamps:
        failures[request_id].update(
            c["rule"]
            for c in (checks or {}).get("checks", [])
            if not c.get("passed") and c.get("severity") in VIOLATION_SEVERITIES
        )
    return {pk: [rule_title(rule) for rule in sorted(rules)] for pk, rules in failures.items()}


def annual_report(
    year: int,
    *,
    unit_ids: Iterable[int] | None = None,
    unit_code: str | None = None,
    today: datetime.date | None = None,
) -> AnnualReport:
    """The report for ``year`` over ``unit_ids`` (``None``: every unit)."""

    scope = set(unit_ids) if unit_ids is not None else None
    as_of = min(today or timezone.localdate(), datetime.date(year, 12, 31))
    units = {u.pk: u for u in _scoped(Unit.objects.all(), scope, "pk")}
    accs: dict[int, _Acc] = {}
    total = _Acc(Figures(unit=None, unit_name=""))

    def acc(unit_id: int) -> _Acc:
        if unit_id not in accs:
            unit = units.get(unit_id)
            accs[unit_id] = _Acc(Figures(unit=unit.code if unit else str(unit_id),
                                         unit_name=unit.name if unit else ""))  # fmt: skip
        return accs[unit_id]

    def both(unit_id: int) -> tuple[_Acc, _Acc]:
        return acc(unit_id), total

    by_month = [0] * 12
    trips = list(
        _scoped(OutboundRequest.objects, scope)
        .filter(departure_date__year=year)
        .exclude(status="draft")
        .values("pk", "unit_id", "kind", "status", "purpose_category", "funding_source",
                "estimated_cost", "departure_date", "return_date", "actual_departure",
                "actual_return", "report_due", "report_submitted_at")
    )  # fmt: skip
    counted = {t["pk"]: t for t in trips if t["status"] in OUTBOUND_COUNTED}
    members: dict[int, list[Any]] = defaultdict(list)
    for m in OutboundMember.objects.filter(request_id__in=list(counted)).values(
        "request_id", "person_id", "passport_due_on", "passport_returned_on"
    ):
        members[m["request_id"]].append(m)
    stops: dict[int, set[str]] = defaultdict(set)
    for request_id, country in OutboundStop.objects.filter(
        request_id__in=list(counted)
    ).values_list("request_id", "country"):
        stops[request_id].add(country.upper())

    for pk, t in counted.items():
        departure = t["actual_departure"] or t["departure_date"]
        back = t["actual_return"] or t["return_date"]
        days = max((back - departure).days + 1, 1)
        by_month[t["departure_date"].month - 1] += 1
        for a in both(t["unit_id"]):
            f = a.figures
            f.outbound_delegations += 1
            f.outbound_official += t["kind"] == "official"
            f.outbound_personal += t["kind"] == "personal"
            f.conferences_abroad += t["purpose_category"] == "conference"
            f.outbound_people += len(members[pk])
            f.outbound_days += days
            f.outbound_person_days += days * len(members[pk])
            a.people.update(m["person_id"] for m in members[pk])
            a.countries.update(stops[pk])
            source = f.funding.setdefault(t["funding_source"], {"delegations": 0, "cost": 0})
            source["delegations"] += 1
            source["cost"] += t["estimated_cost"] or 0
            late = _late(t["report_due"], t["report_submitted_at"], as_of)
            unreturned = sum(
                1
                for m in members[pk]
                if m["passport_due_on"] and not m["passport_returned_on"]
                and m["passport_due_on"] < as_of
            )  # fmt: skip
            f.late_reports += late
            f.unreturned_passports += unreturned
            a.violations.update({LATE_REPORT: int(late), UNRETURNED_PASSPORT: unreturned})

    visits = list(
        _scoped(InboundVisit.objects, scope)
        .filter(arrival_date__year=year)
        .exclude(status="draft")
        .values("pk", "unit_id", "status", "country", "is_conference", "report_due",
                "report_submitted_at")
    )  # fmt: skip
    approved_visits = {v["pk"]: v for v in visits if v["status"] in INBOUND_COUNTED}
    guests = Counter(
        Visitor.objects.filter(visit_id__in=list(approved_visits)).values_list(
            "visit_id", flat=True
        )
    )
    for pk, v in approved_visits.items():
        for a in both(v["unit_id"]):
            a.figures.inbound_visits += 1
            a.figures.inbound_visitors += guests[pk]
            a.figures.conferences_held += bool(v["is_conference"])
            late = _late(v["report_due"], v["report_submitted_at"], as_of)
            a.figures.late_reports += late
            a.violations.update({LATE_REPORT: int(late)})
            if v["country"]:
                a.inbound_countries.add(v["country"].upper())

    for unit_id in (
        _scoped(Agreement.objects, scope)
        .filter(signed_on__year=year)
        .values_list("unit_id", flat=True)
    ):
        for a in both(unit_id):
            a.figures.mous_signed += 1

    for kind, rows in (("outbound", counted.values()), ("inbound", approved_visits.values())):
        unit_of = {r["pk"]: r["unit_id"] for r in rows}
        for request_id, rules in _overridden_blocks(kind, list(unit_of)).items():
            for a in both(unit_of[request_id]):
                a.violations.update(rules)

    countries: dict[str, dict[str, int]] = defaultdict(lambda: {"outbound": 0, "inbound": 0})
    for pk in counted:
        for country in stops[pk]:
            countries[country]["outbound"] += 1
    for v in approved_visits.values():
        if v["country"]:
            countries[v["country"].upper()]["inbound"] += 1

    per_unit = sorted((a.finish() for a in accs.values()), key=lambda f: f.unit or "")
    return AnnualReport(
        year=year,
        deadline=report_deadline(year),
        as_of=as_of,
        unit=unit_code,
        total=total.finish(),
        units=[f for f in per_unit if not f.is_empty],
        countries=dict(sorted(countries.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))),
        by_month=by_month,
    )


def report_scope(user: Any, unit_code: str | None = None) -> tuple[set[int] | None, Unit | None]:
    """The units the user's report covers (``None``: all) and the unit asked for.

    Raises ``LookupError`` when the unit does not exist or is outside the user's scope, and
    ``PermissionError`` when the user may read no unit's records at all.
    """

    everything = may_read_everything(user)
    visible = None if everything else set(units_in_scope(user).values_list("pk", flat=True))
    if visible is not None and not visible:
        raise PermissionError
    if not unit_code:
        return visible, None
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None or (visible is not None and unit.pk not in visible):
        raise LookupError(unit_code)
    below = expand_scope([unit.pk])
    return (below if visible is None else below & visible), unit
