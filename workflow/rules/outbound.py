"""Outbound rules (đoàn ra), DOMAIN.md §6: one small function per rule, in registry order.

Each function reads the facts and its parameters and returns :func:`passed` or :func:`failed`
with a Vietnamese and an English message naming the member and the numbers.
"""

from __future__ import annotations

from org.calendar import working_days_between
from workflow.rules.dates import add_months
from workflow.rules.facts import MemberFacts, OutboundFacts
from workflow.rules.param_types import Param, ParamKind, int_param
from workflow.rules.registry import (
    Confidence,
    Context,
    Outcome,
    Route,
    Severity,
    failed,
    outbound_rule,
    passed,
)
from workflow.rules.texts import (
    B2184,
    DIRECTIVE_2025,
    LAW_49_2019,
    Q14_2022,
    R272,
    RESTRICTIONS,
    failed_listing,
    join_en,
    join_vi,
    who_en,
    who_vi,
)


@outbound_rule(
    "OUT-BARRED",
    title_vi="Thành viên thuộc diện chưa được xuất cảnh hoặc chưa được cử đi",
    title_en="Member barred from travelling",
    basis=f"{LAW_49_2019}, Điều 21; {B2184}",
    confidence=Confidence.CONFIRMED_REPORTED,
    severity=Severity.BLOCK,
)
def barred(facts: OutboundFacts, ctx: Context) -> Outcome:
    """Block when a member is under an exit ban, discipline, inspection, criminal proceedings
    or an unresolved civil or economic dispute (exit ban: confirmed; others: reported)."""
    found = [(m, RESTRICTIONS.get(f, (f, f))) for m in facts.members for f in m.restrictions]
    if not found:
        return passed(
            "Không thành viên nào thuộc diện chưa được xuất cảnh.",
            "No member is barred from travelling.",
        )
    return failed_listing(
        (f"{who_vi(m)} {vi}" for m, (vi, _en) in found),
        (f"{who_en(m)} is {en}" for m, (_vi, en) in found),
    )


@outbound_rule(
    "OUT-ENTERPRISE",
    title_vi="Chuyến đi do doanh nghiệp tài trợ hoặc mời đích danh",
    title_en="Trip sponsored or invited by an enterprise",
    basis=f"{DIRECTIVE_2025}; {B2184}",
    confidence=Confidence.REPORTED,
    severity=Severity.BLOCK,
)
def enterprise(facts: OutboundFacts, ctx: Context) -> Outcome:
    """Block a trip paid for by an enterprise or answering a foreign enterprise's named
    invitation."""
    if facts.sponsored_by_enterprise or facts.funding_source == "enterprise":
        return failed(
            "Chuyến đi do doanh nghiệp tài trợ: không được cử đi.",
            "The trip is sponsored by an enterprise: it cannot be approved.",
        )
    if facts.named_invitation and facts.inviter_is_enterprise:
        inviter = facts.inviter_name or "doanh nghiệp nước ngoài"
        return failed(
            f"Thư mời đích danh của doanh nghiệp ({inviter}): không được cử đi.",
            f"Named invitation from an enterprise ({facts.inviter_name or 'foreign enterprise'}):"
            " the trip cannot be approved.",
        )
    return passed(
        "Chuyến đi không do doanh nghiệp tài trợ hay mời đích danh.",
        "No enterprise sponsors or invites the trip by name.",
    )


@outbound_rule(
    "OUT-CONTRACT-FUNDING",
    title_vi="Chuyến đi gắn với hợp đồng, dự án: phải giải trình nguồn kinh phí",
    title_en="Trip tied to a contract or project: funding must be disclosed",
    basis=f"{DIRECTIVE_2025}; {B2184}",
    confidence=Confidence.REPORTED,
    severity=Severity.JUSTIFY,
)
def contract_funding(facts: OutboundFacts, ctx: Context) -> Outcome:
    """Ask for a written disclosure of who pays when the trip is tied to a contract or a
    project."""
    if facts.tied_to_contract or facts.funding_source == "project":
        return failed(
            "Chuyến đi gắn với hợp đồng hoặc dự án: cần giải trình rõ nguồn kinh phí.",
            "The trip is tied to a contract or project: explain who pays for it.",
        )
    return passed(
        "Chuyến đi không gắn với hợp đồng hay dự án.",
        "The trip is not tied to a contract or project.",
    )


@outbound_rule(
    "OUT-BUDGET-PERSONAL",
    title_vi="Dùng ngân sách nhà nước cho chuyến đi việc riêng",
    title_en="State budget for a personal trip",
    basis=B2184,
    confidence=Confidence.REPORTED,
    severity=Severity.BLOCK,
    kinds=("personal",),
)
def budget_personal(facts: OutboundFacts, ctx: Context) -> Outcome:
    """Block a personal trip funded by the state budget."""
    if facts.funding_source == "state_budget":
        return failed(
            "Chuyến đi việc riêng không được sử dụng ngân sách nhà nước.",
            "A personal trip cannot be paid for by the state budget.",
        )
    return passed(
        "Chuyến đi việc riêng không sử dụng ngân sách nhà nước.",
        "The personal trip is not paid for by the state budget.",
    )


@outbound_rule(
    "OUT-KEY-LEADERS",
    title_vi="Hai lãnh đạo chủ chốt của cùng đơn vị trong một đoàn",
    title_en="Two key leaders of the same unit in one delegation",
    basis=f"Chỉ thị 38-CT/TW; {B2184}",
    confidence=Confidence.REPORTED,
    severity=Severity.BLOCK,
)
def key_leaders(facts: OutboundFacts, ctx: Context) -> Outcome:
    """Block a delegation in which two or more key leaders of one unit travel together."""
    by_unit: dict[str, list[MemberFacts]] = {}
    for member in facts.members:
        if member.is_key_leader:
            by_unit.setdefault(member.unit.code, []).append(member)
    for unit_code, leaders in by_unit.items():
        if len(leaders) >= 2:
            names = ", ".join(m.full_name for m in leaders)
            return failed(
                f"{len(leaders)} lãnh đạo chủ chốt của đơn vị {unit_code} cùng đi: {names}.",
                f"{len(leaders)} key leaders of unit {unit_code} travel together: {names}.",
            )
    return passed(
        "Không có hai lãnh đạo chủ chốt của cùng một đơn vị trong đoàn.",
        "No two key leaders of the same unit travel together.",
    )


@outbound_rule(
    "OUT-ANNUAL-QUOTA",
    title_vi="Vượt số chuyến công tác nước ngoài trong năm",
    title_en="Annual quota of official trips exceeded",
    basis=B2184,
    confidence=Confidence.REPORTED,
    severity=Severity.JUSTIFY,
    kinds=("official",),
    raises_route=True,
    params=(
        int_param(
            "quota", 2, "Số chuyến công tác nước ngoài tối đa của một người trong năm dương lịch",
            "Official trips per person per calendar year", maximum=50,
        ),
    ),
)  # fmt: skip
def annual_quota(facts: OutboundFacts, ctx: Context) -> Outcome:
    """Justify, and send one level up, a trip that takes a member over the yearly quota
    (the trips already approved or pending this calendar year, plus this one)."""
    quota = ctx.params["quota"]
    year = facts.departure_date.year
    over = [m for m in facts.members if m.official_trips_this_year + 1 > quota]
    if not over:
        return passed(
            f"Không thành viên nào vượt hạn mức {quota} chuyến công tác trong năm {year}.",
            f"No member exceeds the quota of {quota} official trips in {year}.",
        )
    return failed(
        join_vi(
            f"{who_vi(m)} đã có {m.official_trips_this_year} chuyến công tác trong năm {year}"
            f" (hạn mức {quota})"
            for m in over
        )
        + ": cần giải trình, hồ sơ trình lên một cấp.",
        join_en(
            f"{who_en(m)} already has {m.official_trips_this_year} official trips in {year}"
            f" (quota {quota})"
            for m in over
        )
        + ": a justification is required and the request goes one level up.",
    )


@outbound_rule(
    "OUT-OVERLAP",
    title_vi="Thành viên đang có chuyến đi khác trùng thời gian",
    title_en="Member already on another trip on overlapping dates",
    basis=f"{Q14_2022} (xét duyệt từng người đi; một người không thể cùng lúc ở hai đoàn)",
    confidence=Confidence.ASSUMED,
    severity=Severity.BLOCK,
)
def overlap(facts: OutboundFacts, ctx: Context) -> Outcome:
    """Block when a member is in another approved or pending trip on overlapping dates."""
    busy = [m for m in facts.members if m.overlapping_trips]
    if not busy:
        return passed(
            "Không thành viên nào có chuyến đi khác trùng thời gian.",
            "No member has another trip on overlapping dates.",
        )
    return failed(
        join_vi(f"{who_vi(m)} đã có chuyến đi {', '.join(m.overlapping_trips)}" for m in busy)
        + " trùng thời gian.",
        join_en(f"{who_en(m)} is already on trip {', '.join(m.overlapping_trips)}" for m in busy)
        + " on overlapping dates.",
    )


@outbound_rule(
    "OUT-OPEN-DUTIES",
    title_vi="Chưa nộp báo cáo hoặc chưa nộp lại hộ chiếu của chuyến đi trước",
    title_en="Overdue report or unreturned passport from an earlier trip",
    basis=(
        f"{LAW_49_2019}, Điều 23 khoản 3 (hộ chiếu công vụ nộp lại cơ quan quản lý trong 5 ngày"
        f" làm việc kể từ ngày về nước); {R272} (báo cáo kết quả chuyến đi)"
    ),
    confidence=Confidence.ASSUMED,
    severity=Severity.BLOCK,
    params=(
        Param(
            "enabled", ParamKind.BOOL, True,
            "Bật kiểm tra báo cáo quá hạn và hộ chiếu công vụ chưa nộp lại",
            "Check overdue reports and unreturned official passports",
        ),
    ),
)  # fmt: skip
def open_duties(facts: OutboundFacts, ctx: Context) -> Outcome:
    """Block while a member owes an overdue post-trip report or an official passport."""
    if not ctx.params["enabled"]:
        return passed("Kiểm tra đang tắt.", "The check is switched off.")
    problems_vi, problems_en = [], []
    for m in facts.members:
        if m.overdue_reports:
            refs = ", ".join(m.overdue_reports)
            problems_vi.append(f"{who_vi(m)} chưa nộp báo cáo kết quả chuyến đi {refs}")
            problems_en.append(f"{who_en(m)} has an overdue report for trip {refs}")
        if m.unreturned_passports:
            refs = ", ".join(m.unreturned_passports)
            problems_vi.append(f"{who_vi(m)} chưa nộp lại hộ chiếu công vụ của chuyến đi {refs}")
            problems_en.append(f"{who_en(m)} has not returned the passport of trip {refs}")
    if not problems_vi:
        return passed(
            "Không thành viên nào còn nợ báo cáo hay hộ chiếu.",
            "No member owes a report or a passport.",
        )
    return failed_listing(problems_vi, problems_en)


@outbound_rule(
    "OUT-LEAD-TIME",
    title_vi="Nộp hồ sơ sát ngày xuất cảnh",
    title_en="Submitted too close to departure",
    basis="Thực tiễn (Bộ GDĐT áp dụng 20 ngày làm việc)",
    confidence=Confidence.ASSUMED,
    severity=Severity.JUSTIFY,
    params=(
        int_param(
            "working_days", 15, "Số ngày làm việc tối thiểu từ ngày nộp đến ngày xuất cảnh",
            "Minimum working days between submission and departure", maximum=120,
        ),
    ),
)  # fmt: skip
def lead_time(facts: OutboundFacts, ctx: Context) -> Outcome:
    """Justify a request first submitted fewer than N working days before departure.

    Counted from the first submission (stamped on the request), not from the day of each
    re-evaluation: a dossier filed early stays filed early when it is decided weeks later."""
    required = ctx.params["working_days"]
    submitted = facts.submitted_on or ctx.on
    days = working_days_between(submitted, facts.departure_date, ctx.calendar)
    departure, filed = f"{facts.departure_date:%d/%m/%Y}", f"{submitted:%d/%m/%Y}"
    if days >= required:
        return passed(
            f"Nộp lần đầu ngày {filed}, trước ngày xuất cảnh ({departure}) {days} ngày làm việc"
            f" (tối thiểu {required}).",
            f"First submitted on {filed}, {days} working days before departure on {departure}"
            f" (minimum {required}).",
        )
    return failed(
        f"Nộp lần đầu ngày {filed}, chỉ còn {days} ngày làm việc đến ngày xuất cảnh"
        f" ({departure}), tối thiểu {required}: cần giải trình.",
        f"First submitted on {filed}, only {days} working days before departure on"
        f" {departure}, minimum {required}: a justification is required.",
    )


@outbound_rule(
    "OUT-LONG-STAY",
    title_vi="Chuyến đi việc riêng từ 3 tháng trở lên",
    title_en="Personal trip of three months or more",
    basis=f"{Q14_2022} (ngưỡng 3 tháng theo quy định trước đó, cấu hình được)",
    confidence=Confidence.REPORTED,
    severity=Severity.ROUTE,
    kinds=("personal",),
    params=(
        int_param(
            "months", 3,
            "Số tháng (tháng dương lịch) từ đó chuyến đi việc riêng do UBND Thành phố quyết định",
            "Calendar months from which a personal trip goes to the City", minimum=1, maximum=60,
        ),
    ),
)  # fmt: skip
def long_stay(facts: OutboundFacts, ctx: Context) -> Outcome:
    """Send to the City a personal trip of N calendar months or more (10/1 → 10/4 is three
    months; 10/1 → 9/4 is not)."""
    months = ctx.params["months"]
    threshold = add_months(facts.departure_date, months)
    period = f"{facts.departure_date:%d/%m/%Y}–{facts.return_date:%d/%m/%Y}"
    if facts.return_date >= threshold:
        return failed(
            f"Chuyến đi việc riêng {period} kéo dài từ {months} tháng trở lên:"
            " do UBND Thành phố quyết định.",
            f"The personal trip {period} lasts {months} months or more: the City decides.",
            Route.CITY,
        )
    return passed(
        f"Chuyến đi việc riêng {period} dưới {months} tháng.",
        f"The personal trip {period} is shorter than {months} months.",
    )


@outbound_rule(
    "OUT-WARD-PERSONAL",
    title_vi="Trường do phường quản lý: việc riêng ngắn ngày, không có thư mời đích danh",
    title_en="Ward-managed school: short personal trip without a named invitation",
    basis=DIRECTIVE_2025,
    confidence=Confidence.REPORTED,
    severity=Severity.ROUTE,
    kinds=("personal",),
    uses=("OUT-LONG-STAY.months",),
)
def ward_personal(facts: OutboundFacts, ctx: Context) -> Outcome:
    """Leave to the ward chair a ward-managed school's personal trip shorter than the long-stay
    threshold and without a named invitation."""
    months = ctx.all_params["OUT-LONG-STAY"]["months"]
    short = facts.return_date < add_months(facts.departure_date, months)
    if facts.unit.managed_by == "ward" and short and not facts.named_invitation:
        return failed(
            f"Trường do phường quản lý, đi việc riêng dưới {months} tháng, không có thư mời"
            " đích danh: Chủ tịch UBND phường quyết định.",
            f"Ward-managed school, personal trip under {months} months without a named"
            " invitation: the ward chair decides.",
            Route.WARD,
        )
    return passed("Không thuộc trường hợp do phường quyết định.", "Not a ward decision case.")


@outbound_rule(
    "OUT-PARTY-MANAGED",
    title_vi="Thành viên thuộc diện Ban Thường vụ Thành ủy quản lý",
    title_en="Member managed by the City Party Standing Committee",
    basis=B2184,
    confidence=Confidence.REPORTED,
    severity=Severity.ROUTE,
)
def party_managed(facts: OutboundFacts, ctx: Context) -> Outcome:
    """Send to the City a delegation with a member managed by the City Party Standing
    Committee."""
    managed = [m for m in facts.members if m.is_party_managed]
    if not managed:
        return passed(
            "Không thành viên nào thuộc diện Ban Thường vụ Thành ủy quản lý.",
            "No member is managed by the City Party Standing Committee.",
        )
    return failed(
        join_vi(who_vi(m) for m in managed)
        + " thuộc diện Ban Thường vụ Thành ủy quản lý: do UBND Thành phố quyết định.",
        join_en(who_en(m) for m in managed)
        + " managed by the City Party Standing Committee: the City decides.",
        Route.CITY,
    )
