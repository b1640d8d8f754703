"""Health endpoints for load balancers: liveness, and readiness naming a failing component."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_liveness_answers_without_log_in():
    response = Client().get("/health/live/?format=json")
    assert response.status_code == 200


def test_readiness_checks_the_database():
    response = Client().get("/health/ready/?format=json")
    assert response.status_code == 200
    results = {name.split("(")[0]: outcome for name, outcome in response.json().items()}
    assert results.pop("Database") == "OK"
    assert set(results.values()) <= {"OK"}  # Redis too, when REDIS_URL is set


@pytest.mark.urls("tests.faults.urls")
def test_readiness_fails_and_names_redis_when_redis_is_down():
    response = Client().get("/health/ready-redis-down/?format=json")
    assert response.status_code == 500
    results = {name.split("(")[0]: outcome for name, outcome in response.json().items()}
    assert results["Database"] == "OK"
    assert results["Redis"] != "OK"
