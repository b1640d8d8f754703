"""The API's JSON parser: a body that is not a sane JSON object is a 400 (or 413), never a 500.

A refused body answers ``{"errors": {"body": ["…"]}}`` (the contract's 400 shape).

Checked once here for every endpoint: the size (Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` does not
apply to a stream DRF reads itself), the nesting depth, the top-level shape (an object), NUL and
other control characters in text (PostgreSQL cannot store NUL), and integers that no column holds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.metadata import SimpleMetadata
from rest_framework.parsers import JSONParser

from config.values import control_character_problem

if TYPE_CHECKING:  # DRF loads this module while its views module is still loading.
    from rest_framework.request import Request
    from rest_framework.views import APIView

MAX_DEPTH = 20
#: Larger than any id or amount the product stores (bigint columns; VND amounts).
MAX_INTEGER = 2**53


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"


def _problem(value: Any, depth: int = 0) -> str | None:
    """What is wrong with a decoded body, or None (iterative enough for MAX_DEPTH levels)."""
    if depth > MAX_DEPTH:
        return _("Dữ liệu lồng nhau quá sâu (tối đa %(max)d cấp).") % {"max": MAX_DEPTH}
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return None
    if isinstance(value, int):
        if abs(value) > MAX_INTEGER:
            return _("Số %(value).20s… quá lớn.") % {"value": str(value)}
        return None
    if isinstance(value, str):
        return control_character_problem(value)
    items = value.items() if isinstance(value, Mapping) else enumerate(value)
    for key, item in items:
        found = _problem(key, depth + 1) if isinstance(key, str) else None
        found = found or _problem(item, depth + 1)
        if found:
            return found
    return None


def _invalid(message: str) -> ValidationError:
    """A 400 in the API's error shape; the body as a whole is the field at fault."""
    return ValidationError({"body": [message]})


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


class SafeJSONParser(JSONParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        declared = getattr(request, "META", {}).get("CONTENT_LENGTH") or 0
        try:
            too_big = int(declared) > limit
        except ValueError:
            too_big = False
        raw = stream.read(limit + 1) if stream is not None else b""
        if too_big or len(raw) > limit:
            raise PayloadTooLarge(
                _("Dữ liệu gửi lên quá lớn: tối đa %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
            )
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding), parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:
            raise _invalid(_("Dữ liệu JSON không hợp lệ.")) from exc
        if not isinstance(data, dict):
            raise _invalid(_("Dữ liệu gửi lên phải là một đối tượng JSON ({…})."))
        problem = _problem(data)
        if problem:
            raise _invalid(problem)
        return data


class DescriptionMetadata(SimpleMetadata):
    """``OPTIONS`` answers the view's name, description and formats, not a form description.

    DRF's default builds every action's serializer, which fails (500) on action views that
    take no body; the OpenAPI schema (``/api/v1/schema/``) already describes the bodies.
    """

    def determine_metadata(self, request: Request, view: APIView) -> dict[str, Any]:
        return {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
        }
