"""An edit records what changed, and a long text only as an excerpt, its length and its hash."""

from __future__ import annotations

import hashlib

import pytest

from approvals.audit import verify_chain
from approvals.audit.changes import EXCERPT, TEXT_KEPT, changes
from approvals.models import AuditEvent
from delegations.models import OutboundRequest
from delegations.services.outbound import outbound_update
from tests.delegations.outbound_helpers import outbound_input
from tests.flows import draft

pytestmark = pytest.mark.django_db


def _last(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("seq")


def test_an_edit_records_only_the_fields_that_changed(org, teacher_a):
    programme = "Ngày 1: tham quan trường Osaka. " * 300  # ~9,600 characters
    request = draft(teacher_a, work_programme=programme)
    created = _last("outbound.created")
    assert created.after["work_programme"]["length"] == len(programme)
    assert len(str(created.after)) < 3000

    outbound_update(
        actor=teacher_a.user,
        request=OutboundRequest.objects.get(pk=request.pk),
        data=outbound_input(teacher_a, work_programme=programme, estimated_cost=5_000_000),
    )
    edit = _last("outbound.updated")
    assert set(edit.after) == {"estimated_cost"}
    assert edit.after["estimated_cost"] == 5_000_000
    assert "work_programme" not in edit.before
    assert verify_chain() is None


def test_a_changed_long_text_is_kept_as_excerpt_length_and_hash(org, teacher_a):
    old = "a" * 5000
    new = "Báo cáo " + "b" * 19_000
    request = draft(teacher_a, presentation_text=old)
    outbound_update(
        actor=teacher_a.user,
        request=OutboundRequest.objects.get(pk=request.pk),
        data=outbound_input(teacher_a, presentation_text=new),
    )
    edit = _last("outbound.updated")
    assert edit.before["presentation_text"] == {
        "excerpt": old[:EXCERPT],
        "length": 5000,
        "sha256": hashlib.sha256(old.encode()).hexdigest(),
    }
    assert edit.after["presentation_text"]["excerpt"].startswith("Báo cáo ")
    assert edit.after["presentation_text"]["sha256"] == hashlib.sha256(new.encode()).hexdigest()
    # Ten edits of a 19,000-character text add a few kilobytes, not 190,000 characters.
    assert len(str(edit.before)) + len(str(edit.after)) < 1000


def test_short_values_are_kept_whole_and_a_removed_field_is_recorded():
    before, after = changes({"purpose": "Hội thảo", "kind": "official"}, {"purpose": "Khảo sát"})
    assert before == {"purpose": "Hội thảo", "kind": "official"}
    assert after == {"purpose": "Khảo sát", "kind": None}
    text = "x" * TEXT_KEPT
    assert changes({"a": ""}, {"a": text})[1] == {"a": text}
