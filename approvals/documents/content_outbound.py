"""The outbound documents: the decision with its annex, the agencies' letter, the cancellation.

Built inside the issuing transaction, from the request as it stands then (see
:mod:`approvals.documents.content_common` for the snapshot's shape and why the wording is not
translated).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import translation

from approvals.documents.content_common import (
    Issuer,
    agency_names,
    city_committee_short,
    city_proposal,
    filing_line,
    heading,
    jurisdiction,
    long_date,
    para,
    short_date,
    staff_words,
    table,
)
from approvals.documents.countries import country_list
from delegations.models import FundingSource, PurposeCategory
from org.models import PassportKind
from workflow.models import timing_params

MEMBER_COLUMNS = ["STT", "Họ và tên", "Ngày sinh", "Chức vụ, đơn vị", "Hộ chiếu", "Ghi chú"]
MEMBER_WIDTHS = [10, 36, 22, 44, 30, 18]
#: The legal bases of a decision (docs/record.md lists them for the department's lawyer).
#: Luật Xuất cảnh, nhập cảnh của công dân Việt Nam (49/2019/QH14) names in Art. 11 who sends
#: or permits travel abroad; the city's own decision (HCMC: Quyết định 14/2022/QĐ-UBND, cited
#: with its date and title as the department's plan gives them, seeds/000, section II.6) is
#: the jurisdiction's ``legal_basis``, edited in the admin.
LAW_EXIT_ENTRY = "Căn cứ Luật Xuất cảnh, nhập cảnh của công dân Việt Nam ngày 22 tháng 11 năm 2019;"
LAW_LOCAL_GOVERNMENT = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"


def city_basis() -> str:
    """``Căn cứ Quyết định số 14/2022/QĐ-UBND … đi nước ngoài;``: the city's own decision."""
    return jurisdiction().legal_basis


def bases_for(issuer: Issuer) -> list[str]:
    """The Sở's bases; a ward decides under the two-level local government (from 1/7/2025)."""
    national = [LAW_LOCAL_GOVERNMENT, LAW_EXIT_ENTRY] if issuer.is_ward else [LAW_EXIT_ENTRY]
    return [*national, city_basis()]


def _label(field_choices: Any, value: str) -> str:
    with translation.override("vi"):
        return str(dict(field_choices).get(value, value))


def money(amount: int) -> str:
    """``120.000.000`` (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".")


def members(request: Any) -> list[Any]:
    return list(request.members.select_related("person__unit", "passport").order_by("role", "pk"))


def member_rows(request: Any) -> list[list[str]]:
    """The delegation list: the full passport numbers are for the agencies' documents only."""

    rows = []
    for i, member in enumerate(members(request), start=1):
        person = member.person
        passport = ""
        if member.passport is not None:
            kind = "công vụ" if member.passport.kind == PassportKind.OFFICIAL else "phổ thông"
            passport = f"{member.passport.number} ({kind})"
        rows.append(
            [
                str(i),
                person.full_name,
                short_date(person.date_of_birth),
                ", ".join(p for p in (person.position, person.unit.name) if p),
                passport,
                "Trưởng đoàn" if member.role == "head" else "",
            ]
        )
    return rows


def travellers_word(request: Any) -> str:
    """``viên chức`` for teachers: the travellers' staff categories (cán bộ, công chức…)."""
    return staff_words([m.person.category for m in members(request)])


def _who(request: Any) -> tuple[str, bool]:
    """How Điều 1 names the travellers ("ông"/"bà" from the directory), and whether a group."""
    people = members(request)
    if len(people) == 1:
        person = people[0].person
        parts = [person.full_name, person.position, person.unit.name]
        return f"{person.honorific} " + ", ".join(p for p in parts if p), False
    head = next((m for m in people if m.role == "head"), people[0]).person
    head_desc = ", ".join(p for p in (head.full_name, head.position) if p)
    return (
        f"đoàn gồm {len(people)} {travellers_word(request)} có tên trong danh sách kèm theo, "
        f"do {head.honorific} {head_desc} làm trưởng đoàn",
        True,
    )


def _named(request: Any) -> str:
    """``bà Nguyễn Thị A`` for one traveller, ``các cá nhân`` for a group (Điều 3, Điều 4)."""
    people = members(request)
    if len(people) == 1:
        person = people[0].person
        return f"{person.honorific} {person.full_name}"
    return "các cá nhân"


def _trip(request: Any) -> str:
    countries = country_list([s.country for s in request.itinerary.all()]) or "nước ngoài"
    return (
        f"{countries} từ ngày {short_date(request.departure_date)} "
        f"đến ngày {short_date(request.return_date)}"
    )


def _timing() -> dict[str, Any]:
    return timing_params()


def decision_content(
    request: Any, *, issuer: Issuer, number_text: str, issued_on: datetime.date
) -> dict[str, Any]:
    """Quyết định cử đi (official) or cho phép (personal), with the delegation list as annex."""

    official = request.kind == "official"
    who, group = _who(request)
    timing = _timing()
    unit_name = request.unit.name
    purpose = request.purpose.strip().rstrip(".")
    inviter = f", theo lời mời của {request.inviter_name}" if request.inviter_name else ""
    word = travellers_word(request)
    if official:
        summary = f"Về việc cử {word} đi công tác nước ngoài"
        article1 = f"Cử {who} đi công tác tại {_trip(request)}{inviter}. Mục đích: {purpose}."
    else:
        summary = f"Về việc cho phép {word} đi nước ngoài về việc riêng"
        category = _label(PurposeCategory.choices, request.purpose_category).lower()
        article1 = f"Cho phép {who} đi {_trip(request)} về việc riêng ({category})."
    funding = _label(FundingSource.choices, request.funding_source)
    article2 = f"Nguồn kinh phí: {funding.lower()}."
    if official and request.estimated_cost:
        article2 += f" Dự toán: {money(request.estimated_cost)} đồng."
    named = _named(request)
    reporter = "Trưởng đoàn" if group else named[:1].upper() + named[1:]
    article3 = (
        f"{reporter} có trách nhiệm báo cáo kết quả chuyến đi bằng văn bản gửi "
        f"{issuer.short_name} trong thời hạn {timing['report_days']} ngày kể từ ngày về nước"
    )
    if any(m.passport and m.passport.kind == "official" for m in members(request)):
        article3 += (
            f"; nộp lại hộ chiếu công vụ trong thời hạn {timing['passport_return_days']} "
            "ngày làm việc kể từ ngày về nước"
        )
    article3 += "; chấp hành nghiêm quy định của pháp luật Việt Nam và của nước đến."
    office = _office(issuer)
    article4 = (
        f"Quyết định này có hiệu lực kể từ ngày ký. {office}, Thủ trưởng {unit_name} và "
        f"{named} có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./."
    )
    proposal = f"Xét đề nghị của {unit_name} (hồ sơ số {request.reference or request.pk})"
    proposal += "." if issuer.is_ward else f" và đề nghị của {issuer.office_head}."
    return {
        "title": "QUYẾT ĐỊNH",
        "summary": summary,
        "authority": issuer.authority,
        "bases": [*bases_for(issuer), proposal],
        "body": [
            heading("QUYẾT ĐỊNH:"),
            para(article1, lead="Điều 1."),
            para(article2, lead="Điều 2."),
            para(article3, lead="Điều 3."),
            para(article4, lead="Điều 4."),
        ],
        "recipients": [
            "Như Điều 4;",
            *[f"{name};" for name in agency_names()],
            filing_line(issuer),
        ],
        "annex": {
            "title": f"DANH SÁCH {word.upper()} ĐI NƯỚC NGOÀI",
            "subtitle": (
                f"(Kèm theo Quyết định số {number_text} {long_date(issued_on)} "
                f"của {issuer.head_title.capitalize()} {issuer.short_name})"
            ),
            "table": table(MEMBER_COLUMNS, MEMBER_WIDTHS, member_rows(request)),
        },
    }


def decision_reference(request: Any, decision: dict[str, Any] | None) -> str:
    """``Sở ... đã ban hành Quyết định số 12/QĐ-SGDĐT ngày ...``, or the City's decision."""
    if decision is not None:
        return (
            f"{decision['issuer_name']} đã ban hành Quyết định số {decision['number_text']} "
            f"{long_date(decision['issued_on'])}"
        )
    if request.decision_number:
        day = f" {long_date(request.decision_date)}" if request.decision_date else ""
        return f"{city_committee_short()} đã ban hành Quyết định số {request.decision_number}{day}"
    return "cơ quan có thẩm quyền đã quyết định"


def _opening(request: Any, decision: dict[str, Any] | None) -> str:
    who = "cử" if request.kind == "official" else "cho phép"
    count = request.members.count()
    return (
        f"{decision_reference(request, decision)} {who} {count} {travellers_word(request)} của "
        f"{request.unit.name} "
        f"đi {_trip(request)}"
    )


def notice_content(
    request: Any, *, issuer: Issuer, decision: dict[str, Any] | None
) -> dict[str, Any]:
    """Công văn to Công an TP (PA08) and Sở Ngoại vụ: who goes where, when, with which passport."""

    purpose = request.purpose.strip().rstrip(".")
    funding = _label(FundingSource.choices, request.funding_source).lower()
    return {
        "title": "",
        "summary": f"V/v thông báo {travellers_word(request)} đi nước ngoài",
        "kinh_gui": agency_names(),
        "bases": [],
        "body": [
            para(f"{_opening(request, decision)} (danh sách kèm theo)."),
            para(f"Mục đích chuyến đi: {purpose}. Nguồn kinh phí: {funding}."),
            table(MEMBER_COLUMNS, MEMBER_WIDTHS, member_rows(request)),
            para(
                f"{issuer.short_name} trân trọng thông báo để Quý cơ quan biết, phối hợp "
                "quản lý theo quy định./."
            ),
        ],
        "recipients": ["Như trên;", f"{request.unit.name};", filing_line(issuer)],
        "annex": None,
    }


def cancellation_content(
    request: Any,
    *,
    issuer: Issuer,
    decision: dict[str, Any] | None,
    reason: str,
    revocation: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Công văn telling the agencies and the unit that an approved trip will not take place."""
    body = [para(f"{_opening(request, decision)}.")]
    if revocation is not None:
        body.append(
            para(
                f"Nay, {issuer.short_name} đã ban hành {decision_ref_text(revocation)} hủy bỏ "
                f"quyết định nêu trên; chuyến đi không thực hiện. "
                f"Lý do: {reason.strip().rstrip('.')}."
            )
        )
    else:
        body.append(para(f"Nay, chuyến đi nêu trên được hủy. Lý do: {reason.strip().rstrip('.')}."))
    return {
        "title": "",
        "summary": f"V/v hủy chuyến đi nước ngoài của {travellers_word(request)}",
        "kinh_gui": [*agency_names(), request.unit.name],
        "bases": [],
        "body": [
            *body,
            table(MEMBER_COLUMNS, MEMBER_WIDTHS, member_rows(request)),
            para(
                f"{issuer.short_name} trân trọng thông báo để Quý cơ quan biết, phối hợp "
                "theo dõi, quản lý./."
            ),
        ],
        "recipients": ["Như trên;", filing_line(issuer)],
        "annex": None,
    }


# --- changes after approval (NĐ 30): amending and revoking decisions, the City's tờ trình ----


def decision_ref_text(decision: dict[str, Any]) -> str:
    """``Quyết định số 01/QĐ-SGDĐT ngày 05 tháng 3 năm 2026``."""
    return f"Quyết định số {decision['number_text']} {long_date(decision['issued_on'])}"


def _office(issuer: Issuer) -> str:
    return "Văn phòng " + issuer.short_name if issuer.is_ward else issuer.office_head


def amendment_content(
    request: Any,
    *,
    issuer: Issuer,
    decision: dict[str, Any],
    old_return: datetime.date,
) -> dict[str, Any]:
    """Quyết định điều chỉnh: an approved extension moves the return date of the decision."""
    who, _group = _who(request)
    named = _named(request)
    ref = decision_ref_text(decision)
    word = travellers_word(request)
    return {
        "title": "QUYẾT ĐỊNH",
        "summary": f"Về việc điều chỉnh thời gian đi nước ngoài của {word}",
        "authority": issuer.authority,
        "bases": [
            *bases_for(issuer),
            f"Căn cứ {ref} của {issuer.head_title.capitalize()} {issuer.short_name};",
            f"Xét đề nghị gia hạn thời gian ở nước ngoài của {request.unit.name} "
            f"(hồ sơ số {request.reference or request.pk}).",
        ],
        "body": [
            heading("QUYẾT ĐỊNH:"),
            para(
                f"Điều chỉnh thời gian đi nước ngoài của {who} tại {ref}: ngày về nước là ngày "
                f"{short_date(request.return_date)} (thay cho ngày {short_date(old_return)}).",
                lead="Điều 1.",
            ),
            para(f"Các nội dung khác của {ref} giữ nguyên hiệu lực.", lead="Điều 2."),
            para(
                f"Quyết định này có hiệu lực kể từ ngày ký. {_office(issuer)}, Thủ trưởng "
                f"{request.unit.name} và {named} có tên tại Điều 1 chịu trách nhiệm thi hành "
                "Quyết định này./.",
                lead="Điều 3.",
            ),
        ],
        "recipients": [
            "Như Điều 3;",
            *[f"{name};" for name in agency_names()],
            filing_line(issuer),
        ],
        "annex": None,
    }


def revocation_content(
    request: Any, *, issuer: Issuer, decision: dict[str, Any], reason: str
) -> dict[str, Any]:
    """Quyết định hủy bỏ: the authority revokes its decision when an approved trip is cancelled."""
    named = _named(request)
    ref = decision_ref_text(decision)
    what = "cử" if request.kind == "official" else "cho phép"
    return {
        "title": "QUYẾT ĐỊNH",
        "summary": f"Về việc hủy bỏ {ref}",
        "authority": issuer.authority,
        "bases": [
            *bases_for(issuer),
            f"Xét đề nghị của {request.unit.name} về việc hủy chuyến đi nước ngoài "
            f"(hồ sơ số {request.reference or request.pk}).",
        ],
        "body": [
            heading("QUYẾT ĐỊNH:"),
            para(
                f"Hủy bỏ {ref} của {issuer.head_title.capitalize()} {issuer.short_name} về "
                f"việc {what} {travellers_word(request)} đi nước ngoài. "
                f"Lý do: {reason.strip().rstrip('.')}.",
                lead="Điều 1.",
            ),
            para(
                f"Quyết định này có hiệu lực kể từ ngày ký. {_office(issuer)}, Thủ trưởng "
                f"{request.unit.name} và {named} có tên tại {ref} chịu trách nhiệm thi hành "
                "Quyết định này./.",
                lead="Điều 2.",
            ),
        ],
        "recipients": [
            "Như Điều 2;",
            *[f"{name};" for name in agency_names()],
            filing_line(issuer),
        ],
        "annex": None,
    }


def proposal_content(request: Any, *, issuer: Issuer) -> dict[str, Any]:
    """Tờ trình: the Director proposes to the City People's Committee (route CITY)."""
    official = request.kind == "official"
    who, _group = _who(request)
    what = "cử" if official else "cho phép"
    purpose = request.purpose.strip().rstrip(".")
    funding = _label(FundingSource.choices, request.funding_source).lower()
    inviter = f", theo lời mời của {request.inviter_name}" if request.inviter_name else ""
    trip = f"công tác tại {_trip(request)}" if official else f"{_trip(request)} về việc riêng"
    return city_proposal(
        issuer,
        summary=f"Về việc {what} {travellers_word(request)} đi nước ngoài",
        body=[
            para(city_basis()),
            para(
                f"Xét đề nghị của {request.unit.name} (hồ sơ số "
                f"{request.reference or request.pk}), {issuer.short_name} kính trình "
                f"{city_committee_short()} xem xét, {what} {who} đi {trip}{inviter}."
            ),
            para(f"Mục đích chuyến đi: {purpose}. Nguồn kinh phí: {funding}."),
            table(MEMBER_COLUMNS, MEMBER_WIDTHS, member_rows(request)),
        ],
    )
