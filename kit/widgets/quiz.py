"""Quiz: multiple-choice questions given as data, each option with its own explanation.

    questions = [{"id": "q1", "question": "Who says so in the dek?",
                  "options": [{"text": "RUSI", "correct": True, "why": "..."},
                              {"text": "The outlet", "correct": False, "why": "..."}]}]

Each question has radio buttons and a Check button; feedback gives the chosen option's
`why` and, for a wrong choice, the right answer and its `why`. The score counts checked
questions answered right ("2 of 3"). Choices are saved by option text, so a teacher who
reorders the options does not scramble saved answers.
"""
from __future__ import annotations

import ipywidgets as w

from kit.widgets.base import RIGHT, WRONG, AnswerWidget, esc, feedback_html


def validate_questions(questions) -> list[dict]:
    """The questions as given, or ValueError naming the question and field at fault."""
    if not isinstance(questions, list) or not questions:
        raise ValueError("a quiz needs a non-empty list of questions")
    seen = set()
    for n, q in enumerate(questions, 1):
        where = f"question {n}" + (f" ({q.get('id')})" if isinstance(q, dict) and q.get("id") else "")
        if not isinstance(q, dict):
            raise ValueError(f"{where}: should be a mapping with id, question and options")
        for field in ("id", "question"):
            if not isinstance(q.get(field), str) or not q[field].strip():
                raise ValueError(f"{where}: field {field!r} should be non-empty text")
        if q["id"] in seen:
            raise ValueError(f"{where}: id {q['id']!r} is used twice")
        seen.add(q["id"])
        options = q.get("options")
        if not isinstance(options, list) or len(options) < 2:
            raise ValueError(f"{where}: field 'options' should list at least two options")
        texts = set()
        for m, o in enumerate(options, 1):
            if not isinstance(o, dict) or not isinstance(o.get("text"), str) or not o["text"].strip():
                raise ValueError(f"{where}: option {m} should have non-empty 'text'")
            if not isinstance(o.get("correct"), bool):
                raise ValueError(f"{where}: option {m} should have 'correct: true' or 'false'")
            if not isinstance(o.get("why"), str) or not o["why"].strip():
                raise ValueError(f"{where}: option {m} should have a non-empty 'why'")
            if o["text"] in texts:
                raise ValueError(f"{where}: option text {o['text']!r} is used twice")
            texts.add(o["text"])
        if not any(o["correct"] for o in options):
            raise ValueError(f"{where}: no option is marked correct")
    return questions


class Quiz(AnswerWidget):
    """Multiple-choice questions with an explanation for every option.

    `choose(question_id, option_text)` picks an option as a click would; `check(question_id)`
    judges one question (None: every answered question); `score()` is (right, total).
    """

    family = "quiz"

    def __init__(self, questions: list[dict], store, key: str, title: str = "Quiz",
                 article_id: str | None = None):
        super().__init__(store, key)
        self.questions = validate_questions(questions)
        self.article_id = article_id
        self.choices: dict[str, str] = {}  # question id -> chosen option text
        self.checked: set[str] = set()
        self.rows: dict[str, dict] = {}
        heading = w.HTML(f"<h4 style='margin:4px 0'>{esc(title)}</h4>"
                         "<p style='margin:0 0 4px 0'>Choose an answer for each question and press "
                         "<em>Check</em>. Keyboard: Tab to the answers, arrows to choose, Tab to "
                         "Check and press Enter or Space.</p>")
        boxes = []
        for n, q in enumerate(self.questions, 1):
            text = w.HTML(f"<p style='margin:6px 0 2px 0'><strong>Question {n}.</strong> "
                          f"{esc(q['question'])}</p>")
            radios = w.RadioButtons(options=[o["text"] for o in q["options"]], value=None,
                                    description="Answer:", layout=w.Layout(width="auto"))
            check = w.Button(description="Check", button_style="primary",
                             tooltip=f"Check your answer to question {n}")
            feedback = w.HTML()
            row = {"question": q, "radios": radios, "check": check, "feedback": feedback}
            radios.observe(lambda change, qid=q["id"]: self._chosen(qid, change["new"]), names="value")
            check.on_click(lambda _, qid=q["id"]: self.check(qid))
            self.rows[q["id"]] = row
            boxes.append(w.VBox([text, radios, check, feedback]))
        self.tally = w.HTML()
        self.children = [heading, *boxes, self.tally, self.status]
        self.restore(store.get(key))

    # -- state ------------------------------------------------------------------------
    def state(self) -> dict:
        # "right" is derived, but the progress view has no questions to recompute it from.
        out = {"type": self.family, "choices": dict(self.choices), "checked": sorted(self.checked),
               "right": self.score()[0], "total": len(self.questions)}
        if self.article_id:
            out["article"] = self.article_id
        return out

    def restore(self, entry: dict) -> None:
        self.restoring = True
        try:
            entry = entry if isinstance(entry, dict) else {}
            choices = entry.get("choices", {})
            self.choices = {}
            if isinstance(choices, dict):
                for qid, row in self.rows.items():
                    if choices.get(qid) in row["radios"].options:
                        self.choices[qid] = choices[qid]
            checked = entry.get("checked", [])
            self.checked = {c for c in checked if c in self.choices} if isinstance(checked, list) else set()
            for qid, row in self.rows.items():
                row["radios"].value = self.choices.get(qid)
                row["feedback"].value = self._feedback(qid) if qid in self.checked else ""
        finally:
            self.restoring = False
        self._update_tally()

    # -- actions ----------------------------------------------------------------------
    def choose(self, question_id: str, option_text: str) -> None:
        self.rows[question_id]["radios"].value = option_text

    def _chosen(self, qid: str, text: str | None) -> None:
        if self.restoring:
            return
        if text is None:
            self.choices.pop(qid, None)
        else:
            self.choices[qid] = text
        # A new choice needs a new check: old feedback would describe the old choice.
        self.checked.discard(qid)
        self.rows[qid]["feedback"].value = ""
        self.save()
        self._update_tally()

    def _option(self, qid: str, text: str) -> dict:
        return next(o for o in self.rows[qid]["question"]["options"] if o["text"] == text)

    def _feedback(self, qid: str) -> str:
        chosen = self._option(qid, self.choices[qid])
        body = f"<p>{esc(chosen['why'])}</p>"
        if chosen["correct"]:
            return feedback_html(RIGHT, f"“{chosen['text']}”.", body, tone="right")
        right = [o for o in self.rows[qid]["question"]["options"] if o["correct"]]
        body += "".join(f"<p>The right answer: <strong>{esc(o['text'])}</strong>. {esc(o['why'])}</p>"
                        for o in right)
        return feedback_html(WRONG, f"not “{chosen['text']}”.", body, tone="wrong")

    def check(self, question_id: str | None = None) -> None:
        """Judge one question, or with None every question that has an answer."""
        if question_id is None:
            for qid in list(self.choices):
                self.check(qid)
            return
        row = self.rows[question_id]
        if question_id not in self.choices:
            row["feedback"].value = feedback_html("ℹ First choose", "pick an answer, then press Check.")
            return
        self.checked.add(question_id)
        row["feedback"].value = self._feedback(question_id)
        self.save()
        self._update_tally()

    # -- score ------------------------------------------------------------------------
    def score(self) -> tuple[int, int]:
        """(checked questions answered right, number of questions)."""
        right = sum(self._option(q, self.choices[q])["correct"] for q in self.checked)
        return right, len(self.questions)

    def _update_tally(self) -> None:
        right, total = self.score()
        self.tally.value = (f"<p class='wss-tally' role='status' aria-live='polite'>Score: "
                            f"<strong>{right} of {total}</strong> ({len(self.checked)} checked)</p>")
