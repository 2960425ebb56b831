"""Is the gradebook never left half-written (issue 9, item 6)? `kit grade` stopped with
Ctrl-C while a student is being graded stops every grading process, says so in one line,
exits 130, leaves a consistent gradebook, and the same command run again gives exactly
the scores of a run that was never interrupted."""
from __future__ import annotations

import csv
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kit.nbgrader_env import nbgrader_env
from tests.conftest import REPO, ci_requires
from tests.test_class_end_to_end import ASSIGNMENT, KINDS, balanced
from tests.test_security_grading import Course

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow]


def kit_grade(course: Path, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kit", "grade", ASSIGNMENT, "--course", str(course),
                             "--jobs", "1", "--timeout", "150"],
                            cwd=REPO, env=nbgrader_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True, **kwargs)


def descendants(pid: int) -> set[int]:
    """Every process below `pid`, by walking /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def summary_rows(course: Path) -> list[dict]:
    rows = list(csv.DictReader((course / "reports" / ASSIGNMENT / "grading-summary.csv").open()))
    return [{k: v for k, v in row.items() if k != "seconds"} for row in rows]


def gradebook(course: Path) -> list[tuple]:
    """Every grade row, by student and check (what a second run must reproduce)."""
    with sqlite3.connect(course / "gradebook.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return sorted(db.execute(
            "SELECT student.id, base_cell.name, grade.auto_score, grade.manual_score "
            "FROM grade JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id "
            "JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id "
            "JOIN student ON submitted_assignment.student_id = student.id "
            "JOIN base_cell ON grade.cell_id = base_cell.id").fetchall())


def test_ctrl_c_stops_everything_and_a_second_run_gives_the_same_result(tmp_path):
    ci_requires(shutil.which("bwrap") is not None, "bubblewrap (bwrap) isolates student code in kit grade")
    course = Course(tmp_path / "course")
    key = course.key
    perfect = {sid: accepted[0] for sid, accepted in key.items()}
    partial = {sid: KINDS[(KINDS.index(k) + 2) % 5] if i % 3 == 0 else k
               for i, (sid, k) in enumerate(perfect.items())}
    submissions = {"ana": perfect, "ben": partial, "cai": None, "dee": partial}
    for student, answers in submissions.items():
        course.submit(student, answers)
    # The same submissions, to be graded without interruption.
    twin = tmp_path / "twin"
    shutil.copytree(course.path, twin)
    config = twin / "nbgrader_config.py"
    config.write_text(config.read_text().replace(str(course.path), str(twin)))

    proc = kit_grade(course.path)
    deadline = time.monotonic() + 240
    lines = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        assert line, f"kit grade ended before a student finished: {lines} {proc.stdout.read()}"
        lines.append(line)
        if line.startswith("graded 1/4"):
            break
    time.sleep(1.0)  # the second student is now being graded; two more wait their turn
    running = descendants(proc.pid)
    assert running, "a grading process is under way"
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    # Progress lines of students who finished before the Ctrl-C may come first; the
    # interruption itself is one line, the last.
    rest = err.strip().splitlines()
    assert rest[-1].startswith("kit grade: interrupted"), err
    assert all(line.startswith("graded ") for line in rest[:-1]), err
    assert "Traceback" not in out + err
    time.sleep(0.5)
    assert [pid for pid in running if alive(pid)] == []  # nbgrader, bwrap, the kernel: all gone
    assert not (course.path / "reports" / ASSIGNMENT / "grading-summary.csv").exists()
    gradebook(course.path)  # opens, and passes SQLite's integrity check

    # Again, to the end: the same as a run that was never stopped.
    again = kit_grade(course.path)
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0, (out, err)
    straight = kit_grade(twin)
    out2, err2 = straight.communicate(timeout=600)
    assert straight.returncode == 0, (out2, err2)
    assert summary_rows(course.path) == summary_rows(twin)
    assert gradebook(course.path) == gradebook(twin)
    scores = {row["student"]: float(row["score"]) for row in summary_rows(course.path)}
    assert scores == {s: balanced(a or {}, key) for s, a in submissions.items()}
