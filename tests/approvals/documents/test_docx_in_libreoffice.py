"""The văn thư's DOCX opened in LibreOffice Writer keeps the layout of the product's own PDF.

LibreOffice converts the DOCX to PDF headless (Debian's ``libreoffice-writer-nogui``, installed
by ``.ci/run``); pypdf reads both PDFs. Skipped only where ``soffice`` is not installed.
"""

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from approvals.documents.services import document_file
from org.models import Role
from tests.approvals.record_helpers import approved, documents_of, make_agencies
from tests.factories import make_staff

SOFFICE = shutil.which("soffice")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
]
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def _libreoffice_pdf(docx: bytes, tmp_path) -> PdfReader:
    """The DOCX as LibreOffice Writer lays it out (its own profile: runs in parallel)."""
    source = tmp_path / "van-ban.docx"
    source.write_bytes(docx)
    profile = (tmp_path / "profile").as_uri()
    assert SOFFICE is not None
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return PdfReader(tmp_path / "van-ban.pdf")


def _first_page_lines(reader: PdfReader) -> list[str]:
    return [" ".join(line.split()) for line in reader.pages[0].extract_text().splitlines()]


def _check(document, tmp_path) -> None:
    own = PdfReader(io.BytesIO(document_file(document, "pdf")[1]))
    office = _libreoffice_pdf(document_file(document, "docx")[1], tmp_path)
    lines = _first_page_lines(office)
    date_line = document.content["date_line"]
    assert NATIONAL_TITLE in lines, lines[:12]
    assert date_line in lines, lines[:12]
    assert len(office.pages) == len(own.pages)


def test_decision_docx_keeps_the_national_title_and_date_on_one_line_in_libreoffice(trip, tmp_path):
    _check(documents_of(trip)["outbound_decision"], tmp_path)


def test_letter_docx_keeps_the_national_title_and_date_on_one_line_in_libreoffice(trip, tmp_path):
    _check(documents_of(trip)["outbound_notice"], tmp_path)


def test_ward_decision_docx_keeps_its_layout_in_libreoffice(
    org, media, ward_teacher, ward_chair, tmp_path
):
    ward_head = make_staff("ward_head", org.ward_school, Role.UNIT_HEAD, full_name="Đỗ Thị Hạnh")
    make_agencies()
    request = approved(ward_teacher, ward_head, ward_chair, kind="personal")
    _check(documents_of(request)["outbound_decision"], tmp_path)
