"""Who is who: the tree of units, people, passports, roles, acting holders and the calendar."""

from __future__ import annotations

import datetime
from typing import Any, Self, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.fields import optional_user_field, user_field
from config.memo import memoized


class UnitKind(models.TextChoices):
    CITY = "city", _("Cơ quan cấp Thành phố")
    DEPARTMENT = "department", _("Sở")
    DEPARTMENT_OFFICE = "department_office", _("Phòng thuộc Sở")
    SCHOOL = "school", _("Trường / cơ sở giáo dục")
    WARD = "ward", _("UBND phường, xã, đặc khu")
    AGENCY = "agency", _("Cơ quan nhận thông báo")


class SchoolLevel(models.TextChoices):
    NONE = "", _("—")
    PRESCHOOL = "preschool", _("Mầm non")
    PRIMARY = "primary", _("Tiểu học")
    LOWER_SECONDARY = "lower_secondary", _("Trung học cơ sở")
    UPPER_SECONDARY = "upper_secondary", _("Trung học phổ thông")
    MULTI_LEVEL = "multi_level", _("Nhiều cấp học")
    CONTINUING = "continuing", _("GDTX / GDNN")
    SPECIAL = "special", _("Giáo dục chuyên biệt")


class Unit(models.Model):
    """A node of the organisation tree.

    ``managing_authority`` is the unit that decides for this unit's staff (the Sở for its
    high schools, the ward for a ward-managed primary school); routing reads it, never a
    hard-coded chain.
    """

    code = models.CharField(_("mã đơn vị"), max_length=32, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    kind = models.CharField(_("loại"), max_length=32, choices=UnitKind.choices)
    school_level = models.CharField(
        _("cấp học"), max_length=32, choices=SchoolLevel.choices, blank=True, default=""
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    managing_authority = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan quản lý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_units",
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["code"]
        permissions = [
            ("view_unit_records", _("Xem hồ sơ của đơn vị")),
            ("file_for_unit", _("Lập hồ sơ cho đơn vị")),
            ("approve_as_unit_head", _("Phê duyệt với tư cách thủ trưởng đơn vị")),
            ("review_for_department", _("Thẩm định hồ sơ cho Sở")),
            ("decide_for_department", _("Quyết định với tư cách lãnh đạo Sở")),
            ("review_for_ward", _("Thẩm định hồ sơ cho phường")),
            ("decide_for_ward", _("Quyết định với tư cách Chủ tịch UBND phường")),
            ("audit_unit", _("Thanh tra, xuất dữ liệu")),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_ward_managed(self) -> bool:
        """A ward decides for this unit's staff (a ward-managed primary school)."""
        authority = self.managing_authority
        return authority is not None and authority.kind == UnitKind.WARD

    def department(self) -> Unit:
        """The department at or above this unit, where department roles hold their grants.

        The walk follows the managing authority first, then the parent. A unit outside the
        department's tree (a ward, a city agency) falls back to the first department by pk.
        Walked once per unit of work (:mod:`config.memo`).
        """
        department: Unit = memoized(("unit_department", self.pk), self._find_department)
        return department

    def _find_department(self) -> Unit:
        current: Unit | None = self
        while current is not None:
            if current.kind == UnitKind.DEPARTMENT:
                return current
            current = current.managing_authority or current.parent
        department = Unit.objects.filter(kind=UnitKind.DEPARTMENT).order_by("pk").first()
        if department is None:
            raise LookupError("No department unit is configured.")
        return department

    def ward(self) -> Unit:
        """The ward that manages this unit; LookupError when a ward does not manage it."""
        authority = self.managing_authority
        if authority is not None and authority.kind == UnitKind.WARD:
            return authority
        raise LookupError(f"{self} is not managed by a ward.")


class StaffCategory(models.TextChoices):
    CAN_BO = "can_bo", _("Cán bộ")
    CONG_CHUC = "cong_chuc", _("Công chức")
    VIEN_CHUC = "vien_chuc", _("Viên chức")
    NGUOI_LAO_DONG = "nguoi_lao_dong", _("Người lao động")


class Gender(models.TextChoices):
    """How official documents address the person ("ông" / "bà"); blank: not recorded."""

    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


#: The Person fields that bar travel while set (rule OUT-BARRED), in the order the rules list them.
RESTRICTION_FLAGS = (
    "exit_banned",
    "under_discipline",
    "under_inspection",
    "in_criminal_proceedings",
    "in_civil_dispute",
)


class Person(models.Model):
    """A member of staff, with or without a log-in. Foreign visitors are not people here."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    staff_code = models.CharField(_("mã cán bộ"), max_length=32, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=255)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="people"
    )
    position = models.CharField(_("chức vụ"), max_length=255, blank=True)
    category = models.CharField(
        _("ngạch / loại cán bộ"),
        max_length=32,
        choices=StaffCategory.choices,
        default=StaffCategory.VIEN_CHUC,
    )
    is_key_leader = models.BooleanField(_("lãnh đạo chủ chốt"), default=False)
    is_party_managed = models.BooleanField(_("diện Ban Thường vụ Thành ủy quản lý"), default=False)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    # Restriction flags (rule OUT-BARRED).
    exit_banned = models.BooleanField(_("đang bị tạm hoãn xuất cảnh"), default=False)
    under_discipline = models.BooleanField(
        _("đang bị xem xét kỷ luật hoặc tạm đình chỉ công tác"), default=False
    )
    under_inspection = models.BooleanField(
        _("đang bị thanh tra, kiểm tra về công việc phụ trách"), default=False
    )
    in_criminal_proceedings = models.BooleanField(
        _("đang bị điều tra, truy tố, xét xử"), default=False
    )
    in_civil_dispute = models.BooleanField(
        _("có tranh chấp dân sự, kinh tế chưa giải quyết xong"), default=False
    )
    is_active = models.BooleanField(_("đang công tác"), default=True)

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["full_name"]
        indexes = [models.Index(fields=["unit", "full_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def honorific(self) -> str:
        """``ông`` or ``bà`` in official documents; ``ông (bà)`` while the gender is unknown."""
        honorifics: dict[str, str] = {Gender.MALE: "ông", Gender.FEMALE: "bà"}
        return honorifics.get(self.gender, "ông (bà)")

    @property
    def is_restricted(self) -> bool:
        """Any restriction flag is set (rule OUT-BARRED)."""
        return any(getattr(self, flag) for flag in RESTRICTION_FLAGS)


class PassportKind(models.TextChoices):
    ORDINARY = "ordinary", _("Hộ chiếu phổ thông")
    OFFICIAL = "official", _("Hộ chiếu công vụ")
    DIPLOMATIC = "diplomatic", _("Hộ chiếu ngoại giao")


class PassportCustody(models.TextChoices):
    HOLDER = "holder", _("Người mang hộ chiếu giữ")
    UNIT = "unit", _("Đơn vị giữ")
    DEPARTMENT = "department", _("Sở giữ")


class Passport(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="passports"
    )
    kind = models.CharField(_("loại"), max_length=16, choices=PassportKind.choices)
    number = models.CharField(_("số hộ chiếu"), max_length=32)
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    expires_on = models.DateField(_("ngày hết hạn"))
    custody = models.CharField(
        _("nơi giữ"), max_length=16, choices=PassportCustody.choices, default=PassportCustody.HOLDER
    )

    class Meta:
        verbose_name = _("hộ chiếu")
        verbose_name_plural = _("hộ chiếu")
        ordering = ["person", "-expires_on"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="passport_kind_number_unique"),
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True) | Q(expires_on__gt=models.F("issued_on")),
                name="passport_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Người đề nghị")
    CLERK = "clerk", _("Cán bộ phụ trách / văn thư")
    UNIT_HEAD = "unit_head", _("Thủ trưởng đơn vị")
    DEPT_REVIEWER = "dept_reviewer", _("Chuyên viên thẩm định (Sở)")
    DEPT_OFFICE_HEAD = "dept_office_head", _("Chánh Văn phòng Sở")
    DIRECTOR = "director", _("Giám đốc Sở")
    DEPUTY_DIRECTOR = "deputy_director", _("Phó Giám đốc Sở")
    WARD_OFFICER = "ward_officer", _("Công chức phụ trách (phường)")
    WARD_CHAIR = "ward_chair", _("Chủ tịch UBND phường")
    AUDITOR = "auditor", _("Thanh tra")
    ADMIN = "admin", _("Quản trị hệ thống")


_M = TypeVar("_M", bound=models.Model)


class DatedQuerySet(models.QuerySet[_M]):
    """Rows with optional ``starts_on``/``ends_on`` bounds, both inclusive."""

    def effective_on(self, day: datetime.date) -> Self:
        return self.filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=day),
            Q(ends_on__isnull=True) | Q(ends_on__gte=day),
        )


class RoleAssignment(models.Model):
    """A user holds a role in a unit, optionally between two dates."""

    user = user_field(_("tài khoản"), on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    starts_on = models.DateField(_("từ ngày"), null=True, blank=True)
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công vai trò")
        verbose_name_plural = _("phân công vai trò")
        ordering = ["unit", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit", "starts_on"], name="role_assignment_unique"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="role_assignment_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


class ActingAssignment(models.Model):
    """A person holds someone else's role for a date range (quyền, phụ trách, ký thay).

    While it is in force, the acting user sees and completes the role's tasks in that unit and
    the record shows "acting for" the holder. Both bounds are inclusive and required: an acting
    assignment is always temporary.
    """

    acting_user = user_field(
        _("người được giao"), on_delete=models.CASCADE, related_name="acting_assignments"
    )
    holder = optional_user_field(
        _("người giữ vai trò"), on_delete=models.CASCADE, related_name="acted_for"
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="acting_assignments"
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    reason = models.CharField(_("lý do"), max_length=255, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công tạm thời (quyền, phụ trách)")
        verbose_name_plural = _("phân công tạm thời (quyền, phụ trách)")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="acting_dates_ordered"
            ),
            models.CheckConstraint(
                condition=~Q(acting_user=models.F("holder")), name="acting_not_for_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.acting_user} ({self.get_role_display()}, {self.unit})"


class CalendarDayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ thêm")
    WORKING_DAY = "working_day", _("Ngày làm việc bù")


class CalendarDay(models.Model):
    """An administrator's change to the working-day calendar (on top of public holidays)."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=CalendarDayKind.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("điều chỉnh lịch làm việc")
        verbose_name_plural = _("điều chỉnh lịch làm việc")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.get_kind_display()}"


def _month_day_ok(value: str) -> bool:
    try:
        datetime.date.fromisoformat(f"2000-{value}")
    except ValueError:
        return False
    return True


#: Ho Chi Minh City's texts: the defaults of every field of :class:`Jurisdiction`, so that a
#: database without a row, or a row saved before a field existed, keeps today's wording.
HCMC_LEGAL_BASIS = (
    "Căn cứ Quyết định số 14/2022/QĐ-UBND ngày 19 tháng 4 năm 2022 của Ủy ban nhân dân "
    "Thành phố Hồ Chí Minh về quản lý và xét duyệt cán bộ, công chức, viên chức và người lao "
    "động đi nước ngoài;"
)


class Jurisdiction(models.Model):
    """The city the product serves and its Sở, edited in the admin (one row).

    Without a row the product speaks for Ho Chi Minh City (:meth:`effective` returns an unsaved
    row of the field defaults) and reads the report's deadline and period from the settings;
    with one, the pages, the documents, the agencies' e-mails, the rule bases, the
    consolidated report and the annual report's period use it (Hải Phòng: its Sở, Phòng Tổ
    chức – Hành chính, 10/12). National texts (Nghị định, Thông tư, laws) are not here.
    """

    objects: models.Manager[Jurisdiction] = models.Manager()

    key = models.CharField(max_length=16, default="current", unique=True, editable=False)
    city_name = models.CharField(
        _("tên thành phố, tỉnh"), max_length=120, default="Thành phố Hồ Chí Minh",
        help_text=_("Như trong quốc hiệu của văn bản: Thành phố Hồ Chí Minh, Thành phố Hải Phòng."),
    )  # fmt: skip
    city_short = models.CharField(
        _("tên thành phố viết tắt"), max_length=40, default="TP.HCM",
        help_text=_("Trong các căn cứ của quy tắc và tên viết tắt: TP.HCM, TP. Hải Phòng."),
    )  # fmt: skip
    place_name = models.CharField(
        _("địa danh trên văn bản"), max_length=120, default="Thành phố Hồ Chí Minh",
        help_text=_("Địa danh ở dòng ngày tháng của văn bản do Sở ban hành (NĐ 30, Phụ lục I)."),
    )  # fmt: skip
    department_name = models.CharField(
        _("tên Sở"), max_length=255, default="Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh"
    )
    department_name_en = models.CharField(
        _("tên Sở (tiếng Anh)"), max_length=255, blank=True,
        default="Ho Chi Minh City Department of Education and Training",
    )  # fmt: skip
    department_short = models.CharField(
        _("tên viết tắt của Sở"), max_length=60, default="Sở GDĐT TP.HCM"
    )
    reviewing_office = models.CharField(
        _("phòng thẩm định hồ sơ"), max_length=255, default="Văn phòng Sở"
    )
    office_head = models.CharField(
        _("chức danh trưởng phòng thẩm định"), max_length=120, default="Chánh Văn phòng Sở",
        help_text=_("Người đề nghị và thi hành trong quyết định: Chánh Văn phòng Sở, "
                    "Trưởng phòng Tổ chức - Hành chính."),
    )  # fmt: skip
    office_code = models.CharField(
        _("ký hiệu phòng thẩm định (nơi lưu)"), max_length=20, default="VP",
        help_text=_("Ở dòng Lưu của văn bản (Lưu: VT, VP.): VP, TCHC."),
    )  # fmt: skip
    legal_basis = models.TextField(
        _("căn cứ của thành phố về cán bộ đi nước ngoài"), default=HCMC_LEGAL_BASIS,
        help_text=_("Dòng Căn cứ trong quyết định và tờ trình: văn bản của thành "
                    "phố về quản lý cán bộ, công chức, viên chức đi nước ngoài."),
    )  # fmt: skip
    rule_bases = models.JSONField(
        _("văn bản của thành phố trong căn cứ các quy tắc"), default=dict, blank=True,
        help_text=_("Theo khóa của bộ quy tắc (docs/reporting.md); khóa không có: văn bản mặc "
                    "định của bộ quy tắc."),
    )  # fmt: skip
    agencies_notified = models.TextField(
        _("cơ quan được thông báo (mỗi dòng một cơ quan)"), blank=True
    )
    report_deadline = models.CharField(
        _("hạn đơn vị báo cáo năm (MM-DD)"), max_length=5, blank=True
    )
    report_period_start = models.CharField(
        _("ngày đầu kỳ báo cáo năm (MM-DD)"), max_length=5, blank=True
    )

    class Meta:
        verbose_name = _("thông tin địa phương")
        verbose_name_plural = _("thông tin địa phương")

    def __str__(self) -> str:
        return self.department_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        deleted = super().delete(*args, **kwargs)
        cache.delete(self.CACHE_KEY)
        return deleted

    def clean(self) -> None:
        errors = {
            name: _("Nhập theo dạng MM-DD, ví dụ 10-15.")
            for name in ("report_deadline", "report_period_start")
            if getattr(self, name) and not _month_day_ok(getattr(self, name))
        }
        bases = self.rule_bases
        if not isinstance(bases, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in bases.items()
        ):
            errors["rule_bases"] = _(
                'Nhập dạng {"khóa": "văn bản", …}; mỗi văn bản là một chuỗi không rỗng.'
            )
        if errors:
            raise ValidationError(errors)

    #: Every page's header reads the row: it is kept in the cache (Redis in production, shared
    #: by all processes) and dropped whenever the row is saved or deleted.
    CACHE_KEY = "org:jurisdiction"
    CACHE_SECONDS = 300

    @classmethod
    def current(cls) -> Jurisdiction | None:
        """The row edited in the admin, if any."""
        cached = cache.get(cls.CACHE_KEY)
        if cached is not None:
            row: Jurisdiction | None = cached["row"]
            return row
        row = Jurisdiction.objects.order_by("pk").first()
        cache.set(cls.CACHE_KEY, {"row": row}, cls.CACHE_SECONDS)
        return row

    @classmethod
    def effective(cls) -> Jurisdiction:
        """The row edited in the admin, or (no row) an unsaved one of HCMC's defaults."""
        return cls.current() or cls()

    def department_name_for(self, language: str) -> str:
        """The Sở's name in ``language`` (the Vietnamese name when no English one is set)."""
        if language.lower().startswith("en") and self.department_name_en:
            return self.department_name_en
        return self.department_name

    def office_signature(self, language: str) -> str:
        """Who signs the agencies' e-mails: ``Văn phòng Sở Giáo dục và Đào tạo Thành phố …``."""
        office = self.reviewing_office.removesuffix(" Sở")
        if language.lower().startswith("en"):
            name = self.department_name_for(language)
            return f"Office of the {name}" if office == "Văn phòng" else name
        return f"{office} {self.department_name}"

    def city_suffixes(self) -> tuple[str, ...]:
        """How a unit's name may end with the city: `` Thành phố Hồ Chí Minh``, `` TP.HCM``…"""
        bare = self.city_name
        for prefix in ("Thành phố ", "thành phố ", "Tỉnh ", "tỉnh "):
            bare = bare.removeprefix(prefix)
        short = self.city_short
        return tuple(
            dict.fromkeys(
                [f" {self.city_name}", f" TP. {bare}", f" {short}", f" {short.replace('.', '. ')}"]
            )
        )
