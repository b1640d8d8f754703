"""The Celery application. Without REDIS_URL, tasks run eagerly in the calling process.

Queues keep agency mail ahead of paperwork (QUALITY.md P5: mail lag ≤ 5 s in a burst):

- ``mail``: sending outbox e-mails and the outbox sweep (seconds each);
- ``documents``: rendering DOCX/PDF and the render sweep (0.4–5 s each);
- ``reports``: long reads over the record (audit verification and checkpoints) and the sweep of
  stored files no row names;
- ``celery``: everything else (the nightly moves, reminders, permission sync).

A worker started without ``-Q`` consumes all four, each in turn (``queue_order_strategy`` in
``CELERY_BROKER_TRANSPORT_OPTIONS``), so that no backlog starves another queue. In production
run at least one worker per queue group, so that a burst of renders never holds a mail slot
(commands in docs/production.md).
"""

import os

from celery import Celery
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

QUEUES = ("mail", "celery", "documents", "reports")
ROUTES = {
    "approvals.tasks.send_message": "mail",
    "approvals.tasks.send_messages": "mail",
    "approvals.tasks.sweep_outbox": "mail",
    "approvals.documents.render_document": "documents",
    "approvals.documents.sweep_renders": "documents",
    "approvals.tasks.verify_audit_log": "reports",
    "approvals.tasks.write_audit_checkpoint": "reports",
    "approvals.tasks.sweep_orphan_files": "reports",
}

app = Celery("doanravao")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_default_queue = "celery"
# Each queue its own exchange and key: a message goes to exactly one queue.
app.conf.task_queues = [Queue(name, Exchange(name), routing_key=name) for name in QUEUES]
app.conf.task_routes = {task: {"queue": queue} for task, queue in ROUTES.items()}
app.autodiscover_tasks()
