"""HedgeSpotter: the student marks the words that make a claim sound less sure (hedges:
"could", "roughly", "suggests") or more sure (boosters: "Finds", "most significant").

One sentence at a time, one toggle button per word. By default the sentences are those
with hedges or boosters in the key plus a couple without, so "nothing to mark" is
sometimes the right answer. Check compares the marks with the key and, when the kit's
analyser is installed, says why each word weakens or strengthens the claim.
"""
from __future__ import annotations

import re

import ipywidgets as w

from kit.article import Article, Sentence
from kit.scoring import score_hedges
from kit.taxonomy import CERTAINTIES
from kit.widgets.base import RIGHT, WRONG, AnswerWidget, esc, feedback_html
from kit.widgets.sorter import sentence_html

PARTLY = "◐ Partly"
# The same notion of a word as kit.scoring.score_hedges, so marks and key compare cleanly.
WORD = re.compile(r"[\w'’-]+")
PLAIN_EXTRA = 2  # sentences without hedges or boosters added to the default selection


def words_of(text: str) -> list[str]:
    return WORD.findall(text)


def analyser_marks(text: str, kinds: set[str]) -> list | None:
    """The kit analyser's marks of the given kinds for `text`, or None when there is no
    analyser. Each mark has .kind, .text and .reason (kit.analysis's contract).

    The analyser is optional here: a widget in a lesson must keep working if it is
    missing or fails on a sentence, so any failure counts as "no analyser".
    """
    try:
        from kit.analysis import analyse_sentence
    except ImportError:
        return None
    try:
        result = analyse_sentence(text)
        results = result if isinstance(result, (list, tuple)) else [result]
        return [m for r in results for m in (getattr(r, "marks", None) or [])
                if getattr(m, "kind", None) in kinds]
    except Exception:  # noqa: BLE001 - see docstring
        return None


def default_sentence_ids(article: Article, plain_extra: int = PLAIN_EXTRA) -> list[str]:
    """Sentences with hedges or boosters, plus `plain_extra` without, spread through the
    article, all in article order."""
    marked = [s for s in article.sentences if s.hedges or s.boosters]
    plain = [s for s in article.sentences if not (s.hedges or s.boosters)]
    picked = set()
    if plain and plain_extra > 0:
        n = min(plain_extra, len(plain))
        picked = {plain[(i + 1) * len(plain) // (n + 1)].id for i in range(n)}
    chosen = {s.id for s in marked} | picked
    return [s.id for s in article.sentences if s.id in chosen] or [s.id for s in article.sentences]


def _key_words(phrases: list[str]) -> set[str]:
    return {w.casefold() for p in phrases for w in words_of(p)}


def _phrase_line(phrase: str, marked: set[str]) -> str:
    words = {w.casefold() for w in words_of(phrase)}
    if words <= marked:
        status = "✔ you marked it"
    elif words & marked:
        status = "◐ you marked part of it"
    else:
        status = "✘ not marked"
    return f"<li>“{esc(phrase)}”: {status}</li>"


def explain(s: Sentence, marked_words: list[str]) -> str:
    """Feedback for one checked sentence: the key's hedges and boosters, what was marked
    that the key does not have, and the analyser's reasons when it is installed."""
    precision, recall = score_hedges(s, marked_words)
    marked = {m.casefold() for m in marked_words}
    key = _key_words(s.hedges + s.boosters)
    extra = sorted({m for m in marked_words if m.casefold() not in key}, key=str.casefold)
    parts = []
    if s.hedges:
        parts.append("<p><strong>Hedges</strong> (words that make the claim less sure):</p><ul>"
                     + "".join(_phrase_line(h, marked) for h in s.hedges) + "</ul>")
    if s.boosters:
        parts.append("<p><strong>Boosters</strong> (words that make the claim sound surer):</p><ul>"
                     + "".join(_phrase_line(b, marked) for b in s.boosters) + "</ul>")
    if not key:
        parts.append("<p>The key has no hedge or booster here: the sentence states its claim "
                     "flatly, neither softened nor pumped up.</p>")
    if extra:
        parts.append("<p>You marked words the key does not count: "
                     + ", ".join(f"“{esc(x)}”" for x in extra)
                     + ". Ask of each: does it change how sure the sentence sounds, or only "
                       "what it is about?</p>")
    reasons = analyser_marks(s.text, {"hedge", "booster"})
    if reasons:
        items = "".join(f"<li>“{esc(getattr(m, 'text', ''))}” ({esc(m.kind)}): "
                        f"{esc(getattr(m, 'reason', ''))}</li>" for m in reasons)
        parts.append(f"<p>Why, according to the kit's analyser:</p><ul>{items}</ul>")
    if s.certainty in CERTAINTIES:
        parts.append(f"<p style='font-size:90%'>Certainty in the key: {esc(s.certainty)} "
                     f"({esc(CERTAINTIES[s.certainty])}).</p>")
    body = "".join(parts)
    if precision == 1 and recall == 1:
        headline = ("nothing to mark here." if not key
                    else "you marked exactly the key's hedges and boosters.")
        return feedback_html(RIGHT, headline, body, tone="right")
    if not marked and key:
        return feedback_html(WRONG, "this sentence has words that change how sure it sounds.",
                             body, tone="wrong")
    if not key:
        return feedback_html(WRONG, "the key has nothing to mark here.", body, tone="wrong")
    if marked & key:
        return feedback_html(PARTLY, f"{len(marked & key)} of {len(key)} key words marked"
                             + (f", and {len(extra)} not in the key." if extra else "."),
                             body, tone="warn")
    return feedback_html(WRONG, "none of the words you marked is a hedge or booster in the key.",
                         body, tone="wrong")


class HedgeSpotter(AnswerWidget):
    """Mark the words that weaken or strengthen a claim, one sentence at a time.

    `mark(*words)` presses the buttons of those words, as a student would; `check()`
    judges the sentence shown; `go(position)` moves to another sentence.
    """

    family = "hedges"

    def __init__(self, article: Article, store, key: str, sentence_ids: list[str] | None = None,
                 plain_extra: int = PLAIN_EXTRA, title: str = "Spot the hedges and boosters"):
        super().__init__(store, key)
        if not article.annotated:
            raise ValueError(f"{article.id}: this article has no key in the kit, so it cannot give feedback")
        self.article = article
        self.sentences = [article.sentence(i) for i in
                          (sentence_ids or default_sentence_ids(article, plain_extra))]
        self.marked: dict[str, set[int]] = {}  # sentence id -> indexes of marked words
        self.checked: set[str] = set()
        self.position = 0
        self.buttons: list[w.ToggleButton] = []

        heading = w.HTML(
            f"<h4 style='margin:4px 0'>{esc(title)}: {esc(article.title)}</h4>"
            "<p style='margin:0 0 4px 0'>Press every word that makes the claim sound <em>less</em> "
            "sure (a hedge: “could”, “roughly”) or <em>more</em> sure (a booster: “Finds”, "
            "“most significant”), then press <em>Check</em>. Some sentences have none: then mark "
            "nothing and press Check. Keyboard: Tab to a word, Space or Enter to mark it.</p>")
        self.text = w.HTML()
        self.words_box = w.Box(layout=w.Layout(display="flex", flex_flow="row wrap"))
        self.marked_line = w.HTML()
        self.check_button = w.Button(description="Check", button_style="primary",
                                     tooltip="Check your marks against the key")
        self.check_button.on_click(lambda _: self.check())
        self.feedback = w.HTML()
        self.prev_button = w.Button(description="← Previous", tooltip="Previous sentence")
        self.next_button = w.Button(description="Next →", tooltip="Next sentence")
        self.prev_button.on_click(lambda _: self.go(self.position - 1))
        self.next_button.on_click(lambda _: self.go(self.position + 1))
        self.tally = w.HTML()
        self.children = [heading, self.text, self.words_box, self.marked_line,
                         self.check_button, self.feedback,
                         w.HBox([self.prev_button, self.next_button]), self.tally, self.status]
        self.restore(store.get(key))

    @property
    def sentence(self) -> Sentence:
        return self.sentences[self.position]

    # -- state ------------------------------------------------------------------------
    def state(self) -> dict:
        return {"type": self.family, "article": self.article.id,
                "marked": {sid: sorted(ix) for sid, ix in self.marked.items()},
                "checked": sorted(self.checked), "position": self.position,
                "total": len(self.sentences)}

    def restore(self, entry: dict) -> None:
        self.restoring = True
        try:
            entry = entry if isinstance(entry, dict) else {}
            marked = entry.get("marked", {})
            self.marked = {}
            if isinstance(marked, dict):
                for s in self.sentences:
                    ix = marked.get(s.id)
                    n = len(words_of(s.text))
                    if isinstance(ix, list):
                        self.marked[s.id] = {i for i in ix if isinstance(i, int) and 0 <= i < n}
            checked = entry.get("checked", [])
            valid = {s.id for s in self.sentences}
            self.checked = {c for c in checked if c in valid} if isinstance(checked, list) else set()
            position = entry.get("position", 0)
            self.position = position if isinstance(position, int) and 0 <= position < len(self.sentences) else 0
            self.go(self.position)
        finally:
            self.restoring = False
        self._update_tally()

    def index(self, sentence_id: str) -> int:
        """Where a sentence is in this widget's list; ValueError if it is not there."""
        for i, s in enumerate(self.sentences):
            if s.id == sentence_id:
                return i
        raise ValueError(f"{sentence_id} is not one of this widget's sentences")

    def marked_words(self, sentence_id: str) -> list[str]:
        words = words_of(self.article.sentence(sentence_id).text)
        return [words[i] for i in sorted(self.marked.get(sentence_id, ()))]

    # -- showing ----------------------------------------------------------------------
    def go(self, position: int) -> None:
        """Show sentence `position`, its words as toggles, with any saved marks."""
        position = max(0, min(position, len(self.sentences) - 1))
        self.position = position
        s = self.sentence
        was = self.restoring
        self.restoring = True  # showing saved marks is not a new answer
        try:
            for b in self.buttons:
                b.close()
            marked = self.marked.get(s.id, set())
            self.buttons = []
            for i, word in enumerate(words_of(s.text)):
                b = w.ToggleButton(value=i in marked, description=word, tooltip="mark this word",
                                   layout=w.Layout(width="auto", margin="1px"))
                self._style(b)
                b.observe(lambda change, i=i, b=b: self._toggled(i, b, change["new"]), names="value")
                self.buttons.append(b)
            self.words_box.children = self.buttons
            self.text.value = sentence_html(s, position + 1, len(self.sentences))
            self.feedback.value = explain(s, self.marked_words(s.id)) if s.id in self.checked else ""
            self._update_marked_line()
        finally:
            self.restoring = was
        self.prev_button.disabled = position == 0
        self.next_button.disabled = position == len(self.sentences) - 1
        self.save()

    @staticmethod
    def _style(b: w.ToggleButton) -> None:
        # A tick and a changed tooltip, not only the pressed colour, show a marked word.
        b.icon = "check" if b.value else ""
        b.tooltip = "unmark this word (marked)" if b.value else "mark this word"

    def _update_marked_line(self) -> None:
        words = self.marked_words(self.sentence.id)
        text = (", ".join(f"“{esc(x)}”" for x in words) if words
                else "nothing yet (if the sentence has no hedge or booster, that is your answer)")
        self.marked_line.value = f"<p role='status' aria-live='polite'>You marked: {text}</p>"

    # -- actions ----------------------------------------------------------------------
    def _toggled(self, index: int, button: w.ToggleButton, on: bool) -> None:
        self._style(button)
        if self.restoring:
            return
        sid = self.sentence.id
        marks = self.marked.setdefault(sid, set())
        (marks.add if on else marks.discard)(index)
        # New marks need a new check: old feedback would describe the old marks.
        self.checked.discard(sid)
        self.feedback.value = ""
        self._update_marked_line()
        self.save()
        self._update_tally()

    def mark(self, *words: str, on: bool = True, sentence_id: str | None = None) -> None:
        """Press (or with on=False release) the first button showing each word,
        case-insensitively, as a student would; go to `sentence_id` first if given."""
        if sentence_id is not None and sentence_id != self.sentence.id:
            self.go(self.index(sentence_id))
        for word in words:
            for b in self.buttons:
                if b.description.casefold() == word.casefold() and b.value != on:
                    b.value = on
                    break
            else:
                raise ValueError(f"no {'unmarked' if on else 'marked'} word {word!r} in {self.sentence.id}")

    def check(self) -> None:
        """Judge the sentence shown against the key (marking nothing is an answer too)."""
        s = self.sentence
        self.checked.add(s.id)
        self.marked.setdefault(s.id, set())
        self.feedback.value = explain(s, self.marked_words(s.id))
        self.save()
        self._update_tally()

    # -- tally ------------------------------------------------------------------------
    def results(self) -> dict[str, tuple[float, float]]:
        """(precision, recall) for each checked sentence."""
        return {s.id: score_hedges(s, self.marked_words(s.id))
                for s in self.sentences if s.id in self.checked}

    def _update_tally(self) -> None:
        results = self.results()
        total = len(self.sentences)
        if not results:
            self.tally.value = f"<p class='wss-tally'>Checked 0 of {total} sentences.</p>"
            return
        right = sum(p == 1 and r == 1 for p, r in results.values())
        self.tally.value = (f"<p class='wss-tally' role='status' aria-live='polite'>Checked "
                            f"{len(results)} of {total} sentences: <strong>{right} exactly right"
                            "</strong></p>")
