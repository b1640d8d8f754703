from delegations.models.common import (
    Attachment,
    AttachmentKind,
    ReferenceCounter,
    RequestKind,
    RequestStatus,
    Route,
)
from delegations.models.inbound import (
    AccommodationKind,
    GuestLevel,
    InboundPurpose,
    InboundStatus,
    InboundVisit,
    Visitor,
)
from delegations.models.outbound import (
    FundingSource,
    MemberConfirmation,
    MemberRole,
    OutboundMember,
    OutboundRequest,
    OutboundStop,
    PurposeCategory,
    TripKind,
)
from delegations.models.partners import Agreement, Partner

__all__ = [
    "AccommodationKind",
    "Agreement",
    "Attachment",
    "AttachmentKind",
    "FundingSource",
    "GuestLevel",
    "InboundPurpose",
    "InboundStatus",
    "InboundVisit",
    "MemberConfirmation",
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
    "Visitor",
]
