"""A transparent, rule-based analyser: who says so, how sure, and what kind of claim.

For each sentence it marks attribution cues ("said", "according to"), the source and
its type (person, organisation, document, vague, none), hedges and boosters, figures and
dates, and suggests a kind (fact, inference, speculation, caveat, background). Every mark
carries the reason it was made, in words a student can read. The word lists and the
reasons are data in kit/lexicons/*.yaml; this module holds only the rules that use them.

It reads one sentence at a time, plus a little memory of the sentences before it (so
"They indicate ..." can point back to "the documents"). It does not parse grammar: the
rules look at words, commas and clause words, so they are easy to explain and sometimes
wrong. The measured precision and recall are in docs/analyser.md.

All offsets are into the original text, so `text[mark.start:mark.end] == mark.text`,
whatever curly quotes, non-breaking spaces or invisible direction marks it contains.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from kit import lexicon
from kit.textview import TextView

MARK_KINDS = ("cue", "source", "hedge", "booster", "number", "date")


@dataclass(frozen=True)
class Mark:
    """One highlighted span: what it is, where it is, and why it was marked."""
    kind: str       # cue | source | hedge | booster | number | date
    start: int      # offsets into the analysed text: text[start:end] == self.text
    end: int
    text: str
    reason: str     # for the student
    label: str = ""  # e.g. the source type, "money", "relative", "modal"


@dataclass
class SentenceAnalysis:
    """What the analyser found in one sentence, and why."""
    text: str
    marks: list[Mark] = field(default_factory=list)
    source_type: str = "none"
    source_name: str = ""
    suggested_kind: str = "fact"
    kind_reason: str = ""
    has_attribution: bool = False
    source_reason: str = ""
    carried: bool = False   # the source comes from an earlier sentence ("They", "he")
    start: int = 0          # where the sentence starts in the text it was cut from

    def marks_of(self, kind: str) -> list[Mark]:
        return [m for m in self.marks if m.kind == kind]

    @property
    def hedges(self) -> list[Mark]:
        return self.marks_of("hedge")

    @property
    def boosters(self) -> list[Mark]:
        return self.marks_of("booster")

    @property
    def cues(self) -> list[Mark]:
        return self.marks_of("cue")

    @property
    def uncertain(self) -> bool:
        """Hedged, or leaning on an unnamed source: what the CoNLL-2010 shared task calls
        an uncertain sentence (hedges, and Wikipedia's weasel words)."""
        return bool(self.hedges) or self.source_type == "vague"

    def to_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------------------
# Public functions


def analyse_text(text: str) -> list[SentenceAnalysis]:
    """Split `text` into sentences and analyse each; mark offsets are per sentence, and
    each result's `start` says where its sentence begins in `text`."""
    from kit.splitting import split_spans
    text = _check_text(text)
    spans = split_spans(text)
    results = analyse_sentences([text[a:b] for a, b in spans])
    for result, (a, _) in zip(results, spans):
        result.start = a
    return results


def analyse_sentences(sentences: list[str]) -> list[SentenceAnalysis]:
    """Analyse sentences in order, letting a pronoun ("They indicate ...") point back to
    a source in the sentences before it."""
    context = _Context()
    return [analyse_sentence(s, context) for s in sentences]


def analyse_sentence(text: str, context: "_Context | None" = None) -> SentenceAnalysis:
    """Analyse one sentence. `context` (from `analyse_sentences`) resolves pronouns."""
    text = _check_text(text)
    sent = _Sentence(text)
    if not sent.s.strip():
        result = SentenceAnalysis(text=text, kind_reason=_why("kind_rules", "fact_empty"))
        if context is not None:
            context.remember(sent, [], None)
        return result
    hedges = _find_hedges(sent)
    attributions = _find_attributions(sent, context, hedges)
    boosters = _find_boosters(sent, hedges, attributions)
    dates = _find_dates(sent)
    numbers = _find_numbers(sent, dates)
    main = _main_attribution(attributions)
    kind, kind_reason = _suggest_kind(sent, hedges, boosters, attributions, main, dates)

    marks: list[tuple[int, int, str, str, str]] = []  # view start, end, kind, reason, label
    for a in attributions:
        if a.cue:
            marks.append((a.cue[0], a.cue[1], "cue", a.cue_reason, a.cue_label))
        if a.verb and a.hedge and not any(_overlaps(a.verb, (h.start, h.end)) for h in hedges):
            marks.append((a.verb[0], a.verb[1], "hedge", a.cue_reason,
                          "weasel" if a.cue_label == "weasel" else "tentative verb"))
        if a.source and a.source.span and (a is main or a.source.type != "none"):
            marks.append((*a.source.span, "source", a.source.reason, a.source.type))
    for h in hedges:
        marks.append((h.start, h.end, "hedge", h.reason, h.label))
    for b in boosters:
        marks.append((b.start, b.end, "booster", b.reason, b.label))
    for d in dates:
        marks.append((d.start, d.end, "date", d.reason, d.label))
    for n in numbers:
        marks.append((n.start, n.end, "number", n.reason, n.label))
    seen = set()
    out: list[Mark] = []
    for start, end, kind_, reason, label in sorted(marks, key=lambda m: (m[0], -m[1], m[2])):
        a, b = sent.view.span(start, end)
        key = (kind_, a, b)
        if key in seen or b <= a:
            continue
        seen.add(key)
        out.append(Mark(kind_, a, b, text[a:b], reason, label))

    result = SentenceAnalysis(text=text, marks=out, suggested_kind=kind, kind_reason=kind_reason)
    if main is not None and main.source is not None and main.source.type != "none":
        result.has_attribution = True
        result.source_type = main.source.type
        result.source_name = main.source.name
        result.source_reason = main.source.reason
        result.carried = main.source.carried
    elif main is not None and main.source is not None:
        result.source_reason = main.source.reason
    else:
        result.source_reason = ("No one is named or hinted at as the source: this is the "
                                "outlet's own voice.")
    if context is not None:
        context.remember(sent, attributions, main)
    return result


# --------------------------------------------------------------------------------------
# Input and helpers


def _check_text(text) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray)):
        raise TypeError("the analyser expects text (str), not bytes: decode it first, "
                        "for example data.decode('utf-8')")
    raise TypeError(f"the analyser expects text (str), not {type(text).__name__}")


def _why(lexicon_name: str, key: str, **values) -> str:
    template = " ".join(str(lexicon.load(lexicon_name)["why"][key]).split())
    return _fill(template, **values)


def _fill(template: str, **values) -> str:
    template = " ".join(str(template).split())
    for name, value in values.items():
        template = template.replace("{" + name + "}", " ".join(str(value).split()))
    return template


def _words_set(name: str, key: str) -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon.words(name, key))


class _Sentence:
    """The sentence as given, its plain view, and cheap facts about it."""

    def __init__(self, text: str):
        self.view = TextView(text)
        self.s = self.view.text
        self.headline = _is_headline(self.s)
        self.words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(self.s)]
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
            forms = _verb_table()[0]
            self._verb_ends = [
                m.end() for m in _verb_table()[1].finditer(self.s)
                if (m.group()[:1].islower() or self.headline)
                and forms[" ".join(m.group().lower().split())][0] != "content"
                and not re.match(r"\s+by\b", self.s[m.end():])       # "published by"
                and not re.search(r",\s*$", self.s[:m.start()])       # ", saying"
                and not re.search(r"\b(?:the|a|an|its|their|his|her|this|these|those)\s+$",
                                  self.s[:m.start()], re.IGNORECASE)]   # "the report"
        return self._verb_ends

    def in_subordinate(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.subordinate)


_WORD = re.compile(r"[^\W_](?:[\w'&]|[.-](?=\w))*\.?")
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


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


_NEGATION = re.compile(r"(?:\bnot|n't|\bnever|\bno|\bwithout|\bnor)\s+(?:\w+\s+){0,1}$",
                       re.IGNORECASE)


def _negated(sent: _Sentence, start: int) -> bool:
    return bool(_NEGATION.search(sent.s[max(0, start - 30):start]))


# --------------------------------------------------------------------------------------
# Hedges


@dataclass
class _Found:
    start: int
    end: int
    reason: str
    label: str
    kind: str = "none"   # the kind this word points to, if any
    alleger: bool = False


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


def _find_hedges(sent: _Sentence) -> list[_Found]:
    found: list[_Found] = []
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
            reason = _fill(cat["why"], text=sent.s[start:end])
            found.append(_Found(start, end, reason, label, str(cat.get("kind", "none")),
                                bool(cat.get("alleger"))))
    return _drop_overlaps(found)


# A plural noun (or an adjective then one) after "many", "some": "some farms".
_PLURAL_AHEAD = re.compile(r"\s+(?:[a-z][\w-]*\s+)?(?:[a-z][\w-]*[^s\W]s|people|children|"
                           r"men|women|staff|police)\b")


def _lowercase_ok(sent: _Sentence, start: int) -> bool:
    """'may' the modal, not 'May' the month or 'Theresa May' (a headline may capitalise)."""
    if sent.s[start].islower() or sent.headline:
        return True
    # A capitalised modal opening a sentence is a question or a wish ("Could this ...?");
    # otherwise "May" is the month or a name ("May said she would resign").
    return sent.s[:start].strip(" \"'([") == "" and sent.s.rstrip(" \"')").endswith("?")


def _condition_end(sent: _Sentence, pos: int) -> int:
    """'if it proceeds,': the condition runs to the next comma, at most eight words on."""
    rest = sent.s[pos:pos + 80]
    m = re.match(r"(?:\s+[\w'$%.-]+){1,8}?(?=\s*[,;:)]|\s*$)", rest)
    return pos + m.end() if m else pos


def _inverted_condition(sent: _Sentence, pos: int) -> bool:
    """'should Beijing choose to act': 'should' opening a condition, not advice."""
    nxt = sent.words_after(pos, 1)
    return bool(nxt) and (nxt[0][2][:1].isupper() or nxt[0][2].lower() in (
        "the", "he", "she", "it", "they", "we", "you", "this", "that", "there", "any"))


def _drop_overlaps(found: list[_Found]) -> list[_Found]:
    """Keep the longest of overlapping matches ("may well" over "may")."""
    found.sort(key=lambda f: (-(f.end - f.start), f.start))
    kept: list[_Found] = []
    for f in found:
        if not any(_overlaps((f.start, f.end), (k.start, k.end)) for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


# --------------------------------------------------------------------------------------
# Boosters


def _find_boosters(sent: _Sentence, hedges: list[_Found], attributions) -> list[_Found]:
    data = lexicon.load("boosters")["categories"]
    found: list[_Found] = []
    taken = [(h.start, h.end) for h in hedges]
    for a in attributions:
        if a.cue and a.booster:  # factive reporting verbs are boosters in their own right
            found.append(_Found(a.cue[0], a.cue[1], a.cue_reason, "factive verb", "none"))
        if a.cue:
            taken.append(a.cue)
    for name, cat in data.items():
        regex = lexicon.phrase_regex("boosters", "categories", name, "words")
        for m in regex.finditer(sent.s):
            span = (m.start(), m.end())
            if any(_overlaps(span, t) for t in taken) or _negated(sent, m.start()):
                continue
            found.append(_Found(*span, _fill(cat["why"], text=m.group()), name,
                                str(cat.get("kind", "none"))))
    return _drop_overlaps(found)


# --------------------------------------------------------------------------------------
# Sources


@dataclass
class _Source:
    type: str            # a SOURCE_TYPES key
    key: str             # which reason in sources.yaml
    name: str
    span: tuple[int, int] | None
    reason: str = ""
    plural: bool = False
    carried: bool = False


@dataclass
class _Attribution:
    cue: tuple[int, int] | None
    cue_reason: str
    cue_label: str
    source: _Source | None
    secondary: bool = False      # in a subordinate, relative or parenthetical clause
    kind: str = "none"           # what the cue says about the claim's kind
    lemma: str = ""
    booster: bool = False
    hedge: bool = False
    verb: tuple[int, int] | None = None   # the reporting verb, even when negated

    def __post_init__(self):
        if self.verb is None:
            self.verb = self.cue


class _Context:
    """What the sentences so far have named: for 'They', 'It', 'he' and surnames."""

    def __init__(self):
        self.antecedents: list[_Source] = []  # previous sentence's sources, in order
        self.surnames: dict[str, str] = {}    # "Watling" -> "Jack Watling"
        self.org_words: set[str] = set()      # "Greyhaven" from "Greyhaven Minerals"

    def remember(self, sent: _Sentence, attributions: list[_Attribution], main) -> None:
        sources = [a.source for a in attributions if a.source is not None]
        sources.extend(_record_mentions(sent))
        sources.sort(key=lambda src: src.span[0] if src.span else -1)
        self.antecedents = [src for src in sources if src.type != "none"] or self.antecedents[-3:]
        for src in sources:
            if src.type == "person" and src.key == "person" and " " in src.name:
                self.surnames[src.name.split()[-1]] = src.name
            if src.type == "organisation" and src.key == "organisation":
                self.org_words.update(w for w in src.name.split() if w[:1].isupper())

    def resolve(self, pronoun: str) -> _Source | None:
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


def _record_mentions(sent: _Sentence) -> list[_Source]:
    """'the documents', 'the figures' anywhere in a sentence: what a later 'They' may mean."""
    out = []
    for m in _definite_record_regex().finditer(sent.s):
        src = _classify(sent, m.start(), m.end())
        if src and src.type in ("document", "organisation"):
            out.append(src)
    return out


@lru_cache(maxsize=1)
def _definite_record_regex() -> re.Pattern:
    nouns = lexicon.words("sources", "document_nouns") + lexicon.words("sources", "report_nouns")
    return re.compile(r"\b(?:the|these|those|its|their)\s+(?:[\w-]+\s+){0,2}?" +
                      lexicon.phrase_pattern(nouns), re.IGNORECASE)


@lru_cache(maxsize=1)
def _verb_table():
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


_DETERMINER_BEFORE_NOUN = frozenset(
    "the a an this these those its their his her our my your whose some many several no "
    "any each every such of in on for with by from new latest recent further earlier "
    "initial final press news media which what other own two three first "
    "insurance police court".split())
# Verbs that only report with a clear source: with an unknown subject ("the bridge
# noted") they are not attribution. The rest ("said", "told") accept any subject.
_ANY_SUBJECT = frozenset("say tell add state report write announce explain warn claim "
                         "argue insist deny tweet testify reply quote allege".split())
# Verbs whose negation reports no claim: "did not respond to requests for comment".
_NO_CLAIM_WHEN_NEGATED = frozenset("respond reply answer comment return say tell".split())


def _find_attributions(sent: _Sentence, context: _Context | None,
                       hedges: list[_Found]) -> list[_Attribution]:
    found: list[_Attribution] = []
    taken: list[tuple[int, int]] = []

    # 1. Weasel wording: "it is believed", "research shows", "some critics say".
    weasel = lexicon.load("weasel_words")["patterns"]
    for name, info in weasel.items():
        for regex in (lexicon.rule_regex("weasel_words", "patterns", name, "regex"),):
            for m in regex.finditer(sent.s):
                span = (m.start(), m.end())
                if any(_overlaps(span, t) for t in taken):
                    continue
                text = m.group()
                # The verb inside ("critics argue") still says what kind of claim it is.
                forms, verb_regex = _verb_table()[:2]
                verb = verb_regex.search(text)
                group_info = forms[" ".join(verb.group().lower().split())][2] if verb else {}
                name = text[:verb.start()].strip() if verb and verb.start() > 0 else ""
                name = re.sub(r"\s+(?:has|have|had)$", "", name)
                if not name or name.split()[0].lower() in ("it", "there", "is", "are", "was",
                                                           "were", "has", "have"):
                    name = text
                src_span = (span[0], span[0] + len(name)) if text.startswith(name) else span
                src = _Source("vague", "weasel", name, src_span,
                              _fill(_source_why("weasel"), name=name), plural=True)
                # "It is widely believed" hedges the claim itself; "critics say" names an
                # unnamed source but does not weaken what they say.
                found.append(_Attribution(span, _fill(info["why"], text=text), "weasel", src,
                                          secondary=sent.in_subordinate(span[0]),
                                          kind=str(group_info.get("kind", info.get("kind", "none"))),
                                          hedge=name == text))
                taken.append(span)

    # 2. Phrases before a source: "according to the analysis", "citing officials".
    phrases = lexicon.load("reporting_verbs")["phrases"]
    before = lexicon.phrase_regex("reporting_verbs", "phrases", "before_source")
    for m in before.finditer(sent.s):
        span = (m.start(), m.end())
        if any(_overlaps(span, t) for t in taken):
            continue
        src = _source_right(sent, m.end(), context)
        if src is None:
            continue
        participle = m.group().lower().split()[0] in ("attributed", "reported", "quoted",
                                                      "cited")
        secondary = sent.in_subordinate(span[0]) or (
            participle and sent.s[:span[0]].rstrip().endswith(","))
        found.append(_Attribution(span, _fill(phrases["why"], text=m.group()), "source phrase",
                                  src, secondary=secondary))
        taken.append(span)

    # 3. Reporting verbs, in any tense, with their subject.
    forms, regex, aux, adverbs = _verb_table()
    for m in regex.finditer(sent.s):
        span = (m.start(), m.end())
        if any(_overlaps(span, t) for t in taken):
            continue
        att = _verb_attribution(sent, m, forms, aux, adverbs, context)
        if att is not None:
            found.append(att)
            taken.append(att.cue or span)

    # 4. Nouns of saying: "in a statement", "told reporters" (a cue, no new source).
    nouns = lexicon.phrase_regex("reporting_verbs", "phrases", "nouns")
    for m in nouns.finditer(sent.s):
        span = (m.start(), m.end())
        if any(_overlaps(span, t) for t in taken):
            continue
        found.append(_Attribution(span, _fill(phrases["why"], text=m.group()), "saying noun",
                                  None, secondary=True))
        taken.append(span)

    # 5. Unnamed allegers: "allegedly", "is said to", "reportedly".
    for h in hedges:
        if h.alleger and not any(_overlaps((h.start, h.end), t) for t in taken):
            text = sent.s[h.start:h.end]
            src = _Source("vague", "alleger", f"unnamed ({text.lower()})", None,
                          _fill(_source_why("alleger"), name=text))
            found.append(_Attribution((h.start, h.end), h.reason, "unnamed alleger", src,
                                      secondary=sent.in_subordinate(h.start)))
    found.sort(key=lambda a: a.verb[0] if a.verb else (a.source.span[0] if a.source and a.source.span else 0))
    return found


def _verb_attribution(sent, m, forms, aux, adverbs, context) -> _Attribution | None:
    form = " ".join(m.group().lower().split())
    group, lemma, info = forms[form]
    start, end = m.start(), m.end()
    word = m.group()
    # A capitalised verb inside an ordinary sentence is part of a name ("United States").
    if word[0].isupper() and not sent.headline and sent.s[:start].strip(" \"'(") != "":
        return None
    prev = sent.word_before(start)
    prev_word = prev[2].lower().rstrip(".") if prev else ""
    if prev_word in _DETERMINER_BEFORE_NOUN:
        return None  # "the reports", "insurance claims": a noun
    after = sent.s[end:end + 12].lower()
    if re.match(r"\s+of\b", after) and lemma not in ("warn", "caution", "speak"):
        return None  # "reports of", "claims of"
    # Take in auxiliaries and adverbs: "have suggested", "did not immediately respond".
    cue_start = start
    negated = False
    chain = 0
    i = bisect.bisect_right(sent._ends, start)
    for w_start, w_end, token in reversed(sent.words[max(0, i - 6):i]):
        if sent.s[w_end:cue_start].strip():
            break  # punctuation between: the chain is over
        if token[:1].isupper() and not sent.headline:
            break  # "May said": a name, not the modal
        token = token.lower().rstrip(".")
        is_negation = token in ("not", "never") or token.endswith("n't")
        base = token[:-3] if token.endswith("n't") else token
        if not (is_negation or base in aux or token in adverbs):
            break
        negated = negated or is_negation
        cue_start = w_start
        chain += 1
    chain_text = sent.s[cue_start:start].lower()
    before = sent.s[:cue_start]
    participle = form.endswith("ing") and chain == 0
    if participle and (group == "content" or not re.search(r"(?:,|\bas)\s*$", before)):
        return None  # "the reporting period", "including": not a reporting verb
    if chain == 0 and re.search(r"(?:en|wn)$", form.split()[0]) and form not in ("listen",):
        return None  # "written into the permit": a participle describing a noun
    if re.search(r"\b(?:should|could|may|might|must|can|cannot)\b", chain_text):
        return None  # "should think again", "can tell": not a report of a claim made
    if re.search(r"\b(?:will|would|shall)\b|'ll|'d", chain_text) and not re.match(
            r"\s*(?:that\b|:|\")", sent.s[end:]):
        return None  # "said it would respond" describes an act; "will say that" reports
    if negated and lemma in _NO_CLAIM_WHEN_NEGATED:
        return None
    if re.search(r"\b(?:declined?|declines|refused?|refuses|failed|fails)\s+to\s+$", before, re.I):
        return None  # "declined to comment": no claim was made
    if chain == 0 and re.search(r",\s*$", before) and re.match(r"\s+by\b", sent.s[end:]):
        # ", published by the Pew Research Center,": who made the thing, set aside.
        by = re.match(r"\s+by\b", sent.s[end:])
        src = _source_right(sent, end + by.end(), context)
        if src is None:
            return None
        return _Attribution((cue_start, end + by.end()), _fill(info["why"], text=sent.s[cue_start:end]),
                            group, src, secondary=True, lemma=lemma)
    if participle:
        # ", saying ...": the speaker is the subject of the main clause.
        src = _main_subject(sent, cue_start, context)
        if src is None:
            return None
        return _Attribution((cue_start, end), _fill(info["why"], text=sent.s[cue_start:end]),
                            group, src, secondary=True, kind=str(info.get("kind", "none")),
                            lemma=lemma, hedge=bool(info.get("hedge")))
    if re.search(r"\b(?:is|are|was|were|been|being|be)\b", chain_text) and not form.endswith("ing"):
        # Passive: "was reported by X" names its source after "by"; "is said to" is handled
        # as an unnamed alleger; anything else reports no source.
        if re.match(r"\s+by\b", sent.s[end:]):
            by = re.match(r"\s+by\b", sent.s[end:])
            src = _source_right(sent, end + by.end(), context)
            if src is None:
                return None
            return _Attribution((cue_start, end + by.end()), _fill(info["why"], text=sent.s[cue_start:end]),
                                group, src, secondary=_secondary_cue(sent, cue_start),
                                kind=str(info.get("kind", "none")), lemma=lemma)
        return None
    needs_record = bool(info.get("needs_record_subject"))
    if needs_record and re.match(r"\s+(?:that|which|who)\b", sent.s[end:]):
        return None  # "equipment lists that indicate": a noun before a relative clause
    src = _subject_for(sent, cue_start, end, context, lenient=(lemma in _ANY_SUBJECT))
    if src is None:
        return None
    if needs_record and src.type not in ("document", "organisation"):
        return None
    if needs_record and src.type == "organisation" and src.key not in ("report",):
        return None
    secondary = _secondary_cue(sent, cue_start)
    cue = (cue_start, end)
    reason = _fill(info["why"], text=sent.s[cue_start:end])
    if negated:
        # "It does not establish ...": a limit, not somebody's claim, so no cue. A record
        # named as the subject still counts as the source ("the documents do not show").
        # The verb still tells what kind of claim it is ("I do not think" is a judgement).
        keep = needs_record or lemma == "deny" or (src.type == "document" and src.key != "pronoun")
        return _Attribution(None, reason, group, src if keep else None, secondary=secondary,
                            kind=str(info.get("kind", "none")), lemma=lemma,
                            hedge=bool(info.get("hedge")), verb=cue)
    return _Attribution(cue, reason, group, src, secondary=secondary,
                        kind=str(info.get("kind", "none")), lemma=lemma,
                        booster=bool(info.get("booster")), hedge=bool(info.get("hedge")),
                        verb=cue)


def _main_subject(sent: _Sentence, before: int, context) -> _Source | None:
    """The subject of the sentence's first clause: who is 'saying' in ', saying ...'."""
    comma = sent.s.rfind(",", 0, before)
    if comma <= 0:
        return None
    span = _pick_segment(sent, 0, sent.s.find(",") if sent.s.find(",") > 0 else comma)
    return _classify(sent, *span, context=context, lenient=True) if span else None


def _secondary_cue(sent: _Sentence, pos: int) -> bool:
    if sent.in_subordinate(pos):
        return True
    prev = sent.word_before(pos)
    return bool(prev) and prev[2].lower() in ("that", "which", "who") and \
        not _after_reporting_verb(sent, prev[0])


def _after_reporting_verb(sent: _Sentence, pos: int) -> bool:
    """Is the 'that' at `pos` a complement ('said that'), not a relative ('lists that')?"""
    prev = sent.word_before(pos)
    if not prev:
        return False
    forms = _verb_table()[0]
    return prev[2].lower() in forms


@lru_cache(maxsize=1)
def _source_why_table() -> dict:
    return lexicon.load("sources")["types"]


def _source_why(key: str) -> str:
    return " ".join(str(_source_why_table()[key]["why"]).split())


_CLAUSE_START = re.compile(
    r'[;:]\s*|\s[—–-]{1,2}\s+|"\s*|[,.?!]\'\s+|\(\s*|,\s+(?:and|or|but|so|yet)\s+|'
    r"\b(?:that|but|while|though|although|whereas|because|when|whether|if|unless|"
    r"after|before|once|until|so|and then)\s+", re.IGNORECASE)
_INTRO = re.compile(
    r"^(?:in|on|at|after|before|during|despite|following|under|for|with|since|by|from|"
    r"amid|as|while|though|although|when|if|according|still|however|meanwhile|moreover|"
    r"separately|earlier|later|yesterday|today|now|also|but|and|yet|instead|indeed|"
    r"overall|nonetheless|nevertheless|first|second|finally|of|to|into|about|over|"
    r"against|among|between|within|without|through|across|toward|towards)\b|^\w+ly$|"
    r"^\w+(?:ing|ed)\s+(?:from|at|in|on|to|with|after|about|for|under|over|by|into)\b",
    re.IGNORECASE)
_PREPOSITIONS = frozenset("of by at from for in on with about to into under over within "
                          "among across near behind ahead against between during since "
                          "after before via per".split())


def _subject_for(sent, cue_start, cue_end, context, lenient) -> _Source | None:
    """The source of a reporting verb: the subject before it, or after it when inverted
    ('"...," said the minister')."""
    left = _subject_span_left(sent, cue_start)
    if left is not None:
        src = _classify(sent, *left, context=context, lenient=lenient)
        if src is not None:
            return src
    # Inverted: nothing (or only a quotation) before the verb in its clause.
    lo = max(0, cue_start - 200)
    clause = sent.s[lo:cue_start]
    if re.search(r'(?:^|[,"]|\bas)\s*$', clause) or not clause.strip():
        return _source_right(sent, cue_end, context, lenient=lenient)
    return None


def _subject_span_left(sent: _Sentence, cue_start: int) -> tuple[int, int] | None:
    lo = max(0, cue_start - 300)
    region_start = lo
    for m in _CLAUSE_START.finditer(sent.s, lo, cue_start):
        region_start = m.end()
    # Another verb of saying before this one opens a reported clause without "that":
    # "forum says leaked documents show ...".
    for verb_end in sent.verb_ends():
        if region_start < verb_end <= cue_start - 1:
            region_start = verb_end
    # A relative clause right before the verb ("lists that indicate"): the subject is the
    # noun phrase before the relative word.
    rel = re.search(r"\b(?:that|which|who)\s+$", sent.s[lo:cue_start], re.IGNORECASE)
    if rel and region_start >= lo + rel.start():
        end_before = lo + rel.start()
        region_start = lo
        for m in _CLAUSE_START.finditer(sent.s, lo, end_before):
            if m.end() <= end_before:
                region_start = m.end()
        for verb_end in sent.verb_ends():
            if region_start < verb_end <= end_before - 1:
                region_start = verb_end
        return _pick_segment(sent, region_start, end_before)
    return _pick_segment(sent, region_start, cue_start)


def _pick_segment(sent: _Sentence, start: int, end: int) -> tuple[int, int] | None:
    """Among comma-separated pieces before the verb, the one that is the subject:
    'Oleksandr Danylyuk, a former official ..., said' -> 'Oleksandr Danylyuk'."""
    segments = []
    pos = start
    depth = 0
    for i in range(start, end):
        c = sent.s[i]
        if c in "([":
            depth += 1
        elif c in ")]":
            depth = max(0, depth - 1)
        elif c == "," and depth == 0:
            segments.append((pos, i))
            pos = i + 1
    segments.append((pos, end))
    segments = [_trim(sent.s, a, b) for a, b in segments]
    last = segments[-1]
    if last[1] > last[0] and not _INTRO.match(sent.s[last[0]:last[1]]):
        return last
    for a, b in segments:
        if b > a and not _INTRO.match(sent.s[a:b]):
            return (a, b)
    return None


def _trim(s: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (s[a].isspace() or s[a] in "\"'-—–"):
        a += 1
    while b > a and (s[b - 1].isspace() or s[b - 1] in "\"'-—–,"):
        b -= 1
    return a, b


def _source_right(sent: _Sentence, pos: int, context, lenient: bool = True) -> _Source | None:
    """The noun phrase after 'according to', 'said', 'citing' ..."""
    rest = sent.s[pos:pos + 200]
    m = re.match(r"\s*", rest)
    a = pos + m.end()
    stop = re.search(r'[,;:."()?!]\s|[,;:"()?!]|\.$|\s[—–-]\s|\s(?:that|who|which|and said|as)\s',
                     sent.s[a:a + 200])
    b = a + (stop.start() if stop else len(sent.s[a:a + 200]))
    a, b = _trim(sent.s, a, b)
    if b <= a:
        return None
    return _classify(sent, a, b, context=context, lenient=lenient)


@lru_cache(maxsize=1)
def _source_words():
    w = lambda key: _words_set("sources", key)  # noqa: E731
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
_DEFINITE = ("the", "this", "that", "these", "those", "his", "her", "its", "their", "our")


def _classify(sent: _Sentence, a: int, b: int, context: _Context | None = None,
              lenient: bool = True) -> _Source | None:
    """Decide what kind of source the noun phrase sent.s[a:b] is, or None if it is not
    recognisably a source (so a verb like 'notes' after 'the bridge' is not a cue)."""
    W = _source_words()
    core = _core_tokens(sent, a, b)
    if not core:
        return None
    core, by_name, pp = core
    span = (core[0][0], core[-1][1])
    pp_org = False
    if pp and pp[0] in ("for", "of", "at", "from"):
        tail = [_low(w) for w in re.findall(r"[\w'.&-]+", sent.s[pp[1][0]:pp[1][1]])]
        pp_org = any(w in W["organisation"] or w in W["government"] for w in tail) or bool(
            re.search(r"\b[A-Z]", sent.s[pp[1][0]:pp[1][1]]))
    core_text = sent.s[span[0]:span[1]]
    low_tokens = [_low(t[2]) for t in core]
    low_text = " ".join(low_tokens)
    first = low_tokens[0]
    plural_head = low_tokens[-1].endswith("s") and not low_tokens[-1].endswith("ss")
    caps = [t for t in core if t[2][:1].isupper()]
    bare = _strip_the(core_text)

    def make(key: str, type_: str, name: str, plural: bool = False) -> _Source:
        return _Source(type_, key, name, span, _fill(_source_why(key), name=name), plural)

    # Pronouns point back; "I" and "we" outside quotation marks are the writer.
    if low_text in W["pronoun"] or (len(low_tokens) == 1 and first in W["pronoun"]):
        if first in ("i", "we") and not _inside_quote(sent, span[0]):
            return _Source("none", "writer", "the writer", span,
                           f'"{core_text}" is the writer: this is the outlet speaking for itself.')
        resolved = context.resolve(first) if context else None
        if resolved is not None:
            why = (f'"{core_text}" points back to {resolved.name} in an earlier sentence, so '
                   f"the source is carried over. " + resolved.reason)
            return _Source(resolved.type, "pronoun", resolved.name, span, why,
                           resolved.plural, carried=True)
        type_ = "person" if first in ("he", "she", "i", "we") else "vague"
        return _Source(type_, "pronoun", core_text, span,
                       _fill(_source_why("pronoun"), name=core_text),
                       plural=first in ("they", "these", "those", "we"))
    # Governments and their buildings: "Beijing", "the Kremlin", "the United States".
    if bare.lower().rstrip(".") in W["government"] or bare in W["government"]:
        return make("government", "organisation", bare)
    det = next((d for d in W["vague_det"]
                if low_text == d or low_text.startswith(d.lower() + " ")), None)
    head = _head(low_tokens, W)
    # A spokesperson speaks for an organisation: "a Greyhaven spokesperson".
    if head in _SPOKES and (len(caps) > (1 if core[0][2][:1].isupper() else 0) or any(
            t in W["organisation"] for t in low_tokens[:-1]) or by_name or pp_org):
        name = _strip_the(sent.s[pp[1][0]:pp[1][1]]) if pp_org else re.sub(r"^(?:an?|An?)\s+", "", bare)
        return make("organisation", "organisation", name)
    # Unnamed determiners: "several U.S. officials", "a source", "some experts".
    if det and head and (head in W["group"] or head in W["role"]) and not _named_org(core, W):
        single = head in W["role"] and not plural_head
        return make("vague_single" if single else "vague", "vague",
                    _phrase_text(sent, core, b), not single)
    if det and len(low_tokens) == 1:
        return make("vague", "vague", core_text, True)  # "some say", "many believe"
    # A named person with a title: "NATO Secretary General Jens Stoltenberg", "Dr. Lee".
    person = _titled_name(core_text, W)
    if person:
        return make("person", "person", person)
    # Reports and documents: "the analysis", "the authors", "leaked Russian documents".
    if head in W["report"] or low_text in W["report"]:
        name = core_text
        if by_name and by_name[1] > by_name[0]:
            name = _strip_the(sent.s[by_name[0]:by_name[1]])
        return make("report", "organisation", name, plural_head)
    if head in W["document"] and not _named_org(core, W):
        return make("document", "document", core_text, plural_head)
    # A capitalised name with an organisation word: "The Union of Dock and Harbour Workers".
    if _named_org(core, W):
        return make("organisation", "organisation", bare)
    # Groups with no name: "analysts", "NATO officials", "Western diplomats".
    if head in W["group"]:
        return make("vague", "vague", _phrase_text(sent, core, b), True)
    # Known organisation names, brands written in CamelCase, names met before as part of an
    # organisation's name ("Greyhaven" after "Greyhaven Minerals").
    if any(t[2] in W["known_org"] or _camel(t[2]) for t in core):
        return make("organisation", "organisation", bare)
    if context and len(caps) == len(core) and all(t[2] in context.org_words for t in core):
        return make("organisation", "organisation", bare)
    # "The Wyckholm Sentinel": a capitalised name after "the" is not a person's name.
    if first == "the" and len(core) > 1 and all(t[2][:1].isupper() for t in core[1:]):
        return make("organisation", "organisation", bare)
    # A person: "Jack Watling", "union leader Marta Kessling", a surname met before.
    name_run = _trailing_name(core)
    if name_run:
        name = " ".join(t[2] for t in name_run)
        if context and name in context.surnames:
            return make("person", "person", context.surnames[name])
        return make("person", "person", name)
    # Organisations: "the ministry", "council", an acronym.
    if any(t in W["organisation"] for t in low_tokens):
        return make("organisation", "organisation", bare)
    if any(_acronym(t[2]) for t in core) and not _all_titles(core, W) and len(core) <= 3:
        return make("organisation", "organisation", bare)
    # Roles: "the minister" (one identifiable person), "an official" (unnamed).
    if head in W["role"]:
        if head in W["unnamed"] or first in ("a", "an", "one", "another"):
            return make("vague_single", "vague", core_text)
        return make("person_role", "person", core_text)
    if not lenient:
        return None
    # Unknown noun phrases with a verb of saying ("the 45-year-old said").
    if plural_head and first not in _DEFINITE:
        return make("vague", "vague", core_text, True)
    if first in _DEFINITE and len(core) > 1:
        return make("person_role", "person", core_text)
    return None


_SPOKES = frozenset("spokesperson spokesman spokeswoman spokespeople representative "
                    "representatives".split())


def _low(tok: str) -> str:
    return tok.lower().rstrip(".").removesuffix("'s").removesuffix("'")


def _core_tokens(sent: _Sentence, a: int, b: int):
    """The tokens of a noun phrase that name the source: up to the first preposition that
    is not inside a capitalised name ("Bank of England" keeps its "of"), without a
    leading or trailing verb, and only the first of several conjuncts."""
    text = sent.s[a:b]
    cut = _NP_CUT.search(" " + text + " ")
    if cut:
        a, b = _trim(sent.s, a, a + min(len(text), max(0, cut.start())))
        text = sent.s[a:b]
    if not text or len(text) > 150:
        return None
    tokens = [(t.start() + a, t.end() + a, t.group()) for t in _WORD.finditer(text)]
    if not tokens:
        return None
    forms = _verb_table()[0]
    by_name = None
    pp = None
    core = tokens
    for i, (ta, tb, tok) in enumerate(tokens):
        low = tok.lower().rstrip(".")
        if i and tok.islower() and low in forms and \
                tokens[i - 1][2].lower() not in _DETERMINER_BEFORE_NOUN:
            core = tokens[:i]  # "Greyhaven disputes that figure" -> "Greyhaven"
            break
        if i and low in _PREPOSITIONS:
            inside_name = (tokens[i - 1][2][:1].isupper() and i + 1 < len(tokens)
                           and tokens[i + 1][2][:1].isupper() and low in ("of", "for", "on"))
            if inside_name:
                continue
            if low == "by":
                by_name = _trim(sent.s, tb, tokens[-1][1])
            pp = (low, _trim(sent.s, tb, tokens[-1][1]))
            core = tokens[:i]
            break
    for i, (ta, tb, tok) in enumerate(core):
        if i and tok.lower() in ("and", "or", "&") and not (
                core[i - 1][2][:1].isupper() and i + 1 < len(core) and core[i + 1][2][:1].isupper()
                and any(_low(t[2]) in _source_words()["organisation"] for t in core)):
            core = core[:i]
            break
    while len(core) > 1 and core[0][2].islower() and core[0][2] in forms:
        core = core[1:]  # "include contracts" -> "contracts"
    return (core, by_name, pp) if core else None


def _phrase_text(sent: _Sentence, core, end: int) -> str:
    """'Officials familiar with the talks': the whole phrase, for a group with no name."""
    text = sent.s[core[0][0]:end]
    cut = _NP_CUT.search(" " + text + " ")
    if cut:
        text = text[:max(0, cut.start())]
    text = text.strip(" ,;:")
    return text if 0 < len(text) <= 80 else sent.s[core[0][0]:core[-1][1]]


def _named_org(core, W) -> bool:
    """A capitalised name that contains an organisation word: 'Harrowfell University',
    'The Union of Dock and Harbour Workers' (but not 'Union leader Marta Kessling')."""
    run: list[str] = []
    for t in reversed(core):
        if t[2][:1].isupper() or (run and t[2] in ("of", "and", "for", "on", "&")):
            run.insert(0, t[2])
        else:
            break
    named = [w for w in run if w[:1].isupper() and _low(w) != "the"]
    return len(named) >= 2 and any(_low(w) in W["organisation"] for w in named)


def _trailing_name(core):
    """The run of capitalised words at the end of a phrase, if it looks like a name."""
    W = _source_words()
    run = []
    for t in reversed(core):
        if t[2][:1].isupper() and _low(t[2]) not in ("the", "a", "an"):
            run.insert(0, t)
        else:
            break
    if not run:
        return None
    lows = [_low(t[2]) for t in run]
    if any(w in W["organisation"] or w in W["group"] or w in W["document"] or w in W["report"]
           for w in lows):
        return None
    if any(_acronym(t[2]) for t in run) and len(run) == 1:
        return None
    return run


def _camel(tok: str) -> bool:
    """'SolarBrick', 'OpenAI': a capital inside a word marks a brand or company name."""
    return len(tok) > 3 and tok[0].isupper() and any(c.isupper() for c in tok[1:]) and \
        any(c.islower() for c in tok) and "-" not in tok and "." not in tok


def _inside_quote(sent: _Sentence, pos: int) -> bool:
    return sent.s[:pos].count('"') % 2 == 1


def _head(low_tokens: list[str], W) -> str:
    """The noun a phrase is about: the last word found in any source list, else the last."""
    for tok in reversed(low_tokens):
        if tok in W["group"] or tok in W["role"] or tok in W["report"] or \
                tok in W["document"] or tok in W["organisation"]:
            return tok
    return low_tokens[-1] if low_tokens else ""


def _titled_name(text: str, W) -> str | None:
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


def _acronym(tok: str) -> bool:
    t = tok.replace(".", "")
    return 2 <= len(t) <= 6 and t.isupper() and t.isalpha()


def _all_titles(core, W) -> bool:
    return all(t[2] in W["titles"] or t[2].rstrip(".") in W["titles"] for t in core)


def _strip_the(text: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", text).strip()


def _main_attribution(attributions: list[_Attribution]) -> _Attribution | None:
    """The source of the sentence's main claim: the first attribution outside subordinate,
    relative and parenthetical clauses, else the first at all."""
    usable = [a for a in attributions if a.source is not None]
    if not usable:
        return None
    main = [a for a in usable if not a.secondary]
    ranked = sorted(main or usable, key=lambda a: a.cue_label == "content")
    return ranked[0]


# --------------------------------------------------------------------------------------
# Dates and numbers


@lru_cache(maxsize=1)
def _date_number_regexes():
    L = lexicon.load("dates_numbers")
    def alt(items) -> str:
        """A case-sensitive trie of the items, with no word boundaries of its own."""
        return lexicon.trie_pattern([str(i) for i in items])
    month = alt(L["months"])
    safe_month = alt([m for m in L["months"] if m not in L["ambiguous_months"]])
    weekday = alt(L["weekdays"])
    day = r"\d{1,2}(?:st|nd|rd|th)?"
    year = r"(?:1[5-9]\d\d|20\d\d|21\d\d)"
    units = alt(L["time_units"])
    nwords = alt(L["number_words"])
    num = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    numw = rf"(?:{num}|(?:a |an )?(?:{nwords})(?:[ -](?:{nwords}))?)"
    targets = alt(L["target_words"])
    month_b = rf"(?:{month})(?![\w])"
    dates = [
        ("date", rf"(?:(?:{weekday}),?\s+)?{month_b}\s+{day}(?:,?\s+{year})?(?!\d)"),
        ("date", rf"(?:(?:{weekday}),?\s+)?(?<!\d){day}\s+(?:of\s+)?{month_b}(?:,?\s+{year})?(?!\d)"),
        ("date", rf"(?:(?:early|late|mid)[- ])?(?:{month_b}),?\s+{year}(?!\d)"),
        ("date", r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)|(?<![\d/])\d{1,2}/\d{1,2}/\d{2,4}(?![\d/])"),
        ("relative", rf"(?<![\w]){numw}\s+(?:{units})\s+(?:ago|earlier|later|before|after|from now)\b"),
        ("relative", rf"\b(?:last|next|this|past|coming|previous|following)\s+(?:{weekday}|{safe_month}|week|month|year|decade|century|weekend|summer|winter|spring|autumn|fall|quarter)\b"),
        ("target", rf"\b(?:{targets})\s+(?:the\s+end\s+of\s+)?{year}s?(?!\d)"),
        ("year", rf"\b(?:the\s+)?(?:1[5-9]|20)\d0s\b"),
        ("weekday", rf"\b(?:(?:on|last|next|this|by|until|since)\s+)?(?:{weekday})(?![\w])"),
        ("date", rf"\b(?:in|on|since|until|by|from|through|during|early|late|mid-)\s+(?:{month_b})(?:\s+{day}(?!\d))?(?:,?\s+{year})?"),
        ("date", rf"\b(?:{safe_month})(?![\w])"),
        ("year", rf"(?<![\w$£€.,-]){year}(?![\w%]|,\d|\.\d)"),
    ]
    relative_words = lexicon.phrase_pattern(L["relative_words"])
    currencies = alt(L["currencies"].keys())
    scales = alt(L["scales"])
    money_words = alt(L["currency_words"])
    pct = alt(L["percent_words"])
    all_units = alt(L["units"])
    rng = rf"{num}(?:\s*(?:-|–|to)\s*{num})?"
    numbers = [
        ("money", rf"(?:{currencies})\s?{rng}(?:\s*(?:{scales})(?![\w]))?"),
        ("money", rf"(?<![\w.]){rng}(?:\s*(?:{scales})(?![\w]))?\s+(?:{money_words})\b"),
        ("percentage", rf"(?<![\w.]){rng}\s*(?:{pct})(?![\w])"),
        ("range", rf"(?<![\w.])(?:between\s+)?{num}\s*(?:-|–|to|and)\s*{num}(?:\s+(?:{scales})(?![\w]))?(?:\s+(?:{units}|{all_units})\b)?"),
        ("duration", rf"(?<![\w.]){numw}(?:\s+(?:{scales})(?![\w]))?\s+(?:{units})\b"),
        ("measure", rf"(?<![\w.]){num}(?:\s*(?:{scales})(?![\w]))?\s*(?:{all_units})(?![\w])"),
        ("count", rf"(?<![\w.]){num}(?:\s+(?:{scales})(?![\w]))?(?![\w])"),
    ]
    return ([(label, re.compile(p)) for label, p in dates],
            re.compile(relative_words, re.IGNORECASE),
            [(label, re.compile(p, re.IGNORECASE if label != "count" else 0)) for label, p in numbers])


def _find_dates(sent: _Sentence) -> list[_Found]:
    date_res, relative_words, _ = _date_number_regexes()
    found = []
    for label, regex in date_res:
        for m in regex.finditer(sent.s):
            text = m.group()
            if label == "target":
                word = text.split()[0].lower()
                if word in ("since", "from"):
                    label_ = "start"
                elif word in ("by", "as", "no", "until"):
                    label_ = "target"
                else:
                    label_ = "year"
            elif label == "weekday" or label == "relative":
                label_ = "weekday" if label == "weekday" and not re.match(
                    r"(?:last|next|this)\b", text, re.IGNORECASE) else "relative"
            else:
                label_ = label
            found.append(_Found(m.start(), m.end(), _why("dates_numbers", label_, text=text),
                                label_ if label_ != "weekday" else "relative"))
    for m in relative_words.finditer(sent.s):
        found.append(_Found(m.start(), m.end(), _why("dates_numbers", "relative", text=m.group()),
                            "relative"))
    return _drop_overlaps(found)


def _find_numbers(sent: _Sentence, dates: list[_Found]) -> list[_Found]:
    _, _, number_res = _date_number_regexes()
    found = []
    taken = [(d.start, d.end) for d in dates]
    for label, regex in number_res:
        for m in regex.finditer(sent.s):
            span = (m.start(), m.end())
            if any(_overlaps(span, t) for t in taken):
                continue
            if label == "count" and (re.match(r"-\w", sent.s[m.end():m.end() + 2]) or
                                     re.search(r"[A-Za-z]-$", sent.s[:m.start()])):
                continue  # "F-35", "COVID-19" are names, not figures
            found.append(_Found(*span, _why("dates_numbers", label, text=m.group()), label))
    return _drop_overlaps(found)


# --------------------------------------------------------------------------------------
# The suggested kind


@lru_cache(maxsize=1)
def _state_verbs() -> frozenset[str]:
    return _words_set("kind_rules", "state_verbs")


_MODAL_NEXT = re.compile(r"\s+(?:(?:not|n't|no longer|not yet|also|well|still|even|only|eventually|soon|"
                         r"ultimately|potentially|possibly|further|never|yet)\s+)*([\w']+)"
                         r"(?:\s+([\w']+))?", re.IGNORECASE)
_FINDING_LEMMAS = frozenset("find conclude determine".split())
_SHOWING_LEMMAS = frozenset("show demonstrate prove establish reveal".split())


def _suggest_kind(sent, hedges, boosters, attributions, main, dates=()) -> tuple[str, str]:
    s = sent.s
    rules = lexicon.load("kind_rules")["rules"]
    # A future with a calendar date ("will start on 7 September", "will vote next month")
    # is an announced plan or schedule: checkable now, so not speculation by itself.
    schedule_dates = [d for d in dates if d.label in ("date", "weekday") or (
        d.label == "relative" and re.match(r"(?:next|this|on)\b", s[d.start:d.end], re.I))]
    scheduled = None

    def schedule_for(pos: int):
        """A dated plan: a date in the same clause as the future at `pos`."""
        for d in schedule_dates:
            lo, hi = sorted((pos, d.start))
            between = s[lo:hi]
            if '"' in between or ";" in between or any(lo < v < hi for v in sent.verb_ends()):
                continue
            return d
        return None
    schedule = None

    def first_match(name: str, key: str = "regex"):
        if key in rules[name]:
            yield from lexicon.rule_regex("kind_rules", "rules", name, key).finditer(s)

    # 1. Caveat: a limit of the evidence in the main clause.
    minor = None
    for m in first_match("caveat"):
        if sent.in_subordinate(m.start()):
            minor = minor or m
            continue
        return "caveat", _fill(rules["caveat"]["why"], text=m.group())
    for m in first_match("caveat", "record_regex"):
        if not _record_subject_before(sent, m.start()):
            continue
        if sent.in_subordinate(m.start()):
            minor = minor or m
            continue
        return "caveat", _fill(rules["caveat"]["why"], text=m.group())
    note = (" " + _why("kind_rules", "minor_caveat", text=minor.group())) if minor else ""

    # 2. Speculation: a modal with an action, a future, a condition.
    inference_reason = None
    for h in hedges:
        if h.label not in ("modal", "condition") or _in_relative(sent, h.start):
            continue
        word = s[h.start:h.end].lower()
        if h.label == "condition" and word.startswith("should"):
            return "speculation", _fill(rules["speculation"]["why"], text=s[h.start:h.end]) + note
        if h.label != "modal":
            continue
        nxt = _MODAL_NEXT.match(s, h.end)
        verb = nxt.group(1).lower() if nxt else ""
        verb2 = (nxt.group(2) or "").lower() if nxt else ""
        phrase = s[h.start:nxt.end(1)] if nxt else word
        if word == "should":
            inference_reason = inference_reason or _why("kind_rules", "modal_advice", text=phrase)
            continue
        if word.startswith("would"):
            schedule = schedule or schedule_for(h.start)
            if schedule_for(h.start) is not None:
                scheduled = scheduled or phrase
                continue
            return "speculation", _why("kind_rules", "modal_action", text=phrase) + note
        if verb == "have" and (verb2.endswith("ed") or verb2.endswith("en") or verb2 == "been"):
            inference_reason = inference_reason or _why("kind_rules", "modal_state", text=phrase)
            continue
        if verb in _state_verbs():
            inference_reason = inference_reason or _why("kind_rules", "modal_state", text=phrase)
            continue
        return "speculation", _why("kind_rules", "modal_action", text=phrase) + note
    for m in first_match("speculation"):
        text = m.group()
        first_word = text.split()[0] if text.split() else ""
        if first_word[:1].isupper() and m.start() > 0 and not sent.headline:
            continue  # "Will Smith", not the modal
        if re.match(r"(?:will|shall|would|won't|wouldn't|'ll|'d)\b", text, re.IGNORECASE) and (
                _in_relative(sent, m.start()) or (m.start() == 0 and not sent.headline and
                                                  first_word[:1].isupper())):
            continue
        if re.match(r"'d\b", text) and not re.match(r"'d\s+(?:be|have|like|rather)\b", text):
            continue
        if schedule_for(m.start()) is not None and re.match(r"(?:will|shall|'ll|would)\b", text, re.I):
            schedule = schedule or schedule_for(m.start())
            scheduled = scheduled or text
            continue
        return "speculation", _fill(rules["speculation"]["why"], text=text) + note
    for a in attributions:
        if a.verb and a.kind == "speculation":
            return "speculation", _why("kind_rules", "reporting", text=s[a.verb[0]:a.verb[1]]).replace(
                "judgement or interpretation", "prediction") + note

    # 3. Inference: a judgement, an interpretation, a finding.
    if inference_reason:
        return "inference", inference_reason + note
    for h in hedges:
        if h.kind == "inference":
            return "inference", _why("kind_rules", "hedge", text=s[h.start:h.end]) + note
    for b in boosters:
        if b.kind == "inference":
            return "inference", _why("kind_rules", "booster", text=s[b.start:b.end]) + note
    for m in first_match("inference"):
        return "inference", _fill(rules["inference"]["why"], text=m.group()) + note
    for a in attributions:
        if not a.cue or a.kind != "finding" or a.source is None or a.source.type == "document":
            continue
        cue_text = s[a.cue[0]:a.cue[1]]
        if a.lemma in _FINDING_LEMMAS and (a.source.key == "report" or a.source.type == "vague"):
            return "inference", _why("kind_rules", "finding", text=cue_text) + note
        if a.lemma in _SHOWING_LEMMAS and re.match(r"\s+(?:that|how)\b", s[a.cue[1]:]):
            return "inference", _why("kind_rules", "finding", text=cue_text) + note

    # 4. Background: looking back, standing facts, long-term goals. A verb of opinion
    # ("argued", "suggested") does not outweigh "for decades": the context comes first.
    for m in first_match("background"):
        return "background", _fill(rules["background"]["why"], text=m.group()) + note
    for a in attributions:
        if a.verb and a.kind == "inference":
            if a.source and a.source.type == "document" and a.lemma in ("indicate", "point-to"):
                continue  # what a record indicates is part of what it contains
            return "inference", _why("kind_rules", "reporting", text=s[a.verb[0]:a.verb[1]]) + note

    # 5. Otherwise a fact: checkable, not necessarily true.
    if scheduled:
        note = " " + _why("kind_rules", "scheduled", text=scheduled,
                          date=s[schedule.start:schedule.end]) + note
    if main is not None and main.source is not None:
        return "fact", _why("kind_rules", "fact_sourced", source=main.source.name) + note
    return "fact", _why("kind_rules", "fact_unsourced") + note


def _in_relative(sent: _Sentence, pos: int) -> bool:
    """Is the word at `pos` right after a relative 'that/which/who' ('a buildup that could
    influence'), so that it describes a noun rather than making the main claim?"""
    prev = sent.word_before(pos)
    if not prev or prev[2].lower() not in _words_set("kind_rules", "relative_words"):
        return False
    return not _after_reporting_verb(sent, prev[0])


def _record_subject_before(sent: _Sentence, pos: int) -> bool:
    """Is a record, a report or a pronoun standing for one the subject of a negated verb?"""
    W = _source_words()
    window = sent.s[max(0, pos - 80):pos]
    clause = re.split(r"[,;:]|\b(?:and|but|while|though|although)\b", window)[-1]
    words = [w.lower() for w in re.findall(r"[\w']+", clause)]
    return any(w in W["document"] or w in W["report"] or w in ("they", "it", "these", "this")
               for w in words)



# --------------------------------------------------------------------------------------
# Plain-text report, for `kit analyse`


def format_analyses(results: list[SentenceAnalysis], width: int = 100) -> str:
    """Every sentence with its suggested kind, its source and each mark, with reasons."""
    import textwrap

    def wrap(text: str, indent: str) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width=width, initial_indent=indent,
                             subsequent_indent=" " * len(indent) + "  ") or [indent]

    lines: list[str] = []
    for n, r in enumerate(results, 1):
        lines += wrap(f"[{n}] {r.text}", "")
        lines += wrap(f"kind: {r.suggested_kind}. {r.kind_reason}", "    ")
        who = f"{r.source_type} ({r.source_name})" if r.source_name else r.source_type
        carried = " [carried over]" if r.carried else ""
        lines += wrap(f"source: {who}{carried}. {r.source_reason}", "    ")
        for m in r.marks:
            label = f" [{m.label}]" if m.label else ""
            lines += wrap(f'{m.kind} "{m.text}"{label}: {m.reason}', "    - ")
        lines.append("")
    return "\n".join(lines).rstrip() + ("\n" if lines else "")
