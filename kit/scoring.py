"""Scoring a student's answers against an article's key.

One rule runs through every score here (FACTS.md, research on inoculation games):
recognising a well-sourced fact is worth exactly as much as spotting weak inference.
So kinds are scored by *balanced* accuracy (every kind in the key weighs the same,
however many sentences it has), and every report counts over-scepticism (a fact
marked as inference or speculation) beside credulity (inference or speculation
marked as fact). A student who marks everything doubtful scores badly.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from kit.article import Article, Sentence
from kit.taxonomy import KINDS, SOURCE_TYPES

DOUBTFUL_KINDS = ("inference", "speculation")


@dataclass
class KindResult:
    """How one sentence was sorted."""
    sentence_id: str
    answer: str | None
    key: str
    accepted: list[str]

    @property
    def answered(self) -> bool:
        return self.answer is not None

    @property
    def correct(self) -> bool:
        return self.answer in self.accepted

    @property
    def over_sceptical(self) -> bool:
        """A fact the student doubted: marked as inference or speculation."""
        return self.answered and not self.correct and self.key == "fact" and self.answer in DOUBTFUL_KINDS

    @property
    def credulous(self) -> bool:
        """Inference or speculation the student took as fact."""
        return self.answered and not self.correct and self.key in DOUBTFUL_KINDS and self.answer == "fact"


@dataclass
class KindScore:
    results: list[KindResult] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def answered(self) -> int:
        return sum(r.answered for r in self.results)

    @property
    def correct(self) -> int:
        return sum(r.correct for r in self.results)

    @property
    def over_sceptical(self) -> int:
        return sum(r.over_sceptical for r in self.results)

    @property
    def credulous(self) -> int:
        return sum(r.credulous for r in self.results)

    @property
    def balanced(self) -> float:
        """Mean, over the kinds in the key, of the share of that kind sorted right (0..1)."""
        by_kind: dict[str, list[bool]] = {}
        for r in self.results:
            by_kind.setdefault(r.key, []).append(r.correct)
        if not by_kind:
            return 0.0
        return sum(sum(v) / len(v) for v in by_kind.values()) / len(by_kind)

    def confusion(self) -> dict[tuple[str, str], int]:
        """(key kind, answered kind) -> count, for answered sentences."""
        out: dict[tuple[str, str], int] = {}
        for r in self.results:
            if r.answered:
                out[(r.key, r.answer)] = out.get((r.key, r.answer), 0) + 1
        return out


def score_kinds(article: Article, answers: dict[str, str], sentence_ids: list[str] | None = None) -> KindScore:
    """Score {sentence id: kind} against the key; unknown kinds count as unanswered."""
    wanted = [s.id for s in article.sentences] if sentence_ids is None else sentence_ids
    results = []
    for sid in wanted:
        s = article.sentence(sid)
        answer = answers.get(sid) if isinstance(answers, dict) else None
        if answer not in KINDS:
            answer = None
        results.append(KindResult(sid, answer, s.kind, s.accepted_kinds))
    return KindScore(results)


def _normalise_name(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).casefold().replace("\u2019", "'")
    text = re.sub(r"\([^)]*\)", " ", text)  # "(unnamed)" and similar glosses
    text = re.sub(r"[^\w\s']", " ", text)
    words = [w for w in text.split() if w not in {"the", "a", "an", "of", "its", "their"}]
    return " ".join(words)


def names_match(answer: str, key: str, aliases: list[str] | None = None) -> bool:
    """Generous name matching: "RUSI", "the Royal United Services Institute" and
    "Royal United Services Institute" all name the same source; so does a surname."""
    a = _normalise_name(answer)
    if not a:
        return False
    for candidate in [key, *(aliases or [])]:
        k = _normalise_name(candidate)
        if not k:
            continue
        if a == k or a in k.split() and len(a) > 3 or k in a or (len(a) > 3 and a in k):
            return True
        initials = "".join(w[0] for w in k.split() if w)
        if len(a) >= 3 and a.replace(" ", "") == initials:
            return True
    return False


@dataclass
class SourceResult:
    sentence_id: str
    answer_type: str | None
    answer_name: str
    key_type: str
    key_name: str

    @property
    def type_correct(self) -> bool:
        return self.answer_type == self.key_type

    @property
    def name_correct(self) -> bool:
        if self.key_type == "none":
            return self.answer_type == "none" or not self.answer_name.strip()
        return names_match(self.answer_name, self.key_name)

    @property
    def points(self) -> float:
        """Half for the type, half for the name (0, 0.5 or 1)."""
        return 0.5 * self.type_correct + 0.5 * self.name_correct


def score_source(sentence: Sentence, answer_type: str | None, answer_name: str) -> SourceResult:
    if answer_type not in SOURCE_TYPES:
        answer_type = None
    return SourceResult(sentence.id, answer_type, str(answer_name or ""), sentence.source.type,
                        sentence.source.name)


def score_hedges(sentence: Sentence, marked: list[str]) -> tuple[float, float]:
    """(precision, recall) of the words a student marked against the key's hedges and
    boosters, compared word by word, case-insensitively."""
    def words(items):
        return {w for item in items for w in re.findall(r"[\w'’-]+", str(item).casefold())}
    key = words(sentence.hedges + sentence.boosters)
    got = words(marked)
    if not got:
        return (1.0 if not key else 0.0, 1.0 if not key else 0.0)
    hits = len(key & got)
    return hits / len(got), (hits / len(key) if key else 1.0)
