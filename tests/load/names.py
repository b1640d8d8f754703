"""What the load users do, by the name Locust reports it under (the locustfile and the soak)."""

from __future__ import annotations

#: An approval step: GET the dossier, POST the decision, timed as one.
STEP_NAME = "approval step"

#: The lists a reader opens (QUALITY.md P2): name in the report, path, who opens it (a key of
#: the seed's users).
READS = (
    ("inbox (GET)", "/api/v1/tasks/?scope=inbox", "reviewer"),
    ("queue (GET)", "/api/v1/tasks/?scope=queue", "reviewer"),
    ("request list, reviewer (GET)", "/api/v1/outbound/", "reviewer"),
    ("request list, school head (GET)", "/api/v1/outbound/", "head0"),
)
READ_NAMES = tuple(name for name, _path, _who in READS)
