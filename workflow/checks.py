"""System checks (``manage.py check``, run at every start and in the test suite) that keep the
flows consistent with the rest of the product, and one that ``migrate`` runs on the database
before it changes anything. Ids ``workflow.E00x``; see docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from viewflow.workflow import flow, lock

from workflow.flows.registry import FLOWS
from workflow.steps import STEPS


def view_nodes(flow_class: Any) -> list[Any]:
    return [node for node in flow_class.instance.nodes() if isinstance(node, flow.View)]


def lock_errors(flows: Iterable[Any]) -> list[CheckMessage]:
    """E001: without ``select_for_update_lock`` two approvers could both move one task."""
    hint = "Set lock_impl = lock.select_for_update_lock on the flow class."
    return [
        Error(f"{f.__name__} has no row lock.", hint=hint, obj=f, id="workflow.E001")
        for f in flows
        if f.lock_impl is not lock.select_for_update_lock
    ]


def owner_errors(flows: Iterable[Any]) -> list[CheckMessage]:
    """E002: a human step nobody may take (no owner permission, no assignment) waits forever."""
    hint = "Add .Permission(<codename>, obj=<unit>) or .Assign(<rule>) to the node."
    return [
        Error(
            f"{f.__name__}.{node.name} names neither a permission nor an owner.",
            hint=hint,
            obj=f,
            id="workflow.E002",
        )
        for f in flows
        for node in view_nodes(f)
        if not node._owner_permission and not node._owner
    ]


def step_table_errors(flows: Sequence[Any]) -> list[CheckMessage]:
    """E003: the step table and the flows' human nodes must name the same steps."""
    human = {node.name for flow_class in flows for node in view_nodes(flow_class)}
    errors: list[CheckMessage] = [
        Error(
            f"Step {name!r} in workflow.steps.STEPS is not a human node of any flow.",
            id="workflow.E003",
        )
        for name in sorted(set(STEPS) - human)
    ]
    errors += [
        Error(
            f"Human node {name!r} has no row in workflow.steps.STEPS (its actions are unknown).",
            id="workflow.E003",
        )
        for name in sorted(human - set(STEPS))
    ]
    return errors


@register()
def flows_are_consistent(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    return lock_errors(FLOWS) + owner_errors(FLOWS) + step_table_errors(FLOWS)


def squash_errors(loader: MigrationLoader) -> list[CheckMessage]:
    """E004: a database that applied only some of the migrations a squash replaces, once they
    are deleted. Django then quietly leaves the app out of ``migrate`` (no error, no step), and
    the tables stay as the old release's middle left them."""
    errors: list[CheckMessage] = []
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        replaced = list(migration.replaces)
        applied = [key for key in replaced if key in loader.applied_migrations]
        deleted = [key for key in replaced if key not in loader.disk_migrations]
        if applied and len(applied) < len(replaced) and deleted:
            last = replaced[-1][1]
            errors.append(
                Error(
                    f"This database applied {app} {applied[-1][1]} but not {last}: {name}, which "
                    f"replaces both, can neither be applied nor taken as applied.",
                    hint=f"Migrate the database to {app} {last} with the release before the squash "
                    "first (docs/production.md, Upgrades).",
                    id="workflow.E004",
                )
            )
    return errors


@register(Tags.database)
def migration_history_fits_the_squashes(
    app_configs: Sequence[AppConfig] | None = None,
    databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for alias in databases or []:
        errors += squash_errors(MigrationLoader(connections[alias], ignore_no_migrations=True))
    return errors
