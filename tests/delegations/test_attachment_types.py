"""An attachment's name must match its content, and Office files may carry no code."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.errors import ValidationError
from delegations.models import Attachment
from delegations.services.attachments import attachment_add
from tests.flows import draft

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def docx(*extra: tuple[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in extra:
            archive.writestr(name, data)
    return out.getvalue()


def add(teacher, name: str, content: bytes) -> Attachment:
    return attachment_add(
        actor=teacher.user,
        request=draft(teacher),
        kind="invitation",
        upload=SimpleUploadedFile(name, content),
    )


@pytest.mark.parametrize("name", ["thu-moi.hta", "thu-moi.html", "thu-moi.svg", "thu-moi"])
def test_a_pdf_under_another_name_is_refused(org, teacher_a, name):
    with pytest.raises(ValidationError) as refused:
        add(teacher_a, name, PDF_BYTES)
    assert ".pdf" in str(refused.value.message_dict["file"])
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    "part",
    [
        ("word/vbaProject.bin", b"\x00macro"),
        ("word/embeddings/oleObject1.bin", b"MZ\x90\x00"),
        ("word/media/setup.exe", b"MZ\x90\x00"),
    ],
)
def test_a_word_file_with_macros_or_programs_is_refused(org, teacher_a, part):
    with pytest.raises(ValidationError) as refused:
        add(teacher_a, "thu-moi.docx", docx(part))
    assert "macro" in str(refused.value.message_dict["file"])
    assert not Attachment.objects.exists()


def test_a_plain_word_file_and_a_pdf_are_accepted(org, teacher_a):
    assert add(teacher_a, "Thư mời.docx", docx()).content_type.endswith("document")
    assert add(teacher_a, "THU-MOI.PDF", PDF_BYTES).content_type == "application/pdf"
