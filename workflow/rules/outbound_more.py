"""Outbound rules, continued: delegation size, itinerary, passports, speeches, relatives and
freeze windows (DOMAIN.md §6). Registered after :mod:`workflow.rules.outbound` (see
:mod:`workflow.rules.pack`)."""

from __future__ import annotations

import functools

from workflow.rules.dates import add_months
from workflow.rules.facts import MemberFacts, OutboundFacts
from workflow.rules.param_types import Param, date_ranges_param, int_param
from workflow.rules.registry import (
    Confidence,
    Context,
    Outcome,
    Severity,
    failed,
    outbound_rule,
    passed,
)
from workflow.rules.texts import (
    PAUSE_2025,
    Q14_2022,
    R272,
    STAND_IN,
    failed_listing,
    join_en,
    join_vi,
    who_en,
    who_vi,
)
from workflow.rules.windows import freeze_outcome

#: The caps on size, days and countries are for working delegations (đoàn công tác); a family
#: visit or a year of study abroad is not a delegation at work.
WORKING_DELEGATIONS = ("official",)


#: The caps borrowed from Đà Nẵng: warnings, for working delegations only.
_stand_in_cap = functools.partial(
    outbound_rule,
    basis=STAND_IN,
    confidence=Confidence.ASSUMED,
    severity=Severity.WARN,
    kinds=WORKING_DELEGATIONS,
)


def _cap(name: str, default: int, help_vi: str, help_en: str) -> Param:
    return int_param(name, default, help_vi, help_en, minimum=1, maximum=200)


def _head(facts: OutboundFacts) -> MemberFacts | None:
    heads = [m for m in facts.members if m.role == "head"]
    return heads[0] if heads else (facts.members[0] if facts.members else None)


@_stand_in_cap(
    "OUT-SIZE",
    title_vi="Số thành viên vượt mức theo cấp của trưởng đoàn",
    title_en="Delegation larger than the cap for its head's rank",
    params=(
        _cap("department_leader", 10, "Trưởng đoàn là lãnh đạo Sở", "Led by a department leader"),
        _cap("unit_head", 7, "Trưởng đoàn là thủ trưởng đơn vị", "Led by a unit head"),
        _cap("other", 5, "Trường hợp khác", "Otherwise"),
    ),
)
def size(facts: OutboundFacts, ctx: Context) -> Outcome:
    """Warn when an official delegation has more members than the cap for its head's rank."""
    head = _head(facts)
    if head is not None and head.is_department_leader:
        cap, rank_vi, rank_en = ctx.params["department_leader"], "lãnh đạo Sở", "department leader"
    elif head is not None and head.is_unit_head:
        cap, rank_vi, rank_en = ctx.params["unit_head"], "thủ trưởng đơn vị", "unit head"
    else:
        cap, rank_vi, rank_en = ctx.params["other"], "cán bộ", "staff member"
    count = len(facts.members)
    if count > cap:
        return failed(
            f"Đoàn có {count} thành viên, vượt mức {cap} khi trưởng đoàn là {rank_vi}.",
            f"The delegation has {count} members, over the cap of {cap} for a {rank_en} head.",
        )
    return passed(
        f"Đoàn có {count} thành viên (tối đa {cap} khi trưởng đoàn là {rank_vi}).",
        f"The delegation has {count} members (cap {cap} for a {rank_en} head).",
    )


@_stand_in_cap(
    "OUT-DAYS-PER-COUNTRY",
    title_vi="Số ngày ở một nước vượt mức",
    title_en="Too many days in one country",
    params=(
        _cap("days", 3, "Số ngày tối đa ở một nước", "Days per country"),
        _cap("days_major_event", 5, "Số ngày tối đa khi dự sự kiện lớn", "Days for a major event"),
    ),
)
def days_per_country(facts: OutboundFacts, ctx: Context) -> Outcome:
    """Warn when an official trip spends more days in one country than the cap (a higher cap
    when a stop there is a major event)."""
    days: dict[str, int] = {}
    major: set[str] = set()
    for stop in facts.itinerary:
        days[stop.country] = days.get(stop.country, 0) + stop.days
        if stop.major_event:
            major.add(stop.country)
    over = []
    for country, total in days.items():
        cap = ctx.params["days_major_event" if country in major else "days"]
        if total > cap:
            over.append((country, total, cap))
    if not over:
        return passed("Số ngày ở mỗi nước không vượt mức.", "No country exceeds the cap on days.")
    return failed_listing(
        (f"{c}: {total} ngày (tối đa {cap})" for c, total, cap in over),
        (f"{c}: {total} days (cap {cap})" for c, total, cap in over),
    )


@_stand_in_cap(
    "OUT-COUNTRIES",
    title_vi="Số nước đến vượt mức",
    title_en="Too many countries",
    params=(_cap("countries", 3, "Số nước tối đa trong một chuyến đi", "Countries per trip"),),
)
def countries(facts: OutboundFacts, ctx: Context) -> Outcome:
    """Warn when an official trip visits more countries than the cap."""
    visited = sorted({stop.country for stop in facts.itinerary})
    cap = ctx.params["countries"]
    if len(visited) > cap:
        return failed(
            f"Chuyến đi qua {len(visited)} nước ({', '.join(visited)}), vượt mức {cap}.",
            f"The trip visits {len(visited)} countries ({', '.join(visited)}), over {cap}.",
        )
    return passed(
        f"Chuyến đi qua {len(visited)} nước (tối đa {cap}).",
        f"The trip visits {len(visited)} countries (cap {cap}).",
    )


@outbound_rule(
    "OUT-PASSPORT",
    title_vi="Hộ chiếu thiếu hoặc sắp hết hạn",
    title_en="Passport missing or expiring soon",
    basis="Thực tiễn cấp thị thực",
    confidence=Confidence.ASSUMED,
    severity=Severity.WARN,
    params=(
        int_param(
            "months", 6, "Hộ chiếu phải còn hạn ít nhất bấy nhiêu tháng sau ngày về",
            "Months of validity required after return", maximum=36,
        ),
    ),
)  # fmt: skip
def passport(facts: OutboundFacts, ctx: Context) -> Outcome:
    """Warn when a member has no passport, or one expiring less than N months after return."""
    months = ctx.params["months"]
    needed = add_months(facts.return_date, months)
    problems_vi, problems_en = [], []
    for m in facts.members:
        if m.passport is None:
            problems_vi.append(f"{who_vi(m)} chưa có hộ chiếu")
            problems_en.append(f"{who_en(m)} has no passport")
        elif m.passport.expires_on < needed:
            expiry = f"{m.passport.expires_on:%d/%m/%Y}"
            problems_vi.append(
                f"Hộ chiếu {m.passport.number} của {who_vi(m).lower()} hết hạn ngày {expiry},"
                f" chưa đủ {months} tháng sau ngày về"
            )
            problems_en.append(
                f"{who_en(m)}'s passport {m.passport.number} expires on {expiry},"
                f" less than {months} months after return"
            )
    if not problems_vi:
        return passed(
            f"Hộ chiếu của mọi thành viên còn hạn ít nhất {months} tháng sau ngày về.",
            f"Every passport is valid at least {months} months after return.",
        )
    return failed_listing(problems_vi, problems_en)


@outbound_rule(
    "OUT-SPEECH",
    title_vi="Bài phát biểu, tham luận ở nước ngoài chưa có nội dung hoặc ý kiến thủ trưởng",
    title_en="Presentation abroad without its text or the head's appraisal",
    basis=f"{R272}; {Q14_2022}",
    confidence=Confidence.REPORTED,
    severity=Severity.BLOCK,
    kinds=("official",),
)
def speech(facts: OutboundFacts, ctx: Context) -> Outcome:
    """Block an official trip with a presentation abroad until its text and the unit head's
    appraisal are attached."""
    if not facts.presentation_abroad:
        return passed("Không có bài trình bày ở nước ngoài.", "No presentation abroad.")
    missing_vi, missing_en = [], []
    if not facts.presentation_text.strip():
        missing_vi.append("nội dung bài trình bày")
        missing_en.append("the text of the presentation")
    if not facts.head_appraisal.strip():
        missing_vi.append("ý kiến thẩm định của thủ trưởng đơn vị")
        missing_en.append("the unit head's appraisal")
    if missing_vi:
        return failed(
            f"Có bài trình bày ở nước ngoài nhưng thiếu {' và '.join(missing_vi)}.",
            f"A presentation abroad is planned but {' and '.join(missing_en)} is missing.",
        )
    return passed(
        "Bài trình bày đã có nội dung và ý kiến thẩm định của thủ trưởng đơn vị.",
        "The presentation has its text and the unit head's appraisal.",
    )


#: The attachment type of an invitation letter and its translation (delegations AttachmentKind).
INVITATION = "invitation"


@outbound_rule(
    "OUT-INVITATION",
    title_vi="Chuyến công tác có bên mời nhưng chưa đính kèm thư mời",
    title_en="Official trip with an inviter but no invitation attached",
    basis=Q14_2022,
    confidence=Confidence.REPORTED,
    severity=Severity.BLOCK,
    kinds=("official",),
)
def invitation(facts: OutboundFacts, ctx: Context) -> Outcome:
    """Block an official trip that names its inviter (or a named invitation) until the
    invitation letter is attached as a file of the type "Thư mời và bản dịch"."""
    inviter = facts.inviter_name.strip()
    if not inviter and not facts.named_invitation:
        return passed("Chuyến đi không ghi bên mời.", "The trip names no inviter.")
    if INVITATION in facts.attachment_kinds:
        return passed("Đã đính kèm thư mời.", "The invitation is attached.")
    who_vi = f"“{inviter}”" if inviter else "đích danh"
    who_en = f"“{inviter}”" if inviter else "a named invitation"
    return failed(
        f"Hồ sơ có bên mời {who_vi} nhưng chưa đính kèm thư mời: hãy tải lên tệp loại "
        "“Thư mời và bản dịch” trước khi trình.",
        f"The dossier names an inviter ({who_en}) but no invitation is attached: upload a file "
        "of the type “Invitation and translation” before submitting.",
    )


@outbound_rule(
    "OUT-RELATIVES",
    title_vi="Người thân của thành viên trong đoàn công tác",
    title_en="Relatives of members in an official delegation",
    basis="Chỉ thị 38-CT/TW",
    confidence=Confidence.REPORTED,
    severity=Severity.JUSTIFY,
    kinds=("official",),
)
def relatives(facts: OutboundFacts, ctx: Context) -> Outcome:
    """Justify an official delegation in which a member travels with a relative."""
    names = {m.person_id: m.full_name for m in facts.members}
    pairs = [(m, names.get(m.relative_of, "")) for m in facts.members if m.relative_of]
    if not pairs:
        return passed(
            "Đoàn không có người thân của thành viên.", "No member travels with a relative."
        )
    return failed(
        join_vi(f"{who_vi(m)} là người thân của {other or 'một thành viên'}" for m, other in pairs)
        + ": cần giải trình.",
        join_en(f"{who_en(m)} is a relative of {other or 'a member'}" for m, other in pairs)
        + ": a justification is required.",
    )


@outbound_rule(
    "OUT-FREEZE",
    title_vi="Ngày xuất cảnh trong thời gian tạm dừng cử đoàn ra",
    title_en="Departure inside a freeze window",
    basis=PAUSE_2025,
    confidence=Confidence.REPORTED,
    severity=Severity.BLOCK,
    params=(
        date_ranges_param(
            "windows", "Các thời gian tạm dừng cử đoàn ra (tính cả ngày đầu và ngày cuối)",
            "Freeze windows for outbound trips (both ends inclusive)",
        ),
    ),
)  # fmt: skip
def freeze(facts: OutboundFacts, ctx: Context) -> Outcome:
    """Block a departure inside an administrator-declared freeze window (last day included)."""
    return freeze_outcome(
        ctx.params["windows"], facts.departure_date,
        day_vi="Ngày xuất cảnh", day_en="Departure on", halted_vi="cử đoàn ra",
    )  # fmt: skip
