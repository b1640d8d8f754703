"""Response headers that keep a signed-in user's pages private (the CSP is django-csp's)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme

from config.values import control_character_problem


def is_api(request: HttpRequest) -> bool:
    """Whether the request is the API's (its refusals are JSON) rather than a page's."""
    return request.path.startswith("/api/")


def way_back(request: HttpRequest) -> str:
    """The page a refused request came from, for a "back" link: the page itself for a GET,
    its address without the query for a form's POST; never off the site ("//elsewhere…")."""
    back = request.get_full_path() if request.method == "GET" else request.path
    return back if url_has_allowed_host_and_scheme(back, allowed_hosts=None) else "/"


class PrivatePagesMiddleware:
    """``Cache-Control: private, no-store`` on every answer to a signed-in user.

    Dossiers carry passport numbers and personal data: no shared cache or browser history may
    keep them. Answers that set their own caching (static files, downloads) keep it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)
        return response


class ControlCharactersMiddleware:
    """A NUL or other control character in a query parameter answers 400 before any view runs.

    PostgreSQL refuses NUL in text, so a filter such as ``?status=%00`` would otherwise end in a
    500 wherever the value reaches a query; no legitimate address contains one. The API answers
    in its error shape (``{"errors": {"<parameter>": ["…"]}}``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for key, values in request.GET.lists():
            problem = next(
                (p for text in (key, *values) if (p := control_character_problem(text))), None
            )
            if problem is None:
                continue
            if is_api(request):
                return JsonResponse(
                    {"errors": {key: [problem]}},
                    status=400,
                    json_dumps_params={"ensure_ascii": False},
                )
            return HttpResponseBadRequest(problem)
        return self.get_response(request)
