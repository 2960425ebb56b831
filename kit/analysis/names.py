"""Reading a noun phrase as a possible source: its core words, its head noun, a
person's name, an organisation's name. Word-shape helpers only; deciding what TYPE of
source a phrase is happens in `kit.analysis.sources`.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kit.analysis import lexicon
from kit.analysis.sentence import (DETERMINER_BEFORE_NOUN, ParsedSentence, verb_table, WORD,
                                   words_set)


@lru_cache(maxsize=1)
def source_words():
    w = lambda key: words_set("sources", key)  # noqa: E731
    titles = sorted(lexicon.words("sources", "titles"), key=len, reverse=True)
    return {
        "document": w("document_nouns"), "report": w("report_nouns"),
        "organisation": w("organisation_nouns"), "group": w("group_nouns"),
        "role": w("role_nouns"), "unnamed": w("unnamed_roles"),
        "government": w("government_names"), "known_org": w("known_organisations"),
        "vague_det": sorted(lexicon.words("sources", "vague_determiners"), key=len, reverse=True),
        "pronoun": w("pronouns"),
        "titles": titles,
        "title_regex": re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(t) for t in titles) +
                                  r")(?![\w])"),
    }


_NP_CUT = re.compile(r"\s(?:who|which|whose|that|where|when)\s|\s\(|\s[—–-]\s")
DEFINITE_WORDS = ("the", "this", "that", "these", "those", "his", "her", "its", "their", "our")


_PREPOSITIONS = frozenset("of by at from for in on with about to into under over within "
                          "among across near behind ahead against between during since "
                          "after before via per".split())


def trim_span(s: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (s[a].isspace() or s[a] in "\"'-—–"):
        a += 1
    while b > a and (s[b - 1].isspace() or s[b - 1] in "\"'-—–,"):
        b -= 1
    return a, b


SPOKES_WORDS = frozenset("spokesperson spokesman spokeswoman spokespeople representative "
                    "representatives".split())


def lowered(tok: str) -> str:
    return tok.lower().rstrip(".").removesuffix("'s").removesuffix("'")


def core_tokens(sent: ParsedSentence, a: int, b: int):
    """The tokens of a noun phrase that name the source: up to the first preposition that
    is not inside a capitalised name ("Bank of England" keeps its "of"), without a
    leading or trailing verb, and only the first of several conjuncts."""
    text = sent.s[a:b]
    cut = _NP_CUT.search(" " + text + " ")
    if cut:
        a, b = trim_span(sent.s, a, a + min(len(text), max(0, cut.start())))
        text = sent.s[a:b]
    if not text or len(text) > 150:
        return None
    tokens = [(t.start() + a, t.end() + a, t.group()) for t in WORD.finditer(text)]
    if not tokens:
        return None
    forms = verb_table()[0]
    by_name = None
    pp = None
    core = tokens
    for i, (ta, tb, tok) in enumerate(tokens):
        low = tok.lower().rstrip(".")
        if i and tok.islower() and low in forms and \
                tokens[i - 1][2].lower() not in DETERMINER_BEFORE_NOUN:
            core = tokens[:i]  # "Greyhaven disputes that figure" -> "Greyhaven"
            break
        if i and low in _PREPOSITIONS:
            inside_name = (tokens[i - 1][2][:1].isupper() and i + 1 < len(tokens)
                           and tokens[i + 1][2][:1].isupper() and low in ("of", "for", "on"))
            if inside_name:
                continue
            if low == "by":
                by_name = trim_span(sent.s, tb, tokens[-1][1])
            pp = (low, trim_span(sent.s, tb, tokens[-1][1]))
            core = tokens[:i]
            break
    for i, (ta, tb, tok) in enumerate(core):
        if i and tok.lower() in ("and", "or", "&") and not (
                core[i - 1][2][:1].isupper() and i + 1 < len(core) and core[i + 1][2][:1].isupper()
                and any(lowered(t[2]) in source_words()["organisation"] for t in core)):
            core = core[:i]
            break
    while len(core) > 1 and core[0][2].islower() and core[0][2] in forms:
        core = core[1:]  # "include contracts" -> "contracts"
    return (core, by_name, pp) if core else None


def phrase_text(sent: ParsedSentence, core, end: int) -> str:
    """'Officials familiar with the talks': the whole phrase, for a group with no name."""
    text = sent.s[core[0][0]:end]
    cut = _NP_CUT.search(" " + text + " ")
    if cut:
        text = text[:max(0, cut.start())]
    text = text.strip(" ,;:")
    return text if 0 < len(text) <= 80 else sent.s[core[0][0]:core[-1][1]]


def is_named_org(core, W) -> bool:
    """A capitalised name that contains an organisation word: 'Harrowfell University',
    'The Union of Dock and Harbour Workers' (but not 'Union leader Marta Kessling')."""
    run: list[str] = []
    for t in reversed(core):
        if t[2][:1].isupper() or (run and t[2] in ("of", "and", "for", "on", "&")):
            run.insert(0, t[2])
        else:
            break
    named = [w for w in run if w[:1].isupper() and lowered(w) != "the"]
    return len(named) >= 2 and any(lowered(w) in W["organisation"] for w in named)


def trailing_name(core):
    """The run of capitalised words at the end of a phrase, if it looks like a name."""
    W = source_words()
    run = []
    for t in reversed(core):
        if t[2][:1].isupper() and lowered(t[2]) not in ("the", "a", "an"):
            run.insert(0, t)
        else:
            break
    if not run:
        return None
    lows = [lowered(t[2]) for t in run]
    if any(w in W["organisation"] or w in W["group"] or w in W["document"] or w in W["report"]
           for w in lows):
        return None
    if any(is_acronym(t[2]) for t in run) and len(run) == 1:
        return None
    return run


def is_camel_case(tok: str) -> bool:
    """'SolarBrick', 'OpenAI': a capital inside a word marks a brand or company name."""
    return len(tok) > 3 and tok[0].isupper() and any(c.isupper() for c in tok[1:]) and \
        any(c.islower() for c in tok) and "-" not in tok and "." not in tok


def inside_quote(sent: ParsedSentence, pos: int) -> bool:
    return sent.s[:pos].count('"') % 2 == 1


def head_noun(low_tokens: list[str], W) -> str:
    """The noun a phrase is about: the last word found in any source list, else the last."""
    for tok in reversed(low_tokens):
        if tok in W["group"] or tok in W["role"] or tok in W["report"] or \
                tok in W["document"] or tok in W["organisation"]:
            return tok
    return low_tokens[-1] if low_tokens else ""


def titled_name(text: str, W) -> str | None:
    last = None
    for m in W["title_regex"].finditer(text):
        last = m
    if not last:
        return None
    rest = text[last.end():].strip()
    names = re.match(r"((?:[A-Z][\w'’.-]*\s*){1,4})", rest)
    if not names:
        return None
    name = names.group(1).strip().rstrip(",")
    if not name or name.lower() in W["organisation"] or name in W["titles"]:
        return None
    return name


def is_acronym(tok: str) -> bool:
    t = tok.replace(".", "")
    return 2 <= len(t) <= 6 and t.isupper() and t.isalpha()


def all_titles(core, W) -> bool:
    return all(t[2] in W["titles"] or t[2].rstrip(".") in W["titles"] for t in core)


def strip_the(text: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", text).strip()
