"""The system checks that keep flows, locks and the step table consistent."""

from __future__ import annotations

from django.core.management import call_command
from viewflow.workflow import lock

from workflow import checks
from workflow.flows.outbound import OutboundFlow


class UnlockedFlow(OutboundFlow):
    lock_impl = lock.no_lock


def test_the_product_passes_its_own_checks() -> None:
    call_command("check", fail_level="ERROR")
    assert checks.flows_are_consistent() == []


def test_a_flow_without_the_row_lock_is_an_error() -> None:
    errors = checks.lock_errors([OutboundFlow, UnlockedFlow])
    assert [e.id for e in errors] == ["workflow.E001"]
    assert "UnlockedFlow" in errors[0].msg


def test_a_human_step_nobody_may_take_is_an_error(monkeypatch) -> None:
    node = OutboundFlow.instance.node("decide_by_director")
    monkeypatch.setattr(node, "_owner_permission", None)
    errors = checks.owner_errors([OutboundFlow])
    assert [(e.id, "decide_by_director" in e.msg) for e in errors] == [("workflow.E002", True)]


def test_step_table_and_flows_must_name_the_same_steps(monkeypatch) -> None:
    table = dict(checks.STEPS)
    table["decide_by_nobody"] = table["decide_by_director"]
    del table["submit_report"]
    monkeypatch.setattr(checks, "STEPS", table)
    messages = [e.msg for e in checks.step_table_errors([OutboundFlow])]
    assert any("decide_by_nobody" in m for m in messages)
    assert any("submit_report" in m for m in messages)
