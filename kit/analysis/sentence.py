"""One sentence as the rules see it: a plain view of the text (straight quotes, no
invisible marks), its words, whether it is a headline, its subordinate clauses, and the
shared helpers every rule module uses (reasons filled in from the lexicons, overlap tests,
the table of reporting-verb forms).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from kit.analysis import lexicon
from kit.analysis.textview import TextView


def check_text(text) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray)):
        raise TypeError("the analyser expects text (str), not bytes: decode it first, "
                        "for example data.decode('utf-8')")
    raise TypeError(f"the analyser expects text (str), not {type(text).__name__}")


def reason_for(lexicon_name: str, key: str, **values) -> str:
    template = " ".join(str(lexicon.load(lexicon_name)["why"][key]).split())
    return fill_in(template, **values)


def fill_in(template: str, **values) -> str:
    template = " ".join(str(template).split())
    for name, value in values.items():
        template = template.replace("{" + name + "}", " ".join(str(value).split()))
    return template


def words_set(name: str, key: str) -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon.words(name, key))


class ParsedSentence:
    """The sentence as given, its plain view, and cheap facts about it."""

    def __init__(self, text: str):
        self.view = TextView(text)
        self.s = self.view.text
        self.headline = _is_headline(self.s)
        self.words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(self.s)]
        self._starts = [w[0] for w in self.words]
        self._ends = [w[1] for w in self.words]
        self.subordinate = _subordinate_spans(self.s)
        self._verb_ends: list[int] | None = None

    def word_before(self, pos: int) -> tuple[int, int, str] | None:
        i = bisect.bisect_right(self._ends, pos)
        return self.words[i - 1] if i else None

    def words_after(self, pos: int, n: int) -> list[tuple[int, int, str]]:
        i = bisect.bisect_left(self._starts, pos)
        return self.words[i:i + n]

    def verb_ends(self) -> list[int]:
        if self._verb_ends is None:
            forms = verb_table()[0]
            self._verb_ends = [
                m.end() for m in verb_table()[1].finditer(self.s)
                if (m.group()[:1].islower() or self.headline)
                and forms[" ".join(m.group().lower().split())][0] != "content"
                and not re.match(r"\s+by\b", self.s[m.end():])       # "published by"
                and not re.search(r",\s*$", self.s[:m.start()])       # ", saying"
                and not re.search(r"\b(?:the|a|an|its|their|his|her|this|these|those)\s+$",
                                  self.s[:m.start()], re.IGNORECASE)]   # "the report"
        return self._verb_ends

    def in_subordinate(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.subordinate)


WORD = re.compile(r"[^\W_](?:[\w'&]|[.-](?=\w))*\.?")
_HEADLINE_END = re.compile(r"[.!?:;,]['\")\]]*\s*$")


def _is_headline(s: str) -> bool:
    """Title Case and no final full stop: "Russia Helping China Prepare ..., Analysis Finds"."""
    if _HEADLINE_END.search(s):
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", s) if len(w) > 3]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) / len(words) >= 0.7


_LEADING_SUB = re.compile(
    r"^\s*(?:[A-Z]\w*,\s*)?(?:while|though|although|even though|whereas|despite|even as|"
    r"if|unless|because|since|as|when)\b[^,;]*,", re.IGNORECASE)
_TRAILING_SUB = re.compile(
    r",\s*(?:though|although|even though|whereas|while|even as|despite)\b.*$", re.IGNORECASE)


def _subordinate_spans(s: str) -> list[tuple[int, int]]:
    """Clauses that qualify the main claim: 'While X, ...' and ', though X'."""
    spans = []
    m = _LEADING_SUB.match(s)
    if m:
        spans.append((m.start(), m.end()))
    m = _TRAILING_SUB.search(s)
    if m:
        spans.append((m.start(), m.end()))
    return spans


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


_NEGATION = re.compile(r"(?:\bnot|n't|\bnever|\bno|\bwithout|\bnor)\s+(?:\w+\s+){0,1}$",
                       re.IGNORECASE)


def negated_at(sent: ParsedSentence, start: int) -> bool:
    return bool(_NEGATION.search(sent.s[max(0, start - 30):start]))


@dataclass
class Found:
    start: int
    end: int
    reason: str
    label: str
    kind: str = "none"   # the kind this word points to, if any
    alleger: bool = False


def drop_overlaps(found: list[Found]) -> list[Found]:
    """Keep the longest of overlapping matches ("may well" over "may")."""
    found.sort(key=lambda f: (-(f.end - f.start), f.start))
    kept: list[Found] = []
    for f in found:
        if not any(overlaps((f.start, f.end), (k.start, k.end)) for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


@lru_cache(maxsize=1)
def verb_table():
    data = lexicon.load("reporting_verbs")
    forms: dict[str, tuple[str, str, dict]] = {}
    for group, info in data["groups"].items():
        for lemma, items in info["verbs"].items():
            for form in items:
                forms.setdefault(" ".join(str(form).lower().split()), (group, lemma, info))
    regex = re.compile(lexicon.phrase_pattern(forms), re.IGNORECASE)
    aux = frozenset(str(w).lower() for w in data["auxiliaries"])
    adverbs = frozenset(str(w).lower() for w in data["adverbs"])
    return forms, regex, aux, adverbs


DETERMINER_BEFORE_NOUN = frozenset(
    "the a an this these those its their his her our my your whose some many several no "
    "any each every such of in on for with by from new latest recent further earlier "
    "initial final press news media which what other own two three first "
    "insurance police court".split())
