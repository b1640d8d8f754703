"""viewflow's gate and function nodes without their savepoint inside a step.

viewflow runs a gate's condition and a Function node's callback in a savepoint, so that where
an exception is kept rather than raised (``propagate_exception=False``: Job and Timer nodes,
none in these flows today) the failure can be recorded on the task (status ERROR). In every step
of this product the exception propagates and the step's one transaction rolls back whole, so
there the savepoint is two queries for nothing; it is opened only where viewflow needs it.

Inside a step a gate's task row is also written once, already done, with its link to the task
before it: viewflow inserts it, links it and updates it once the gate has decided, three
queries for a row nothing reads in between (:class:`WrittenOnceDone`).

Same task types and node names as viewflow's classes: the flows' stored references do not
change (``tests/guard/test_public_names.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.utils import timezone
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.context import context
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.func import FunctionActivation
from viewflow.workflow.nodes.if_gate import IfActivation
from viewflow.workflow.nodes.switch import SwitchActivation
from viewflow.workflow.signals import task_started
from viewflow.workflow.status import STATUS


@contextmanager
def guarded(activation: Any) -> Iterator[None]:
    """viewflow's exception guard, with its savepoint only where the exception is kept."""
    with activation.exception_guard():
        if context.propagate_exception:
            yield
        else:
            with transaction.atomic(savepoint=True):
                yield


class WrittenOnceDone(Activation):  # type: ignore[misc]
    """A gate's task inserted when the gate is done, then linked to the task before it.

    Where an exception is kept on the task (``propagate_exception=False``: a Job or Timer node
    going on) the task is created as viewflow creates it, so that an error can be saved on it.
    """

    _previous: Any = None

    # By identity: the task has no primary key (viewflow's hash) until the gate is done, and
    # viewflow keeps the activations of a step in sets.
    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    @classmethod
    def create(
        cls, flow_task: Any, prev_activation: Any, token: Any, data: Any = None, seed: Any = None
    ) -> Any:
        if not context.propagate_exception:
            return super().create(flow_task, prev_activation, token, data=data, seed=seed)
        task = flow_task.flow_class.task_class(
            process=prev_activation.process, flow_task=flow_task, token=token
        )
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        activation._previous = prev_activation.task
        return activation

    @Activation.status.transition(source=STATUS.NEW, target=STATUS.DONE)  # type: ignore[untyped-decorator]
    def complete(self) -> None:
        super().complete.original()  # the task's one write
        if self._previous is not None:
            self.task.previous.add(self._previous)


class IfGateActivation(WrittenOnceDone, IfActivation):  # type: ignore[misc]
    @Activation.status.super()  # type: ignore[untyped-decorator]
    def activate(self) -> None:
        with guarded(self):
            self._condition_result = self.flow_task._condition(self)


class SwitchGateActivation(WrittenOnceDone, SwitchActivation):  # type: ignore[misc]
    @Activation.status.super()  # type: ignore[untyped-decorator]
    def activate(self) -> None:
        with guarded(self):
            for node, cond in self.flow_task._branches:
                if cond is None:  # the default, unless a later case holds
                    self.next_task = node
                elif cond(self):
                    self.next_task = node
                    break
            if self.next_task is None:
                raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")


class FunctionStepActivation(FunctionActivation):  # type: ignore[misc]
    @Activation.status.super()  # type: ignore[untyped-decorator]
    def activate(self) -> None:
        with guarded(self):
            self.task.started = timezone.now()
            task_started.send(sender=self.flow_class, process=self.process, task=self.task)
            self.flow_task._func(self)


class If(flow.If):  # type: ignore[misc]
    """A yes-or-no gate."""

    activation_class = IfGateActivation


class Switch(flow.Switch):  # type: ignore[misc]
    """A gate of several cases, the first that holds (else the default)."""

    activation_class = SwitchGateActivation


class Function(flow.Function):  # type: ignore[misc]
    """A callback run as the flow passes (the approval's documents and notifications)."""

    activation_class = FunctionStepActivation
