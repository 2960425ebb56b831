"""What the sentence-by-sentence widgets share: one sentence at a time with Previous and
Next, or every sentence at once; finding a sentence's row; restoring where the student
was and which sentences they had checked."""
from __future__ import annotations

import ipywidgets as w

from kit.article import Article
from kit.widgets.base import AnswerWidget, SharedParts


class SentenceSteps(AnswerWidget):
    """An AnswerWidget over `self.sentences`, each shown in a row built by `_row(i, s)`
    and refreshed by `_show(row, s)`; subclasses provide those two and `sentence_html`."""

    def __init__(self, article: Article, store, key: str, mode: str,
                 sentence_ids: list[str] | None, default_ids: list[str]):
        super().__init__(store, key)
        # A text-only (assessment) article has no key here: the widget becomes an answer
        # sheet whose answers are saved for grading, with no feedback to give away.
        self.graded = not article.annotated
        self.article = article
        self.mode = mode
        self.sentences = [article.sentence(i) for i in (sentence_ids or default_ids)]
        self.answers: dict = {}
        self.checked: set[str] = set()
        self.position = 0
        self.parts = SharedParts()  # every row shares its layouts and styles
        self.tally = w.HTML()

    def _lay_out(self, heading: w.Widget) -> None:
        """Build the rows (all of them, or one that moves) and the children."""
        if self.mode == "all":
            self.rows = [self._row(i, s) for i, s in enumerate(self.sentences)]
            body = [heading, *[r["box"] for r in self.rows]]
        else:
            self.rows = [self._row(0, self.sentences[0])]
            self.prev_button = w.Button(description="← Previous", tooltip="Previous sentence")
            self.next_button = w.Button(description="Next →", tooltip="Next sentence")
            self.prev_button.on_click(lambda _: self.go(self.position - 1))
            self.next_button.on_click(lambda _: self.go(self.position + 1))
            body = [heading, self.rows[0]["box"], w.HBox([self.prev_button, self.next_button])]
        self.children = [*body, self.tally, self.status]

    def index(self, sentence_id: str) -> int:
        """Where a sentence is in this widget's list; ValueError if it is not there."""
        for i, s in enumerate(self.sentences):
            if s.id == sentence_id:
                return i
        raise ValueError(f"{sentence_id} is not one of this widget's sentences")

    def _row_for(self, sid: str) -> dict | None:
        for r in self.rows:
            if self.sentences[r["index"]].id == sid:
                return r
        return None

    def _restore_place(self, entry: dict) -> None:
        """Checked sentences (only those with an answer) and the position, then redraw."""
        checked = entry.get("checked", [])
        self.checked = {c for c in checked if c in self.answers} if isinstance(checked, list) else set()
        position = entry.get("position", 0)
        self.position = position if isinstance(position, int) and 0 <= position < len(self.sentences) else 0
        if self.mode == "all":
            for r in self.rows:
                self._show(r, self.sentences[r["index"]])
        else:
            self.go(self.position)

    def go(self, position: int) -> None:
        """Show sentence `position` (one-sentence mode)."""
        if self.mode == "all":
            return
        position = max(0, min(position, len(self.sentences) - 1))
        self.position = position
        row = self.rows[0]
        row["index"] = position
        s = self.sentences[position]
        was = self.restoring
        self.restoring = True  # showing a saved answer is not a new answer
        try:
            row["text"].value = self.sentence_html(s, position + 1, len(self.sentences))
            self._show(row, s)
        finally:
            self.restoring = was
        self.prev_button.disabled = position == 0
        self.next_button.disabled = position == len(self.sentences) - 1
        self.save()
