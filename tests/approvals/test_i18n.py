"""The English catalogue: pages read in English once the user switches language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from org.models import Person
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_outbound_list_is_in_english_after_switching(teacher_a: Person) -> None:
    client = login(teacher_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/doan-ra/"})

    html = client.get("/doan-ra/").content.decode()

    assert '<html lang="en">' in html
    assert "New request" in html and "Filter requests" in html
    assert "Search by reference number, content, member" in html
    assert "Lập hồ sơ mới" not in html and "Lọc hồ sơ" not in html


def test_inbox_tabs_are_in_english_after_switching(head_a: Person) -> None:
    client = login(head_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/viec/"})

    html = client.get("/viec/").content.decode()

    assert "Queue" in html and "Handled" in html
    assert "Hàng chờ" not in html and "Đã xử lý" not in html
