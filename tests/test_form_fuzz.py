"""Every HTML form, filled with generated and hostile input, never gives a 5xx (QUALITY.md R6).

The API has Schemathesis (``test_api_fuzz.py``); the pages' forms are found as a person finds
them: each persona signs in, follows the site's own links from the home page (a draft, a
request waiting for each step, an approved trip and a draft visit exist), and every ``POST``
form met on the way is sent with its fields filled by Hypothesis: kept as the page gave them,
or replaced by text, numbers, dates, formset counts and uploads meant to break them (control
and bidirectional characters, huge and negative numbers, impossible dates, markup, paths,
100,000 characters). A refusal must be a page that says why (4xx with HTML, or the form again),
never a server error.

Bounded: :data:`EXAMPLES` examples per form, derandomized (the same cases on every run), at
most :data:`PAGES` pages per persona.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from tests.approvals.record_helpers import approved, make_agencies
from tests.conftest import login
from tests.factories import make_staff
from tests.flows import approve_all, draft, draft_visit, submitted
from tests.fuzzing import bounded

pytestmark = pytest.mark.django_db

EXAMPLES = 5
PAGES = 60
#: Links not followed and forms not sent: leaving the site's pages or the session.
SKIPPED = re.compile(
    r"^/(accounts/logout|admin|static|media|api|i18n|health)|\.(pdf|docx|csv|xlsx)$"
)
#: Download and export addresses answer files, not pages with forms.
NOT_PAGES = re.compile(r"/(tai-ve|xuat|tep)/")
#: Forms that end a dossier (withdraw, cancel).
ENDS = re.compile(r"/(rut|huy)/$")

HOSTILE = [
    "",
    " ",
    "\u202egnp.exe",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "²",
    "١٢",
    "2026-02-30",
    "0000-00-00",
    "31/12/99999",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../../etc/passwd",
    "x" * 100_000,
]
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
VALUES = st.one_of(st.sampled_from(HOSTILE), TEXT, st.integers().map(str), st.dates().map(str))


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, type, value)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons

    @property
    def files(self) -> list[str]:
        return [name for name, kind, _value in self.fields if kind == "file"]


class PageForms(HTMLParser):
    """The page's ``method="post"`` forms and its links."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"].split("#")[0])
        elif tag == "form" and a.get("method", "get").lower() == "post":
            self._form = Form(urljoin(self.page, a.get("action") or self.page))
            self.forms.append(self._form)
        elif tag == "option" and self._form is not None and self._select is not None:
            if "selected" in a:
                self._form.fields.append((self._select, "select", a.get("value", "")))
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input" and a.get("type", "text") not in ("submit", "image", "button", "reset"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if a.get("type") in ("checkbox", "radio") else ""  # as browsers send
            self._form.fields.append((a["name"], a.get("type", "text"), a.get("value", default)))
        elif tag in ("input", "button") and a.get("type", "submit") == "submit":
            self._form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "select":  # its value: the selected options (none: the field is left out)
            self._select = a["name"]
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form.fields.append((a["name"], "textarea", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_met(client: Client) -> Iterator[tuple[str, Form]]:
    """Each distinct post form on the pages reached from the home page, with its page."""
    seen: set[str] = set()
    actions: set[tuple[str, tuple[str, ...]]] = set()
    todo = ["/"]
    while todo and len(seen) < PAGES:
        page = todo.pop(0)
        if page in seen or SKIPPED.search(urlsplit(page).path) or NOT_PAGES.search(page):
            continue
        seen.add(page)
        response = client.get(page)
        assert response.status_code < 500, page
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = PageForms(page)
        parser.feed(response.content.decode())
        todo += [link for link in parser.links if link not in seen]
        for form in parser.forms:
            names = {n for n, _k, _v in form.fields} | {n for n, _v in form.buttons}
            key = (urlsplit(form.action).path, tuple(sorted(names)))
            if key not in actions and not SKIPPED.search(urlsplit(form.action).path):
                actions.add(key)
                yield page, form


def fuzzed(form: Form, draw: Any) -> dict[str, Any]:
    """The form's fields, each kept or replaced; one of its buttons pressed, as a browser does."""
    data: dict[str, Any] = {}
    if form.buttons:
        name, value = draw(st.sampled_from(form.buttons))
        data[name] = [value]
    for name, kind, value in form.fields:
        if name == "csrfmiddlewaretoken":
            continue
        if kind == "file":
            content = draw(st.binary(max_size=2_000))
            filename = draw(st.sampled_from(["a.pdf", "../../x.pdf", "x.svg", "", "a" * 300]))
            data[name] = SimpleUploadedFile(filename or "f", content)
            continue
        chosen = draw(st.one_of(st.just(value), VALUES))
        data.setdefault(name, [])
        data[name].append(chosen)
    return data


def refusal_is_a_page(response: Any) -> bool:
    return response.status_code in (301, 302, 303) or "html" in response.get("Content-Type", "json")


def fuzz(client: Client, page: str, form: Form) -> Any:
    """The form sent :data:`EXAMPLES` times with generated fields (a Hypothesis test)."""

    @given(st.data())
    @bounded(EXAMPLES)
    def send(data: Any) -> None:
        body = fuzzed(form, data.draw)
        response = client.post(form.action, body)
        assert response.status_code < 500, (page, form.action, body)
        assert refusal_is_a_page(response), (page, form.action, response.status_code)

    return send


@pytest.fixture
def dossiers(org: Any, teacher_a: Any, head_a: Any, dept_reviewer: Any, director: Any) -> None:
    """A draft, requests waiting at the head and further on, an approved trip, a draft visit."""
    make_agencies()
    approved(teacher_a, head_a, dept_reviewer, director)
    draft(teacher_a, purpose="Bản nháp để thử biểu mẫu")
    submitted(head_a)  # at the department: the head's own request skips the head's step
    for name, deciders in (("gv_c", ()), ("gv_d", (head_a,)), ("gv_e", (head_a, dept_reviewer))):
        applicant = make_staff(name, org.school_a, full_name=f"Giáo viên {name}")
        approve_all(submitted(applicant), *deciders)  # waiting at each step in turn
    draft_visit(teacher_a)


@pytest.mark.parametrize(
    "who", ["teacher_a", "head_a", "dept_reviewer", "director", "clerk_a", "auditor"]
)
def test_no_form_input_gives_a_server_error(dossiers: None, who: str, request: Any) -> None:
    client = login(request.getfixturevalue(who))
    # Withdrawing or cancelling ends a dossier's other forms: those go last.
    met = sorted(forms_met(client), key=lambda met: bool(ENDS.search(met[1].action)))
    for page, form in met:
        fuzz(client, page, form)()
    assert len(met) >= 3, f"{who} met only {len(met)} forms: the crawl found nothing to fuzz"
