"""Hostile and broken submissions, graded in one batch with honest ones (issue 9, items
2 and 3).

One `kit grade` run (jobs=2, a 10 s cell timeout) grades two honest students beside
every hostile case: infinite loops, killed kernels, floods of output, a 50 MB notebook,
malformed JSON, deleted, added and edited cells, a duplicated grade_id, stripped
metadata, broken or linked answers files, a notebook that replaces its own check, and
probes that try to read the course, the gradebook, solutions/, the grader's home and a
private folder, to write outside the submission and to reach the network. Each must get
its own clear outcome, the batch must finish, and each honest student must score
exactly what the same submission scores alone, in a fresh course.

The batch's course lives beside the repository (not under /tmp, which the sandbox hides
anyway), next to a "private" folder of the teacher's: a sandbox that hid only a list of
known folders would let a kernel read that one. KIT_SECTEST_DIR moves both elsewhere.
"""
from __future__ import annotations

import ast
import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import nbformat
import pytest

from kit.answers import FORMAT
from kit.course import init_course
from kit.keys import cell_keys
from kit.nbgrader_env import nbgrader_env
from tests.conftest import REPO, ci_requires
from tests.test_class_end_to_end import (
    ASSIGNMENT, KINDS, ON_TIME, WIDGET, add_cell, answers_json, balanced, delete_grade_cell,
    duplicate_grade_id, tamper,
)

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow]

MARK = f"kit-sectest-{uuid.uuid4().hex[:10]}"  # the name of every file a probe tries to write


def nbgrader(args, cwd):
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, env=nbgrader_env(),
                          capture_output=True, text=True)


def generate(course: Path, assignment: str) -> None:
    """`nbgrader generate_assignment`, through nbgrader's API in this process (it saves a
    start of nbgrader, several seconds)."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    from kit.nbgrader_env import db_url, ensure_bin_on_path
    ensure_bin_on_path()
    config = Config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.course_id = "who-says-so"
    config.CourseDirectory.db_url = db_url(course)
    result = NbGraderAPI(config=config).generate_assignment(assignment)
    assert result["success"], result.get("error", "")[-2000:]


class Course:
    """An nbgrader course with the sort-kinds assignment generated and released."""

    def __init__(self, path: Path):
        self.path = path
        init_course(path, timeout=10, assignments=[ASSIGNMENT])
        generate(path, ASSIGNMENT)
        self.key = cell_keys(path / "source" / ASSIGNMENT)[0].key
        self.release = path / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"

    def folder(self, student) -> Path:
        return self.path / "submitted" / student / ASSIGNMENT

    def submit(self, student, answers=None, *, raw_answers=None, edit=None):
        folder = self.folder(student)
        folder.mkdir(parents=True)
        nb = nbformat.read(self.release, as_version=4)
        if edit:
            edit(nb)
        nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")
        if raw_answers is not None:
            (folder / f"{ASSIGNMENT}.answers.json").write_text(raw_answers, encoding="utf-8")
        elif answers is not None:
            (folder / f"{ASSIGNMENT}.answers.json").write_text(answers_json(answers), encoding="utf-8")
        (folder / "timestamp.txt").write_text(ON_TIME)
        return folder

    def outputs(self, student) -> str:
        """Every text the student's kernel printed, from the autograded notebook."""
        nb = nbformat.read(self.path / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                           as_version=4)
        parts = []
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                parts.append(out.get("text", "") + out.get("evalue", "")
                             + str(out.get("data", {}).get("text/plain", "")))
        return "\n".join(parts)


def probe_results(text: str) -> dict:
    line = next(line for line in text.splitlines() if line.startswith("PROBE "))
    return json.loads(line[len("PROBE "):])


PROBE_HEAD = '''import json, os, socket
seen = {}
def attempt(name, action):
    try:
        seen[name] = "OK " + repr(action())[:2000]
    except Exception as exc:
        seen[name] = "DENIED " + type(exc).__name__
def write(path):
    with open(path, "w") as handle:
        handle.write("written by a student's kernel")
    return path
'''


def reader_cell(paths: dict) -> str:
    return PROBE_HEAD + f"P = {json.dumps(paths)}\n" + '''
attempt("list source", lambda: os.listdir(P["course"] + "/source/sort-kinds"))
attempt("read source", lambda: open(P["course"] + "/source/sort-kinds/sort-kinds.ipynb").read())
attempt("read gradebook", lambda: open(P["course"] + "/gradebook.db", "rb").read(200))
attempt("read other student", lambda: open(P["course"] + "/submitted/honest-perfect/sort-kinds/sort-kinds.answers.json").read())
attempt("list course", lambda: os.listdir(P["course"]))
attempt("list solutions", lambda: os.listdir(P["repo"] + "/solutions"))
attempt("read solution", lambda: open(P["repo"] + "/solutions/sort-kinds/sort-kinds.ipynb").read())
attempt("read private", lambda: open(P["private"] + "/keys.yaml").read())
attempt("list home", lambda: sorted(os.listdir(P["home"])))
attempt("connect to the grader's machine", lambda: socket.create_connection(("127.0.0.1", P["port"]), timeout=3))
attempt("connect to the internet", lambda: socket.create_connection(("1.1.1.1", 53), timeout=3))
def processes():
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                found.append(" ".join(os.path.basename(a.decode()) for a in handle.read().split(b"\\0")[:3]))
    return found
attempt("processes", processes)
print("PROBE " + json.dumps(seen))
'''


def writer_cell(paths: dict) -> str:
    return PROBE_HEAD + f"P = {json.dumps(paths)}\nM = {MARK!r}\n" + '''
attempt("write course", lambda: write(P["course"] + "/" + M))
attempt("write gradebook folder of another student", lambda: write(P["course"] + "/submitted/honest-perfect/sort-kinds/" + M))
attempt("write autograded folder", lambda: write(os.path.abspath("..") + "/" + M))
attempt("write home", lambda: write(P["home"] + "/" + M))
attempt("write repo", lambda: write(P["repo"] + "/" + M))
attempt("write kit", lambda: write(P["repo"] + "/kit/" + M))
attempt("write private", lambda: write(P["private"] + "/" + M))
attempt("write tmp", lambda: write("/tmp/" + M))
attempt("write own folder", lambda: write(M))
print("PROBE " + json.dumps(seen))
'''


# A cell added before the check that replaces it: with blank answers it would score 10.
REPLACE_CHECK = '''import kit.grading
kit.grading.grade_kinds = lambda answers_file, widget_key, key, points: points'''

# A hook that reads the key out of the check's own source as it runs and writes the
# matching answers into the (scratch) answers file before the check reads it.
REWRITE_ANSWERS = '''import ast, json
def _rewrite(info):
    source = info.raw_cell or ""
    if "KEY =" in source:
        key = ast.literal_eval(source.split("KEY =", 1)[1].split("grade_kinds(", 1)[0].strip())
        answers = {sid: kinds[0] for sid, kinds in key.items()}
        with open("sort-kinds.answers.json", "w") as handle:
            json.dump({"format": "whosaysso-answers/1",
                       "widgets": {"sorter:assess-floodwall-vote": {"answers": answers}}}, handle)
get_ipython().events.register("pre_run_cell", _rewrite)'''


def append_cell(source):
    def edit(nb):
        nb.cells.append(nbformat.v4.new_code_cell(source))
    return edit


def both(*edits):
    def edit(nb):
        for e in edits:
            e(nb)
    return edit


def delete_setup_and_grade_cell(nb):
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "setup"]
    delete_grade_cell(nb)


def strip_metadata(nb):
    for cell in nb.cells:
        cell.metadata = {}
    nb.metadata = {}


def fifty_megabytes(nb):
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("y" * 50_000_000))


@pytest.fixture(scope="module")
def area(tmp_path_factory):
    """A folder outside /tmp and the repository, holding the course and a private folder."""
    base = os.environ.get("KIT_SECTEST_DIR") or str(REPO.parent)
    try:
        path = Path(tempfile.mkdtemp(prefix=".kit-sectest-", dir=base))
    except OSError:
        path = tmp_path_factory.mktemp("sectest")
    (path / "private").mkdir()
    (path / "private" / "keys.yaml").write_text("the teacher's keys for next term\n")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def listener():
    """A port open on the grader's loopback: reachable from any process but the sandbox."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.setblocking(False)
    yield server
    server.close()


@pytest.fixture(scope="module")
def batch(area, listener):
    ci_requires(shutil.which("bwrap") is not None, "bubblewrap (bwrap) isolates student code in kit grade")
    course = Course(area / "course")
    key, ids = course.key, list(course.key)
    perfect = {sid: accepted[0] for sid, accepted in key.items()}
    partial = dict(perfect)
    for i, sid in enumerate(ids[:5]):
        partial[sid] = KINDS[(KINDS.index(perfect[sid]) + 1 + i) % len(KINDS)]
    all_fact = {sid: "fact" for sid in ids}
    paths = {"course": str(course.path), "repo": str(REPO), "private": str(area / "private"),
             "home": str(Path.home()), "port": listener.getsockname()[1]}
    expected = {}  # student -> (status, score, words the reason must hold)

    def submit(student, status, score, reason, answers=None, **kwargs):
        course.submit(student, answers, **kwargs)
        expected[student] = (status, score, reason)

    submit("honest-perfect", "graded", 10.0, "", perfect)
    submit("honest-partial", "graded", balanced(partial, key), "", partial)
    # Runaway code: each stops only itself.
    submit("infinite-loop", "graded", 10.0, "time limit", perfect, edit=add_cell("while True:\n    pass"))
    submit("ignores-interrupt", "failed", 0.0, "did not stop when interrupted", perfect,
           edit=add_cell("import time\nwhile True:\n    try:\n        time.sleep(60)\n"
                         "    except KeyboardInterrupt:\n        pass"))
    submit("os-exit", "failed", 0.0, "ended its kernel", perfect, edit=add_cell("import os\nos._exit(3)"))
    submit("segfault", "failed", 0.0, "ended its kernel", perfect,
           edit=add_cell("import ctypes\nctypes.string_at(0)"))
    submit("output-flood", "graded", 10.0, "", perfect,
           edit=add_cell("for i in range(200_000):\n    print('flood', i)"))
    submit("fifty-mb-notebook", "graded", 10.0, "", perfect, edit=fifty_megabytes)
    # Broken or edited notebooks.
    submit("malformed-json", "failed", 0.0, "not valid notebook JSON", perfect)
    course.folder("malformed-json").joinpath(f"{ASSIGNMENT}.ipynb").write_text('{"cells": [{"cell_type": ')
    submit("cells-deleted", "graded", 10.0, "", perfect, edit=delete_setup_and_grade_cell)
    submit("test-cell-edited", "graded", balanced(all_fact, key), "", all_fact, edit=tamper)
    submit("duplicated-grade-id", "failed", 0.0, "grade_id", perfect, edit=duplicate_grade_id)
    submit("metadata-stripped", "graded", 10.0, "", perfect, edit=strip_metadata)
    # Cells added that subvert the check: scored from the submitted answers instead.
    submit("replaces-check", "corrected", 0.0, "interfered with its check", None,
           edit=both(add_cell(REPLACE_CHECK), append_cell("print('THE KEY IS', KEY)")))
    submit("rewrites-answers", "corrected", balanced(partial, key), "interfered with its check",
           partial, edit=add_cell(REWRITE_ANSWERS))
    # Answers files that are not answers.
    submit("answers-corrupt", "graded", 0.0, "not valid JSON", None,
           raw_answers='{"format": "whosaysso-answers/1", "widgets": {')
    submit("answers-huge", "graded", 0.0, "far too large", None, raw_answers=json.dumps(
        {"format": FORMAT, "widgets": {WIDGET: {"answers": perfect, "pad": "x" * 5_000_000}}}))
    submit("answers-wrong-shape", "graded", 0.0, "should map widget keys", None,
           raw_answers=json.dumps({"format": FORMAT, "widgets": [perfect]}))
    submit("answers-link", "failed", 0.0, "contains a link", None)
    os.symlink(course.path / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
               course.folder("answers-link") / f"{ASSIGNMENT}.answers.json")
    # Probes of the sandbox.
    submit("reads-course", "graded", 10.0, "", perfect, edit=add_cell(reader_cell(paths)))
    submit("writes-outside", "graded", 10.0, "", perfect, edit=add_cell(writer_cell(paths)))

    from kit.grade import grade_assignment
    course.summary = grade_assignment(course.path, ASSIGNMENT, jobs=2, timeout=150)
    course.expected = expected
    course.results = {r.student: r for r in course.summary.results}
    course.paths = paths
    return course


def test_the_batch_finishes_with_every_student(batch):
    assert sorted(batch.results) == sorted(batch.expected)
    rows = list(csv.DictReader(batch.summary.path.open()))
    assert {row["student"]: row["status"] for row in rows} == {
        s: r.status for s, r in batch.results.items()}


@pytest.mark.parametrize("student", [
    "honest-perfect", "honest-partial", "infinite-loop", "ignores-interrupt", "os-exit",
    "segfault", "output-flood", "fifty-mb-notebook", "malformed-json", "cells-deleted",
    "test-cell-edited", "duplicated-grade-id", "metadata-stripped", "replaces-check",
    "rewrites-answers", "answers-corrupt", "answers-huge", "answers-wrong-shape",
    "answers-link", "reads-course", "writes-outside"])
def test_each_submission_gets_a_clear_outcome(batch, student):
    """Status, score and the reason in the summary, student by student."""
    status, score, reason = batch.expected[student]
    got = batch.results[student]
    assert (got.status, got.score) == (status, score), (student, got)
    if reason:
        assert reason in got.reason, (student, got.reason)
    elif status == "graded":
        assert got.reason == "", (student, got.reason)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    return Course(tmp_path_factory.mktemp("fresh") / "course")


def test_honest_scores_equal_the_same_submission_graded_alone(batch, fresh):
    """A fresh course, with none of the hostile submissions: the very same scores."""
    from kit.grade import grade_assignment
    honest = ["honest-perfect", "honest-partial"]
    for student in honest:
        shutil.copytree(batch.folder(student), fresh.folder(student))
    summary = grade_assignment(fresh.path, ASSIGNMENT, jobs=2, students=honest, timeout=150)
    scores = {r.student: r.score for r in summary.results}
    assert scores == {s: batch.results[s].score for s in honest}
    assert scores == {s: batch.expected[s][1] for s in honest}


def test_a_replaced_check_is_scored_from_the_submitted_answers(batch):
    """The notebook's check reported full marks; the gradebook holds what the answers earn."""
    from nbgrader.api import Gradebook

    from kit.nbgrader_env import db_url
    with Gradebook(db_url(batch.path), "who-says-so") as gb:
        for student in ("replaces-check", "rewrites-answers"):
            grade = gb.find_grade("grade_kinds", ASSIGNMENT, ASSIGNMENT, student)
            assert grade.auto_score == 10 and grade.score == batch.expected[student][1]
            assert gb.find_submission(ASSIGNMENT, student).score == batch.expected[student][1]
    # The kernel did hold the key (it printed it): which is why feedback shows no output.
    assert "THE KEY IS {'s1'" in batch.outputs("replaces-check")


def test_probes_cannot_read_the_course_the_repository_or_the_home(batch):
    seen = probe_results(batch.outputs("reads-course"))
    for name in ("list source", "read source", "read gradebook", "read other student",
                 "list solutions", "read solution", "read private",
                 "connect to the grader's machine", "connect to the internet"):
        assert seen[name].startswith("DENIED"), (name, seen[name])
    # What is left is the skeleton of the folders mounted for the kernel, nothing more.
    assert seen["list course"] == "OK ['autograded']"
    home = Path.home()
    mounted = {Path(p).relative_to(home).parts[0]
               for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, REPO / "kit")
               if Path(p).is_relative_to(home) and Path(p) != home}
    listed = set(ast.literal_eval(seen["list home"][3:]))
    assert listed <= mounted, listed - mounted
    # No other process: only the sandbox's own init and the kernel itself.
    processes = ast.literal_eval(seen["processes"][3:])
    assert len(processes) <= 3 and not any("nbgrader" in p or "pytest" in p for p in processes), processes
    text = batch.outputs("reads-course")
    assert "BEGIN HIDDEN TESTS" not in text and "KEY =" not in text


def test_nothing_reached_the_grader_over_the_network(batch, listener):
    with pytest.raises(BlockingIOError):
        listener.accept()


def test_probes_cannot_write_outside_their_scratch_folder(batch, area):
    seen = probe_results(batch.outputs("writes-outside"))
    for name, result in seen.items():
        if name in ("write own folder", "write tmp"):
            assert result.startswith("OK"), (name, result)  # a scratch folder, thrown away
        else:
            assert result.startswith("DENIED"), (name, result)
    # And on the real filesystem: no file of that name anywhere the kernel aimed at.
    written = [p for root in (area, REPO, Path.home(), Path(tempfile.gettempdir()))
               for p in (root.glob(f"*{MARK}*") if root != area else root.rglob(f"*{MARK}*"))]
    written += list((REPO / "kit").glob(f"*{MARK}*"))
    assert written == []


def test_a_linked_answers_file_is_never_copied_for_the_kernel(batch):
    """nbgrader would copy the linked source notebook into autograded/, as a plain file."""
    assert not (batch.path / "autograded" / "answers-link").exists()
    assert all("BEGIN HIDDEN TESTS" not in p.read_text(errors="replace")
               for p in (batch.path / "autograded").rglob("*.answers.json"))


def test_feedback_for_the_whole_batch_shows_no_key(batch):
    """Even for the notebook that printed the key after its check."""
    from kit.feedback import write_feedback
    written = write_feedback(batch.path, ASSIGNMENT)
    assert any("replaces-check" in str(p) for p in written)
    from tests.test_keys_never_leak import assessment_keys, leaks
    keys = assessment_keys()
    for path in written:
        text = path.read_text()
        # (markers=False: a student's own cell may say "KEY =", as rewrites-answers does)
        assert leaks(text, keys, markers=False) == [], path
        assert "THE KEY IS {" not in text and "BEGIN HIDDEN TESTS" not in text, path


def test_baseline_plain_nbgrader_lets_a_notebook_read_the_sources(fresh):
    """The threat, measured: `nbgrader autograde` as it comes runs student code as the
    teacher, in the course folder, so a submission reads the hidden tests."""
    course = fresh
    source = course.path / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    course.submit("curious", None, edit=add_cell(
        f"print('LEAKED', 'BEGIN HIDDEN TESTS' in open({str(source)!r}).read(), "
        f"len(open({str(course.path / 'gradebook.db')!r}, 'rb').read()) > 0)"))
    result = nbgrader(["autograde", ASSIGNMENT, "--student", "curious"], course.path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "LEAKED True True" in course.outputs("curious")


def test_a_linked_answers_file_is_never_read_or_copied(tmp_path):
    """Unit level: load_entry refuses a link (to /etc/passwd, or to another student's
    perfectly good answers), and the sandbox's copy of a submission leaves links and
    special files behind."""
    from kit.answers import load_entry
    from kit.sandbox import copy_submission
    other = tmp_path / "other.answers.json"
    other.write_text(answers_json({"s1": "fact"}))
    assert load_entry(other, WIDGET) == {"type": "sorter", "answers": {"s1": "fact"}}
    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / "sort-kinds.ipynb").write_text("{}")
    (submission / "sort-kinds.answers.json").symlink_to(other)
    (submission / "passwd.answers.json").symlink_to("/etc/passwd")
    (submission / "etc").symlink_to("/etc")
    os.mkfifo(submission / "pipe")
    assert load_entry(submission / "sort-kinds.answers.json", WIDGET) == {}
    assert load_entry(submission / "passwd.answers.json", WIDGET) == {}
    copy_submission(submission, tmp_path / "scratch")
    assert sorted(p.name for p in (tmp_path / "scratch").rglob("*")) == ["sort-kinds.ipynb"]


def test_a_linked_student_folder_is_refused(tmp_path):
    """A student folder that is itself a link (to source/, say) is not graded either."""
    from kit.grade import _links_in
    course = tmp_path / "course"
    (course / "source" / ASSIGNMENT).mkdir(parents=True)
    (course / "submitted" / "eve").mkdir(parents=True)
    (course / "submitted" / "eve" / ASSIGNMENT).symlink_to(course / "source" / ASSIGNMENT)
    assert _links_in(course, ASSIGNMENT, "eve") == [
        f"submitted/eve/{ASSIGNMENT} -> {course / 'source' / ASSIGNMENT}"]
    (course / "submitted" / "ann" / ASSIGNMENT).mkdir(parents=True)
    (course / "submitted" / "ann" / ASSIGNMENT / "notes.txt").write_text("mine")
    assert _links_in(course, ASSIGNMENT, "ann") == []
