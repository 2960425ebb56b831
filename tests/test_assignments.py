"""Do the kit's four nbgrader assignments generate cleanly, match the committed student
versions, keep their keys out of them, and grade full marks and zero as they should?"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from kit.answers import FORMAT
from kit.course import init_course, kit_assignments
from kit.keys import cell_keys
from kit.nbgrader_env import EXERCISES_DIR, SOLUTIONS_DIR, nbgrader_env
from tests.conftest import ci_requires

pytestmark = [pytest.mark.nbgrader]


def nbgrader(args, cwd):
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, env=nbgrader_env(),
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("assignments") / "course"
    init_course(root, timeout=30)
    for name in kit_assignments():
        result = nbgrader(["generate_assignment", name], root)
        assert result.returncode == 0, result.stderr[-2000:]
    return root


def test_the_kit_has_four_assignments():
    assert kit_assignments() == ["attribution-code", "fact-check-plan", "find-sources", "sort-kinds"]


def test_solutions_use_nbgrader_schema_3():
    for path in SOLUTIONS_DIR.glob("*/*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        metas = [c.metadata["nbgrader"] for c in nb.cells if "nbgrader" in c.metadata]
        assert metas and all(m["schema_version"] == 3 for m in metas), path
        assert any(m.get("grade") for m in metas), path


def test_exercises_are_exactly_what_nbgrader_generates(course):
    """Regenerating the student versions from solutions/ gives the committed exercises/."""
    for name in kit_assignments():
        for path in (course / "release" / name).glob("*.ipynb"):
            committed = EXERCISES_DIR / name / path.name
            assert committed.exists(), f"exercises/{name}/{path.name} is missing"
            assert path.read_text() == committed.read_text(), (
                f"exercises/{name}/{path.name} differs from what nbgrader generates; "
                "regenerate it with nbgrader generate_assignment")


def test_no_key_reaches_the_student_version():
    """No hidden test, no KEY literal, no model solution in exercises/."""
    keys = cell_keys(SOLUTIONS_DIR / "sort-kinds") + cell_keys(SOLUTIONS_DIR / "find-sources")
    assert len(keys) == 2
    for path in EXERCISES_DIR.rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            assert "HIDDEN TESTS" not in text and "KEY =" not in text, path
            assert "BEGIN SOLUTION" not in text and "Mark scheme" not in text, path
            for k in keys:
                assert repr(k.key) not in text


def submit(course: Path, assignment: str, student: str, answers: dict | None = None, edit=None):
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True)
    nb = nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    if edit:
        edit(nb)
    nbformat.write(nb, folder / f"{assignment}.ipynb")
    if answers is not None:
        (folder / f"{assignment}.answers.json").write_text(json.dumps({"format": FORMAT, "widgets": answers}))
    (folder / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")


def solve_functions(nb):
    """Put the model solution (from solutions/) into the student's answer cell."""
    source = nbformat.read(SOLUTIONS_DIR / "attribution-code" / "attribution-code.ipynb", as_version=4)
    solved = next(c for c in source.cells if c.metadata["nbgrader"]["grade_id"] == "functions")
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "functions")
    cell.source = "\n".join(line for line in solved.source.splitlines()
                            if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)


@pytest.mark.slow
def test_key_perfect_answers_score_full_and_empty_score_zero(course):
    ci_requires(shutil.which("bwrap") is not None, "bubblewrap isolates student code in kit grade")
    from kit.grade import grade_assignment
    sources_key = cell_keys(course / "source" / "find-sources")[0]
    perfect = {sid: {"type": k["type"], "name": k["name"]} for sid, k in sources_key.key.items()}
    submit(course, "find-sources", "perfect", {sources_key.widget_key: {"answers": perfect}})
    submit(course, "find-sources", "empty", None)
    summary = grade_assignment(course, "find-sources", jobs=2, timeout=240)
    assert {r.student: r.score for r in summary.results} == {"perfect": 10.0, "empty": 0.0}

    submit(course, "attribution-code", "perfect", edit=solve_functions)
    submit(course, "attribution-code", "empty")
    summary = grade_assignment(course, "attribution-code", jobs=2, timeout=240)
    assert {r.student: r.score for r in summary.results} == {"perfect": 10.0, "empty": 0.0}

    def write_plan(nb):
        cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "plan")
        cell.source = "Claim 1: the council voted 5-2 (fact, the minutes). I would search ..."
    submit(course, "fact-check-plan", "writer", edit=write_plan)
    summary = grade_assignment(course, "fact-check-plan", jobs=1, timeout=240)
    (result,) = summary.results
    assert result.status == "graded" and "by hand" in result.reason
