"""OUT-INVITATION: an official trip that names its inviter carries the invitation letter."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.errors import RulesBlocked
from delegations.services.attachments import attachment_add
from org.models import Person
from tests import flows
from tests.conftest import Org, login
from tests.workflow.rules.builders import outbound, personal
from tests.workflow.rules.helpers import check, run
from workflow.rules.pack import get_rule
from workflow.rules.registry import Severity

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_invitation_is_not_asked_when_no_inviter_is_named() -> None:
    assert check(outbound(), "OUT-INVITATION").passed


def test_named_inviter_without_the_invitation_blocks() -> None:
    c = check(outbound(inviter_name="Osaka Board of Education"), "OUT-INVITATION")
    assert not c.passed and c.severity is Severity.BLOCK
    assert "“Osaka Board of Education”" in c.message_vi and "Thư mời và bản dịch" in c.message_vi


def test_attached_invitation_passes_and_personal_trips_are_not_concerned() -> None:
    attached = outbound(inviter_name="ACME", attachment_kinds=frozenset({"invitation"}))
    assert check(attached, "OUT-INVITATION").passed
    assert check(outbound(named_invitation=True), "OUT-INVITATION").passed is False
    personal_checks = run(personal(inviter_name="Cousin")).checks
    assert all(c.passed for c in personal_checks if c.rule == "OUT-INVITATION")


def test_rule_states_its_basis() -> None:
    assert "14/2022/QĐ-UBND" in get_rule("OUT-INVITATION").basis


@pytest.mark.django_db
def test_submission_is_blocked_until_the_invitation_is_attached(
    org: Org, teacher_a: Person
) -> None:
    assert teacher_a.user is not None
    request = flows.draft(
        teacher_a, passports=True, inviter_name="Osaka Board of Education", inviter_country="JP"
    )
    client = login(teacher_a)

    response = client.post(f"/doan-ra/{request.pk}/trinh/")
    html = response.content.decode()
    assert response.status_code == 422
    assert "chưa đính kèm thư mời" in html
    with pytest.raises(RulesBlocked):
        flows.submit(request, teacher_a)

    attachment_add(
        actor=teacher_a.user, request=request, kind="invitation",
        upload=SimpleUploadedFile("thu-moi.pdf", PDF),
    )  # fmt: skip
    flows.submit(request, teacher_a)
    assert request.status == "submitted"
