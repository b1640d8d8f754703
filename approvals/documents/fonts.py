"""The fonts a PDF embeds: Liberation Serif, narrowed once per process to the characters of
Vietnamese and the Latin-script languages.

fpdf2 parses each font it is given for every PDF (its widths and glyph table) and subsets it
on output. With the full fonts (about 2,600 glyphs each: Latin, Greek, Cyrillic, symbols) that
was 40 % of a documents worker's time under ``LOAD_PROFILE=1 make load``. Each process narrows
the four fonts once (about 1.5 s) to the ranges below, about 1,000 glyphs each, in a private
temporary folder; a PDF whose text stays within them is laid out with those: the same glyphs
and metrics, rendered about 40 % faster. A documents worker narrows them when it starts, before
it forks its pool (:func:`warm`, called from :mod:`approvals.tasks`): its pool processes share
that folder, so no render pays the 1.5 s. A document with any other character (a visitor's name
in Cyrillic or Greek) is laid out with the full fonts, as before.

Licence: the narrowed files live only in the process's temporary folder and are removed when it
exits; what leaves the server is the PDF with a subset embedded, as fpdf2 embeds one from the
full fonts (the SIL Open Font License allows embedding subsets in documents; no modified font
is distributed, so the Reserved Font Name "Liberation" is not concerned).
"""

from __future__ import annotations

import atexit
import functools
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fontTools import subset
from fontTools.ttLib import TTFont

logger = logging.getLogger(__name__)

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT_FILES = {
    "": "LiberationSerif-Regular.ttf",
    "B": "LiberationSerif-Bold.ttf",
    "I": "LiberationSerif-Italic.ttf",
    "BI": "LiberationSerif-BoldItalic.ttf",
}

#: What the narrowed fonts keep: ASCII, Latin-1 and Latin Extended-A/B (Ơ, Ư, Đ and the other
#: Latin-script languages' letters), combining marks, Latin Extended Additional (Vietnamese
#: letters with their tones), punctuation, currency, letter-like symbols and arrows.
RANGES = (
    (0x20, 0x7E),
    (0xA0, 0x24F),
    (0x300, 0x36F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0x20A0, 0x20BF),
    (0x2100, 0x214F),
    (0x2190, 0x21FF),
    (0x2212, 0x2212),
)
#: Layout characters a text may hold that no font draws.
CONTROL = frozenset(map(ord, "\n\r\t"))


@dataclass(frozen=True)
class FontSet:
    """A folder holding the four styles of :data:`FONT_FILES`, and what they can draw
    (``None``: everything the full fonts draw)."""

    folder: Path
    covers: frozenset[int] | None = None

    def present(self) -> bool:
        return all((self.folder / name).is_file() for name in FONT_FILES.values())

    def draws(self, texts: Iterable[str]) -> bool:
        if self.covers is None:
            return True
        return all(ord(char) in self.covers or ord(char) in CONTROL for t in texts for char in t)


FULL = FontSet(FONT_DIR)


def _narrowed(source: Path, target: Path) -> frozenset[int]:
    font = TTFont(str(source))
    options = subset.Options()
    options.notdef_outline = True
    options.recommended_glyphs = True
    options.glyph_names = True
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: fontTools cannot subset them
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[code for low, high in RANGES for code in range(low, high + 1)])
    subsetter.subset(font)
    font.save(str(target))
    return frozenset(font.getBestCmap())


PREFIX = "doanravao-fonts-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def sweep_left_behind(parent: Path) -> None:
    """Remove the folders of this user's processes that exited without their ``atexit``
    (a Celery pool process ends with ``os._exit``)."""
    for folder in parent.glob(f"{PREFIX}*-*"):
        pid = folder.name.removeprefix(PREFIX).split("-")[0]
        try:  # another process may be sweeping the same folder at this moment
            if pid.isdigit() and folder.stat().st_uid == os.getuid() and not _alive(int(pid)):
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


#: Folder → the process that made it. Only that process removes it at exit: a process forked
#: from it inherits the exit handler, and may still be rendering with the folder.
_OWNED: dict[Path, int] = {}


def remove_owned() -> None:
    """At exit: remove the folders this process made (none of those it inherited)."""
    for folder, owner in list(_OWNED.items()):
        if owner == os.getpid():
            shutil.rmtree(folder, ignore_errors=True)
            del _OWNED[folder]


atexit.register(remove_owned)


@functools.cache
def _compact() -> FontSet:
    """The narrowed fonts of this process, or of the process it was forked from if that one
    had narrowed them (a documents worker before it forks its pool: :func:`warm`). The folder
    is named after the process that made it, removed when that process exits, or by the next
    process that finds it left behind."""
    try:
        sweep_left_behind(Path(tempfile.gettempdir()))
        folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
        _OWNED[folder] = os.getpid()
        covers = [_narrowed(FONT_DIR / name, folder / name) for name in FONT_FILES.values()]
    except Exception:  # any failure: the full fonts, as before (logged once per process)
        logger.exception("documents: fonts could not be narrowed; PDFs use the full fonts")
        return FULL
    return FontSet(folder, frozenset.intersection(*covers))


def warm() -> FontSet:
    """Narrow the fonts now, in a worker's main process before it forks its pool: the pool
    processes inherit them (the worker outlives them, so the folder stays while they render)."""
    return _compact()


def fonts_for(texts: Iterable[str]) -> FontSet:
    """The narrowed fonts when they draw every character of ``texts``, else the full fonts.

    Narrowed again when the files went away under a long-running process (a temporary-files
    cleaner removes what nobody read for ten days: a quiet holiday; or the process that made
    them ended): four ``stat`` calls a PDF.
    """
    compact = _compact()
    if not compact.present():
        _compact.cache_clear()
        compact = _compact()
    return compact if compact.draws(texts) else FULL


def strings(value: Any) -> Iterator[str]:
    """Every string inside a document's content (dicts, lists and tuples walked)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)
