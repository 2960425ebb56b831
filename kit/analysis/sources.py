"""Who is the source, and what kind: person, organisation, document, vague or none.
`classify_source` reads the noun phrase next to a cue; `Context` remembers what earlier
sentences named, so "They" or "Watling" can point back to it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from kit.analysis import lexicon
from kit.analysis.names import (all_titles, core_tokens, DEFINITE_WORDS, head_noun,
                                inside_quote, is_acronym, is_camel_case, is_named_org, lowered,
                                phrase_text, source_words, SPOKES_WORDS, strip_the, titled_name,
                                trailing_name, trim_span)
from kit.analysis.sentence import fill_in, ParsedSentence

if TYPE_CHECKING:  # only for type hints: attribution imports this module
    from kit.analysis.attribution import Attribution



@dataclass
class Source:
    type: str            # a SOURCE_TYPES key
    key: str             # which reason in sources.yaml
    name: str
    span: tuple[int, int] | None
    reason: str = ""
    plural: bool = False
    carried: bool = False


class Context:
    """What the sentences so far have named: for 'They', 'It', 'he' and surnames."""

    def __init__(self):
        self.antecedents: list[Source] = []  # previous sentence's sources, in order
        self.surnames: dict[str, str] = {}    # "Watling" -> "Jack Watling"
        self.org_words: set[str] = set()      # "Greyhaven" from "Greyhaven Minerals"

    def remember(self, sent: ParsedSentence, attributions: list[Attribution], main) -> None:
        sources = [a.source for a in attributions if a.source is not None]
        sources.extend(_record_mentions(sent))
        sources.sort(key=lambda src: src.span[0] if src.span else -1)
        self.antecedents = [src for src in sources if src.type != "none"] or self.antecedents[-3:]
        for src in sources:
            if src.type == "person" and src.key == "person" and " " in src.name:
                self.surnames[src.name.split()[-1]] = src.name
            if src.type == "organisation" and src.key == "organisation":
                self.org_words.update(w for w in src.name.split() if w[:1].isupper())

    def resolve(self, pronoun: str) -> Source | None:
        pronoun = pronoun.lower()
        if not self.antecedents:
            return None
        if pronoun in ("he", "she", "his", "her"):
            people = [s for s in self.antecedents if s.type == "person"]
            return people[-1] if people else None
        if pronoun in ("they", "these", "those", "both"):
            plural = [s for s in self.antecedents if s.plural]
            return plural[-1] if plural else None
        if pronoun in ("it", "this", "its"):
            single = [s for s in self.antecedents if not s.plural and s.type != "person"]
            return single[-1] if single else None
        return None


def _record_mentions(sent: ParsedSentence) -> list[Source]:
    """'the documents', 'the figures' anywhere in a sentence: what a later 'They' may mean."""
    out = []
    for m in _definite_record_regex().finditer(sent.s):
        src = classify_source(sent, m.start(), m.end())
        if src and src.type in ("document", "organisation"):
            out.append(src)
    return out


@lru_cache(maxsize=1)
def _definite_record_regex() -> re.Pattern:
    nouns = lexicon.words("sources", "document_nouns") + lexicon.words("sources", "report_nouns")
    return re.compile(r"\b(?:the|these|those|its|their)\s+(?:[\w-]+\s+){0,2}?" +
                      lexicon.phrase_pattern(nouns), re.IGNORECASE)


@lru_cache(maxsize=1)
def _source_why_table() -> dict:
    return lexicon.load("sources")["types"]


def source_why(key: str) -> str:
    return " ".join(str(_source_why_table()[key]["why"]).split())


def source_right(sent: ParsedSentence, pos: int, context, lenient: bool = True) -> Source | None:
    """The noun phrase after 'according to', 'said', 'citing' ..."""
    rest = sent.s[pos:pos + 200]
    m = re.match(r"\s*", rest)
    a = pos + m.end()
    stop = re.search(r'[,;:."()?!]\s|[,;:"()?!]|\.$|\s[—–-]\s|\s(?:that|who|which|and said|as)\s',
                     sent.s[a:a + 200])
    b = a + (stop.start() if stop else len(sent.s[a:a + 200]))
    a, b = trim_span(sent.s, a, b)
    if b <= a:
        return None
    return classify_source(sent, a, b, context=context, lenient=lenient)


def classify_source(sent: ParsedSentence, a: int, b: int, context: Context | None = None,
              lenient: bool = True) -> Source | None:
    """Decide what kind of source the noun phrase sent.s[a:b] is, or None if it is not
    recognisably a source (so a verb like 'notes' after 'the bridge' is not a cue)."""
    W = source_words()
    core = core_tokens(sent, a, b)
    if not core:
        return None
    core, by_name, pp = core
    span = (core[0][0], core[-1][1])
    pp_org = False
    if pp and pp[0] in ("for", "of", "at", "from"):
        tail = [lowered(w) for w in re.findall(r"[\w'.&-]+", sent.s[pp[1][0]:pp[1][1]])]
        pp_org = any(w in W["organisation"] or w in W["government"] for w in tail) or bool(
            re.search(r"\b[A-Z]", sent.s[pp[1][0]:pp[1][1]]))
    core_text = sent.s[span[0]:span[1]]
    low_tokens = [lowered(t[2]) for t in core]
    low_text = " ".join(low_tokens)
    first = low_tokens[0]
    plural_head = low_tokens[-1].endswith("s") and not low_tokens[-1].endswith("ss")
    caps = [t for t in core if t[2][:1].isupper()]
    bare = strip_the(core_text)

    def make(key: str, type_: str, name: str, plural: bool = False) -> Source:
        return Source(type_, key, name, span, fill_in(source_why(key), name=name), plural)

    # Pronouns point back; "I" and "we" outside quotation marks are the writer.
    if low_text in W["pronoun"] or (len(low_tokens) == 1 and first in W["pronoun"]):
        if first in ("i", "we") and not inside_quote(sent, span[0]):
            return Source("none", "writer", "the writer", span,
                           f'"{core_text}" is the writer: this is the outlet speaking for itself.')
        resolved = context.resolve(first) if context else None
        if resolved is not None:
            why = (f'"{core_text}" points back to {resolved.name} in an earlier sentence, so '
                   f"the source is carried over. " + resolved.reason)
            return Source(resolved.type, "pronoun", resolved.name, span, why,
                           resolved.plural, carried=True)
        type_ = "person" if first in ("he", "she", "i", "we") else "vague"
        return Source(type_, "pronoun", core_text, span,
                       fill_in(source_why("pronoun"), name=core_text),
                       plural=first in ("they", "these", "those", "we"))
    # Governments and their buildings: "Beijing", "the Kremlin", "the United States".
    if bare.lower().rstrip(".") in W["government"] or bare in W["government"]:
        return make("government", "organisation", bare)
    det = next((d for d in W["vague_det"]
                if low_text == d or low_text.startswith(d.lower() + " ")), None)
    head = head_noun(low_tokens, W)
    # A spokesperson speaks for an organisation: "a Greyhaven spokesperson".
    if head in SPOKES_WORDS and (len(caps) > (1 if core[0][2][:1].isupper() else 0) or any(
            t in W["organisation"] for t in low_tokens[:-1]) or by_name or pp_org):
        name = strip_the(sent.s[pp[1][0]:pp[1][1]]) if pp_org else re.sub(r"^(?:an?|An?)\s+", "", bare)
        return make("organisation", "organisation", name)
    # Unnamed determiners: "several U.S. officials", "a source", "some experts".
    if det and head and (head in W["group"] or head in W["role"]) and not is_named_org(core, W):
        single = head in W["role"] and not plural_head
        return make("vague_single" if single else "vague", "vague",
                    phrase_text(sent, core, b), not single)
    if det and len(low_tokens) == 1:
        return make("vague", "vague", core_text, True)  # "some say", "many believe"
    # A named person with a title: "NATO Secretary General Jens Stoltenberg", "Dr. Lee".
    person = titled_name(core_text, W)
    if person:
        return make("person", "person", person)
    # Reports and documents: "the analysis", "the authors", "leaked Russian documents".
    if head in W["report"] or low_text in W["report"]:
        name = core_text
        if by_name and by_name[1] > by_name[0]:
            name = strip_the(sent.s[by_name[0]:by_name[1]])
        return make("report", "organisation", name, plural_head)
    if head in W["document"] and not is_named_org(core, W):
        return make("document", "document", core_text, plural_head)
    # A capitalised name with an organisation word: "The Union of Dock and Harbour Workers".
    if is_named_org(core, W):
        return make("organisation", "organisation", bare)
    # Groups with no name: "analysts", "NATO officials", "Western diplomats".
    if head in W["group"]:
        return make("vague", "vague", phrase_text(sent, core, b), True)
    # Known organisation names, brands written in CamelCase, names met before as part of an
    # organisation's name ("Greyhaven" after "Greyhaven Minerals").
    if any(t[2] in W["known_org"] or is_camel_case(t[2]) for t in core):
        return make("organisation", "organisation", bare)
    if context and len(caps) == len(core) and all(t[2] in context.org_words for t in core):
        return make("organisation", "organisation", bare)
    # "The Wyckholm Sentinel": a capitalised name after "the" is not a person's name.
    if first == "the" and len(core) > 1 and all(t[2][:1].isupper() for t in core[1:]):
        return make("organisation", "organisation", bare)
    # A person: "Jack Watling", "union leader Marta Kessling", a surname met before.
    name_run = trailing_name(core)
    if name_run:
        name = " ".join(t[2] for t in name_run)
        if context and name in context.surnames:
            return make("person", "person", context.surnames[name])
        return make("person", "person", name)
    # Organisations: "the ministry", "council", an acronym.
    if any(t in W["organisation"] for t in low_tokens):
        return make("organisation", "organisation", bare)
    if any(is_acronym(t[2]) for t in core) and not all_titles(core, W) and len(core) <= 3:
        return make("organisation", "organisation", bare)
    # Roles: "the minister" (one identifiable person), "an official" (unnamed).
    if head in W["role"]:
        if head in W["unnamed"] or first in ("a", "an", "one", "another"):
            return make("vague_single", "vague", core_text)
        return make("person_role", "person", core_text)
    if not lenient:
        return None
    # Unknown noun phrases with a verb of saying ("the 45-year-old said").
    if plural_head and first not in DEFINITE_WORDS:
        return make("vague", "vague", core_text, True)
    if first in DEFINITE_WORDS and len(core) > 1:
        return make("person_role", "person", core_text)
    return None
