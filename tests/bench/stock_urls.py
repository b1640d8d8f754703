"""The product's URLs plus viewflow's stock inbox and queue pages for the same flow.

Used only by the list benchmark (``ROOT_URLCONF`` is switched for that test), so stock pages
can be timed on the same rows as ours. Viewing is allowed to every signed-in user: the
benchmark measures the lists, not the stock permission model.
"""

from __future__ import annotations

from typing import Any

from django.urls import include, path
from viewflow.urls import Application, Site
from viewflow.workflow.flow import FlowAppViewset

from workflow.flows.outbound import OutboundFlow


class StockFlowViewset(FlowAppViewset):  # type: ignore[misc]
    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return True


site = Site(
    title="Stock viewflow",
    viewsets=[
        Application(
            title="Stock", app_name="stock", viewsets=[StockFlowViewset(OutboundFlow, icon="work")]
        )
    ],
)
INBOX = "/stock/stock/outbound/inbox/"
QUEUE = "/stock/stock/outbound/queue/"
urlpatterns = [path("stock/", site.urls), path("", include("config.urls"))]
