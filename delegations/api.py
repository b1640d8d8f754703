"""``/api/v1/outbound/``: outbound requests (see ../shared/spec/API.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from config.api import CursorPagination
from config.db.replica import replica_reads
from delegations import serializers as s
from delegations.models import OutboundRequest
from delegations.presenters import outbound_detail, preview_dict
from delegations.selectors import outbound_get_for_user, outbound_list_for_user
from delegations.services.members import outbound_membership_answer
from delegations.services.outbound import outbound_create, outbound_update
from workflow.services import OUTBOUND_VERBS, request_submit


class RequestListView(GenericAPIView[Any]):
    """The requests of one kind the user may see, filtered and paginated, and POST to create a
    draft; a subclass names the kind's permission-scoped selector, summary, presenter and
    create service."""

    list_for_user: ClassVar[Callable[..., QuerySet[Any]]]
    summary: ClassVar[Callable[[Any], dict[str, Any]]]
    present: ClassVar[Callable[[Any], dict[str, Any]]]

    def get_queryset(self) -> QuerySet[Any]:
        params = self.request.query_params
        # The page's position and size go into the selector: it reads each visibility clause
        # with the page's limit (delegations.selectors._newest_visible).
        paginator = self.paginator
        assert isinstance(paginator, CursorPagination)
        before, after, limit = paginator.window(self.request)
        return type(self).list_for_user(
            user=self.request.user,
            status=params.get("status") or None,
            unit_code=params.get("unit") or None,
            q=(params.get("q") or "").replace("\x00", "") or None,
            before=before,
            after=after,
            limit=limit,
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str),
            OpenApiParameter("unit", str),
            OpenApiParameter("q", str),
        ],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        with replica_reads():  # a list: from the read replica when there is one
            page = self.paginate_queryset(self.get_queryset())
            assert page is not None
            return self.get_paginated_response([type(self).summary(r) for r in page])

    @extend_schema(responses={201: dict})
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = self.create(request.user, serializer)
        return Response(type(self).present(created), status=status.HTTP_201_CREATED)

    def create(self, actor: Any, serializer: Any) -> Any:
        """The kind's create service on the validated input."""
        raise NotImplementedError


class RequestDetailView(GenericAPIView[Any]):
    """One request of a kind, through the kind's selector (404 when the user may not see it) and
    presenter; PATCH sends only changes over the stored content (``current_input``) to the
    kind's update service."""

    get_for_user: ClassVar[Callable[..., Any]]
    present: ClassVar[Callable[[Any], dict[str, Any]]]

    current_input: ClassVar[Callable[[Any], dict[str, Any]]]

    @extend_schema(responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        return Response(type(self).present(type(self).get_for_user(user=request.user, pk=pk)))

    @extend_schema(responses={200: dict})
    def patch(self, request: Request, pk: int) -> Response:
        current = type(self).get_for_user(user=request.user, pk=pk)
        serializer = self.get_serializer(data={**type(self).current_input(current), **request.data})
        serializer.is_valid(raise_exception=True)
        version = serializer.validated_data.get("version")
        return Response(type(self).present(self.update(request.user, current, serializer, version)))

    def update(self, actor: Any, current: Any, serializer: Any, version: int | None) -> Any:
        """The kind's update service on the validated input (the stored content, changed)."""
        raise NotImplementedError


class RequestChecksView(GenericAPIView[Any]):
    """Preview: who will decide, in what order, and what the rules say. Changes nothing."""

    get_for_user: ClassVar[Callable[..., Any]]

    @extend_schema(responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        return Response(preview_dict(type(self).get_for_user(user=request.user, pk=pk)))


@extend_schema_view(get=extend_schema(operation_id="outbound_list"))
class OutboundListView(RequestListView):
    """List the outbound requests you may see, or create a draft."""

    serializer_class = s.OutboundInSerializer
    list_for_user = outbound_list_for_user
    summary = s.outbound_summary

    present = outbound_detail

    def create(self, actor: Any, serializer: Any) -> OutboundRequest:
        return outbound_create(actor=actor, data=serializer.to_input())


def s_current_input(request: OutboundRequest) -> dict[str, Any]:
    """The request's current content in the input shape, so PATCH may send only changes."""
    detail = outbound_detail(request)
    return {
        "kind": detail["kind"],
        "purpose": detail["purpose"],
        "purpose_category": detail["purpose_category"],
        "expected_results": detail["expected_results"],
        "departure_date": detail["departure_date"],
        "return_date": detail["return_date"],
        "members": [{"person": m["person"], "role": m["role"]} for m in detail["members"]],
        "itinerary": detail["itinerary"],
        "inviter": detail["inviter"],
        "agreement": detail["agreement"],
        "funding_source": detail["funding_source"],
        "estimated_cost": detail["estimated_cost"],
        "sponsored_by_enterprise": detail["sponsored_by_enterprise"],
        "tied_to_contract": detail["tied_to_contract"],
        "work_programme": detail["work_programme"],
        "presentation_abroad": detail["presentation_abroad"],
        "presentation_text": detail["presentation_text"],
        "head_appraisal": detail["head_appraisal"],
    }


class OutboundDetailView(RequestDetailView):
    """One outbound request; PATCH replaces its content while it is a draft or returned."""

    serializer_class = s.OutboundInSerializer
    get_for_user = outbound_get_for_user
    present = outbound_detail

    current_input = s_current_input

    def update(
        self, actor: Any, current: OutboundRequest, serializer: Any, version: int | None
    ) -> OutboundRequest:
        return outbound_update(
            actor=actor, request=current, data=serializer.to_input(), version=version
        )


class OutboundChecksView(RequestChecksView):
    get_for_user = outbound_get_for_user


class OutboundMembershipView(GenericAPIView[Any]):
    """A person named in the delegation accepts (``accept: true``) or declines to travel.

    404 for anyone not named; 409 once answered or after submission. A decline removes the
    person from the delegation, so the answer carries no detail of the request.
    """

    serializer_class = s.MembershipAnswerSerializer

    @extend_schema(request=s.MembershipAnswerSerializer, responses={200: dict})
    def post(self, request: Request, pk: int) -> Response:
        target = outbound_get_for_user(user=request.user, pk=pk)
        serializer = s.MembershipAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        member = outbound_membership_answer(
            actor=request.user,  # type: ignore[arg-type]
            request=target,
            accept=data["accept"],
            reason=data["reason"],
        )
        return Response(
            {
                "id": target.pk,
                "person": member.person_id,
                "confirmation": "confirmed" if data["accept"] else "declined",
            }
        )


def _action(
    serializer_class: type[Serializer[Any]],
    call: Callable[[Any, Any, dict[str, Any]], Any],
    doc: str,
    *,
    getter: Callable[..., Any] = outbound_get_for_user,
    present: Callable[[Any], dict[str, Any]] = outbound_detail,
    prefix: str = "Outbound",
    operation_id: str | None = None,
    created: bool = False,
) -> type[GenericAPIView[Any]]:
    """A POST endpoint that validates its body and calls one service (any kind of request:
    ``getter`` finds it for the user or 404s, ``present`` answers with its detail, 201 when
    the call ``created`` something)."""
    answer_status = status.HTTP_201_CREATED if created else status.HTTP_200_OK

    class ActionView(GenericAPIView[Any]):
        __doc__ = doc

        def get_serializer_class(self) -> type[Serializer[Any]]:
            return serializer_class

        @extend_schema(
            request=serializer_class, responses={answer_status: dict}, operation_id=operation_id
        )
        def post(self, request: Request, pk: int) -> Response:
            target = getter(user=request.user, pk=pk)
            serializer = serializer_class(data=request.data)
            serializer.is_valid(raise_exception=True)
            extra = call(request.user, target, serializer.validated_data)
            target.refresh_from_db()
            body = present(target)
            if isinstance(extra, dict):
                body.update(extra)
            return Response(body, status=answer_status)

    ActionView.__name__ = f"{prefix}{serializer_class.__name__}View"
    return ActionView


def _submit(user: Any, request: OutboundRequest, data: dict[str, Any]) -> dict[str, Any]:
    evaluation = request_submit(actor=user, request=request, justifications=data["justifications"])
    return {"route": str(evaluation.route)}


OutboundSubmitView = _action(s.SubmitSerializer, _submit, "Submit or resubmit (422 when blocked).")
OutboundWithdrawView = _action(
    s.ReasonSerializer, OUTBOUND_VERBS["withdraw"], "Withdraw before the decision."
)
OutboundCancelView = _action(
    s.ReasonSerializer,
    OUTBOUND_VERBS["cancel"],
    "Cancel after approval, before the return; agencies are told.",
)
OutboundExtensionView = _action(
    s.ExtensionSerializer,
    OUTBOUND_VERBS["extension"],
    "Ask the same authority for a later return date.",
)
OutboundDepartureView = _action(
    s.DateSerializer, OUTBOUND_VERBS["departure"], "Confirm the departure."
)
OutboundReturnView = _action(
    s.DateSerializer,
    OUTBOUND_VERBS["return"],
    "Confirm the return; the report and passports fall due.",
)
OutboundReportView = _action(
    s.ReportSerializer, OUTBOUND_VERBS["report"], "Hand in the post-trip report."
)
OutboundPassportReturnedView = _action(
    s.PassportReturnedSerializer,
    lambda u, r, d: {"late": OUTBOUND_VERBS["passport"](u, r, d)},
    "Record an official passport handed back (answers whether it was late).",
)
