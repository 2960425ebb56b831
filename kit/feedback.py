"""`kit feedback ASSIGNMENT`: per-student feedback HTML with scores and explanations,
but without the source of hidden tests or any key.

nbgrader's own feedback shows every hidden test (a known complaint), and with it the
key of an assessment article. Here each graded notebook is rebuilt from the autograded
copy: hidden regions are replaced by one comment, error tracebacks of grade cells are
cut to their last line (a traceback quotes source lines), and widgets are replaced by a
summary of the student's own answers. What the student learns about the key is how
they did by kind (e.g. "facts: 5 of 8"), never which sentence had which answer.

No output the student's kernel produced once a hidden test had run is shown: by then
the kernel holds the key, and a notebook could print it (`print(KEY)` in a cell of its
own), raise it in an error, or write it into an earlier display. So outputs appear only
for cells before the first graded check (plain text and the last line of an error, cut
short), and a check shows its score from the gradebook, never its output.

The files go where nbgrader puts feedback (feedback/<student>/<assignment>/), so
`nbgrader release_feedback` and the Assignments tab deliver them as usual.
"""
from __future__ import annotations

import html
import shutil
from pathlib import Path

import nbformat

from kit.answers import load_entry
from kit.atomic import write_text_atomic
from kit.keys import cell_keys, strip_hidden
from kit.nbgrader_env import db_url, ensure_bin_on_path


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def _markdown(text: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune
    return markdown2html_mistune(text)


def _docstring(source: str) -> str:
    import ast
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ""
    doc = ast.get_docstring(tree) if tree.body else None
    return doc or ""


MAX_OUTPUT_CHARS = 5000  # per output: a flood of output is not feedback
MAX_SOURCE_CHARS = 100_000  # per cell: a 50 MB cell would take minutes to render


def _cut(text, limit: int = MAX_OUTPUT_CHARS) -> str:
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "\n... (cut)"


def _cell_markdown(source: str) -> str:
    if len(source) > MAX_SOURCE_CHARS:
        return f"<p class='note'>(A text cell of {len(source):,} characters, too long to show.)</p>"
    return _markdown(source)


def _outputs_html(cell, before_checks: bool) -> str:
    """The kernel's outputs of a cell that ran before any hidden test (else nothing).

    Only streams and errors: a display or a result can be rewritten later by its
    display_id, when the kernel may already hold a key.
    """
    if not before_checks:
        return ("<p class='note'>(Output not shown: from the first graded check on, "
                "feedback shows scores, not output.)</p>" if cell.get("outputs") else "")
    parts = []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "stream":
            parts.append(f"<pre class='out'>{_esc(_cut(out.get('text', '')))}</pre>")
        elif kind == "error":
            # Only the last line: a traceback would quote the source.
            parts.append(f"<pre class='err'>{_esc(_cut(out.get('ename', 'Error')))}: "
                         f"{_esc(_cut(out.get('evalue', '')))}</pre>")
    return "".join(parts)


def _kind_summary(answers: dict, key: dict) -> str:
    from kit.taxonomy import KINDS
    rows, doubted, believed = [], 0, 0
    for kind in KINDS:
        ids = [sid for sid, accepted in key.items() if accepted[0] == kind]
        if not ids:
            continue
        right = sum(answers.get(sid) in key[sid] for sid in ids)
        rows.append(f"<tr><td>{kind}</td><td>{right} of {len(ids)}</td></tr>")
    for sid, accepted in key.items():
        given = answers.get(sid)
        if given in accepted or given is None:
            continue
        doubted += accepted[0] == "fact" and given in ("inference", "speculation")
        believed += accepted[0] in ("inference", "speculation") and given == "fact"
    answered = sum(1 for sid in key if answers.get(sid))
    return (f"<p>You chose a kind for {answered} of {len(key)} sentences.</p>"
            "<table><tr><th>sentences whose key is</th><th>you got right</th></tr>"
            + "".join(rows) + "</table>"
            f"<p><strong>Over-sceptical:</strong> {doubted} facts marked as inference or "
            f"speculation. <strong>Credulous:</strong> {believed} inferences or speculations "
            "marked as fact. Both count: a careful reader trusts well-sourced facts and "
            "questions the rest.</p>")


def _source_summary(answers: dict, key: dict) -> str:
    from kit.scoring import names_match
    types = sum(isinstance(answers.get(sid), dict) and answers[sid].get("type") == k["type"]
                for sid, k in key.items())
    names = sum(isinstance(answers.get(sid), dict) and (
        answers[sid].get("type") == "none" if k["type"] == "none"
        else names_match(str(answers[sid].get("name") or ""), k["name"], k.get("aliases", [])))
        for sid, k in key.items())
    vague = sum(1 for k in key.values() if k["type"] == "vague")
    return (f"<p>Source types right: {types} of {len(key)}. Who says so right: {names} of "
            f"{len(key)}. The article has {vague} sentence(s) with a vague source: those are "
            "the claims nobody can be asked about.</p>")


STYLE = """
body{font-family:system-ui,sans-serif;max-width:52em;margin:2em auto;line-height:1.5;color:#111}
h1{font-size:1.5em} .cell{border-top:1px solid #ccc;padding:.5em 0}
pre{background:#f5f5f5;padding:.5em;white-space:pre-wrap;overflow-wrap:anywhere}
pre.err{border-left:4px solid #8a1c1c} .score{font-weight:bold}
table{border-collapse:collapse} td,th{border:1px solid #999;padding:.2em .6em;text-align:left}
"""


def feedback_html(student: str, assignment: str, notebook_path: Path, scores: dict,
                  keys: list, totals: tuple[float, float]) -> str:
    nb = nbformat.read(notebook_path, as_version=4)
    answers_file = notebook_path.with_name(f"{notebook_path.stem}.answers.json")
    body = []
    first_check = next((i for i, c in enumerate(nb.cells)
                        if c.get("metadata", {}).get("nbgrader", {}).get("grade")
                        or "BEGIN HIDDEN TESTS" in c.get("source", "")), len(nb.cells))
    for index, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id", "")
        graded = bool(meta.get("grade"))
        if cell.cell_type == "markdown":
            if meta.get("solution") and graded:
                score = scores.get(grade_id)
                mark = ("waiting for your teacher's marking" if score is None or score[0] is None
                        else f"{score[0]:g} of {score[1]:g}")
                body.append(f"<div class='cell'><p class='score'>Your written answer: {mark}</p>"
                            f"{_cell_markdown(cell.source)}</div>")
            else:
                body.append(f"<div class='cell'>{_cell_markdown(cell.source)}</div>")
            continue
        source = strip_hidden(cell.source) if graded else cell.source
        heading = ""
        if graded:
            score = scores.get(grade_id, (None, meta.get("points", 0)))
            got = "not graded" if score[0] is None else f"{score[0]:g}"
            heading = (f"<p class='score'>Check <code>{_esc(grade_id)}</code>: {got} of "
                       f"{score[1]:g} points</p>")
            doc = _docstring(source)
            if doc:
                heading += f"<p>{_esc(doc)}</p>"
        summary = ""
        if "nb." in source and answers_file.exists():
            for k in keys:
                entry = load_entry(answers_file, k.widget_key)
                given = entry.get("answers", {}) if isinstance(entry.get("answers"), dict) else {}
                if k.widget_key in source or k.widget_key.split(":", 1)[1] in source:
                    summary = (_kind_summary(given, k.key) if k.widget_key.startswith("sorter:")
                               else _source_summary(given, k.key))
        body.append(f"<div class='cell'>{heading}<pre>{_esc(_cut(source, MAX_SOURCE_CHARS))}</pre>"
                    f"{_outputs_html(cell, index < first_check)}{summary}</div>")
    total, maximum = totals
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>Feedback: {_esc(assignment)} for {_esc(student)}</title><style>{STYLE}</style>"
            f"</head><body><h1>Feedback: {_esc(assignment)}</h1>"
            f"<p>Student: {_esc(student)} · Notebook: {_esc(notebook_path.stem)} · "
            f"<span class='score'>Score: {total:g} of {maximum:g}</span></p>"
            + "".join(body) + "</body></html>")


def write_feedback(course: Path, assignment: str, students: list[str] | None = None) -> list[Path]:
    """Write feedback for every autograded submission; returns the files written."""
    from kit.grade import GradeError, _course_id
    course = Path(course).resolve()
    autograded = course / "autograded"
    if not autograded.is_dir():
        raise GradeError(f"{course}: nothing autograded yet; run `kit grade {assignment}` first")
    keys = cell_keys(course / "source" / assignment)
    ensure_bin_on_path()
    from nbgrader.api import Gradebook, MissingEntry
    written = []
    with Gradebook(db_url(course), _course_id(course)) as gb:
        for student_dir in sorted(autograded.iterdir()):
            student = student_dir.name
            if students and student not in students:
                continue
            folder = student_dir / assignment
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.ipynb")):
                try:
                    nb_sub = gb.find_submission_notebook(path.stem, assignment, student)
                except MissingEntry:
                    continue
                scores = {g.name: (g.score, g.max_score) for g in nb_sub.grades}
                text = feedback_html(student, assignment, path, scores, keys,
                                     (nb_sub.score, nb_sub.max_score))
                out = course / "feedback" / student / assignment / f"{path.stem}.html"
                out.parent.mkdir(parents=True, exist_ok=True)
                write_text_atomic(out, text)
                written.append(out)
            # `nbgrader release_feedback` needs these two beside the HTML (as its own
            # generate_feedback leaves them) to file the feedback under the right student.
            for name in ("timestamp.txt", "submission_secret.txt"):
                if (folder / name).is_file() and (course / "feedback" / student / assignment).is_dir():
                    shutil.copyfile(folder / name, course / "feedback" / student / assignment / name)
    return written
