"""API of the directory: log-in token, who am I, units and people (see the API contract)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.validators import ProhibitSurrogateCharactersValidator
from rest_framework.views import APIView

from approvals.permissions import effective_roles
from config.api import CursorPagination
from config.auth import token_expires_at, token_issue
from config.db.replica import replica_view
from org import selectors
from org.models import Person, Role, Unit, UnitKind

_NOT_FOUND = OpenApiResponse(
    response=inline_serializer("NotFound", {"detail": serializers.CharField()}),
    description=_("Không tồn tại hoặc bạn không được xem."),
)
_INVALID = OpenApiResponse(
    response=inline_serializer(
        "ValidationErrors",
        {
            "errors": serializers.DictField(
                child=serializers.ListField(child=serializers.CharField())
            )
        },
    ),
    description=_("Dữ liệu không hợp lệ."),
)


_View = TypeVar("_View", bound=type[APIView])


def _list_schema(
    operation_id: str,
    filters: type[serializers.Serializer[Any]],
    rows: type[serializers.Serializer[Any]],
) -> Callable[[_View], _View]:
    """The schema of a list page: its filters as query parameters, its rows, its 400."""
    return extend_schema_view(
        get=extend_schema(
            operation_id=operation_id,
            parameters=[filters],
            responses={200: rows(many=True), 400: _INVALID},
        )
    )


def _detail_schema(
    operation_id: str, row: type[serializers.Serializer[Any]]
) -> Callable[[_View], _View]:
    """The schema of a detail page: the row, or the 404 of a missing or invisible one."""
    return extend_schema_view(
        get=extend_schema(operation_id=operation_id, responses={200: row, 404: _NOT_FOUND})
    )


def _query(request: Request, filters: type[serializers.Serializer[Any]]) -> dict[str, Any]:
    """The validated query parameters; a 400 naming each bad one otherwise."""
    serializer = filters(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class _NoSurrogates(ProhibitSurrogateCharactersValidator):
    message = _("Không được chứa ký tự không hợp lệ: U+{code_point:X}.")


class TextField(serializers.CharField):
    """A text input whose every error is in Vietnamese (DRF ships few Vietnamese messages)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Trường này là bắt buộc."),
                "blank": _("Trường này không được để trống."),
                "max_length": _("Tối đa {max_length} ký tự."),
                "invalid": _("Giá trị không hợp lệ."),
            },
        )
        super().__init__(**kwargs)
        self.validators = [
            v
            for v in self.validators
            if not isinstance(
                v, ProhibitNullCharactersValidator | ProhibitSurrogateCharactersValidator
            )
        ]
        self.validators += [
            ProhibitNullCharactersValidator(message=_("Không được chứa ký tự rỗng (NUL).")),
            _NoSurrogates(),
        ]


# --- Log-in token ------------------------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer[Any]):
    username = TextField(label=_("Tên đăng nhập"), max_length=150)
    password = TextField(
        label=_("Mật khẩu"),
        max_length=128,
        trim_whitespace=False,
        style={"input_type": "password"},
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        request = self.context.get("request")
        # Django's own request, which the log-in protection (django-axes) marks when it locks.
        http_request = getattr(request, "_request", request)
        user = authenticate(http_request, username=attrs["username"], password=attrs["password"])
        if user is None:
            raise serializers.ValidationError(
                _("Tên đăng nhập hoặc mật khẩu không đúng."), code="authorization"
            )
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)


class TokenObtainView(APIView):
    """Exchange a user name and password for the user's API token."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_token_obtain",
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: _INVALID},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token = token_issue(serializer.validated_data["user"])
        expires_at = timezone.localtime(token_expires_at(token)).isoformat()
        return Response({"token": token.key, "expires_at": expires_at})


# --- Who am I ----------------------------------------------------------------------------------


class UnitRefSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()


class RoleHeldSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=Role.choices)
    unit = UnitRefSerializer()
    acting_for = serializers.CharField(allow_null=True, help_text=_("Người được làm thay"))


class MeSerializer(serializers.Serializer[Any]):
    username = serializers.CharField()
    full_name = serializers.CharField()
    person = serializers.IntegerField(allow_null=True)
    roles = RoleHeldSerializer(many=True)


class MeView(APIView):
    """The caller: log-in name, person record and the roles held today (acting included)."""

    @extend_schema(operation_id="me", responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)  # IsAuthenticated lets only accounts in
        person = Person.objects.filter(user=user.pk).only("pk", "full_name").first()
        account_name = getattr(user, "get_full_name", lambda: "")() or user.get_username()
        data = {
            "username": user.get_username(),
            "full_name": person.full_name if person else account_name,
            "person": person.pk if person else None,
            "roles": [
                {
                    "role": role,
                    "unit": {"code": unit.code, "name": unit.name},
                    "acting_for": holder.get_username() if holder is not None else None,
                }
                for role, unit, holder in effective_roles(user)
            ],
        }
        return Response(MeSerializer(data).data)


# --- Units -------------------------------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer[Unit]):
    managing_authority: serializers.SlugRelatedField[Unit] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = Unit
        fields = ["code", "name", "name_en", "kind", "managing_authority"]


class UnitFilterSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(
        choices=UnitKind.choices,
        required=False,
        error_messages={"invalid_choice": _("Loại đơn vị “{input}” không hợp lệ.")},
    )
    q = TextField(
        required=False,
        max_length=100,
        help_text=_("Tên hoặc mã đơn vị"),
    )


class UnitPagination(CursorPagination):
    ordering = "code"


@_list_schema("units_list", UnitFilterSerializer, UnitSerializer)
class UnitListView(generics.ListAPIView[Unit]):
    """Units the caller may see."""

    serializer_class = UnitSerializer
    pagination_class = UnitPagination

    @replica_view
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Unit]:
        filters = _query(self.request, UnitFilterSerializer)
        return selectors.unit_list_for_user(user=self.request.user, **filters)


@_detail_schema("units_retrieve", UnitSerializer)
class UnitDetailView(generics.RetrieveAPIView[Unit]):
    """One unit, or 404 when it does not exist or the caller may not see it."""

    serializer_class = UnitSerializer
    lookup_field = "code"

    def get_object(self) -> Unit:
        return selectors.unit_get_for_user(user=self.request.user, code=self.kwargs["code"])


# --- People ------------------------------------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer[Person]):
    # Passport numbers and restriction flags never leave through the directory.
    username = serializers.CharField(source="user.username", read_only=True, allow_null=True)
    unit: serializers.SlugRelatedField[Unit] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    key_leader = serializers.BooleanField(source="is_key_leader", read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "full_name",
            "username",
            "staff_code",
            "unit",
            "position",
            "category",
            "key_leader",
        ]


class PersonFilterSerializer(serializers.Serializer[Any]):
    unit = TextField(required=False, max_length=32, help_text=_("Mã đơn vị"))
    q = TextField(
        required=False,
        max_length=100,
        help_text=_("Họ tên, mã cán bộ hoặc tên đăng nhập"),
    )
    username = TextField(required=False, max_length=150)


class PersonPagination(CursorPagination):
    # DRF accepts several fields; the id breaks ties between namesakes. Its stubs say str only.
    ordering = ("full_name", "id")  # type: ignore[assignment]


@_list_schema("people_list", PersonFilterSerializer, PersonSerializer)
class PersonListView(generics.ListAPIView[Person]):
    """People the caller may see."""

    serializer_class = PersonSerializer
    pagination_class = PersonPagination

    @replica_view
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Person]:
        data = _query(self.request, PersonFilterSerializer)
        return selectors.person_list_for_user(
            user=self.request.user,
            unit_code=data.get("unit"),
            q=data.get("q"),
            username=data.get("username"),
        )


@_detail_schema("people_retrieve", PersonSerializer)
class PersonDetailView(generics.RetrieveAPIView[Person]):
    """One person, or 404 when they do not exist or the caller may not see them."""

    serializer_class = PersonSerializer

    def get_object(self) -> Person:
        return selectors.person_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
