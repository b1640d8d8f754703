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
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from approvals.documents import fonts
from approvals.documents.fonts import FULL, PREFIX, fonts_for, strings, sweep_left_behind
from approvals.documents.render_pdf import render_pdf
from approvals.documents.services import document_content
from approvals.models import Document
from approvals.models.documents import RenderState
from config import celery_app
from tests.approvals.record_helpers import pdf_text
from tests.flows import approve_all, submitted
from tests.workers import start_worker, stop

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


def test_pool_processes_forked_after_warm_use_its_fonts_and_leave_them():
    """A documents worker narrows the fonts before it forks its pool: a pool process lays its
    PDFs out with that folder instead of narrowing its own, and its exit handler (inherited
    from the worker) does not remove the folder its siblings are rendering with."""
    warmed = fonts.warm()
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # the pool process
        try:
            used = fonts_for(["Quyết định"]).folder
            fonts.remove_owned()  # what its exit handler runs
            os.write(write_end, str(used).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    os.waitpid(child, 0)
    used = os.read(read_end, 4096).decode()
    os.close(read_end)

    assert used == str(warmed.folder)
    assert warmed.present()
    assert not list(Path(tempfile.gettempdir()).glob(f"{PREFIX}{child}-*"))


def _font_folders(parent: Path) -> set[str]:
    return {folder.name.removeprefix(PREFIX).split("-")[0] for folder in parent.glob(f"{PREFIX}*")}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_documents_worker_narrows_the_fonts_as_it_starts_for_its_whole_pool(
    tmp_path, org, agencies, teacher_a, head_a, dept_reviewer, director, smtp_sink
):
    conf = celery_app.conf
    eager = conf.task_always_eager
    conf.task_always_eager = False
    celery_app.control.purge()
    worker = start_worker(
        smtp_sink, "--pool=prefork", "--concurrency=2", "-Q", "documents", TMPDIR=str(tmp_path)
    )
    try:
        deadline = time.monotonic() + 90
        while not _font_folders(tmp_path):  # before any document is asked for
            assert time.monotonic() < deadline, "the worker did not narrow the fonts"
            assert worker.poll() is None, worker.stdout.read().decode() if worker.stdout else ""
            time.sleep(0.2)
        assert _font_folders(tmp_path) == {str(worker.pid)}

        request = approve_all(submitted(teacher_a), head_a, dept_reviewer, director)
        documents = Document.objects.filter(request_id=request.pk)
        while documents.exclude(render_state=RenderState.READY).exists():
            assert time.monotonic() < deadline, list(documents.values_list("render_state"))
            assert worker.poll() is None, worker.stdout.read().decode() if worker.stdout else ""
            time.sleep(0.2)

        assert documents.count() == 2
        assert _font_folders(tmp_path) == {str(worker.pid)}  # the pool narrowed nothing
    finally:
        conf.task_always_eager = eager
        stop([worker])
    assert not _font_folders(tmp_path)  # the worker removed its folder as it stopped
