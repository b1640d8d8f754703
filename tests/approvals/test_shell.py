"""The web shell: log-in, layout, language switch, error pages and the home page per role."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

import pytest
from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template
from django.test import Client, override_settings
from django.urls import path, reverse
from django.utils import timezone

from org.models import Person, Role
from tests.conftest import Org, login
from tests.factories import TEST_PASSWORD, UserFactory, make_acting, make_staff

# session, user, role assignments, acting assignments, names of holders, own name with unread
# notices (one query), the auditor grant (the menu's system log), delegations waiting for my
# confirmation, the units above the roles' units and the waiting tasks grouped by step permission
# (the cards' counts). The jurisdiction (the Sở's name in the header) comes from the cache.
QUERIES_FOR_HOME = 10


class _AssetCollector(HTMLParser):
    """Collects the URLs a page loads: script src, link href, img src."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"script": "src", "link": "href", "img": "src"}.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.assets.append(value)


def _assets(html: str) -> list[str]:
    collector = _AssetCollector()
    collector.feed(html)
    return collector.assets


def _nav_labels(html: str) -> str:
    start = html.index('<nav class="site-nav"')
    return html[start : html.index("</nav>", start)]


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login() -> None:
    response = Client().get("/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_login_page_is_vietnamese_even_for_an_english_browser() -> None:
    response = Client().get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert "Mật khẩu" in html


@pytest.mark.django_db
def test_wrong_password_shows_a_vietnamese_error(teacher_a: Person) -> None:
    response = Client().post(
        reverse("login"), {"username": "teacher_a", "password": "not-the-password"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert "mật khẩu chính xác" in html
    assert response.wsgi_request.user.is_anonymous


@pytest.mark.django_db
def test_user_can_log_in_then_log_out(teacher_a: Person) -> None:
    client = Client()

    response = client.post(
        reverse("login"), {"username": "teacher_a", "password": TEST_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Trần Thị Lan" in response.content.decode()
    assert "Đăng xuất" in response.content.decode()

    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_logout_by_get_is_refused(teacher_a: Person) -> None:
    client = login(teacher_a)

    assert client.get(reverse("logout")).status_code == 405
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_switching_to_english_shows_english_navigation(teacher_a: Person) -> None:
    client = login(teacher_a)
    assert "Trang chủ" in _nav_labels(client.get("/").content.decode())

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Home" in _nav_labels(html)
    assert "Trang chủ" not in _nav_labels(html)
    assert "Log out" in html
    assert "Tiếng Việt" in html  # the switch back


@pytest.mark.django_db
def test_navigation_lists_only_pages_that_exist(teacher_a: Person) -> None:
    client = login(teacher_a)
    nav = _nav_labels(client.get("/").content.decode())

    links = _links(nav)
    assert links[0] == reverse("home")
    for href in links:
        assert client.get(href).status_code == 200, href
    assert f'href="{reverse("home")}" aria-current="page"' in nav


def _links(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('href="')[1:]]


@pytest.mark.django_db
def test_admin_link_is_shown_to_staff_only(teacher_a: Person) -> None:
    admin_url = reverse("admin:index")
    assert admin_url not in _nav_labels(login(teacher_a).get("/").content.decode())

    staff = UserFactory(username="it_admin", is_staff=True)
    client = Client()
    client.force_login(staff)
    assert admin_url in _nav_labels(client.get("/").content.decode())


@pytest.mark.django_db
def test_pages_load_no_external_assets(teacher_a: Person) -> None:
    pages = [
        Client().get(reverse("login")),
        login(teacher_a).get("/"),
        login(teacher_a).get("/no-such-page/"),
    ]

    for response in pages:
        assets = _assets(response.content.decode())
        assert any(a.endswith("css/app.css") for a in assets)
        external = [a for a in assets if a.startswith(("http:", "https:", "//"))]
        assert external == []


@pytest.mark.django_db
def test_htmx_is_served_from_the_installed_package(teacher_a: Person) -> None:
    assets = _assets(login(teacher_a).get("/").content.decode())

    assert any(a.endswith("django_htmx/htmx-2.min.js") for a in assets)


@pytest.mark.django_db
def test_base_page_is_readable_on_a_phone(teacher_a: Person) -> None:
    html = login(teacher_a).get("/").content.decode()

    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


@pytest.mark.django_db
def test_home_shows_the_unit_head_card(head_a: Person, org: Org) -> None:
    html = login(head_a).get("/").content.decode()

    assert "Thủ trưởng đơn vị" in html
    assert org.school_a.name in html
    assert "Phê duyệt bước đầu" in html
    assert "Chưa có hồ sơ nào đang chờ bạn." in html
    assert "Làm thay cho" not in html


@pytest.mark.django_db
def test_home_shows_acting_for_the_absent_head(teacher_a: Person, head_a: Person, org: Org) -> None:
    assert teacher_a.user is not None and head_a.user is not None
    make_acting(teacher_a.user, head_a.user, org.school_a)

    html = login(teacher_a).get("/").content.decode()

    assert "Người đề nghị" in html  # own role still there
    assert "Thủ trưởng đơn vị" in html
    assert "Làm thay cho Phạm Minh Hùng" in html


@pytest.mark.django_db
def test_acting_assignment_that_ended_yesterday_is_not_on_home(
    teacher_a: Person, head_a: Person, org: Org
) -> None:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert teacher_a.user is not None and head_a.user is not None
    make_acting(teacher_a.user, head_a.user, org.school_a, on=yesterday)

    html = login(teacher_a).get("/").content.decode()

    assert "Thủ trưởng đơn vị" not in html


@pytest.mark.django_db
def test_user_without_role_sees_a_friendly_message() -> None:
    client = Client()
    client.force_login(UserFactory(username="newcomer"))

    response = client.get("/")

    assert response.status_code == 200
    assert "chưa được giao vai trò nào" in response.content.decode()


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_missing_page_is_a_vietnamese_404(teacher_a: Person) -> None:
    response = login(teacher_a).get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html
    assert f'href="{reverse("home")}"' in html


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_anonymous_404_page_renders_without_menu() -> None:
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    assert 'class="site-nav"' not in response.content.decode()


def test_server_error_page_needs_no_context_or_database() -> None:
    html = get_template("500.html").render()

    assert "Lỗi hệ thống" in html
    assert '<meta name="viewport"' in html
    assert "{%" not in get_template("500.html").template.source


def _broken_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [path("broken/", _broken_view)]


@pytest.mark.django_db
@pytest.mark.urls("tests.approvals.test_shell")
@override_settings(DEBUG=False)
def test_server_error_shows_the_plain_vietnamese_500_page() -> None:
    response = Client(raise_request_exception=False).get("/broken/")

    assert response.status_code == 500
    assert "Lỗi hệ thống" in response.content.decode()


@pytest.mark.django_db
def test_home_query_count_does_not_grow_with_acting_roles(
    head_a: Person, head_b: Person, ward_chair: Person, org: Org, django_assert_num_queries
) -> None:
    assert head_a.user and head_b.user and ward_chair.user
    client = login(head_a)
    client.get("/")  # the session and the CSRF token settle on the first page
    make_acting(head_a.user, head_b.user, org.school_b)
    with django_assert_num_queries(QUERIES_FOR_HOME) as one_acting:
        client.get("/")

    make_acting(head_a.user, ward_chair.user, org.ward, Role.WARD_CHAIR)
    with django_assert_num_queries(len(one_acting.captured_queries)):
        response = client.get("/")

    html = response.content.decode()
    assert html.count('<li class="card') == 3
    assert "Làm thay cho Võ Thị Hoa" in html
    assert "Làm thay cho Huỳnh Văn Tâm" in html


@pytest.mark.django_db
def test_unknown_language_cookie_falls_back_to_vietnamese() -> None:
    client = Client()
    client.cookies["django_language"] = "xx"

    html = client.get(reverse("login")).content.decode()

    assert '<html lang="vi">' in html


def test_the_menu_offers_the_system_log_to_auditors_only(org, auditor, teacher_a):
    assert 'href="/nhat-ky/"' in login(auditor).get("/").content.decode()
    assert 'href="/nhat-ky/"' not in login(teacher_a).get("/").content.decode()


@pytest.mark.django_db
def test_record_links_are_shown_to_those_who_may_read_the_record(
    teacher_a: Person, head_b: Person, auditor: Person, org: Org
) -> None:
    exports, log = reverse("export_list"), reverse("audit_log")
    staff_only = UserFactory(username="it_staff", is_staff=True)
    staff_client = Client()
    staff_client.force_login(staff_only)
    for client in (login(head_b), login(teacher_a), staff_client):
        nav = _nav_labels(client.get("/").content.decode())
        assert exports not in nav and log not in nav

    nav = _nav_labels(login(auditor).get("/").content.decode())
    assert f'href="{exports}"' in nav and "Xuất dữ liệu" in nav
    assert f'href="{log}"' in nav and "Nhật ký hệ thống" in nav
    administrator = make_staff("quantri", org.department, Role.ADMIN, full_name="Ngô Quản Trị")
    assert administrator.user is not None
    administrator.user.is_staff = True
    administrator.user.save()
    nav = _nav_labels(login(administrator).get("/").content.decode())
    assert f'href="{exports}"' in nav and f'href="{log}"' in nav
