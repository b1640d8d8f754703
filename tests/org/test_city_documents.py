"""A request decided in another city's configuration: its documents, the agencies' e-mails and
the rule bases name that city, never Ho Chi Minh City; without a jurisdiction row (or with
HCMC's) they keep HCMC's texts."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from approvals.models import OutboxMessage, RuleStamp
from delegations.facts import evaluate
from org.admin import JurisdictionForm
from org.models import Jurisdiction, Person
from tests.approvals.record_helpers import approved, document_texts, documents_of, make_agencies
from workflow.rules.texts import Q14_2022, local_basis

pytestmark = pytest.mark.django_db
HCMC = ("Hồ Chí Minh", "TP.HCM", "HCM", "Ho Chi Minh", "PA08")


def hcmc_names(text: str) -> list[str]:
    """The HCMC names in ``text`` as words: a random token (ack link, nonce) may hold "HCM"."""
    return [
        name for name in HCMC
        if re.search(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", text)
    ]  # fmt: skip


def person(username: str) -> Person:
    return Person.objects.get(user=get_user_model().objects.get(username=username))


def texts_of(request):
    """Every document's PDF and DOCX text, every agency e-mail, every rule message and basis."""
    documents = documents_of(request)
    texts = {}
    for kind, document in documents.items():
        texts[f"{kind}.pdf"], texts[f"{kind}.docx"] = document_texts(document)
    agency_rows = OutboxMessage.objects.exclude(notification=None).order_by("pk")
    for row in agency_rows:
        texts[f"outbox {row.pk}"] = f"{row.subject}\n{row.body_text}"
    for message in mail.outbox:
        texts[f"mail {message.subject}"] = f"{message.subject}\n{message.body}"
    checks = [c for stamp in RuleStamp.objects.all() for c in stamp.checks["checks"]]
    checks += [c.to_json() for c in evaluate(request).checks]
    for i, check in enumerate(checks):
        texts[f"rule {i} {check['rule']}"] = " ".join(
            (check["message_vi"], check["message_en"], check["basis"])
        )
    return documents, agency_rows, texts


@pytest.fixture
def haiphong(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", city="haiphong", force=True, stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        return approved(
            person("gv.hp1"), person("ht.hp1"), person("cv.hp"), person("gd.hp"),
            purpose="Tham dự hội thảo giáo dục STEM",
        )  # fmt: skip


def test_a_haiphong_decision_and_its_e_mails_carry_no_hcmc_name(haiphong):
    assert haiphong.status == "approved"
    documents, agency_rows, texts = texts_of(haiphong)
    assert {"outbound_decision", "outbound_notice"} <= set(documents)
    assert len(agency_rows) == 2  # Hải Phòng's police and foreign-affairs department
    assert any(key.startswith("rule ") for key in texts)
    for where, text in texts.items():
        assert not hcmc_names(text), (where, hcmc_names(text))
    decision = texts["outbound_decision.pdf"]
    for expected in (
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "Hải Phòng, ngày",
        "Căn cứ quy định của Ủy ban nhân dân thành phố Hải Phòng về quản lý cán bộ",
        "đề nghị của Trưởng phòng Tổ chức - Hành chính",
        "Lưu: VT, TCHC.",
        "Công an thành phố Hải Phòng",
    ):
        assert expected in decision, expected
    assert "SỞ GIÁO DỤC VÀ ĐÀO TẠO THÀNH PHỐ HẢI PHÒNG" not in decision  # the city is above
    assert "Số: 01/GDĐT-TCHC" in texts["outbound_notice.pdf"]  # its office drafts the letters
    body = agency_rows[0].body_text
    assert "Sở Giáo dục và Đào tạo thành phố Hải Phòng trân trọng thông báo" in body
    assert "Phòng Tổ chức - Hành chính Sở Giáo dục và Đào tạo thành phố Hải Phòng" in body
    bases = " ".join(text for key, text in texts.items() if key.startswith("rule "))
    assert "Quy định của UBND TP. Hải Phòng" in bases


def test_the_haiphong_request_pages_carry_no_hcmc_name(haiphong, client):
    for username in ("gd.hp", "gv.hp1", "thanhtra.hp"):
        client.force_login(get_user_model().objects.get(username=username))
        for url in (f"/doan-ra/{haiphong.pk}/", "/viec/?tab=done", "/"):
            response = client.get(url)
            assert response.status_code == 200, (username, url)
            assert not hcmc_names(response.content.decode()), (username, url)


def test_the_admins_texts_of_the_city_replace_the_generic_wording(haiphong):
    jurisdiction = Jurisdiction.objects.get()
    jurisdiction.rule_bases = {"city_trip_regulation": "Quyết định 99/2099/QĐ-UBND (thử)"}
    jurisdiction.full_clean()
    jurisdiction.save()
    bases = [check.basis for check in evaluate(haiphong).checks]
    assert any("Quyết định 99/2099/QĐ-UBND (thử)" in basis for basis in bases)
    assert not any(hcmc_names(basis) for basis in bases)


def test_a_malformed_rule_text_is_refused_in_the_admin(db):
    jurisdiction = Jurisdiction(rule_bases={"city_trip_regulation": ""})
    with pytest.raises(Exception) as error:
        jurisdiction.full_clean()
    assert "rule_bases" in error.value.message_dict


@pytest.fixture
def hcmc_trip(
    org, settings, tmp_path, teacher_a, head_a, dept_reviewer, director,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    make_agencies()
    with django_capture_on_commit_callbacks(execute=True):
        return approved(teacher_a, head_a, dept_reviewer, director)


@pytest.mark.parametrize("with_row", [False, True], ids=["no row", "the defaults saved"])
def test_hcmc_keeps_its_names_in_documents_e_mails_and_rules(hcmc_trip, with_row):
    if with_row:
        Jurisdiction.objects.create()  # an admin who saved the form without changing it
    _documents, agency_rows, texts = texts_of(hcmc_trip)
    decision = texts["outbound_decision.pdf"]
    for expected in (
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
        "Thành phố Hồ Chí Minh, ngày",
        "Căn cứ Quyết định số 14/2022/QĐ-UBND ngày 19 tháng 4 năm 2022 của Ủy ban nhân dân "
        "Thành phố Hồ Chí Minh",
        "đề nghị của Chánh Văn phòng Sở.",
        "Lưu: VT, VP.",
    ):
        assert expected in decision, expected
    body = agency_rows[0].body_text
    assert "Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh trân trọng thông báo" in body
    assert "\nVăn phòng Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh\n" in body
    bases = [check.basis for check in evaluate(hcmc_trip).checks]
    assert any(Q14_2022 in basis for basis in bases)


def test_the_pack_keeps_national_texts_whatever_the_city():
    basis = f"Chỉ thị 38-CT/TW; {Q14_2022}"
    local = local_basis(basis, {}, city="TP. Hải Phòng", department="Sở GDĐT Hải Phòng")
    assert local.startswith("Chỉ thị 38-CT/TW; Quy định của UBND TP. Hải Phòng")
    assert local_basis(basis, {}, city="TP.HCM", department="Sở GDĐT TP.HCM") == basis


def test_the_admin_refuses_a_rule_text_under_a_key_the_pack_does_not_know(db):
    data = {
        field.name: field.value_from_object(Jurisdiction()) for field in Jurisdiction._meta.fields
    }
    data["rule_bases"] = '{"city_trip_regulation": "Quyết định 1/2024", "no_such_rule": "x"}'
    form = JurisdictionForm(data=data)
    assert not form.is_valid()
    assert "no_such_rule" in str(form.errors["rule_bases"])
    data["rule_bases"] = '{"city_trip_regulation": "Quyết định 1/2024"}'
    assert JurisdictionForm(data=data).is_valid(), JurisdictionForm(data=data).errors
