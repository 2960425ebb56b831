"""`kit exercise make` (issue 8): a lesson and an nbgrader assignment for a new article.

The article below was written only for this test: short, fictional, fully annotated.
Do the lesson and the assignment run headless, generate cleanly with nbgrader, grade full
marks on a key-perfect answers file and zero on an empty one, and keep the key out of
everything a student receives? Is every refusal one clear line, with nothing written?
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
from kit.article_loader import load_article
from kit.assignments import kinds_key, sources_key
from kit.exercise_make import make_exercise
from kit.keys import cell_keys, strip_hidden
from tests.conftest import ci_requires

NAME = "cycle-lane-check"
ARTICLE_ID = "tidewell-cycle-lane"

ARTICLE = """\
# Written only for tests/test_exercise_make.py: short, fictional, fully annotated.
id: tidewell-cycle-lane
title: "Tidewell Cycle Lane Cut Crashes by Half, Council Says"
fictional: true
notice: "This article is fictional, written for a test of the Who Says So? kit."
outlet: The Tidewell Echo
dateline: "Tidewell, Tuesday 3 March 2026"
level: introductory
genre: local
topic: transport
provenance: "Written for the kit's tests, 2026; fictional"
furniture:
  - id: p1
    role: notice
    text: "This article is fictional, written for a test of the Who Says So? kit."
    before: s1
  - id: p2
    role: byline
    text: "By Lena Marsh, Local Democracy Reporter"
    before: s2
paragraphs:
  - - id: s1
      part: headline
      text: "Tidewell Cycle Lane Cut Crashes by Half, Council Says"
      kind: inference
      accept: []
      source: {name: Tidewell Borough Council, type: organisation}
      cues: [Says]
      hedges: []
      certainty: high
      why: "That the lane caused the fall is the council's reading of its figures, not
        something the figures show: a sourced inference. The body's caveat (s4) is gone."
  - - id: s2
      text: "Reported crashes on Harbour Road fell from 14 in the year before the lane opened
        to 7 in the year after, according to figures published by Tidewell Borough Council
        on Monday."
      kind: fact
      accept: []
      source: {name: Tidewell Borough Council, type: organisation}
      cues: [according to]
      hedges: []
      certainty: high
      why: "Two counts you could look up in the council's published figures: a sourced fact."
    - id: s3
      text: "The council's transport officer, Mira Okafor, said the lane was \\"the main
        reason\\" for the fall."
      kind: inference
      accept: []
      source: {name: Mira Okafor, type: person}
      cues: [said]
      hedges: []
      certainty: medium
      why: "Mira Okafor is named, so you know who says so; but what caused the fall is her
        judgement, not a count: inference."
  - - id: s4
      text: "Road safety researchers caution that a single year of figures can rise and fall
        by chance."
      kind: caveat
      accept: [background]
      source: {name: Road safety researchers, type: vague}
      cues: [caution]
      hedges: [can]
      certainty: medium
      why: "A limit of the evidence: one year of crashes is too little to be sure. Which
        researchers? They are not named, so the source is vague."
    - id: s5
      text: "Traffic on Harbour Road also fell by about a fifth over the same period, the
        council's own report shows."
      kind: fact
      accept: []
      source: {name: "the council's own report", type: document}
      cues: [shows]
      hedges: [about]
      certainty: high
      why: "A figure the report contains, so you can check it there. Fewer cars could also
        mean fewer crashes, which the headline leaves out."
  - - id: s6
      text: "Some shop owners say they have lost customers since parking spaces were removed."
      kind: fact
      accept: [inference]
      source: {name: shop owners, type: vague}
      cues: [say]
      hedges: [Some]
      certainty: low
      why: "Whether customers fell is checkable, so this is a fact as a claim; but \\"some
        shop owners\\" are not named, so nobody can check who says it."
    - id: s7
      text: "Footfall could fall further if the council extends the lane to Market Street
        next year."
      kind: speculation
      accept: []
      source: {name: "", type: none}
      cues: []
      hedges: [could]
      certainty: low
      why: "\\"Could\\" looks ahead to what might happen, and no one is credited: the
        outlet's own speculation."
  - - id: s8
      text: "Tidewell opened its first cycle lane in 1998."
      kind: background
      accept: [fact]
      source: {name: "", type: none}
      cues: []
      hedges: []
      certainty: high
      why: "Context, not news of this story: the town's history of cycle lanes."
    - id: s9
      text: "The council will vote on the Market Street extension in March."
      kind: fact
      accept: [speculation]
      source: {name: "", type: none}
      cues: []
      hedges: []
      certainty: high
      why: "A scheduled vote you can check on the council's agenda; the vote itself has not
        happened, so speculation is accepted too."
flags:
  - id: f1
    sentence: s1
    type: overreach
    quote: "Cut Crashes by Half"
    why: "The figures show crashes halved; that the lane did it is the council's inference,
      researchers warn one year can vary by chance (s4), and traffic fell too (s5)."
    hint: "Does the body say the lane caused the fall?"
  - id: f2
    sentence: s6
    type: omission
    quote: "Some shop owners"
    why: "How many shop owners, and which? The article never says, so a reader cannot weigh
      the claim."
checks:
  - id: c1
    sentence: s2
    question: "Did reported crashes on Harbour Road really fall from 14 to 7?"
    search: "Tidewell Borough Council Harbour Road crash figures"
    settle: "The council's published figures, and police collision records for the road."
"""


@pytest.fixture
def article_file(tmp_path) -> Path:
    path = tmp_path / "tidewell-cycle-lane.yaml"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def make(article_file, out, **kwargs):
    out.mkdir(exist_ok=True)
    return make_exercise(str(article_file), kwargs.pop("name", NAME), out_dir=str(out), **kwargs)


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_the_test_article_is_valid_and_reviewed(article_file):
    article = load_article(article_file)
    assert article.annotated and len(article.sentences) == 9 and len(article.flags) == 2
    from kit.article_check import review_state
    assert not review_state(article).is_draft


def test_writes_lesson_and_assignment(article_file, tmp_path, capsys):
    out = tmp_path / "out"
    assert make(article_file, out) == 0
    assert files_under(out) == sorted([
        "lessons", f"lessons/{NAME}.ipynb", "lessons/articles", f"lessons/articles/{ARTICLE_ID}.yaml",
        "solutions", f"solutions/{NAME}", f"solutions/{NAME}/{ARTICLE_ID}.yaml",
        f"solutions/{NAME}/{NAME}.ipynb"])
    said = capsys.readouterr()
    assert "lessons/" in said.out and "nbgrader generate_assignment " + NAME in said.out
    assert said.err == ""
    # The lesson's copy is the teacher's file, comments and all.
    assert (out / "lessons" / "articles" / f"{ARTICLE_ID}.yaml").read_text() == ARTICLE


def test_lesson_follows_the_skeleton(article_file, tmp_path):
    out = tmp_path / "out"
    make(article_file, out)
    nb = nbformat.read(out / "lessons" / f"{NAME}.ipynb", as_version=4)
    nbformat.validate(nb)
    text = "\n".join(c.source for c in nb.cells)
    for heading in ("Questions", "Objectives", "Key points", "What next", "Run this first", "min", "alt="):
        assert heading in text
    assert f'nb = start("{NAME}")' in text
    for widget in ("nb.highlighter(", "nb.sorter(", "nb.sources(", "nb.hedges(", "nb.errorhunt(", "ledger = ["):
        assert widget in text, widget
    assert all(c.outputs == [] and c.execution_count is None for c in nb.cells if c.cell_type == "code")


def test_assignment_keeps_the_key_in_hidden_tests_only(article_file, tmp_path):
    out = tmp_path / "out"
    make(article_file, out)
    folder = out / "solutions" / NAME
    article = load_article(article_file)
    keys = {k.grade_id: k for k in cell_keys(folder)}
    assert keys["grade_kinds"].key == kinds_key(article)
    assert keys["grade_kinds"].widget_key == f"sorter:{ARTICLE_ID}"
    body = [s.id for s in article.sentences if s.part == "body"]
    assert keys["grade_sources"].key == sources_key(article, body)
    assert keys["grade_sources"].answers_file == f"{NAME}.answers.json"
    nb = nbformat.read(folder / f"{NAME}.ipynb", as_version=4)
    metas = [c.metadata["nbgrader"] for c in nb.cells]
    assert all(m["schema_version"] == 3 for m in metas)
    assert sum(m.get("points", 0) for m in metas if m["grade"]) == 20
    visible = "\n".join(strip_hidden(c.source) for c in nb.cells)
    assert "KEY =" not in visible and "Tidewell Borough Council" not in visible
    # The article travels as text only: no kinds, sources, why, flags or checks.
    copy = load_article(folder / f"{ARTICLE_ID}.yaml")
    assert not copy.annotated and copy.meta["assessment"] is True
    assert [s.text for s in copy.sentences] == [s.text for s in article.sentences]
    raw = (folder / f"{ARTICLE_ID}.yaml").read_text()
    for leak in ("kind:", "why:", "source:", "flags:", "checks:", "inference", "Okafor, type"):
        assert leak not in raw


def test_assessment_writes_no_lesson(article_file, tmp_path, capsys):
    out = tmp_path / "out"
    assert make(article_file, out, assessment=True) == 0
    assert not (out / "lessons").exists()
    assert (out / "solutions" / NAME / f"{NAME}.ipynb").is_file()
    assert "no lesson written" in capsys.readouterr().out


def test_refuses_to_overwrite_without_force(article_file, tmp_path, capsys):
    out = tmp_path / "out"
    make(article_file, out)
    notebook = out / "solutions" / NAME / f"{NAME}.ipynb"
    notebook.write_text("teacher's edits")
    capsys.readouterr()
    assert make(article_file, out) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "already exists" in err[0] and "--force" in err[0]
    assert notebook.read_text() == "teacher's edits"
    assert make(article_file, out, force=True) == 0
    assert notebook.read_text() != "teacher's edits"


def test_refuses_a_lesson_name_that_exists(article_file, tmp_path, capsys):
    out = tmp_path / "out"
    (out / "lessons").mkdir(parents=True)
    (out / "lessons" / f"{NAME}.ipynb").write_text("{}")
    assert make(article_file, out) == 1
    assert "already exists" in capsys.readouterr().err
    assert not (out / "solutions").exists()  # nothing partial


@pytest.mark.parametrize("name", ["Bad Name", "", "../escape", "x" * 80, "under_score"])
def test_bad_names(article_file, tmp_path, capsys, name):
    assert make(article_file, tmp_path / "out", name=name) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--name" in err[0]
    assert files_under(tmp_path / "out") == []


def test_refuses_a_draft_unless_asked(article_file, tmp_path, capsys):
    text = ARTICLE.replace("      kind: caveat\n", "      unreviewed: [kind, why]\n      kind: caveat\n")
    article_file.write_text(text)
    assert make(article_file, tmp_path / "out") == 1
    err = capsys.readouterr().err.strip()
    assert "still a draft" in err and "1 sentence still unreviewed (s4)" in err and "--draft" in err
    assert files_under(tmp_path / "out") == []
    assert make(article_file, tmp_path / "out", draft=True) == 0
    assert "made from a draft" in capsys.readouterr().err


def test_refuses_a_text_only_article(tmp_path, capsys):
    from kit.library import ASSESSMENT_DIR
    path = sorted(ASSESSMENT_DIR.glob("*.yaml"))[0]
    assert make(path, tmp_path / "out") == 1
    assert "text only" in capsys.readouterr().err
    assert files_under(tmp_path / "out") == []


def test_an_invalid_article_is_reported_in_process(article_file, tmp_path, capsys):
    article_file.write_text(ARTICLE.replace("type: vague", "type: rumour", 1))
    assert make(article_file, tmp_path / "out") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and 'sentence s4: field "type": unknown type "rumour"' in err[0]
    assert files_under(tmp_path / "out") == []


def test_a_failure_mid_write_leaves_nothing(article_file, tmp_path, monkeypatch):
    import kit.exercise_make as em
    real = em.os.fdopen
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)
    monkeypatch.setattr(em.os, "fdopen", failing)
    out = tmp_path / "out"
    assert make(article_file, out) == 1
    assert files_under(out) == []


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True, cwd=cwd)


def test_cli_hand_edited_invalid_article(article_file, tmp_path):
    """A YAML file edited by hand into an invalid state: the loader's lines, nothing written."""
    article_file.write_text(ARTICLE.replace("kind: speculation", "kind: guess"))
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli("exercise", "make", str(article_file), "--name", NAME, "--out", str(out))
    assert result.returncode == 1
    assert 'sentence s7: field "kind": unknown kind "guess"' in result.stderr
    assert "Traceback" not in result.stderr and files_under(out) == []
    article_file.write_text(ARTICLE.replace("paragraphs:\n", "paragraphs: [\n", 1))
    result = run_cli("exercise", "make", str(article_file), "--name", NAME, "--out", str(out))
    assert result.returncode == 1 and "the YAML cannot be read" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_usage(article_file, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli("exercise", "make", str(article_file), "--name", NAME, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "solutions" / NAME / f"{NAME}.ipynb").is_file()
    result = run_cli("exercise", "make", str(article_file), "--out", str(out))
    assert result.returncode == 2 and "--name" in result.stderr
    result = run_cli("exercise", "make", str(tmp_path / "missing.yaml"), "--name", NAME, "--out", str(out))
    assert result.returncode == 1 and "missing.yaml: no such file" in result.stderr


# -- the slow proofs: headless runs, nbgrader, grading ----------------------------------


def execute(path: Path):
    from nbclient import NotebookClient
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    problems = []
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                problems.append(f"cell {i}: {output.ename}: {output.evalue}")
            if output.output_type == "stream" and output.name == "stderr":
                problems.append(f"cell {i}: stderr: {output.text[:200]}")
    return nb, problems


@pytest.mark.slow
def test_lesson_runs_headless_without_errors_or_stderr(article_file, tmp_path):
    out = tmp_path / "out"
    make(article_file, out)
    nb, problems = execute(out / "lessons" / f"{NAME}.ipynb")
    assert problems == []
    ledger = next(c for c in nb.cells if "compares each row of your ledger" in c.source)
    assert "agrees" in "".join(o.get("text", "") for o in ledger.outputs)


@pytest.mark.slow
def test_source_assignment_runs_headless_and_scores_zero_unanswered(article_file, tmp_path):
    out = tmp_path / "out"
    make(article_file, out)
    nb, problems = execute(out / "solutions" / NAME / f"{NAME}.ipynb")
    assert problems == []
    results = [o for c in nb.cells if c.metadata["nbgrader"].get("grade") for o in c.outputs
               if o.output_type == "execute_result"]
    assert [r.data["text/plain"] for r in results] == ["0.0", "0.0"]


@pytest.mark.slow
@pytest.mark.nbgrader
def test_generates_with_nbgrader_and_grades_full_marks_and_zero(article_file, tmp_path):
    ci_requires(shutil.which("bwrap") is not None, "bubblewrap isolates student code in kit grade")
    from kit.course import init_course
    from kit.grade import grade_assignment
    from kit.nbgrader_env import nbgrader_env
    out = tmp_path / "out"
    make(article_file, out)
    course = tmp_path / "course"
    init_course(course, timeout=30, assignments=[])
    shutil.copytree(out / "solutions" / NAME, course / "source" / NAME)
    result = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", NAME],
                            cwd=course, env=nbgrader_env(), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    release = course / "release" / NAME
    assert sorted(p.name for p in release.iterdir()) == sorted([f"{ARTICLE_ID}.yaml", f"{NAME}.ipynb"])
    for path in release.iterdir():
        text = path.read_text()
        assert "HIDDEN TESTS" not in text and "KEY =" not in text and "Okafor, type" not in text
        assert "Tidewell Borough Council', 'type'" not in text and "why:" not in text

    article = load_article(article_file)
    perfect = {
        f"sorter:{ARTICLE_ID}": {"type": "sorter", "answers": {s.id: s.kind for s in article.sentences}},
        f"sources:{ARTICLE_ID}": {"type": "sources", "answers": {
            s.id: {"type": s.source.type, "name": s.source.name}
            for s in article.sentences if s.part == "body"}},
    }
    for student, answers in (("perfect", perfect), ("empty", None)):
        folder = course / "submitted" / student / NAME
        folder.mkdir(parents=True)
        shutil.copy(release / f"{NAME}.ipynb", folder / f"{NAME}.ipynb")
        if answers is not None:
            (folder / f"{NAME}.answers.json").write_text(json.dumps({"format": FORMAT, "widgets": answers}))
        (folder / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")
    summary = grade_assignment(course, NAME, jobs=2, timeout=240)
    assert {r.student: r.score for r in summary.results} == {"perfect": 20.0, "empty": 0.0}
    assert all(r.status == "graded" and r.max_score == 20 for r in summary.results)
    # Feedback and the class report work on the combined assignment, and leak no key.
    from kit.feedback import write_feedback
    from kit.report import write_report
    for path in write_feedback(course, NAME):
        text = path.read_text()
        assert "Score:" in text and "KEY =" not in text and "BEGIN HIDDEN TESTS" not in text
        assert repr(kinds_key(article)) not in text
    assert (write_report(course, NAME) / "scores.csv").read_text().startswith("student,score")
