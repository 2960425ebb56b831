"""ProgressView: what a student has done so far, read from every answers file in a folder.

For each notebook and widget: how many sentences were checked and how many were right,
with over-scepticism (facts doubted) and credulity (inference believed) counted apart;
flags found and hints used in error hunts; quiz scores. Then one suggestion: the first
lesson with nothing checked yet. Scores are recomputed from the article's key, so an
answers file edited by hand cannot claim more than the student did.

`progress_summary(folder)` returns the rows as plain dicts, for tests and teacher tools.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import ipywidgets as w

from kit.answers import AnswersUnreadable, read_answers_file
from kit.scoring import score_hedges, score_kinds, score_source
from kit.taxonomy import KINDS, SOURCE_TYPES
from kit.widgets.base import esc
from kit.widgets.hedges import words_of
from kit.widgets.sources import is_no_one

SUFFIX = ".answers.json"
COLUMNS = ("notebook", "widget", "family", "article", "total", "answered", "checked", "right",
           "over_sceptical", "credulous", "found", "hints", "note")


def _row(notebook: str, widget: str = "", **values) -> dict:
    row = dict.fromkeys(COLUMNS)
    row.update(notebook=notebook, widget=widget, **values)
    return row


def _ids(value) -> list[str]:
    """The distinct strings of a saved list (a hand-edited file may repeat or mix them)."""
    return list(dict.fromkeys(v for v in value if isinstance(v, str))) if isinstance(value, list) else []


def _count_entry(entry: dict, article) -> dict:
    """The numbers for one widget entry, recomputed from the key where there is one."""
    family = entry.get("type")
    total = entry.get("total") if isinstance(entry.get("total"), int) else None
    if family == "sorter":
        answers = entry.get("answers") if isinstance(entry.get("answers"), dict) else {}
        valid = {s.id for s in article.sentences}
        checked = [c for c in _ids(entry.get("checked")) if c in valid and answers.get(c) in KINDS]
        answered = sum(answers.get(s) in KINDS for s in valid)
        out = dict(total=total or len(article.sentences), answered=answered, checked=len(checked),
                   right=0, over_sceptical=0, credulous=0)
        if checked:  # score_kinds scores every sentence when given no ids
            score = score_kinds(article, {c: answers[c] for c in checked}, checked)
            out.update(right=score.correct, over_sceptical=score.over_sceptical,
                       credulous=score.credulous)
        return out
    if family == "sources":
        answers = entry.get("answers") if isinstance(entry.get("answers"), dict) else {}
        valid = {s.id for s in article.sentences}
        checked = [c for c in _ids(entry.get("checked"))
                   if c in valid and isinstance(answers.get(c), dict)]
        right = 0
        for c in checked:
            a = answers[c]
            name = a.get("name") if isinstance(a.get("name"), str) else ""
            result = score_source(article.sentence(c), a.get("type"), "" if is_no_one(name) else name)
            right += result.points == 1
        answered = sum(isinstance(a, dict) and a.get("type") in SOURCE_TYPES
                       for k, a in answers.items() if k in valid)
        return dict(total=total, answered=answered, checked=len(checked), right=right)
    if family == "hedges":
        marked = entry.get("marked") if isinstance(entry.get("marked"), dict) else {}
        valid = {s.id for s in article.sentences}
        checked = [c for c in _ids(entry.get("checked")) if c in valid]
        right = 0
        for c in checked:
            words = words_of(article.sentence(c).text)
            ix = marked.get(c) if isinstance(marked.get(c), list) else []
            chosen = [words[i] for i in ix if isinstance(i, int) and 0 <= i < len(words)]
            right += score_hedges(article.sentence(c), chosen) == (1.0, 1.0)
        answered = sum(bool(v) for k, v in marked.items() if k in valid and isinstance(v, list))
        return dict(total=total, answered=max(answered, len(checked)), checked=len(checked),
                    right=right)
    if family == "errorhunt":
        flags = {f.id for f in article.flags}
        found = entry.get("found") if isinstance(entry.get("found"), dict) else {}
        hints = entry.get("hints") if isinstance(entry.get("hints"), dict) else {}
        used = sum(v for k, v in hints.items() if k in flags and isinstance(v, int))
        return dict(total=len(flags), found=sum(k in flags for k in found), hints=used)
    raise ValueError(family)


def summarise_entry(notebook: str, key: str, entry: dict) -> dict:
    """One row for one widget entry of one answers file."""
    family = entry.get("type") if isinstance(entry.get("type"), str) else "unknown"
    article_id = entry.get("article") if isinstance(entry.get("article"), str) else None
    base = dict(family=family, article=article_id)
    if family == "quiz":
        checked = len(_ids(entry.get("checked")))
        right = entry.get("right") if isinstance(entry.get("right"), int) else 0
        total = entry.get("total") if isinstance(entry.get("total"), int) else None
        choices = entry.get("choices") if isinstance(entry.get("choices"), dict) else {}
        # The quiz's questions live in the notebook, not here, so "right" is taken from the
        # file; it can never exceed the questions checked.
        return _row(notebook, key, **base, total=total, answered=len(choices), checked=checked,
                    right=max(0, min(right, checked)))
    if family == "highlighter":
        layers = ", ".join(_ids(entry.get("layers"))) or "none"
        return _row(notebook, key, **base, note=f"layers on: {layers}")
    if family not in ("sorter", "sources", "hedges", "errorhunt"):
        return _row(notebook, key, **base, note=f"not counted: widget type {family!r}")
    if not article_id:
        return _row(notebook, key, **base, note="not counted: no article named")
    try:
        from kit.library import load
        article = load(article_id)
    except Exception as exc:  # noqa: BLE001 - an unknown or broken article is one note
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return _row(notebook, key, **base, note=f"not counted: article {article_id!r} "
                    f"could not be loaded ({first})")
    if not article.annotated:
        return _row(notebook, key, **base, note="not counted: this article's key is not in the kit")
    return _row(notebook, key, **base, **_count_entry(entry, article))


def answers_files(folder: str | os.PathLike | None = None) -> list[Path]:
    return sorted(Path(folder or Path.cwd()).glob(f"*{SUFFIX}"))


def progress_summary(folder: str | os.PathLike | None = None) -> list[dict]:
    """One row per widget per answers file in `folder` (default: here), in notebook order.

    Each row has the keys in COLUMNS; numbers that do not apply are None. An unreadable
    file gives one row with only `notebook` and a one-line `note`.
    """
    rows = []
    for path in answers_files(folder):
        notebook = path.name[: -len(SUFFIX)]
        try:
            widgets = read_answers_file(path)
        except AnswersUnreadable as exc:
            rows.append(_row(notebook, note=f"skipped: {exc}"))
            continue
        for key in sorted(widgets):
            rows.append(summarise_entry(notebook, key, widgets[key]))
    return rows


def _did_something(row: dict) -> bool:
    return bool(row.get("checked") or row.get("found"))


def what_next(folder: str | os.PathLike | None = None, rows: list[dict] | None = None) -> str:
    """One suggestion: the first numbered lesson in `folder` with nothing checked yet."""
    folder = Path(folder or Path.cwd())
    rows = progress_summary(folder) if rows is None else rows
    busy = {r["notebook"] for r in rows if _did_something(r)}
    notebooks = sorted(p.stem for p in folder.glob("*.ipynb"))
    lessons = [n for n in notebooks if re.match(r"\d", n)] or notebooks
    for lesson in lessons:
        if lesson not in busy:
            return f"What next: open {lesson}.ipynb; nothing is checked there yet."
    if not lessons and not busy:
        return "What next: open the first lesson and start; your progress will show here."
    worst = max((r for r in rows if r.get("checked")),
                key=lambda r: (r["checked"] - (r["right"] or 0)), default=None)
    if worst and worst["checked"] - (worst["right"] or 0) > 0:
        return (f"What next: every lesson here has something checked. Go back to "
                f"{worst['notebook']} ({worst['widget']}), where most answers were not right.")
    return "What next: every lesson here has something checked. Try an article you have not read."


def describe(row: dict) -> str:
    """What a row says, in words, for the table."""
    family = row["family"]
    if row.get("note") and family is None:
        return ""
    if family == "errorhunt":
        hints = f", {row['hints']} hint{'s' if row['hints'] != 1 else ''} used" if row["hints"] else ""
        return f"{row['found']} of {row['total']} flags found{hints}"
    if family == "quiz":
        of = f" of {row['total']}" if row["total"] else ""
        return f"{row['right']}{of} right ({row['checked']} checked)"
    if row.get("checked") is None:
        return ""
    of = f" of {row['total']}" if row["total"] else ""
    verb = {"sorter": "sorted", "hedges": "marked", "sources": "answered"}.get(family, "answered")
    return f"{row['answered']}{of} {verb}, {row['checked']} checked, {row['right']} right"


def table_html(rows: list[dict]) -> str:
    if not rows:
        return "<p>No answers files here yet.</p>"
    head = ("Notebook", "Widget", "Done", "Over-sceptical (facts doubted)",
            "Credulous (inference believed)", "Note")
    out = ["<table class='wss-progress' style='border-collapse:collapse'>",
           "<caption style='text-align:left'>Your progress, by notebook and widget</caption><tr>",
           *[f"<th scope='col' style='text-align:left;padding:2px 8px'>{esc(h)}</th>" for h in head],
           "</tr>"]
    for r in rows:
        cells = (r["notebook"], r["widget"] or "", describe(r),
                 "" if r["over_sceptical"] is None else str(r["over_sceptical"]),
                 "" if r["credulous"] is None else str(r["credulous"]), r["note"] or "")
        out.append("<tr>" + "".join(f"<td style='padding:2px 8px;border-top:1px solid #999'>"
                                    f"{esc(c)}</td>" for c in cells) + "</tr>")
    out.append("</table>")
    return "".join(out)


class ProgressView(w.VBox):
    """A table of progress across every notebook in `folder`, a suggestion of what to do
    next, and a Refresh button. It only reads answers files; it never writes them."""

    def __init__(self, folder: str | os.PathLike | None = None, title: str = "Your progress"):
        super().__init__()
        self.folder = Path(folder or Path.cwd())
        self.heading = w.HTML(f"<h4 style='margin:4px 0'>{esc(title)}</h4>")
        self.table = w.HTML()
        self.next_step = w.HTML()
        self.refresh_button = w.Button(description="Refresh", icon="refresh",
                                       tooltip="Read the answers files again")
        self.refresh_button.on_click(lambda _: self.refresh())
        self.rows: list[dict] = []
        self.children = [self.heading, self.table, self.next_step, self.refresh_button]
        self.refresh()

    def refresh(self) -> None:
        self.rows = progress_summary(self.folder)
        self.table.value = table_html(self.rows)
        self.next_step.value = (f"<p role='status' aria-live='polite'><strong>➜ "
                                f"{esc(what_next(self.folder, self.rows))}</strong></p>")
