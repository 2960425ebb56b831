"""Hedges ("may", "suggests", "roughly", "if it proceeds") and boosters ("clearly",
"proves"): the words that make a claim sound less or more sure than the bare statement.
The lists and their reasons are in lexicons/hedges.yaml and lexicons/boosters.yaml.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kit.analysis import lexicon
from kit.analysis.sentence import (drop_overlaps, fill_in, Found, negated_at, overlaps,
                                   ParsedSentence)


_NUMBER_AHEAD = re.compile(
    r"\s+(?:[$£€¥₹]|US\$)?\s?(?:\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a "
    r"hundred|hundreds|a thousand|thousands|a dozen|dozens|half|a third|a quarter|twice|"
    r"double|triple)\b)",
    re.IGNORECASE)


@lru_cache(maxsize=1)
def _hedge_matchers():
    data = lexicon.load("hedges")["categories"]
    out = []
    for name, cat in data.items():
        out.append((name, cat, lexicon.phrase_regex("hedges", "categories", name, "words"),
                    frozenset(str(w).lower() for w in cat.get("need_number", []))))
    return out


def find_hedges(sent: ParsedSentence) -> list[Found]:
    found: list[Found] = []
    for name, cat, regex, need_number in _hedge_matchers():
        for m in regex.finditer(sent.s):
            word = " ".join(m.group().lower().split())
            if cat.get("lowercase_only") and not _lowercase_ok(sent, m.start()):
                continue
            if word in need_number and not _NUMBER_AHEAD.match(sent.s, m.end()):
                continue
            if cat.get("need_plural") and not _PLURAL_AHEAD.match(sent.s, m.end()):
                continue
            if name == "modal" and re.match(r"could(?:\s+not|n't)\b", sent.s[m.start():], re.I):
                continue  # "could not confirm": past inability, a fact, not a hedge
            if word == "rather" and re.match(r"\s+than\b", sent.s[m.end():]):
                continue
            if name == "degree" and re.search(r"\b(?:more|less|as|so|how)\s+$", sent.s[:m.start()], re.I):
                continue  # "more often": a comparison, not a hedge
            start, end = m.start(), m.end()
            label = name
            if name == "condition":
                end = _condition_end(sent, m.end())
            if name == "modal" and word == "should" and _inverted_condition(sent, m.end()):
                label = "condition"
            reason = fill_in(cat["why"], text=sent.s[start:end])
            found.append(Found(start, end, reason, label, str(cat.get("kind", "none")),
                                bool(cat.get("alleger"))))
    return drop_overlaps(found)


# A plural noun (or an adjective then one) after "many", "some": "some farms".
_PLURAL_AHEAD = re.compile(r"\s+(?:[a-z][\w-]*\s+)?(?:[a-z][\w-]*[^s\W]s|people|children|"
                           r"men|women|staff|police)\b")


def _lowercase_ok(sent: ParsedSentence, start: int) -> bool:
    """'may' the modal, not 'May' the month or 'Theresa May' (a headline may capitalise)."""
    if sent.s[start].islower() or sent.headline:
        return True
    # A capitalised modal opening a sentence is a question or a wish ("Could this ...?");
    # otherwise "May" is the month or a name ("May said she would resign").
    return sent.s[:start].strip(" \"'([") == "" and sent.s.rstrip(" \"')").endswith("?")


def _condition_end(sent: ParsedSentence, pos: int) -> int:
    """'if it proceeds,': the condition runs to the next comma, at most eight words on."""
    rest = sent.s[pos:pos + 80]
    m = re.match(r"(?:\s+[\w'$%.-]+){1,8}?(?=\s*[,;:)]|\s*$)", rest)
    return pos + m.end() if m else pos


def _inverted_condition(sent: ParsedSentence, pos: int) -> bool:
    """'should Beijing choose to act': 'should' opening a condition, not advice."""
    nxt = sent.words_after(pos, 1)
    return bool(nxt) and (nxt[0][2][:1].isupper() or nxt[0][2].lower() in (
        "the", "he", "she", "it", "they", "we", "you", "this", "that", "there", "any"))


# --------------------------------------------------------------------------------------
# Boosters


def find_boosters(sent: ParsedSentence, hedges: list[Found], attributions) -> list[Found]:
    data = lexicon.load("boosters")["categories"]
    found: list[Found] = []
    taken = [(h.start, h.end) for h in hedges]
    for a in attributions:
        if a.cue and a.booster:  # factive reporting verbs are boosters in their own right
            found.append(Found(a.cue[0], a.cue[1], a.cue_reason, "factive verb", "none"))
        if a.cue:
            taken.append(a.cue)
    for name, cat in data.items():
        regex = lexicon.phrase_regex("boosters", "categories", name, "words")
        for m in regex.finditer(sent.s):
            span = (m.start(), m.end())
            if any(overlaps(span, t) for t in taken) or negated_at(sent, m.start()):
                continue
            found.append(Found(*span, fill_in(cat["why"], text=m.group()), name,
                                str(cat.get("kind", "none"))))
    return drop_overlaps(found)
