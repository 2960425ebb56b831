"""A simulated class of 30 goes through generate, submit, grade, feedback and report.

Does every student get exactly the expected score, whatever the others submitted? Does
`kit grade` agree with `nbgrader autograde`? Does feedback leave out hidden tests and
keys? (Issue 7, item 7; the hostile cases of issue 9 build on the same helpers.)
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from kit.answers import FORMAT
from kit.course import init_course
from kit.keys import cell_keys
from tests.conftest import ci_requires

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow]

ASSIGNMENT = "sort-kinds"
WIDGET = "sorter:assess-floodwall-vote"
KINDS = ["fact", "inference", "speculation", "caveat", "background"]
ON_TIME = "2026-11-20 10:00:00.000000 UTC"
LATE = "2026-12-31 10:00:00.000000 UTC"


def run(args, cwd):
    from kit.nbgrader_env import nbgrader_env
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, env=nbgrader_env(),
                          capture_output=True, text=True)


def balanced(answers: dict, key: dict) -> float:
    """The expected score, computed here independently of kit.grading."""
    per_kind: dict[str, list[int]] = {}
    for sid, accepted in key.items():
        per_kind.setdefault(accepted[0], []).append(answers.get(sid) in accepted)
    return round(10 * sum(sum(v) / len(v) for v in per_kind.values()) / len(per_kind), 2)


def answers_json(answers) -> str:
    return json.dumps({"format": FORMAT, "widgets": {WIDGET: {"type": "sorter", "answers": answers}}})


class Classroom:
    def __init__(self, root: Path):
        self.course = root / "course"
        init_course(self.course, timeout=10, assignments=[ASSIGNMENT, "attribution-code"])
        for name in (ASSIGNMENT, "attribution-code"):
            result = run(["nbgrader", "generate_assignment", name], self.course)
            assert result.returncode == 0, result.stderr[-2000:]
        self.key = cell_keys(self.course / "source" / ASSIGNMENT)[0].key
        # A due date, as a teacher sets it in the formgrader, so lateness is measured.
        from nbgrader.api import Gradebook

        from kit.nbgrader_env import db_url
        with Gradebook(db_url(self.course), "who-says-so") as gb:
            gb.update_or_create_assignment(ASSIGNMENT, duedate="2026-11-21 00:00:00 UTC")
        self.release = self.course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        self.expected: dict[str, float] = {}
        self.expected_status: dict[str, str] = {}

    def submit(self, student, answers=None, *, raw_answers=None, timestamp=ON_TIME, edit=None,
               expected=None, status="graded"):
        folder = self.course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nb = nbformat.read(self.release, as_version=4)
        if edit:
            edit(nb)
        nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")
        if raw_answers is not None:
            (folder / f"{ASSIGNMENT}.answers.json").write_text(raw_answers, encoding="utf-8")
        elif answers is not None:
            (folder / f"{ASSIGNMENT}.answers.json").write_text(answers_json(answers), encoding="utf-8")
        (folder / "timestamp.txt").write_text(timestamp)
        self.expected[student] = balanced(answers or {}, self.key) if expected is None else expected
        self.expected_status[student] = status


def grade_cell(nb):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade"))


def add_cell(source):
    def edit(nb):
        nb.cells.insert(2, nbformat.v4.new_code_cell(source))
    return edit


def tamper(nb):
    grade_cell(nb).source = "10"


def delete_grade_cell(nb):
    nb.cells.remove(grade_cell(nb))


def duplicate_grade_id(nb):
    cell = grade_cell(nb)
    copy = nbformat.from_dict(json.loads(json.dumps(cell)))
    copy.id = "copied-cell"
    nb.cells.append(copy)


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    ci_requires(shutil.which("bwrap") is not None, "bubblewrap (bwrap) isolates student code in kit grade")
    room = Classroom(tmp_path_factory.mktemp("class"))
    key = room.key
    ids = list(key)
    perfect = {sid: accepted[0] for sid, accepted in key.items()}
    alternative = {sid: accepted[-1] for sid, accepted in key.items()}  # accepted alternatives
    for i in range(8):
        room.submit(f"perfect{i:02d}", perfect)
    room.submit("accepts-alternatives", alternative)
    for i in range(8):  # partial: the first i+3 sentences wrong in a rotating way
        partial = dict(perfect)
        for sid in ids[: i + 3]:
            partial[sid] = KINDS[(KINDS.index(perfect[sid]) + 1 + i) % len(KINDS)]
        room.submit(f"partial{i:02d}", partial)
    room.submit("all-inference", {sid: "inference" for sid in ids})
    room.submit("all-fact", {sid: "fact" for sid in ids})
    room.submit("half-done", {sid: perfect[sid] for sid in ids[::2]})
    room.submit("blank", None, expected=0.0)
    room.submit("late", perfect, timestamp=LATE)
    room.submit("tampered-test-cell", {sid: "fact" for sid in ids}, edit=tamper)
    room.submit("deleted-grade-cell", perfect, edit=delete_grade_cell)
    room.submit("duplicated-grade-id", perfect, edit=duplicate_grade_id, expected=0.0, status="failed")
    room.submit("hand-edited-answers", None, raw_answers='{"format": "whosaysso-answers/1", "widgets": {',
                expected=0.0)
    room.submit("wrong-shape-answers", None, raw_answers=json.dumps(
        {"format": FORMAT, "widgets": {WIDGET: {"answers": ["fact", "fact"]}}}), expected=0.0)
    room.submit("unknown-kinds", {sid: "opinion" for sid in ids}, expected=0.0)
    room.submit("hanging-cell", perfect, edit=add_cell("while True:\n    pass"))
    room.submit("crashing-kernel", perfect, edit=add_cell("import os\nos._exit(1)"), expected=0.0,
                status="failed")
    assert len(room.expected) >= 30
    from kit.grade import grade_assignment
    room.summary = grade_assignment(room.course, ASSIGNMENT, jobs=2, timeout=240)
    return room


def test_every_expected_score(classroom):
    """Does every student get exactly the score their answers earn?"""
    got = {r.student: r.score for r in classroom.summary.results}
    assert got == classroom.expected


def test_every_expected_outcome(classroom):
    """Are broken submissions reported, with a reason, while the batch finishes?"""
    status = {r.student: r.status for r in classroom.summary.results}
    for student, expected in classroom.expected_status.items():
        if student == "crashing-kernel":
            continue  # nbgrader may record zero or fail it: either way it scores 0 (above)
        assert status[student] == expected, (student, status[student])
    dup = next(r for r in classroom.summary.results if r.student == "duplicated-grade-id")
    assert "grade_id" in dup.reason


def test_doubting_everything_scores_badly(classroom):
    got = {r.student: r.score for r in classroom.summary.results}
    # Doubting everything scores a fifth; believing everything only the facts (and the
    # background sentence whose key also accepts fact): well under half either way.
    assert got["all-inference"] <= 2.5 and got["all-fact"] <= 4.0
    assert got["perfect00"] == 10.0 and got["accepts-alternatives"] == 10.0


def test_late_submission_is_recorded_as_late(classroom):
    from nbgrader.api import Gradebook

    from kit.nbgrader_env import db_url
    with Gradebook(db_url(classroom.course), "who-says-so") as gb:
        assert gb.find_submission(ASSIGNMENT, "late").total_seconds_late > 0
        assert gb.find_submission(ASSIGNMENT, "perfect00").total_seconds_late == 0


def test_summary_file_lists_every_student(classroom):
    text = classroom.summary.path.read_text()
    assert all(student in text for student in classroom.expected)


def test_scores_do_not_depend_on_the_class(classroom, tmp_path):
    """Graded alone, in a course of their own, does a student get the same score?"""
    from kit.grade import grade_assignment
    alone = Classroom(tmp_path)
    key = alone.key
    partial = {sid: "caveat" for sid in key}
    alone.submit("partial-alone", partial)
    alone.submit("perfect-alone", {sid: a[0] for sid, a in key.items()})
    summary = grade_assignment(alone.course, ASSIGNMENT, jobs=1, timeout=240)
    got = {r.student: r.score for r in summary.results}
    assert got == {"partial-alone": balanced(partial, key), "perfect-alone": 10.0}


def test_kit_grade_agrees_with_nbgrader_autograde(classroom, tmp_path):
    """On the same submissions, does plain `nbgrader autograde` give the same scores?"""
    students = ["perfect00", "partial03", "all-inference", "blank", "tampered-test-cell",
                "deleted-grade-cell"]
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("nbgrader_config.py", "source", "release"):
        src = classroom.course / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, copy / name)
    config = (copy / "nbgrader_config.py").read_text().replace(str(classroom.course), str(copy))
    (copy / "nbgrader_config.py").write_text(config)
    for s in students:
        shutil.copytree(classroom.course / "submitted" / s, copy / "submitted" / s)
    assert run(["nbgrader", "generate_assignment", ASSIGNMENT, "--force"], copy).returncode == 0
    result = run(["nbgrader", "autograde", ASSIGNMENT], copy)
    assert result.returncode == 0, result.stderr[-2000:]
    from nbgrader.api import Gradebook

    from kit.nbgrader_env import db_url
    with Gradebook(db_url(copy), "who-says-so") as gb:
        theirs = {s.student_id: round(s.score, 2) for s in gb.assignment_submissions(ASSIGNMENT)}
    ours = {r.student: r.score for r in classroom.summary.results if r.student in students}
    assert theirs == ours


def test_feedback_has_scores_but_no_hidden_tests_or_key(classroom):
    from kit.feedback import write_feedback
    written = write_feedback(classroom.course, ASSIGNMENT)
    assert len(written) >= 28
    key_literal = repr(classroom.key)
    for path in written:
        text = path.read_text()
        assert "BEGIN HIDDEN TESTS" not in text and "KEY =" not in text
        assert key_literal not in text and "grade_kinds(" not in text.split("hidden checks ran here")[-1]
        assert "Score:" in text
    perfect = (classroom.course / "feedback" / "perfect00" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "Score: 10 of 10" in perfect and "Over-sceptical:</strong> 0" in perfect


def test_report_writes_charts_and_csv(classroom):
    from kit.report import write_report
    out = write_report(classroom.course, ASSIGNMENT)
    for name in ("score-spread", "most-missed", "kind-confusion", "scepticism-credulity"):
        png = out / f"{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert len((out / f"{name}.alt.txt").read_text()) > 40
    rows = (out / "scores.csv").read_text().splitlines()
    assert rows[0].startswith("student,score") and len(rows) == len(classroom.expected) + 1
    doubter = next(r for r in rows if r.startswith("all-inference,"))
    assert doubter.split(",")[5] == str(sum(1 for a in classroom.key.values() if a[0] == "fact"))
