"""ClaimSorter: the student picks a kind for each sentence and checks it against the key.

Feedback explains itself from the key (the sentence's `why`, and why an accepted
alternative is also fine), and a running tally counts over-scepticism (facts doubted)
and credulity (inference taken as fact) separately, because both are mistakes.
"""
from __future__ import annotations

import ipywidgets as w

from kit.article import Article, Sentence
from kit.scoring import KindResult, score_kinds
from kit.taxonomy import KINDS, SOURCE_TYPES
from kit.widgets.base import (ACCEPTED, RIGHT, WRONG, chosen_html, esc,
                              feedback_html)
from kit.widgets.steps import SentenceSteps

KIND_OPTIONS = [(k.capitalize(), k) for k in KINDS]
PART_LABELS = {"headline": "HEADLINE", "dek": "DEK (the line under the headline)", "body": ""}


def sentence_html(s: Sentence, number: int, total: int) -> str:
    part = PART_LABELS.get(s.part, "")
    label = f"Sentence {number} of {total}" + (f" · {part}" if part else "")
    return (f'<div class="wss-sentence"><div style="font-size:85%">{esc(label)}</div>'
            f'<blockquote style="margin:4px 0 6px 0;padding-left:10px;border-left:3px solid #888;'
            f'font-size:110%">{esc(s.text)}</blockquote></div>')


def explain(s: Sentence, result: KindResult) -> str:
    """The feedback for one checked sentence, built from the key."""
    source = s.source
    who = ("no one: it is the outlet's own voice" if source.type == "none"
           else f"{source.name} ({source.type}: {SOURCE_TYPES[source.type]})")
    body = f"<p>{esc(s.why)}</p><p style='font-size:90%'>Who says so: {esc(who)}.</p>"
    if result.correct and result.answer == s.kind:
        extra = ""
        if s.accept:
            extra = (f"<p style='font-size:90%'>Also accepted: {esc(', '.join(s.accept))}; "
                     "a careful reader could defend those too.</p>")
        return feedback_html(RIGHT, f"this is {s.kind}.", body + extra, tone="right")
    if result.correct:
        return feedback_html(ACCEPTED, f"the key's best answer is {s.kind}, and {result.answer} "
                             "is defensible too.", body, tone="right")
    note = ""
    if result.over_sceptical:
        note = ("<p><strong>Over-sceptical:</strong> this is a checkable fact. Doubting "
                "everything is a mistake too: a well-sourced fact deserves to be recognised.</p>")
    elif result.credulous:
        note = ("<p><strong>Credulous:</strong> this goes beyond what anyone observed or "
                "recorded. Treating it as fact gives it more weight than it has.</p>")
    return feedback_html(WRONG, f"you chose {result.answer}; the key says {s.kind}.", note + body,
                         tone="wrong")


class ClaimSorter(SentenceSteps):
    """Sort sentences into fact, inference, speculation, caveat and background.

    mode="one" shows one sentence at a time with Previous/Next; mode="all" lists the
    whole article. `check()` and the Check buttons judge the current choice(s).
    """

    family = "sorter"
    sentence_html = staticmethod(sentence_html)

    def __init__(self, article: Article, store, key: str, mode: str = "one",
                 sentence_ids: list[str] | None = None, title: str = "Sort the sentences"):
        super().__init__(article, store, key, mode, sentence_ids,
                         [s.id for s in article.sentences])

        how = ("This is graded work: each choice is saved as you click, and your teacher's "
               "grading checks it." if self.graded else
               "Pick a kind for each sentence, then press <em>Check</em>.")
        heading = w.HTML(f"<h4 style='margin:4px 0'>{esc(title)}: {esc(article.title)}</h4>"
                         f"<p style='margin:0 0 4px 0'>{how} Keyboard: Tab to the kinds, "
                         "Space or Enter to choose.</p>")
        self._lay_out(heading)
        self.restore(store.get(key))

    # -- building ---------------------------------------------------------------------
    def _row(self, index: int, s: Sentence) -> dict:
        part = self.parts  # every row shares its layouts and styles (see SharedParts)
        text = part(w.HTML, sentence_html(s, index + 1, len(self.sentences)))
        choice = part(w.ToggleButtons, options=KIND_OPTIONS, value=None, description="Kind:",
                      tooltips=[KINDS[k] for k in KINDS], style={"button_width": "110px"})
        check = part(w.Button, description="Check", button_style="primary",
                     tooltip="Check this sentence against the key",
                     layout=part.layout_with(display="none") if self.graded else part.layout)
        feedback = part(w.HTML)
        chosen = part(w.HTML, chosen_html(None, "kind"))
        row = {"index": index, "text": text, "choice": choice, "check": check, "chosen": chosen,
               "feedback": feedback,
               "box": part(w.VBox, [text, part(w.HBox, [choice, check], layout=part.layout_with(align_items="flex-end")), chosen, feedback])}
        choice.observe(lambda change, r=row: self._chosen(r, change["new"]), names="value")
        check.on_click(lambda _, r=row: self.check(self.sentences[r["index"]].id))
        return row

    # -- state ------------------------------------------------------------------------
    def state(self) -> dict:
        return {"type": self.family, "article": self.article.id, "answers": dict(self.answers),
                "checked": sorted(self.checked), "position": self.position,
                "sentences": [s.id for s in self.sentences]}

    def restore(self, entry: dict) -> None:
        self.restoring = True
        try:
            answers = entry.get("answers", {}) if isinstance(entry, dict) else {}
            valid = {s.id for s in self.sentences}
            self.answers = {k: v for k, v in answers.items() if k in valid and v in KINDS} \
                if isinstance(answers, dict) else {}
            self._restore_place(entry if isinstance(entry, dict) else {})
        finally:
            self.restoring = False
        self._update_tally()

    def _show(self, row: dict, s: Sentence) -> None:
        row["choice"].value = self.answers.get(s.id)
        row["chosen"].value = chosen_html(self.answers.get(s.id), "kind")
        row["feedback"].value = self._feedback(s) if s.id in self.checked else ""

    def _feedback(self, s: Sentence) -> str:
        result = score_kinds(self.article, self.answers, [s.id]).results[0]
        return explain(s, result)

    # -- actions ----------------------------------------------------------------------
    def choose(self, sentence_id: str, kind: str) -> None:
        """Pick a kind for a sentence, as a click would (for code and tests)."""
        row = self._row_for(sentence_id)
        if row is None:
            self.go(next(i for i, s in enumerate(self.sentences) if s.id == sentence_id))
            row = self.rows[0]
        row["choice"].value = kind

    def _chosen(self, row: dict, kind: str | None) -> None:
        if self.restoring:
            return
        s = self.sentences[row["index"]]
        if kind is None:
            self.answers.pop(s.id, None)
        else:
            self.answers[s.id] = kind
        row["chosen"].value = chosen_html(kind, "kind")
        # A new choice needs a new check: old feedback would describe the old choice.
        self.checked.discard(s.id)
        row["feedback"].value = ""
        self.save()
        self._update_tally()

    def check(self, sentence_id: str | None = None) -> None:
        """Judge one sentence (default: the one shown) and show the key's explanation."""
        if sentence_id is None:
            sentence_id = self.sentences[self.rows[0]["index"]].id
        row = self._row_for(sentence_id)
        s = self.article.sentence(sentence_id)
        if self.graded:
            return  # no key to check against: grading happens after submission
        if sentence_id not in self.answers:
            if row:
                row["feedback"].value = feedback_html("ℹ First choose", "pick a kind for this "
                                                      "sentence, then press Check.")
            return
        self.checked.add(sentence_id)
        if row:
            row["feedback"].value = self._feedback(s)
        self.save()
        self._update_tally()

    def check_all(self) -> None:
        for sid in list(self.answers):
            self.check(sid)

    # -- tally ------------------------------------------------------------------------
    def score(self):
        """The score of the checked sentences only (what the student has seen judged)."""
        return score_kinds(self.article, {k: v for k, v in self.answers.items() if k in self.checked},
                           [s.id for s in self.sentences if s.id in self.checked])

    def _update_tally(self) -> None:
        total = len(self.sentences)
        if self.graded:
            chosen = sum(1 for s in self.sentences if s.id in self.answers)
            self.tally.value = (f"<p class='wss-tally' role='status' aria-live='polite'>Chosen "
                                f"{chosen} of {total}. Saved.</p>")
            return
        score = self.score()
        if not score.total:
            self.tally.value = (f"<p class='wss-tally'>Checked 0 of {total}. Your tally of right "
                                "answers, over-scepticism and credulity appears here.</p>")
            return
        self.tally.value = (
            f"<p class='wss-tally' role='status' aria-live='polite'>Checked {score.total} of {total}: "
            f"<strong>{score.correct} right</strong> · "
            f"over-sceptical {score.over_sceptical} (facts you doubted) · "
            f"credulous {score.credulous} (inference you took as fact)</p>")
