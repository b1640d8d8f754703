"""Kept only for ``approvals/documents/content_{inbound,outbound}.py``, which import
``timing_params`` from here inside a function; delete once they import
:func:`workflow.models.timing_params` (the one copy). The trip's services are in
:mod:`delegations.services.trips` and :mod:`workflow.services`.
"""

from __future__ import annotations

from workflow.models import timing_params

__all__ = ["timing_params"]
