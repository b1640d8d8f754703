"""Schemathesis against the served OpenAPI schema: no input, from any persona, gives a 5xx.

Each operation of ``/api/v1/schema/`` is one test (so xdist spreads them); each example is sent
as a teacher, a school head, a department reviewer or an auditor, with their own API token.
Bounded: :data:`EXAMPLES` examples per operation, derandomized (the same cases on every run), no
example database. A failure prints the request to replay.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance

from config.auth import token_issue
from tests.conftest import persona
from tests.fuzzing import bounded

pytestmark = pytest.mark.django_db

EXAMPLES = 6
PERSONAS = ("teacher_a", "head_a", "dept_reviewer", "auditor")

#: The schema the site serves at /api/v1/schema/ (the same generator, without a request).
application = get_wsgi_application()
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = application
# Fuzzing only: the coverage phase's hundreds of boundary cases per operation would not fit CI.
schema.config.phases.coverage.enabled = False


@pytest.fixture
def tokens(org: Any) -> dict[str, str]:
    return {name: token_issue(persona(org, name).user).key for name in PERSONAS}


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """Calls go through the real WSGI handler, whose ``request_started`` and ``request_finished``
    would close the test's database connection (fatal on PostgreSQL); Django's test client
    disconnects them the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@schema.given(who=st.sampled_from(PERSONAS))
@bounded(EXAMPLES)
def test_no_input_gives_a_server_error(case: Any, who: str, tokens: dict[str, str]) -> None:
    response = case.call(
        base_url="http://testserver", headers={"Authorization": f"Token {tokens[who]}"}
    )
    case.validate_response(response, checks=[not_a_server_error, content_type_conformance])
    if response.status_code >= 400:
        # Every refusal is JSON with a reason (config/api.py), whatever the input.
        body = response.json()
        assert "detail" in body or "errors" in body, (response.status_code, body)
