"""The PDF fonts: narrowed once per process to Vietnamese and Latin scripts, full otherwise.

What a reader of the PDF must see does not depend on which set laid it out: every Vietnamese
letter with every tone from the narrowed fonts, and a name in another script (a visitor's, in
Cyrillic or Greek) from the full fonts, never as empty boxes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import Any

import pytest

from approvals.documents.fonts import FULL, PREFIX, fonts_for, strings, sweep_left_behind
from approvals.documents.render_pdf import render_pdf
from approvals.documents.services import document_content
from approvals.models import Document
from tests.approvals.record_helpers import pdf_text

pytestmark = pytest.mark.django_db

#: Every vowel with each of the five tones and without, and the letters of Vietnamese alone.
VIETNAMESE = (
    "Ăằắẳẵặ Ââầấẩẫậ Đđ Êêềếểễệ Ôôồốổỗộ Ơơờớởỡợ Ưưừứửữự aàáảãạ eèéẻẽẹ iìíỉĩị oòóỏõọ "
    "uùúủũụ yỳýỷỹỵ ÀÁẢÃẠ ỲÝỶỸỴ"
)


def _pdf_of(trip: Any, summary: str) -> tuple[str, bool]:
    """The text of the trip's decision laid out with ``summary``, and whether the narrowed
    fonts drew it."""
    decision = Document.objects.get(request_id=trip.pk, kind="outbound_decision")
    content = {**document_content(decision), "summary": summary}
    narrowed = fonts_for(strings(content)) is not FULL
    return pdf_text(render_pdf(content, created=decision.issued_at)), narrowed


def test_every_vietnamese_letter_and_tone_is_drawn_by_the_narrowed_fonts(trip):
    text, narrowed = _pdf_of(trip, VIETNAMESE)

    assert narrowed
    for word in VIETNAMESE.split():
        assert word in text, word


def test_a_name_in_another_script_is_drawn_with_the_full_fonts(trip):
    summary = "Đón đoàn Иванов Иван và Παπαδόπουλος Νίκος"
    text, narrowed = _pdf_of(trip, summary)

    assert not narrowed
    assert "Иванов Иван" in text
    assert "Παπαδόπουλος Νίκος" in text


def test_folders_of_processes_that_exited_without_cleaning_up_are_removed(tmp_path):
    """A Celery pool process exits with ``os._exit``, skipping its ``atexit``: the next
    process to narrow the fonts removes the folders of processes no longer running."""
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           check=True, capture_output=True, text=True)  # fmt: skip
    left = tmp_path / f"{PREFIX}{ended.stdout.strip()}-abc123"
    mine = tmp_path / f"{PREFIX}{os.getpid()}-def456"
    other = tmp_path / "someone-elses-folder"
    for folder in (left, mine, other):
        folder.mkdir()
        (folder / "LiberationSerif-Regular.ttf").write_bytes(b"x")

    sweep_left_behind(tmp_path)

    assert not left.exists()
    assert mine.exists() and other.exists()


def test_fonts_removed_under_a_running_process_are_narrowed_again(trip):
    """A temporary-files cleaner removed the narrowed fonts of a worker that rendered nothing
    for ten days: its next PDF is laid out all the same, with fonts narrowed again."""
    before = fonts_for(["Quyết định"])
    assert before is not FULL
    shutil.rmtree(before.folder)

    text, narrowed = _pdf_of(trip, "Quyết định cử đi công tác")

    assert narrowed
    assert "Quyết định cử đi công tác" in text
    assert fonts_for(["Quyết định"]).folder != before.folder
