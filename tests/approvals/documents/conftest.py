"""Fixtures of the documents' tests: a temporary media root and an approved, rendered trip."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from org.models import Person
from tests.approvals.record_helpers import approved, make_agencies
from tests.factories import PersonFactory


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    """Generated files go to a temporary directory, not ``var/media``."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def traveller(org: Any) -> Person:
    return PersonFactory(
        unit=org.school_a,
        full_name="Nguyễn Thị Ánh Tuyết",
        position="Tổ trưởng chuyên môn",
        date_of_birth=datetime.date(1984, 2, 7),
    )


@pytest.fixture
def trip(
    org: Any,
    media: Any,
    teacher_a: Person,
    traveller: Person,
    head_a: Person,
    dept_reviewer: Person,
    director: Person,
    django_capture_on_commit_callbacks: Any,
) -> Any:
    """An official trip of two teachers of school A, approved by the director; files rendered."""
    make_agencies()
    with django_capture_on_commit_callbacks(execute=True):
        return approved(teacher_a, head_a, dept_reviewer, director, members=(teacher_a, traveller))
