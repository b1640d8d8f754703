"""What every official document shares: issuer, dates, signature, recipients, the snapshot shape.

Official documents are legal texts in Vietnamese (Nghị định 30/2020/NĐ-CP): their wording is
never translated, whatever language the person issuing them reads, so the strings here are
deliberately not wrapped in gettext.

A snapshot (``Document.content``) is plain JSON::

    {"issuer": {...}, "number_text", "date_line", "issued_on", "title", "summary",
     "authority", "kinh_gui": [...], "bases": [...], "body": [block, ...],
     "signature": {"lines": [...], "name"}, "recipients": [...], "annex": {...} | None}

where a block is ``{"type": "p" | "heading" | "table", ...}``; both renderers read only this.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from approvals.models import Decision
from config.memo import memo_keep, memoized
from org.models import (
    ActingAssignment,
    Jurisdiction,
    Person,
    Role,
    RoleAssignment,
    StaffCategory,
    Unit,
    UnitKind,
)

# The city's names (the place of the date line, the People's Committee above the Sở, the
# city's own legal basis, the reviewing office) come from the jurisdiction row edited in the
# admin (org.Jurisdiction; HCMC's texts without one). National texts stay here.
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
#: The steps whose approval is the decision, and whose actor signs the documents.
SIGNING_STEPS = ("decide_by_director", "decide_by_ward_chair", "propose_by_director")
#: The steps whose approval of an extension is the amending decision.
EXTENSION_SIGNING_STEPS = ("decide_extension_by_director", "decide_extension_by_ward")


def jurisdiction() -> Jurisdiction:
    """The city the documents speak for (cached; HCMC's defaults without an admin row)."""
    return Jurisdiction.effective()


def city_lines() -> list[str]:
    """``ỦY BAN NHÂN DÂN`` / ``THÀNH PHỐ HỒ CHÍ MINH``: the body above the Sở in the header."""
    return ["ỦY BAN NHÂN DÂN", jurisdiction().city_name.upper()]


def city_committee() -> str:
    """``Ủy ban nhân dân Thành phố Hồ Chí Minh``: whom the Sở's tờ trình is addressed to."""
    return f"Ủy ban nhân dân {jurisdiction().city_name}"


def city_committee_short() -> str:
    """``Ủy ban nhân dân Thành phố`` (``… Tỉnh`` for a province), once named in full."""
    city = jurisdiction().city_name
    word = "Tỉnh" if city.lower().startswith("tỉnh") else "Thành phố"
    return f"Ủy ban nhân dân {word}"


#: The words for people by staff category, in the order the texts list them.
CATEGORY_WORDS = {
    StaffCategory.CAN_BO: "cán bộ",
    StaffCategory.CONG_CHUC: "công chức",
    StaffCategory.VIEN_CHUC: "viên chức",
    StaffCategory.NGUOI_LAO_DONG: "người lao động",
}
WARD_PREFIXES = ("Phường ", "Xã ", "Đặc khu ", "Thị trấn ")


def number_text(number: int, symbol: str) -> str:
    """``01/QĐ-SGDĐT``: numbers 1–9 with a leading zero (NĐ 30, Art. 15 and Phụ lục I)."""
    return f"{number:02d}/{symbol}"


def staff_words(categories: list[str]) -> str:
    """``viên chức``, ``công chức, viên chức``, ``viên chức và người lao động``: who travels."""
    words = [word for key, word in CATEGORY_WORDS.items() if key in set(categories)]
    if not words:
        return "cán bộ"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " và " + words[-1]


def ward_place(name: str) -> str:
    """The place name of a ward's documents (NĐ 30, Phụ lục I): ``Sài Gòn``, ``Phường 1``.

    The ward's own name without "Phường"/"Xã", except where the name is a number, which keeps
    it ("Phường 1").
    """
    for prefix in WARD_PREFIXES:
        if name.startswith(prefix) and not name[len(prefix) :][:1].isdigit():
            return name[len(prefix) :]
    return name


def vn_day(day: datetime.date) -> str:
    """``05`` for days below 10 (NĐ 30: a leading zero for days 1–9)."""
    return f"{day.day:02d}"


def vn_month(day: datetime.date) -> str:
    """``01``/``02`` for January and February, other months without a zero (NĐ 30)."""
    return f"{day.month:02d}" if day.month <= 2 else str(day.month)


def date_line(day: datetime.date, place: str | None = None) -> str:
    """``Thành phố Hồ Chí Minh, ngày 05 tháng 3 năm 2026`` (a ward: ``Phường 1, ngày …``).

    Without ``place``, the city's (the jurisdiction's place name).
    """
    place = place if place is not None else jurisdiction().place_name
    return f"{place}, ngày {vn_day(day)} tháng {vn_month(day)} năm {day.year}"


def long_date(day: datetime.date) -> str:
    """``ngày 05 tháng 3 năm 2026`` (for references to another document)."""
    return f"ngày {vn_day(day)} tháng {vn_month(day)} năm {day.year}"


def short_date(day: datetime.date | None) -> str:
    """``05/3/2026``; empty for no date."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}" if day else ""


@dataclass(frozen=True)
class Issuer:
    """How the issuing unit is named in the header, the body and the signature."""

    unit: Unit
    parent_lines: list[str]
    name_lines: list[str]
    short_name: str
    head_title: str
    deputy_title: str
    is_ward: bool
    #: The place name of the date line: the city for the Sở, the ward's own name for a ward.
    place: str
    #: Who proposes and executes in the Sở's decisions (``Chánh Văn phòng Sở``) and the
    #: office's code on the filing line (``VP``).
    office_head: str = ""
    office_code: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit.code,
            "parent_lines": self.parent_lines,
            "name_lines": self.name_lines,
            "short_name": self.short_name,
            "head_title": self.head_title,
            "place": self.place,
        }

    @property
    def authority(self) -> str:
        """``GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO``: who decides, above the legal bases."""
        return f"{self.head_title} {' '.join(self.name_lines)}"


def _without_city(name: str) -> str:
    for suffix in jurisdiction().city_suffixes():
        if name.lower().endswith(suffix.lower()):
            return name[: -len(suffix)]
    return name


def issuer_for(unit: Unit) -> Issuer:
    """The Sở (under the City People's Committee) or a ward People's Committee."""
    if unit.kind == UnitKind.WARD:
        place = unit.name
        for prefix in ("UBND ", "Ủy ban nhân dân ", "Ủy ban Nhân dân "):
            if place.startswith(prefix):
                place = place[len(prefix) :]
        return Issuer(
            unit=unit,
            parent_lines=[],
            name_lines=["ỦY BAN NHÂN DÂN", place.upper()],
            short_name=f"Ủy ban nhân dân {place}",
            head_title="CHỦ TỊCH",
            deputy_title="PHÓ CHỦ TỊCH",
            is_ward=True,
            place=ward_place(place),
        )
    name = _without_city(unit.name)
    city = jurisdiction()
    return Issuer(
        unit=unit,
        parent_lines=city_lines(),
        name_lines=[name.upper()],
        short_name=name,
        head_title="GIÁM ĐỐC",
        deputy_title="PHÓ GIÁM ĐỐC",
        is_ward=False,
        place=city.place_name,
        office_head=city.office_head,
        office_code=city.office_code,
    )


def issuing_unit(request: Any) -> Unit:
    """The ward for ward decisions; otherwise the department that manages the request's unit."""
    unit: Unit = request.unit
    if request.route == "WARD" and unit.is_ward_managed:
        return unit.ward()
    return unit.department()


def signing_decision(request: Any, steps: tuple[str, ...] = SIGNING_STEPS) -> Decision | None:
    """The approval whose author signs: the director's, the ward chair's, or the proposal's.

    Read once per unit of work (:mod:`config.memo`); an approval recorded in it is the answer
    without a read (:func:`signing_decision_taken`).
    """
    return memoized(
        _signer_key(request.request_kind, request.pk, steps),
        lambda: Decision.objects.filter(
            request_kind=request.request_kind,
            request_id=request.pk,
            step__in=steps,
            action="approve",
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first(),
    )


def signing_decision_taken(decision: Decision) -> None:
    """An approval was just recorded in this unit of work: where its step signs, it is the
    latest such approval, so the documents issued with it name its author."""
    if decision.action != "approve":
        return
    for steps in (SIGNING_STEPS, EXTENSION_SIGNING_STEPS):
        if decision.step in steps:
            memo_keep(_signer_key(decision.request_kind, decision.request_id, steps), decision)


def _signer_key(kind: str, pk: int, steps: tuple[str, ...]) -> tuple[Any, ...]:
    return ("signing_decision", kind, pk, steps)


def authority_signature(issuer: Issuer, day: datetime.date) -> dict[str, Any]:
    """The head of the issuing unit, for a document nobody decided in the product.

    A revocation after a traveller's cancellation is the authority's act, prepared for the
    head to sign: never in the name of whoever approved the trip, nor of the traveller.
    """
    head_role = Role.WARD_CHAIR if issuer.is_ward else Role.DIRECTOR
    holder = (
        RoleAssignment.objects.effective_on(day)
        .filter(role=head_role, unit=issuer.unit)
        .order_by("pk")
        .values_list("user", flat=True)
        .first()
    )
    person = Person.objects.filter(user=holder).only("full_name").first() if holder else None
    return {"lines": [issuer.head_title], "name": person.full_name if person else ""}


def signature_for(
    request: Any, issuer: Issuer, steps: tuple[str, ...] = SIGNING_STEPS
) -> dict[str, Any]:
    """``{"lines": ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "name": ...}`` from the signing decision."""
    decision = signing_decision(request, steps)
    if decision is None:
        return {"lines": [issuer.head_title], "name": ""}
    person = Person.objects.filter(user=decision.actor).only("full_name", "position").first()
    name = person.full_name if person else decision.actor.get_username()
    position = person.position if person else ""
    return {
        "lines": signature_lines(
            issuer,
            actor=decision.actor,
            acting_for_id=decision.acting_for_id,
            day=timezone.localdate(decision.created_at),
            position=position,
        ),
        "name": name,
    }


def signature_lines(
    issuer: Issuer, *, actor: Any, acting_for_id: int | None, day: datetime.date, position: str
) -> list[str]:
    """The signing lines from who signed and in what capacity (NĐ 30, Art. 13 and Phụ lục I).

    - the head in their own right: ``GIÁM ĐỐC``;
    - someone appointed to the head's vacant post (an acting assignment with no holder):
      ``Q. GIÁM ĐỐC`` (quyền);
    - a deputy (by role, or acting for an absent head): ``KT. GIÁM ĐỐC`` / ``PHÓ GIÁM ĐỐC``
      (ký thay);
    - anyone else acting for the head (the head of an office authorised to sign):
      ``TUQ. GIÁM ĐỐC`` / their own position (thừa ủy quyền).

    "TM." (thay mặt) is for collective bodies only, and every document here is signed under
    the head's own authority, so it is never used.
    """
    head_role, deputy_role = (
        (Role.WARD_CHAIR, None) if issuer.is_ward else (Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
    )
    roles = set(
        RoleAssignment.objects.effective_on(day).filter(user=actor).values_list("role", flat=True)
    )
    if head_role in roles and acting_for_id is None:
        return [issuer.head_title]
    acting = (
        ActingAssignment.objects.effective_on(day)
        .filter(acting_user=actor, role=head_role, unit=issuer.unit)
        .order_by("-starts_on")
        .first()
    )
    if acting is not None and acting.holder_id is None:
        return [f"Q. {issuer.head_title}"]
    is_deputy = (deputy_role in roles) or "phó" in position.lower()
    if is_deputy or acting is None:
        return [f"KT. {issuer.head_title}", issuer.deputy_title]
    title = position.upper() if position else issuer.deputy_title
    return [f"TUQ. {issuer.head_title}", title]


def agency_names() -> list[str]:
    """The agencies every approval is notified to (Công an TP, Sở Ngoại vụ), by name."""
    return list(
        Unit.objects.filter(kind=UnitKind.AGENCY, is_active=True, parent__isnull=True)
        .order_by("code")
        .values_list("name", flat=True)
    )


def filing_line(issuer: Issuer) -> str:
    """``Lưu: VT, VP.``: the clerk's archive and the drafting office."""
    return "Lưu: VT." if issuer.is_ward else f"Lưu: VT, {issuer.office_code}."


def city_proposal(issuer: Issuer, *, summary: str, body: list[dict[str, Any]]) -> dict[str, Any]:
    """A Tờ trình of the Director to the City People's Committee: ``body``, then the closing
    request to decide."""
    closing = f"{issuer.short_name} kính trình {city_committee_short()} xem xét, quyết định./."
    return {
        "title": "TỜ TRÌNH",
        "summary": summary,
        "kinh_gui": [city_committee()],
        "bases": [],
        "body": [*body, para(closing)],
        "recipients": ["Như trên;", filing_line(issuer)],
        "annex": None,
    }


def replacement_note(content: dict[str, Any], replaced: str) -> None:
    """Say in the text which document this one replaces (NĐ 30, Art. 15(1) and 18(3)).

    A decision says it in its last article ("… có hiệu lực kể từ ngày ký và thay thế Quyết
    định số … ngày …"); a letter in a paragraph before its closing one.
    """
    body = content["body"]
    paragraphs = [b for b in body if b["type"] == "p"]
    if content.get("title") == "QUYẾT ĐỊNH" and paragraphs:
        last = paragraphs[-1]
        marker = "có hiệu lực kể từ ngày ký"
        if marker in last["text"]:
            last["text"] = last["text"].replace(marker, f"{marker} và thay thế {replaced}", 1)
            return
    kind = content.get("title", "").capitalize() or "Công văn"
    note = para(f"{kind} này thay thế {replaced}.")
    closing = next((i for i in range(len(body) - 1, -1, -1) if body[i]["type"] == "p"), len(body))
    body.insert(closing, note)


def para(text: str, *, lead: str = "", italic: bool = False, indent: bool = True) -> dict[str, Any]:
    """A justified paragraph, optionally opened by a bold ``lead`` (``Điều 1.``)."""
    return {"type": "p", "text": text, "lead": lead, "italic": italic, "indent": indent}


def heading(text: str) -> dict[str, Any]:
    return {"type": "heading", "text": text}


def table(columns: list[str], widths: list[int], rows: list[list[str]]) -> dict[str, Any]:
    """A bordered table; ``widths`` are relative (they are scaled to the text width)."""
    return {"type": "table", "columns": columns, "widths": widths, "rows": rows}
