"""Shared wording of rule messages, in Vietnamese and English."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from workflow.rules.facts import MemberFacts
from workflow.rules.registry import Outcome, failed

# The texts rule bases cite, each named by number and date so a basis always says where it
# comes from (DOMAIN.md §6; the seed plan names 14/2022/QĐ-UBND and 272-QĐ/TW).
LAW_49_2019 = "Luật Xuất cảnh, nhập cảnh của công dân Việt Nam (Luật 49/2019/QH14)"
Q14_2022 = (
    "Quyết định 14/2022/QĐ-UBND ngày 19/4/2022 của UBND TP.HCM về quản lý và xét duyệt cán bộ,"
    " công chức, viên chức và người lao động đi nước ngoài"
)
R272 = "Quyết định 272-QĐ/TW ngày 21/01/2015 của Bộ Chính trị"
QD_4713 = "Quyết định 4713/QĐ-UBND ngày 20/10/2018 của UBND TP.HCM"
CV_130 = "Công văn 130/GDĐT-VP ngày 16/01/2019 của Sở GDĐT TP.HCM"
B2184 = "Quy định 2184-QĐ/TU của Thành ủy TP.HCM"
DIRECTIVE_2025 = "Chỉ đạo của UBND TP.HCM ngày 22/9/2025"
PAUSE_2025 = "Chỉ đạo tạm dừng của UBND TP.HCM (đến 31/7/2025)"
CV_630 = "Công văn 630/GDĐT-VP (2020) của Sở GDĐT TP.HCM"
STAND_IN = "Quy định của TP Đà Nẵng (2025), dùng tạm khi chưa có văn bản của TP.HCM"

#: The city the texts above were written for.
DEFAULT_CITY = "TP.HCM"
#: The city's own texts among the bases, by key: (the pack's text, the wording used for another
#: city that has not entered its own). A jurisdiction (org.Jurisdiction.rule_bases) replaces
#: them by key; national texts (laws, Nghị định, the Politburo's) are never replaced.
CITY_TEXTS: dict[str, tuple[str, str]] = {
    "city_trip_regulation": (
        Q14_2022,
        "Quy định của UBND {city} về quản lý và xét duyệt cán bộ, công chức, viên chức và "
        "người lao động đi nước ngoài",
    ),
    "city_inbound_regulation": (QD_4713, "Quy định của UBND {city} về quản lý đoàn vào"),
    "department_inbound_letter": (
        CV_130,
        "Văn bản của {department} về việc tiếp khách nước ngoài",
    ),
    "party_regulation": (B2184, "Quy định của cấp ủy {city} về cán bộ đi nước ngoài"),
    "city_directive": (DIRECTIVE_2025, "Chỉ đạo của UBND {city}"),
    "city_pause_directive": (PAUSE_2025, "Chỉ đạo tạm dừng của UBND {city}"),
    "department_letter": (CV_630, "Văn bản của {department}"),
    "stand_in": (
        STAND_IN,
        "Quy định của TP Đà Nẵng (2025), dùng tạm khi chưa có văn bản của {city}",
    ),
}


def local_basis(basis: str, texts: Mapping[str, str], *, city: str, department: str) -> str:
    """``basis`` with the city's own texts of the jurisdiction in force.

    ``texts`` are the jurisdiction's by key (:data:`CITY_TEXTS`); a key it leaves out keeps
    the pack's text in the pack's own city, and reads as the generic wording naming ``city``
    and ``department`` elsewhere.
    """
    for key, (text, generic) in CITY_TEXTS.items():
        if text not in basis:
            continue
        own = texts.get(key)
        if isinstance(own, str) and own.strip():
            replacement = own.strip()
        elif city != DEFAULT_CITY:
            replacement = generic.format(city=city, department=department)
        else:
            continue
        basis = basis.replace(text, replacement)
    return basis


#: Person restriction flags (org.models.Person) → (Vietnamese, English) wording.
RESTRICTIONS: dict[str, tuple[str, str]] = {
    "exit_banned": ("đang bị tạm hoãn xuất cảnh", "under an exit ban"),
    "under_discipline": (
        "đang bị xem xét kỷ luật hoặc tạm đình chỉ công tác",
        "under disciplinary review or suspended",
    ),
    "under_inspection": (
        "đang bị thanh tra, kiểm tra về công việc phụ trách",
        "under inspection of matters they handle",
    ),
    "in_criminal_proceedings": (
        "đang bị điều tra, truy tố, xét xử",
        "subject to criminal proceedings",
    ),
    "in_civil_dispute": (
        "có tranh chấp dân sự, kinh tế chưa giải quyết xong",
        "party to an unresolved civil or economic dispute",
    ),
}


def who_vi(member: MemberFacts) -> str:
    return f"Ông/bà {member.full_name}"


def who_en(member: MemberFacts) -> str:
    return member.full_name


def join_vi(parts: Iterable[str]) -> str:
    return "; ".join(parts)


def join_en(parts: Iterable[str]) -> str:
    return "; ".join(parts)


def failed_listing(problems_vi: Iterable[str], problems_en: Iterable[str]) -> Outcome:
    """Failed, naming every problem: joined with "; " and ending with a full stop."""
    return failed(join_vi(problems_vi) + ".", join_en(problems_en) + ".")
