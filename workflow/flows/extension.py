"""Extending an approved trip's return date (gia hạn), decided by the same authority."""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from delegations.models import OutboundRequest, Route
from delegations.services.decisions import outbound_apply_extension
from workflow.flows import common
from workflow.flows.common import (
    department_of_process,
    if_approved,
    person_step,
    ward_of_process,
)
from workflow.flows.nodes import Function, Switch


class OutboundExtensionFlow(flow.Flow):  # type: ignore[misc,unused-ignore]
    """Gia hạn chuyến đi

    A new return date for an approved trip goes to the authority that approved it: the ward
    chair, the department's leadership, or (city route) the city's decision recorded by the
    department reviewer.
    """

    process_title = _("Gia hạn chuyến đi")
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_process).Next(this.check_route)
    check_route = (
        Switch()
        .Case(this.decide_extension_by_ward, this.is_ward_route)
        .Case(this.record_city_extension, this.is_city_route)
        .Default(this.decide_extension_by_director)
    )
    decide_extension_by_ward = person_step(
        _("Chủ tịch UBND phường quyết định gia hạn"), "org.decide_for_ward", ward_of_process
    ).Next(this.check_decision)
    decide_extension_by_director = person_step(
        _("Lãnh đạo Sở quyết định gia hạn"), "org.decide_for_department", department_of_process
    ).Next(this.check_decision)
    record_city_extension = person_step(
        _("Ghi nhận quyết định gia hạn của UBND Thành phố"),
        "org.review_for_department",
        department_of_process,
    ).Next(this.check_decision)
    check_decision = if_approved(this.extend, this.refused)
    extend = Function(this.on_extended).Next(this.extended)
    extended = flow.End().Annotation(title=_("Đã gia hạn"))
    refused = flow.End().Annotation(title=_("Không gia hạn"))

    def start_process(
        self, activation: Any, request: Any, new_return_date: str, reason: str
    ) -> Any:
        activation.process.artifact = request
        activation.process.data = {"new_return_date": new_return_date, "reason": reason}
        return activation.process

    def is_ward_route(self, activation: Any) -> bool:
        return common.request_of(activation.process).route == Route.WARD

    def is_city_route(self, activation: Any) -> bool:
        return common.request_of(activation.process).route == Route.CITY

    def on_extended(self, activation: Any) -> None:
        """Granted: :func:`delegations.services.decisions.outbound_apply_extension`."""
        outbound_apply_extension(
            request=cast(OutboundRequest, common.request_of(activation.process)),
            new_return_date=activation.process.data["new_return_date"],
        )
