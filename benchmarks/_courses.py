"""Courses to grade in the benchmarks, built as tests/test_class_end_to_end.py builds its
class: `kit course init`, `nbgrader generate_assignment`, then submissions copied from
the released notebook with an answers file beside each.

Besides the kit's own assignments, two made here:
- "empty": a notebook with no cells, so autograding it is nbgrader plus one kernel start;
- "minimal": one graded cell that scores a one-sentence answers file with
  kit.grading.grade_kinds, the smallest real kit assignment (for the 1,000-submission run).
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import nbformat

from _common import PYTHON, env_with_path
from kit.answers import FORMAT
from kit.assignments import code, notebook

KINDS = ["fact", "inference", "speculation", "caveat", "background"]
SORT_KINDS = "sort-kinds"
SORT_WIDGET = "sorter:assess-floodwall-vote"
MINIMAL_WIDGET = "sorter:minimal"


def empty_notebook():
    return notebook([])


def minimal_notebook():
    return notebook([code("check", f'''
"""One sentence, one point."""
from kit.grading import grade_kinds
### BEGIN HIDDEN TESTS
KEY = {{'s1': ['fact']}}
grade_kinds("minimal.answers.json", "{MINIMAL_WIDGET}", KEY, points=1)
### END HIDDEN TESTS''', grade=True, points=1)])


EXTRA = {"empty": empty_notebook, "minimal": minimal_notebook}


def nbgrader(args: list[str], course: Path) -> None:
    result = subprocess.run([PYTHON, "-m", "nbgrader", *args], cwd=course, env=env_with_path(None),
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"nbgrader {' '.join(args)} failed:\n{result.stderr[-3000:]}")


def build(root: Path, assignments: list[str]) -> Path:
    """A course in root/course with `assignments` generated (kit ones and EXTRA ones)."""
    from kit.course import init_course
    course = root / "course"
    kit_ones = [a for a in assignments if a not in EXTRA]
    init_course(course, timeout=30, assignments=kit_ones or [SORT_KINDS])
    for name in assignments:
        if name in EXTRA:
            folder = course / "source" / name
            folder.mkdir(parents=True)
            nbformat.write(EXTRA[name](), folder / f"{name}.ipynb")
        nbgrader(["generate_assignment", name], course)
    return course


def sort_kinds_key(course: Path) -> dict[str, list[str]]:
    from kit.keys import cell_keys
    return cell_keys(course / "source" / SORT_KINDS)[0].key


def class_answers(key: dict[str, list[str]], i: int) -> dict[str, str] | None:
    """Student i's answers: a spread of perfect, partial, one-kind-for-all and blank."""
    ids = list(key)
    perfect = {sid: accepted[0] for sid, accepted in key.items()}
    kind = i % 8
    if kind in (0, 1, 2):
        return perfect
    if kind == 3:
        return None  # blank: no answers file
    if kind == 4:
        return {sid: "inference" for sid in ids}
    if kind == 5:
        return {sid: perfect[sid] for sid in ids[::2]}
    wrong = dict(perfect)
    for n, sid in enumerate(ids[: 3 + i % 9]):
        wrong[sid] = KINDS[(KINDS.index(perfect[sid]) + 1 + n + i) % len(KINDS)]
    return wrong


def submit(course: Path, assignment: str, student: str, answers: dict | None,
           widget: str | None = None) -> None:
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True)
    for nb in (course / "release" / assignment).glob("*.ipynb"):
        shutil.copyfile(nb, folder / nb.name)
    if answers is not None:
        entry = {"type": "sorter", "answers": answers}
        (folder / f"{assignment}.answers.json").write_text(
            json.dumps({"format": FORMAT, "widgets": {widget: entry}}), encoding="utf-8")
    (folder / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")


def submit_class(course: Path, assignment: str, n: int) -> list[str]:
    """n submissions of `assignment`, named s0000, s0001, ..."""
    students = [f"s{i:04d}" for i in range(n)]
    if assignment == SORT_KINDS:
        key = sort_kinds_key(course)
        for i, s in enumerate(students):
            submit(course, assignment, s, class_answers(key, i), SORT_WIDGET)
    elif assignment == "minimal":
        for i, s in enumerate(students):
            submit(course, assignment, s, {"s1": "fact" if i % 3 else "inference"}, MINIMAL_WIDGET)
    else:
        for s in students:
            submit(course, assignment, s, None)
    return students


def clone(course: Path, dest: Path) -> Path:
    """A copy of the course at dest (its config names its own folder and gradebook)."""
    shutil.copytree(course, dest, symlinks=True)
    config = dest / "nbgrader_config.py"
    config.write_text(config.read_text(encoding="utf-8").replace(str(course), str(dest)),
                      encoding="utf-8")
    return dest


def scores(course: Path, assignment: str) -> dict[str, float]:
    """Each student's total score in the course's gradebook (nbgrader's own numbers)."""
    from nbgrader.api import Gradebook

    from kit.nbgrader_env import db_url
    text = (course / "nbgrader_config.py").read_text(encoding="utf-8")
    course_id = next((line.split("=", 1)[1].strip().strip("'\"") for line in text.splitlines()
                      if "CourseDirectory.course_id" in line), "default_course")
    with Gradebook(db_url(course), course_id) as gb:
        return {s.student_id: round(float(s.score), 2)
                for s in gb.assignment_submissions(assignment)}
