"""Agency mail never waits behind paperwork: every task has a queue, mail and renders apart."""

from __future__ import annotations

import json
from pathlib import Path

from config.celery import QUEUES, app

TASKS = json.loads((Path(__file__).parent / "public_names.json").read_text())["celery_tasks"]


def queue_of(task: str) -> str:
    return app.amqp.router.route({}, task)["queue"].name


def test_mail_documents_and_reports_each_have_their_own_queue():
    assert queue_of("approvals.tasks.send_message") == "mail"
    assert queue_of("approvals.tasks.sweep_outbox") == "mail"
    assert queue_of("approvals.documents.render_document") == "documents"
    assert queue_of("approvals.documents.sweep_renders") == "documents"
    assert queue_of("approvals.tasks.verify_audit_log") == "reports"


def test_every_task_goes_to_a_queue_a_plain_worker_reads_each_in_turn():
    consumed = list(app.amqp.queues)  # what `celery worker` without -Q consumes
    assert set(consumed) == set(QUEUES)
    assert {queue_of(task) for task in TASKS} <= set(consumed)
    # In turn, so that a backlog of mail never starves the renders and the heartbeat.
    assert app.conf.broker_transport_options["queue_order_strategy"] == "round_robin"


def test_a_task_lands_in_exactly_one_queue():
    bindings = [(q.exchange.name, q.routing_key) for q in app.amqp.queues.values()]
    assert len(set(bindings)) == len(bindings)  # no two queues receive the same message
    route = app.amqp.router.route({}, "approvals.tasks.send_message")
    assert (route["queue"].exchange.name, route["queue"].routing_key) == ("mail", "mail")
