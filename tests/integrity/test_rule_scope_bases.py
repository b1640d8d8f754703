"""Rule bases that name their source, and titles rather than ids for people (issue #15)."""

import pytest

from tests.api_helpers import post
from tests.conftest import login
from tests.delegations.outbound_helpers import far_departure
from tests.delegations.test_outbound_api import create
from tests.flows import draft
from workflow.rules.pack import all_rules, get_rule

UNNAMED = ("Quy tắc của hệ thống", "Quy định trước")


def test_no_basis_leaves_its_source_unnamed():
    for rule in all_rules():
        assert not any(phrase in rule.basis for phrase in UNNAMED), (rule.id, rule.basis)


def test_open_duties_cite_the_five_working_days_of_the_exit_law():
    basis = get_rule("OUT-OPEN-DUTIES").basis
    assert "Luật 49/2019/QH14" in basis and "Điều 23 khoản 3" in basis
    assert "5 ngày làm việc" in basis


def test_blackout_cites_the_city_decision_and_the_department_letter_with_their_dates():
    basis = get_rule("IN-BLACKOUT").basis
    assert "4713/QĐ-UBND" in basis and "20/10/2018" in basis
    assert "130/GDĐT-VP" in basis and "16/01/2019" in basis


def test_out_barred_is_labelled_confirmed_and_reported_as_in_the_spec():
    assert str(get_rule("OUT-BARRED").confidence) == "C/R"


@pytest.mark.django_db
def test_people_read_the_rule_title_not_its_id(org, teacher_a):
    # Filed nine working days before departure: OUT-LEAD-TIME asks for a justification.
    request = draft(teacher_a, departure=far_departure(9))
    client = login(teacher_a)
    page = client.get(f"/doan-ra/{request.pk}/").content.decode()
    response = post(client, f"/api/v1/outbound/{request.pk}/submit/")
    assert response.status_code == 422
    title = get_rule("OUT-LEAD-TIME").title_vi
    assert title in str(response.json()) and "OUT-LEAD-TIME." not in str(response.json())
    assert title in page and "[OUT-LEAD-TIME]" not in page
    rid = create(client, teacher_a)["id"]
    checks = client.get(f"/api/v1/outbound/{rid}/checks/").json()["checks"]
    assert all(c["title"] and c["title"] != c["rule"] for c in checks)
