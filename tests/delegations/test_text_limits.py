"""Every free-text field of an outbound request has a maximum length, on every path in."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from delegations.models import OutboundRequest
from delegations.models.outbound import OUTBOUND_TEXT_LIMITS
from tests.conftest import login
from tests.delegations.page_helpers import create_draft, form_data
from tests.flows import draft

pytestmark = pytest.mark.django_db

FIELDS = sorted(OUTBOUND_TEXT_LIMITS)


@pytest.mark.parametrize("field", FIELDS)
def test_the_api_refuses_a_text_past_its_limit_and_keeps_the_draft(org, teacher_a, field):
    request = draft(teacher_a)
    limit = OUTBOUND_TEXT_LIMITS[field]
    response = login(teacher_a).patch(
        f"/api/v1/outbound/{request.pk}/",
        {field: "x" * (limit + 1)},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content[:300]
    message = response.json()["errors"][field][0]
    assert message == f"Tối đa {limit} ký tự."
    after = OutboundRequest.objects.get(pk=request.pk)
    assert len(getattr(after, field)) <= limit
    assert after.version == request.version


def test_the_api_accepts_a_text_exactly_at_its_limit(org, teacher_a):
    request = draft(teacher_a)
    response = login(teacher_a).patch(
        f"/api/v1/outbound/{request.pk}/",
        {"work_programme": "x" * OUTBOUND_TEXT_LIMITS["work_programme"]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content[:300]
    request.refresh_from_db()
    assert len(request.work_programme) == OUTBOUND_TEXT_LIMITS["work_programme"]


def test_a_megabyte_of_text_is_refused_with_a_reason(org, teacher_a):
    request = draft(teacher_a)
    response = login(teacher_a).patch(
        f"/api/v1/outbound/{request.pk}/",
        {"presentation_text": "Tham luận " * 100_000},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "presentation_text" in response.json()["errors"]
    assert OutboundRequest.objects.get(pk=request.pk).presentation_text == ""


@pytest.mark.parametrize("field", ["funding_details", "head_appraisal", "expected_results"])
def test_the_page_form_refuses_a_text_past_its_limit(org, teacher_a, field):
    client = login(teacher_a)
    request = create_draft(client, teacher_a)
    limit = OUTBOUND_TEXT_LIMITS[field]
    data = form_data(teacher_a, **{field: "y" * (limit + 1)})
    response = client.post(f"/doan-ra/{request.pk}/sua/", data)
    assert response.status_code == 400  # the form again, with its error
    html = response.content.decode()
    assert "không quá" in html or "tối đa" in html or "không được vượt quá" in html
    request.refresh_from_db()
    assert getattr(request, field) == ""


def test_the_model_itself_refuses_a_long_text(org, teacher_a):
    request = draft(teacher_a)
    request.funding_details = "z" * (OUTBOUND_TEXT_LIMITS["funding_details"] + 1)
    with pytest.raises(ValidationError) as refused:
        request.full_clean()
    assert "funding_details" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        request.save(update_fields=["funding_details"])
