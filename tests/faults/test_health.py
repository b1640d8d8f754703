"""Health endpoints for load balancers: liveness, and readiness naming a failing component."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from approvals.heartbeat import heartbeat_mark
from approvals.tasks import heartbeat
from config import celery_app

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
    assert response.status_code == 503
    results = {name.split("(")[0]: outcome for name, outcome in response.json().items()}
    assert results["Database"] == "OK"
    assert results["Redis"] != "OK"


@pytest.fixture
def background_expected(fresh_cache):
    """Production mode: Celery is not eager, so a worker and beat must show signs of life."""
    conf = celery_app.conf
    saved = conf.task_always_eager
    conf.task_always_eager = False
    try:
        yield
    finally:
        conf.task_always_eager = saved


def _readiness() -> tuple[int, dict[str, str]]:
    response = Client().get("/health/ready/?format=json")
    return response.status_code, {
        name.split("(")[0]: outcome for name, outcome in response.json().items()
    }


def test_readiness_names_the_worker_and_beat_when_they_never_ran(background_expected):
    status, results = _readiness()
    assert status == 503
    assert results["Database"] == "OK"
    assert "no worker heartbeat" in results["Worker"]
    assert "no beat heartbeat" in results["Beat"]


def test_readiness_recovers_when_beat_sends_and_a_worker_runs_the_heartbeat(background_expected):
    heartbeat.apply_async()  # published by "beat" (memory broker here) and run below
    assert _readiness()[1]["Beat"] == "OK"
    assert "Worker" in _readiness()[1] and _readiness()[1]["Worker"] != "OK"
    heartbeat.run()
    status, results = _readiness()
    assert (status, results["Worker"], results["Beat"]) == (200, "OK", "OK")


def test_a_stale_worker_heartbeat_is_not_ready(background_expected, settings):
    heartbeat_mark("worker", now=time.time() - settings.HEARTBEAT_STALE_SECONDS - 5)
    heartbeat_mark("beat")
    status, results = _readiness()
    assert status == 503
    assert "last worker heartbeat" in results["Worker"]
    assert results["Beat"] == "OK"


def test_eager_mode_is_ready_without_worker_or_beat(fresh_cache):
    assert celery_app.conf.task_always_eager
    status, results = _readiness()
    assert (status, results["Worker"], results["Beat"]) == (200, "OK", "OK")
