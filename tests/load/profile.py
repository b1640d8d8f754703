"""``LOAD_PROFILE=1 make load``: where the web and worker processes spend their CPU under load.

Each process group (gunicorn, and each Celery worker of a queue group) runs under py-spy
(``pip install py-spy`` in the virtualenv; it samples, the code is not changed). At the end
the raw stacks are in the run's folder and the report prints, per group, where the samples
ended (the innermost function of the project or of the libraries it waits on) and how often
that function was on the stack at all; imports are left out, they are start-up.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections import Counter
from pathlib import Path

#: Frames worth naming in the summary: the project's own code, and the libraries it waits on.
WATCHED = ("approvals/", "delegations/", "workflow/", "org/", "config/", "fpdf/", "docx/",
           "pyhanko/sign/", "fontTools/subset/", "django/db/backends/utils.py")  # fmt: skip
ROOT = Path(__file__).resolve().parents[2]
_FRAME = re.compile(r"^(?P<function>.+?) \((?P<file>.+?)(?::\d+)?\)$")


def py_spy() -> str:
    """The py-spy executable, beside this Python or on the PATH; exits with how to get it."""
    found = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if not found:
        raise SystemExit("LOAD_PROFILE needs py-spy: .venv/bin/pip install py-spy")
    return found


def profiled(command: list[str], output: Path) -> list[str]:
    """``command`` run under py-spy (its children too), sampling 50 times a second."""
    return [py_spy(), "record", "--subprocesses", "--format", "raw", "--rate", "50",
            "--nonblocking", "--output", str(output), "--", *command]  # fmt: skip


def _short(frame: str) -> str | None:
    match = _FRAME.match(frame)
    if match is None:
        return None
    path = match["file"].split("site-packages/")[-1].removeprefix(f"{ROOT}/")
    if match["function"] == "<module>" or not path.startswith(WATCHED):
        return None
    return f"{match['function']} ({path})"


def summary(raw: Path, top: int = 12) -> list[tuple[float, float, str]]:
    """The ``top`` watched functions from py-spy's raw output, by the share of all samples that
    ended in them (the innermost watched frame: where the time went) and, beside it, the share
    in which they were on the stack (inclusive)."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        total += int(count)
        if "importlib._bootstrap" in stack:
            continue  # importing the application: start-up, not load
        names = [name for name in map(_short, stack.split(";")) if name]
        if names:
            own[names[-1]] += int(count)
        for name in set(names):
            inclusive[name] += int(count)
    return [
        (100 * n / total, 100 * inclusive[name] / total, name) for name, n in own.most_common(top)
    ]
