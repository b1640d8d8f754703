from delegations.models.common import (
    Attachment,
    AttachmentKind,
    ReferenceCounter,
    RequestKind,
    RequestStatus,
    Route,
)
from delegations.models.outbound import (
    FundingSource,
    MemberRole,
    OutboundMember,
    OutboundRequest,
    OutboundStop,
    PurposeCategory,
    TripKind,
)
from delegations.models.partners import Agreement, Partner

__all__ = [
    "Agreement",
    "Attachment",
    "AttachmentKind",
    "FundingSource",
    "MemberRole",
    "OutboundMember",
    "OutboundRequest",
    "OutboundStop",
    "Partner",
    "PurposeCategory",
    "ReferenceCounter",
    "RequestKind",
    "RequestStatus",
    "Route",
    "TripKind",
]
