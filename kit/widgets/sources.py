"""SourceFinder: for each sentence the student says who says so, and what kind of source
that is, then checks it against the key.

Feedback explains the difference that matters: a named source can be looked up, a vague
one cannot, and a sentence with no source is the outlet vouching for itself. When the
attribution is carried over from an earlier sentence, the feedback says which one.
"""
from __future__ import annotations

import re

import ipywidgets as w

from kit.article import Article, Sentence
from kit.scoring import SourceResult, score_source
from kit.taxonomy import SOURCE_TYPES
from kit.widgets.base import RIGHT, WRONG, chosen_html, esc, feedback_html
from kit.widgets.steps import SentenceSteps
from kit.widgets.sorter import sentence_html

NO_ONE = "No one: the outlet's own voice"
# What a student might type for "no source"; all of them mean NO_ONE.
_NO_ONE_WORDS = {"no one", "no-one", "noone", "nobody", "none", "the outlet", "outlet",
                 NO_ONE.casefold()}
HALF = "◐ Half right"
TYPE_OPTIONS = [(t.capitalize(), t) for t in SOURCE_TYPES]

TYPE_EXPLANATIONS = {
    "person": "A named person can be looked up: who they are, what they know, and whether "
              "they really said this.",
    "organisation": "A named organisation can be looked up: what it is, who runs and funds it, "
                    "and whether its report really says this.",
    "document": "The documents themselves are the source: you can ask who has seen them, "
                "whether they are genuine, and whether they really say this.",
}


def source_names(article: Article) -> list[str]:
    """The names a student can pick from: every source the key names, without glosses
    such as "(unnamed)" (which would give the type away), then NO_ONE."""
    names: dict[str, str] = {}
    for s in article.sentences:
        if s.source.type == "none":
            continue
        for part in s.source.name.split(";"):
            name = re.sub(r"\s*\([^)]*\)", "", part).strip()
            if name:
                names.setdefault(name.casefold(), name)
    return sorted(names.values(), key=str.casefold) + [NO_ONE]


def is_no_one(name: str) -> bool:
    return str(name or "").strip().casefold() in _NO_ONE_WORDS


def default_sentence_ids(article: Article) -> list[str]:
    """Sentences with something to find: a cue word or a source other than none."""
    ids = [s.id for s in article.sentences if s.cues or s.source.type != "none"]
    return ids or [s.id for s in article.sentences]


def carried_from(article: Article, s: Sentence) -> Sentence | None:
    """The earlier sentence that names the source this sentence carries on from."""
    earlier = []
    for other in article.sentences:
        if other.id == s.id:
            break
        earlier.append(other)
    for other in reversed(earlier):
        if not other.source.carried and other.source.name.casefold() == s.source.name.casefold():
            return other
    return None


def _who(s: Sentence) -> str:
    if s.source.type == "none":
        return "no one is credited: it is the outlet's own voice"
    if s.source.type == "vague":
        return f"“{s.source.name}”, a vague source"
    return f"{s.source.name} ({s.source.type})"


def explain(article: Article, s: Sentence, result: SourceResult) -> str:
    """Feedback for one checked sentence, built from the key."""
    key_type, name = s.source.type, s.source.name
    parts = []
    if key_type == "vague":
        parts.append(f"<p><strong>Vague source.</strong> “{esc(name)}” is not a name you can look "
                     "up, so you cannot check who they are, what they know, whether they saw the "
                     "evidence, or whether they said this at all. A vague source asks you to take "
                     "the outlet's word for it.</p>")
    elif key_type == "none":
        parts.append("<p><strong>No source: the outlet's own voice.</strong> No one is credited, so "
                     "the outlet itself is vouching for this. You are trusting its own reporting: "
                     "who wrote it, and how would they know?</p>")
    else:
        parts.append(f"<p><strong>Named source ({esc(key_type)}: {esc(SOURCE_TYPES[key_type])}).</strong> "
                     f"{esc(TYPE_EXPLANATIONS[key_type])}</p>")
    if s.source.carried:
        origin = carried_from(article, s)
        where = (f"sentence {esc(origin.id)}, which names {esc(name)}" if origin
                 else "an earlier sentence")
        parts.append("<p><strong>Carried attribution.</strong> This sentence does not name its "
                     f"source again, but it goes on from {where}: a careful reader can tell the "
                     "words still come from there.</p>")
    if s.cues:
        parts.append("<p>Cue words: " + ", ".join(f"“{esc(c)}”" for c in s.cues) + ".</p>")
    answer = result.answer_type
    if answer and not result.type_correct:
        contrast = ""
        if answer == "vague" and key_type in TYPE_EXPLANATIONS:
            contrast = " But this source is named, and the name is what lets you check it."
        elif answer in TYPE_EXPLANATIONS and key_type == "vague":
            contrast = f" But no one is named here: “{name}” could be anyone."
        elif answer == "none":
            contrast = (" But someone is credited here" + (", carried over from earlier" if s.source.carried
                        else "") + ": look for the cue words and the name.")
        elif key_type == "none":
            contrast = " But no one is credited here: the words are the outlet's own."
        parts.append(f"<p>You chose {esc(answer)}: {esc(SOURCE_TYPES[answer])}.{esc(contrast)}</p>")
    if s.why:
        parts.append(f"<p style='font-size:90%'>From the key: {esc(s.why)}</p>")
    body = "".join(parts)

    if result.type_correct and result.name_correct:
        return feedback_html(RIGHT, _who(s) + ".", body, tone="right")
    if result.type_correct:
        return feedback_html(HALF, f"the type ({key_type}) is right, but the key names {name}.",
                             body, tone="warn")
    if result.name_correct and key_type != "none":
        chose = answer or "no type"
        return feedback_html(HALF, f"{name} is right, but the type is {key_type}, not {chose}.",
                             body, tone="warn")
    return feedback_html(WRONG, f"the key says {_who(s)}.", body, tone="wrong")


class SourceFinder(SentenceSteps):
    """Who says so? Name the source of each sentence and pick its type.

    mode="one" shows one sentence at a time with Previous/Next; mode="all" lists them all.
    `answer(...)` fills in a sentence as typing and clicking would; `check(...)` judges it.
    """

    family = "sources"
    sentence_html = staticmethod(sentence_html)

    def __init__(self, article: Article, store, key: str, mode: str = "one",
                 sentence_ids: list[str] | None = None, title: str = "Who says so"):
        # Graded (text-only article): body sentences, and no names to pick that would
        # come from the key.
        default = ([s.id for s in article.sentences if s.part == "body"] if not article.annotated
                   else default_sentence_ids(article))
        super().__init__(article, store, key, mode, sentence_ids, default)
        self.names = [NO_ONE] if self.graded else source_names(article)

        heading = w.HTML(
            f"<h4 style='margin:4px 0'>{esc(title)}: {esc(article.title)}</h4>"
            "<p style='margin:0 0 4px 0'>For each sentence, type or pick <em>who says so</em> "
            f"(pick “{esc(NO_ONE)}” if no one is credited), choose the type of source, then "
            + ("your answer is saved for grading. " if self.graded else "press <em>Check</em>. ")
            + "Keyboard: Tab between controls; arrows or typing in the name box, "
            "Space or Enter on the buttons.</p>")
        self._lay_out(heading)
        self.restore(store.get(key))

    # -- building ---------------------------------------------------------------------
    def _row(self, index: int, s: Sentence) -> dict:
        part = self.parts  # every row shares its layouts and styles (see SharedParts)
        text = part(w.HTML, sentence_html(s, index + 1, len(self.sentences)))
        # continuous_update=False: save when the student leaves the box or presses Enter,
        # not on every keystroke.
        name = part(w.Combobox, options=self.names, value="", description="Who says so?",
                    placeholder="type a name, or pick one", ensure_option=False,
                    continuous_update=False, tooltip="Who says so? Type or pick a name",
                    style={"description_width": "initial"}, layout=part.layout_with(width="420px"))
        kind = part(w.ToggleButtons, options=TYPE_OPTIONS, value=None, description="Type:",
                    tooltips=[SOURCE_TYPES[t] for t in SOURCE_TYPES], style={"button_width": "120px"})
        check = part(w.Button, description="Check", button_style="primary",
                     tooltip="Check who says so against the key",
                     layout=part.layout_with(display="none") if self.graded else part.layout)
        feedback = part(w.HTML)
        chosen = part(w.HTML, chosen_html(None, "source type"))
        row = {"index": index, "text": text, "name": name, "type": kind, "check": check,
               "chosen": chosen, "feedback": feedback,
               "box": part(w.VBox, [text, name, part(w.HBox, [kind, check], layout=part.layout_with(align_items="flex-end")), chosen, feedback])}
        name.observe(lambda change, r=row: self._changed(r, "name", change["new"] or ""), names="value")
        kind.observe(lambda change, r=row: self._changed(r, "type", change["new"]), names="value")
        check.on_click(lambda _, r=row: self.check(self.sentences[r["index"]].id))
        return row

    # -- state ------------------------------------------------------------------------
    def state(self) -> dict:
        return {"type": self.family, "article": self.article.id,
                "answers": {k: dict(v) for k, v in self.answers.items()},
                "checked": sorted(self.checked), "position": self.position,
                "total": len(self.sentences)}

    def restore(self, entry: dict) -> None:
        self.restoring = True
        try:
            entry = entry if isinstance(entry, dict) else {}
            answers = entry.get("answers", {})
            valid = {s.id for s in self.sentences}
            self.answers = {}
            if isinstance(answers, dict):
                for sid, a in answers.items():
                    if sid not in valid or not isinstance(a, dict):
                        continue
                    name = a.get("name") if isinstance(a.get("name"), str) else ""
                    kind = a.get("type") if a.get("type") in SOURCE_TYPES else None
                    if name or kind:
                        self.answers[sid] = {"name": name, "type": kind}
            self._restore_place(entry if isinstance(entry, dict) else {})
        finally:
            self.restoring = False
        self._update_tally()

    def _show(self, row: dict, s: Sentence) -> None:
        a = self.answers.get(s.id, {})
        row["name"].value = a.get("name", "")
        row["type"].value = a.get("type")
        row["chosen"].value = chosen_html(a.get("type"), "source type")
        row["feedback"].value = self._feedback(s) if s.id in self.checked else ""

    def _result(self, s: Sentence) -> SourceResult:
        a = self.answers.get(s.id, {})
        name = "" if is_no_one(a.get("name", "")) else a.get("name", "")
        return score_source(s, a.get("type"), name)

    def _feedback(self, s: Sentence) -> str:
        return explain(self.article, s, self._result(s))

    # -- actions ----------------------------------------------------------------------
    def answer(self, sentence_id: str, name: str | None = None, source_type: str | None = None) -> None:
        """Type a name and/or pick a type for a sentence, as the student would."""
        row = self._row_for(sentence_id)
        if row is None:
            self.go(self.index(sentence_id))
            row = self.rows[0]
        if name is not None:
            row["name"].value = name
        if source_type is not None:
            row["type"].value = source_type

    def _changed(self, row: dict, field: str, value) -> None:
        if self.restoring:
            return
        s = self.sentences[row["index"]]
        a = self.answers.setdefault(s.id, {"name": "", "type": None})
        a[field] = value
        row["chosen"].value = chosen_html(a.get("type"), "source type")
        if not a["name"] and not a["type"]:
            self.answers.pop(s.id, None)
        # A changed answer needs a new check: old feedback would describe the old answer.
        self.checked.discard(s.id)
        row["feedback"].value = ""
        self.save()
        self._update_tally()

    def check(self, sentence_id: str | None = None) -> None:
        """Judge one sentence (default: the one shown) and explain its source from the key."""
        if self.graded:
            return  # no key here: grading happens after submission
        if sentence_id is None:
            sentence_id = self.sentences[self.rows[0]["index"]].id
        self.index(sentence_id)
        row = self._row_for(sentence_id)
        s = self.article.sentence(sentence_id)
        if not self.answers.get(sentence_id, {}).get("type"):
            if row:
                row["feedback"].value = feedback_html(
                    "ℹ First choose", "pick a type of source (and type who says so), then press Check.")
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
    def results(self) -> list[SourceResult]:
        """Results of the checked sentences only (what the student has seen judged)."""
        return [self._result(s) for s in self.sentences if s.id in self.checked]

    def _update_tally(self) -> None:
        total = len(self.sentences)
        if self.graded:
            done = sum(1 for s in self.sentences if self.answers.get(s.id, {}).get("type"))
            self.tally.value = (f"<p class='wss-tally' role='status' aria-live='polite'>Answered "
                                f"{done} of {total}. Saved.</p>")
            return
        results = self.results()
        if not results:
            self.tally.value = (f"<p class='wss-tally'>Checked 0 of {total}. Your tally of "
                                "sources found appears here.</p>")
            return
        right = sum(r.points == 1 for r in results)
        half = sum(r.points == 0.5 for r in results)
        points = sum(r.points for r in results)
        self.tally.value = (
            f"<p class='wss-tally' role='status' aria-live='polite'>Checked {len(results)} of {total}: "
            f"<strong>{right} right</strong> · {half} half right · "
            f"{points:g} of {len(results)} points</p>")
