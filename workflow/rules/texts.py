"""Shared wording of rule messages, in Vietnamese and English."""

from __future__ import annotations

from collections.abc import Iterable

from workflow.rules.facts import MemberFacts
from workflow.rules.registry import Outcome, failed

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
