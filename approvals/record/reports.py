"""The annual foreign-affairs report (báo cáo công tác đối ngoại năm), per unit and consolidated.

The period is configurable: ``settings.ANNUAL_REPORT_PERIOD_START`` ("MM-DD", 16 October by
default) is its first day, so the report of year Y covers 16/10/(Y-1) → 15/10/Y and ends on the
day units report to the Sở (``settings.ANNUAL_REPORT_DEADLINE``, 15 October by default; Hải
Phòng uses 10 December). "01-01" gives the calendar year. A trip counts in the period of its
departure, a visit in the period of its arrival. A round of reports (``reporting``) passes its
own period. What is counted:

- outbound, official trips (approved, travelling, back, closed; not cancelled): delegations,
  person-trips, distinct people, countries, days abroad (actual dates when confirmed, else the
  decision's), person-days, delegations and estimated cost per funding source, delegations by
  purpose; personal trips apart (trips and person-trips), never as "đoàn ra";
- inbound: approved visits: visits, visitors, countries, visits by purpose; conferences held;
- MOUs: in force during the period (not proposed or refused, started by its end, not ended
  before its start), signed in it, expired or terminated in it, and their activities in it (free
  entries, linked official trips departing and linked visits arriving in the period);
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
    AgreementActivity,
    AgreementStatus,
    InboundVisit,
    OutboundMember,
    OutboundRequest,
    OutboundStop,
    Visitor,
)
from org.models import Jurisdiction, Unit
from workflow.rules.pack import rule_title

OUTBOUND_COUNTED = ("approved", "travelling", "returned_home", "closed")
INBOUND_COUNTED = ("approved", "visiting", "visit_ended", "closed")
#: Only a failed block counts as a violation (when the request went ahead anyway).
VIOLATION_SEVERITIES = ("block",)
#: How the real failures are named among the violations.
LATE_REPORT = "Báo cáo kết quả nộp quá hạn"
UNRETURNED_PASSPORT = "Hộ chiếu công vụ chưa nộp lại đúng hạn (Luật 49/2019/QH14, Điều 23 khoản 3)"


#: The settings each admin-edited field of :class:`org.models.Jurisdiction` stands in for.
JURISDICTION_FIELDS = {
    "ANNUAL_REPORT_DEADLINE": "report_deadline",
    "ANNUAL_REPORT_PERIOD_START": "report_period_start",
}


def _month_day(name: str, default: str) -> tuple[int, int]:
    """The "MM-DD" of the admin's jurisdiction row when it sets one, else of the setting."""
    jurisdiction = Jurisdiction.current()
    edited = getattr(jurisdiction, JURISDICTION_FIELDS[name], "") if jurisdiction else ""
    raw = edited or getattr(settings, name, default)
    try:
        month, day = (int(part) for part in raw.split("-"))
        datetime.date(2000, month, day)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be MM-DD (e.g. {default}), not {raw!r}.") from exc
    return month, day


def report_period(year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day the report of ``year`` covers (``ANNUAL_REPORT_PERIOD_START``).

    With a start of 16 October: 16/10/(year-1) → 15/10/year; with 1 January: the calendar year.
    """
    month, day = _month_day("ANNUAL_REPORT_PERIOD_START", "10-16")
    if (month, day) == (1, 1):
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    end = datetime.date(year, month, day) - datetime.timedelta(days=1)
    return datetime.date(year - 1, month, day), end


def report_year_of(day: datetime.date) -> int:
    """The year of the report whose period holds ``day``."""
    start, _end = report_period(day.year + 1)
    return day.year + 1 if day >= start else day.year


def report_deadline(year: int) -> datetime.date:
    """The day units' reports for ``year`` are due (``ANNUAL_REPORT_DEADLINE``, "MM-DD")."""
    month, day = _month_day("ANNUAL_REPORT_DEADLINE", "10-15")
    return datetime.date(year, month, day)


@dataclass
class Figures:
    """The report's numbers for one unit, or for all of them together."""

    unit: str | None = None
    unit_name: str = ""
    #: Official trips only (đoàn ra công vụ); personal trips are counted apart below.
    outbound_delegations: int = 0
    outbound_official: int = 0
    outbound_personal: int = 0
    personal_people: int = 0
    by_purpose: dict[str, int] = field(default_factory=dict)
    outbound_people: int = 0
    outbound_distinct_people: int = 0
    outbound_countries: list[str] = field(default_factory=list)
    outbound_days: int = 0
    outbound_person_days: int = 0
    funding: dict[str, dict[str, int]] = field(default_factory=dict)
    inbound_visits: int = 0
    inbound_visitors: int = 0
    inbound_countries: list[str] = field(default_factory=list)
    inbound_by_purpose: dict[str, int] = field(default_factory=dict)
    mous_in_force: int = 0
    mous_signed: int = 0
    mous_expired: int = 0
    mou_activities: int = 0
    conferences_abroad: int = 0
    conferences_held: int = 0
    late_reports: int = 0
    unreturned_passports: int = 0
    rule_violations: int = 0
    violations_by_rule: dict[str, int] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not any(
            (self.outbound_delegations, self.outbound_personal, self.inbound_visits,
             self.mous_in_force, self.mous_signed, self.mous_expired, self.late_reports,
             self.unreturned_passports, self.rule_violations)
        )  # fmt: skip


@dataclass
class AgreementLine:
    """One MOU of the report: in force during the period, with its activities in it."""

    pk: int
    unit: str
    partner: str
    country: str
    title: str
    signed_on: datetime.date | None
    expires_on: datetime.date | None
    status: str
    signed_in_period: bool
    expired_in_period: bool
    activities: list[dict[str, Any]] = field(default_factory=list)


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
    period_from: datetime.date = datetime.date.min
    period_to: datetime.date = datetime.date.max
    agreements: list[AgreementLine] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "period": {"from": self.period_from.isoformat(), "to": self.period_to.isoformat()},
            "deadline": self.deadline.isoformat(),
            "as_of": self.as_of.isoformat(),
            "unit": self.unit,
            "total": asdict(self.total),
            "units": [asdict(u) for u in self.units],
            "countries": self.countries,
            "departures_by_month": self.by_month,
            "agreements": [
                {
                    **asdict(a),
                    "signed_on": a.signed_on and a.signed_on.isoformat(),
                    "expires_on": a.expires_on and a.expires_on.isoformat(),
                }
                for a in self.agreements
            ],
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


def _submitted_in(
    manager: Any,
    unit_ids: Iterable[int] | None,
    field: str,
    period: tuple[datetime.date, datetime.date],
    *values: str,
) -> list[dict[str, Any]]:
    """The ``values`` of the units' submitted (not draft) rows whose ``field`` falls in the
    period."""
    rows = _scoped(manager, unit_ids).filter(**{f"{field}__range": period})
    return list(rows.exclude(status="draft").values(*values))


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
    period: tuple[datetime.date, datetime.date] | None = None,
) -> AnnualReport:
    """The report for ``year`` (or ``period``) over ``unit_ids`` (``None``: every unit)."""

    scope = set(unit_ids) if unit_ids is not None else None
    start, end = period or report_period(year)
    as_of = min(today or timezone.localdate(), end)
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
    trips = _submitted_in(
        OutboundRequest.objects, scope, "departure_date", (start, end),
        "pk", "unit_id", "kind", "status", "purpose_category", "funding_source", "estimated_cost",
        "departure_date", "return_date", "actual_departure", "actual_return", "report_due",
        "report_submitted_at", "agreement_id", "reference",
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

    official = {pk: t for pk, t in counted.items() if t["kind"] != "personal"}
    for pk, t in counted.items():
        late = _late(t["report_due"], t["report_submitted_at"], as_of)
        unreturned = sum(
            1
            for m in members[pk]
            if m["passport_due_on"] and not m["passport_returned_on"]
            and m["passport_due_on"] < as_of
        )  # fmt: skip
        for a in both(t["unit_id"]):
            f = a.figures
            f.late_reports += late
            f.unreturned_passports += unreturned
            a.violations.update({LATE_REPORT: int(late), UNRETURNED_PASSPORT: unreturned})
            if pk not in official:
                f.outbound_personal += 1
                f.personal_people += len(members[pk])
        if pk not in official:
            continue
        departure = t["actual_departure"] or t["departure_date"]
        back = t["actual_return"] or t["return_date"]
        days = max((back - departure).days + 1, 1)
        by_month[t["departure_date"].month - 1] += 1
        for a in both(t["unit_id"]):
            f = a.figures
            f.outbound_delegations += 1
            f.outbound_official += 1
            f.conferences_abroad += t["purpose_category"] == "conference"
            f.by_purpose[t["purpose_category"]] = f.by_purpose.get(t["purpose_category"], 0) + 1
            f.outbound_people += len(members[pk])
            f.outbound_days += days
            f.outbound_person_days += days * len(members[pk])
            a.people.update(m["person_id"] for m in members[pk])
            a.countries.update(stops[pk])
            source = f.funding.setdefault(t["funding_source"], {"delegations": 0, "cost": 0})
            source["delegations"] += 1
            source["cost"] += t["estimated_cost"] or 0

    visits = _submitted_in(
        InboundVisit.objects, scope, "arrival_date", (start, end),
        "pk", "unit_id", "status", "country", "is_conference", "report_due",
        "report_submitted_at", "purpose_category", "agreement_id", "reference", "arrival_date",
        "organisation",
    )  # fmt: skip
    approved_visits = {v["pk"]: v for v in visits if v["status"] in INBOUND_COUNTED}
    guests = Counter(
        Visitor.objects.filter(visit_id__in=list(approved_visits)).values_list(
            "visit_id", flat=True
        )
    )
    for pk, v in approved_visits.items():
        for a in both(v["unit_id"]):
            f = a.figures
            f.inbound_visits += 1
            f.inbound_visitors += guests[pk]
            f.conferences_held += bool(v["is_conference"])
            purpose = v["purpose_category"]
            f.inbound_by_purpose[purpose] = f.inbound_by_purpose.get(purpose, 0) + 1
            late = _late(v["report_due"], v["report_submitted_at"], as_of)
            f.late_reports += late
            a.violations.update({LATE_REPORT: int(late)})
            if v["country"]:
                a.inbound_countries.add(v["country"].upper())

    lines = _agreements(scope, start, end, official, approved_visits)
    for line_unit, line in lines:
        for a in both(line_unit):
            f = a.figures
            f.mous_in_force += 1
            f.mous_signed += line.signed_in_period
            f.mous_expired += line.expired_in_period
            f.mou_activities += len(line.activities)

    for kind, rows in (("outbound", counted.values()), ("inbound", approved_visits.values())):
        unit_of = {r["pk"]: r["unit_id"] for r in rows}
        for request_id, rules in _overridden_blocks(kind, list(unit_of)).items():
            for a in both(unit_of[request_id]):
                a.violations.update(rules)

    countries: dict[str, dict[str, int]] = defaultdict(lambda: {"outbound": 0, "inbound": 0})
    for pk in official:
        for country in stops[pk]:
            countries[country]["outbound"] += 1
    for v in approved_visits.values():
        if v["country"]:
            countries[v["country"].upper()]["inbound"] += 1

    per_unit = sorted((a.finish() for a in accs.values()), key=lambda f: f.unit or "")
    return AnnualReport(
        year=year,
        deadline=report_deadline(end.year if period else year),
        as_of=as_of,
        unit=unit_code,
        total=total.finish(),
        units=[f for f in per_unit if not f.is_empty],
        countries=dict(sorted(countries.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))),
        by_month=by_month,
        period_from=start,
        period_to=end,
        agreements=[line for _unit, line in lines],
    )


def _agreements(
    scope: set[int] | None,
    start: datetime.date,
    end: datetime.date,
    trips: dict[int, dict[str, Any]],
    visits: dict[int, dict[str, Any]],
) -> list[tuple[int, AgreementLine]]:
    """The MOUs in force at some day of the period, each with its unit and its activities."""
    rows = (
        _scoped(Agreement.objects, scope)
        .exclude(status__in=(AgreementStatus.PROPOSED, AgreementStatus.REJECTED))
        .select_related("partner", "unit")
        .order_by("signed_on", "pk")
    )
    lines: list[tuple[int, AgreementLine]] = []
    for agreement in rows:
        begins, ends = agreement.starts_on, agreement.ends_on
        if begins is None or begins > end or (ends is not None and ends < start):
            continue
        lines.append(
            (
                agreement.unit_id,
                AgreementLine(
                    pk=agreement.pk,
                    unit=agreement.unit.code,
                    partner=agreement.partner.name,
                    country=agreement.partner.country,
                    title=agreement.title,
                    signed_on=agreement.signed_on,
                    expires_on=agreement.expires_on,
                    status=agreement.status_on(end),
                    signed_in_period=bool(
                        agreement.signed_on and start <= agreement.signed_on <= end
                    ),
                    expired_in_period=ends is not None and start <= ends <= end,
                ),
            )
        )
    by_pk = {line.pk: line for _unit, line in lines}
    for activity in AgreementActivity.objects.filter(
        agreement_id__in=list(by_pk), held_on__range=(start, end)
    ):
        by_pk[activity.agreement_id].activities.append(
            {"kind": "activity", "date": activity.held_on.isoformat(),
             "text": activity.description}
        )  # fmt: skip
    for t in trips.values():
        if t["agreement_id"] in by_pk:
            by_pk[t["agreement_id"]].activities.append(
                {"kind": "outbound", "date": t["departure_date"].isoformat(),
                 "text": t["reference"] or ""}
            )  # fmt: skip
    for v in visits.values():
        if v["agreement_id"] in by_pk:
            by_pk[v["agreement_id"]].activities.append(
                {"kind": "inbound", "date": v["arrival_date"].isoformat(),
                 "text": v["reference"] or v["organisation"]}
            )  # fmt: skip
    for line in by_pk.values():
        line.activities.sort(key=lambda item: item["date"])
    return lines


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
