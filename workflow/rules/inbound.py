"""Inbound rules (đoàn vào), DOMAIN.md §6: one small function per rule, in registry order."""

from __future__ import annotations

from org.calendar import working_days_between
from workflow.rules.dates import first_overlapping
from workflow.rules.facts import InboundFacts
from workflow.rules.param_types import date_ranges_param, int_param
from workflow.rules.registry import (
    Confidence,
    Context,
    Outcome,
    Route,
    Severity,
    failed,
    inbound_rule,
    passed,
)
from workflow.rules.texts import CV_130, CV_630, QD_4713, failed_listing, join_en, join_vi
from workflow.rules.windows import freeze_outcome

SGD_LETTERS = f"{QD_4713}; {CV_130}"


def is_conference(facts: InboundFacts) -> bool:
    return facts.is_conference or facts.purpose_category == "conference"


@inbound_rule(
    "IN-BLACKOUT",
    title_vi="Thời gian đón đoàn trùng kỳ thi, ngày nghỉ, nghỉ hè",
    title_en="Visit during exams, holidays or summer break",
    basis=SGD_LETTERS,
    confidence=Confidence.REPORTED,
    severity=Severity.BLOCK,
    params=(
        date_ranges_param(
            "calendar",
            "Lịch thi, ngày nghỉ, nghỉ hè không đón khách (tính cả ngày đầu và ngày cuối)",
            "Exams, holidays and summer break (both ends inclusive)",
        ),
    ),
)  # fmt: skip
def blackout(facts: InboundFacts, ctx: Context) -> Outcome:
    """Block a visit any of whose days falls in the administrator's blackout calendar."""
    period = f"{facts.arrival_date:%d/%m/%Y}–{facts.departure_date:%d/%m/%Y}"
    hit = first_overlapping(ctx.params["calendar"], facts.arrival_date, facts.departure_date)
    if hit is None:
        return passed(
            f"Thời gian đón đoàn {period} không trùng lịch thi, ngày nghỉ.",
            f"The visit {period} does not fall in exams or holidays.",
        )
    return failed(
        f"Thời gian đón đoàn {period} trùng {hit.display()}.",
        f"The visit {period} falls in {hit.display()}.",
    )


@inbound_rule(
    "IN-PURPOSE",
    title_vi="Tư vấn du học, quảng bá học bổng cho học sinh, quảng cáo thương mại",
    title_en="Study-abroad consulting, scholarship marketing or advertising",
    basis=SGD_LETTERS,
    confidence=Confidence.REPORTED,
    severity=Severity.BLOCK,
)
def purpose(facts: InboundFacts, ctx: Context) -> Outcome:
    """Block a visit that recruits students for study abroad or advertises."""
    found_vi, found_en = [], []
    if facts.involves_student_recruitment:
        found_vi.append("tư vấn du học, quảng bá học bổng cho học sinh")
        found_en.append("study-abroad consulting or scholarship marketing to students")
    if facts.involves_advertising:
        found_vi.append("quảng cáo thương mại")
        found_en.append("commercial advertising")
    if not found_vi:
        return passed("Mục đích đón đoàn phù hợp.", "The purpose of the visit is acceptable.")
    return failed(
        f"Không được đón đoàn có nội dung {join_vi(found_vi)}.",
        f"Visits involving {join_en(found_en)} are not allowed.",
    )


@inbound_rule(
    "IN-SPONSOR",
    title_vi="Có tài trợ hoặc doanh nghiệp tham gia",
    title_en="Sponsorship or enterprise involvement",
    basis=SGD_LETTERS,
    confidence=Confidence.REPORTED,
    severity=Severity.ROUTE,
)
def sponsor(facts: InboundFacts, ctx: Context) -> Outcome:
    """Send to the department (never the ward) a visit with a sponsor or an enterprise."""
    if not (facts.sponsor or facts.enterprise_involved):
        return passed("Không có tài trợ hay doanh nghiệp tham gia.", "No sponsor or enterprise.")
    who = f" ({facts.sponsor})" if facts.sponsor else ""
    return failed(
        f"Có tài trợ hoặc doanh nghiệp tham gia{who}: Sở GDĐT xem xét, không giao phường.",
        f"Sponsorship or enterprise involvement{who}: the department decides, not the ward.",
        Route.DEPT,
    )


@inbound_rule(
    "IN-CONFERENCE",
    title_vi="Hội nghị, hội thảo quốc tế: thời hạn trình hồ sơ",
    title_en="International conference: dossier lead time",
    basis="Quyết định 06/2020/QĐ-TTg về tổ chức và quản lý hội nghị, hội thảo quốc tế",
    confidence=Confidence.CONFIRMED,
    severity=Severity.BLOCK,
    params=(
        int_param(
            "days", 30, "Số ngày (ngày lịch) tối thiểu trước khi khai mạc",
            "Calendar days before the opening", maximum=365,
        ),
        int_param(
            "days_prime_minister", 40, "Số ngày tối thiểu khi thuộc thẩm quyền Thủ tướng Chính phủ",
            "Calendar days when the Prime Minister decides", maximum=365,
        ),
    ),
)  # fmt: skip
def conference(facts: InboundFacts, ctx: Context) -> Outcome:
    """Block a conference dossier filed fewer than 30 calendar days (40 when the Prime Minister
    decides) before arrival; every international conference is decided by the City."""
    if not is_conference(facts):
        return passed("Không phải hội nghị, hội thảo quốc tế.", "Not an international conference.")
    key = "days_prime_minister" if facts.prime_minister_decides else "days"
    required = ctx.params[key]
    submitted = facts.submitted_on or ctx.on
    days = (facts.arrival_date - submitted).days
    arrival = f"{facts.arrival_date:%d/%m/%Y}"
    if days >= required:
        return passed(
            f"Hồ sơ hội nghị, hội thảo quốc tế trình trước {days} ngày (tối thiểu {required}):"
            " do UBND Thành phố quyết định.",
            f"Conference dossier filed {days} days ahead (minimum {required}): the City decides.",
            Route.CITY,
        )
    return failed(
        f"Hồ sơ hội nghị, hội thảo quốc tế chỉ trình trước ngày {arrival} {days} ngày,"
        f" tối thiểu {required} ngày.",
        f"Conference dossier filed only {days} days before {arrival}, minimum {required}.",
        Route.CITY,
    )


@inbound_rule(
    "IN-NOTIFY-LEAD",
    title_vi="Phê duyệt sát ngày đoàn vào, không kịp thông báo cơ quan chức năng",
    title_en="Approval too late to notify the agencies",
    basis="Thực tiễn của các tỉnh, thành",
    confidence=Confidence.ASSUMED,
    severity=Severity.JUSTIFY,
    uses=("timing.notify_days",),
    needs_schedule=True,
)
def notify_lead(facts: InboundFacts, ctx: Context) -> Outcome:
    """Justify a visit whose decision (or expected decision, from the step budgets) comes later
    than NOTIFY_DAYS working days before arrival."""
    required = ctx.all_params["timing"]["notify_days"]
    decision = facts.decision_on or ctx.expected_decision_on or ctx.on
    days = working_days_between(decision, facts.arrival_date, ctx.calendar)
    when = f"{decision:%d/%m/%Y}"
    if days >= required:
        return passed(
            f"Dự kiến phê duyệt ngày {when}, trước ngày đoàn vào {days} ngày làm việc"
            f" (tối thiểu {required}).",
            f"Decision expected on {when}, {days} working days before arrival"
            f" (minimum {required}).",
        )
    return failed(
        f"Dự kiến phê duyệt ngày {when}, chỉ còn {days} ngày làm việc trước ngày đoàn vào"
        f" (tối thiểu {required} để thông báo Công an TP, Sở Ngoại vụ): cần giải trình.",
        f"Decision expected on {when}, only {days} working days before arrival"
        f" (minimum {required} to notify the police and Foreign Affairs):"
        " a justification is required.",
    )


@inbound_rule(
    "IN-VISITOR-DATA",
    title_vi="Thông tin khách chưa đủ hoặc hộ chiếu hết hạn trong thời gian đón",
    title_en="Visitor data incomplete or passport expiring during the visit",
    basis="Luật Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài (Luật 47/2014/QH13)",
    confidence=Confidence.CONFIRMED,
    severity=Severity.BLOCK,
)
def visitor_data(facts: InboundFacts, ctx: Context) -> Outcome:
    """Block until every visitor has a passport number, nationality and expiry date, and no
    passport expires before the visit ends."""
    if not facts.visitors:
        return failed("Chưa có danh sách khách.", "No visitor is listed.")
    problems_vi, problems_en = [], []
    for v in facts.visitors:
        missing = [
            (vi, en)
            for value, vi, en in (
                (v.passport_number, "số hộ chiếu", "passport number"),
                (v.nationality, "quốc tịch", "nationality"),
                (v.passport_expiry, "ngày hết hạn hộ chiếu", "passport expiry"),
            )
            if not value
        ]
        if missing:
            problems_vi.append(f"{v.full_name}: thiếu {', '.join(vi for vi, _en in missing)}")
            problems_en.append(f"{v.full_name}: missing {', '.join(en for _vi, en in missing)}")
        elif v.passport_expiry is not None and v.passport_expiry < facts.departure_date:
            expiry = f"{v.passport_expiry:%d/%m/%Y}"
            problems_vi.append(f"{v.full_name}: hộ chiếu hết hạn ngày {expiry}, trước khi về")
            problems_en.append(f"{v.full_name}: passport expires on {expiry}, before leaving")
    if not problems_vi:
        return passed(
            f"Thông tin của {len(facts.visitors)} khách đầy đủ, hộ chiếu còn hạn.",
            f"All {len(facts.visitors)} visitors' data are complete and passports valid.",
        )
    return failed_listing(problems_vi, problems_en)


@inbound_rule(
    "IN-FREEZE",
    title_vi="Ngày đoàn vào trong thời gian tạm dừng đón khách",
    title_en="Arrival inside an inbound freeze window",
    basis=CV_630,
    confidence=Confidence.CONFIRMED,
    severity=Severity.BLOCK,
    params=(
        date_ranges_param(
            "windows", "Các thời gian tạm dừng đón đoàn vào (tính cả ngày đầu và ngày cuối)",
            "Freeze windows for inbound visits (both ends inclusive)",
        ),
    ),
)  # fmt: skip
def freeze(facts: InboundFacts, ctx: Context) -> Outcome:
    """Block an arrival inside an administrator-declared inbound freeze window."""
    return freeze_outcome(
        ctx.params["windows"], facts.arrival_date,
        day_vi="Ngày đoàn vào", day_en="Arrival on", halted_vi="đón khách",
    )  # fmt: skip
