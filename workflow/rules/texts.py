"""Shared wording of rule messages, in Vietnamese and English."""

from __future__ import annotations

from collections.abc import Iterable

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
