"""Attribution cues and their sources: weasel wording ("it is believed"),
phrases ("according to"), reporting verbs in any tense with their subject ("the minister
said", '"...," said Lee'), nouns of saying ("in a statement") and unnamed allegers
("reportedly").
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from kit.analysis import lexicon
from kit.analysis.names import trim_span
from kit.analysis.sentence import (DETERMINER_BEFORE_NOUN, fill_in, Found, overlaps,
                                   ParsedSentence, verb_table)
from kit.analysis.sources import classify_source, Context, Source, source_right, source_why


@dataclass
class Attribution:
    cue: tuple[int, int] | None
    cue_reason: str
    cue_label: str
    source: Source | None
    secondary: bool = False      # in a subordinate, relative or parenthetical clause
    kind: str = "none"           # what the cue says about the claim's kind
    lemma: str = ""
    booster: bool = False
    hedge: bool = False
    verb: tuple[int, int] | None = None   # the reporting verb, even when negated

    def __post_init__(self):
        if self.verb is None:
            self.verb = self.cue


# Verbs that only report with a clear source: with an unknown subject ("the bridge
# noted") they are not attribution. The rest ("said", "told") accept any subject.
_ANY_SUBJECT = frozenset("say tell add state report write announce explain warn claim "
                         "argue insist deny tweet testify reply quote allege".split())
# Verbs whose negation reports no claim: "did not respond to requests for comment".
_NO_CLAIM_WHEN_NEGATED = frozenset("respond reply answer comment return say tell".split())


def find_attributions(sent: ParsedSentence, context: Context | None,
                       hedges: list[Found]) -> list[Attribution]:
    found: list[Attribution] = []
    taken: list[tuple[int, int]] = []

    # 1. Weasel wording: "it is believed", "research shows", "some critics say".
    weasel = lexicon.load("weasel_words")["patterns"]
    for name, info in weasel.items():
        for regex in (lexicon.rule_regex("weasel_words", "patterns", name, "regex"),):
            for m in regex.finditer(sent.s):
                span = (m.start(), m.end())
                if any(overlaps(span, t) for t in taken):
                    continue
                text = m.group()
                # The verb inside ("critics argue") still says what kind of claim it is.
                forms, verb_regex = verb_table()[:2]
                verb = verb_regex.search(text)
                group_info = forms[" ".join(verb.group().lower().split())][2] if verb else {}
                name = text[:verb.start()].strip() if verb and verb.start() > 0 else ""
                name = re.sub(r"\s+(?:has|have|had)$", "", name)
                if not name or name.split()[0].lower() in ("it", "there", "is", "are", "was",
                                                           "were", "has", "have"):
                    name = text
                src_span = (span[0], span[0] + len(name)) if text.startswith(name) else span
                src = Source("vague", "weasel", name, src_span,
                              fill_in(source_why("weasel"), name=name), plural=True)
                # "It is widely believed" hedges the claim itself; "critics say" names an
                # unnamed source but does not weaken what they say.
                found.append(Attribution(span, fill_in(info["why"], text=text), "weasel", src,
                                          secondary=sent.in_subordinate(span[0]),
                                          kind=str(group_info.get("kind", info.get("kind", "none"))),
                                          hedge=name == text))
                taken.append(span)

    # 2. Phrases before a source: "according to the analysis", "citing officials".
    phrases = lexicon.load("reporting_verbs")["phrases"]
    before = lexicon.phrase_regex("reporting_verbs", "phrases", "before_source")
    for m in before.finditer(sent.s):
        span = (m.start(), m.end())
        if any(overlaps(span, t) for t in taken):
            continue
        src = source_right(sent, m.end(), context)
        if src is None:
            continue
        participle = m.group().lower().split()[0] in ("attributed", "reported", "quoted",
                                                      "cited")
        secondary = sent.in_subordinate(span[0]) or (
            participle and sent.s[:span[0]].rstrip().endswith(","))
        found.append(Attribution(span, fill_in(phrases["why"], text=m.group()), "source phrase",
                                  src, secondary=secondary))
        taken.append(span)

    # 3. Reporting verbs, in any tense, with their subject.
    forms, regex, aux, adverbs = verb_table()
    for m in regex.finditer(sent.s):
        span = (m.start(), m.end())
        if any(overlaps(span, t) for t in taken):
            continue
        att = _verb_attribution(sent, m, forms, aux, adverbs, context)
        if att is not None:
            found.append(att)
            taken.append(att.cue or span)

    # 4. Nouns of saying: "in a statement", "told reporters" (a cue, no new source).
    nouns = lexicon.phrase_regex("reporting_verbs", "phrases", "nouns")
    for m in nouns.finditer(sent.s):
        span = (m.start(), m.end())
        if any(overlaps(span, t) for t in taken):
            continue
        found.append(Attribution(span, fill_in(phrases["why"], text=m.group()), "saying noun",
                                  None, secondary=True))
        taken.append(span)

    # 5. Unnamed allegers: "allegedly", "is said to", "reportedly".
    for h in hedges:
        if h.alleger and not any(overlaps((h.start, h.end), t) for t in taken):
            text = sent.s[h.start:h.end]
            src = Source("vague", "alleger", f"unnamed ({text.lower()})", None,
                          fill_in(source_why("alleger"), name=text))
            found.append(Attribution((h.start, h.end), h.reason, "unnamed alleger", src,
                                      secondary=sent.in_subordinate(h.start)))
    found.sort(key=lambda a: a.verb[0] if a.verb else (a.source.span[0] if a.source and a.source.span else 0))
    return found


def _verb_attribution(sent, m, forms, aux, adverbs, context) -> Attribution | None:
    form = " ".join(m.group().lower().split())
    group, lemma, info = forms[form]
    start, end = m.start(), m.end()
    word = m.group()
    # A capitalised verb inside an ordinary sentence is part of a name ("United States").
    if word[0].isupper() and not sent.headline and sent.s[:start].strip(" \"'(") != "":
        return None
    prev = sent.word_before(start)
    prev_word = prev[2].lower().rstrip(".") if prev else ""
    if prev_word in DETERMINER_BEFORE_NOUN:
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
        src = source_right(sent, end + by.end(), context)
        if src is None:
            return None
        return Attribution((cue_start, end + by.end()), fill_in(info["why"], text=sent.s[cue_start:end]),
                            group, src, secondary=True, lemma=lemma)
    if participle:
        # ", saying ...": the speaker is the subject of the main clause.
        src = _main_subject(sent, cue_start, context)
        if src is None:
            return None
        return Attribution((cue_start, end), fill_in(info["why"], text=sent.s[cue_start:end]),
                            group, src, secondary=True, kind=str(info.get("kind", "none")),
                            lemma=lemma, hedge=bool(info.get("hedge")))
    if re.search(r"\b(?:is|are|was|were|been|being|be)\b", chain_text) and not form.endswith("ing"):
        # Passive: "was reported by X" names its source after "by"; "is said to" is handled
        # as an unnamed alleger; anything else reports no source.
        if re.match(r"\s+by\b", sent.s[end:]):
            by = re.match(r"\s+by\b", sent.s[end:])
            src = source_right(sent, end + by.end(), context)
            if src is None:
                return None
            return Attribution((cue_start, end + by.end()), fill_in(info["why"], text=sent.s[cue_start:end]),
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
    reason = fill_in(info["why"], text=sent.s[cue_start:end])
    if negated:
        # "It does not establish ...": a limit, not somebody's claim, so no cue. A record
        # named as the subject still counts as the source ("the documents do not show").
        # The verb still tells what kind of claim it is ("I do not think" is a judgement).
        keep = needs_record or lemma == "deny" or (src.type == "document" and src.key != "pronoun")
        return Attribution(None, reason, group, src if keep else None, secondary=secondary,
                            kind=str(info.get("kind", "none")), lemma=lemma,
                            hedge=bool(info.get("hedge")), verb=cue)
    return Attribution(cue, reason, group, src, secondary=secondary,
                        kind=str(info.get("kind", "none")), lemma=lemma,
                        booster=bool(info.get("booster")), hedge=bool(info.get("hedge")),
                        verb=cue)


def _main_subject(sent: ParsedSentence, before: int, context) -> Source | None:
    """The subject of the sentence's first clause: who is 'saying' in ', saying ...'."""
    comma = sent.s.rfind(",", 0, before)
    if comma <= 0:
        return None
    span = _pick_segment(sent, 0, sent.s.find(",") if sent.s.find(",") > 0 else comma)
    return classify_source(sent, *span, context=context, lenient=True) if span else None


def _secondary_cue(sent: ParsedSentence, pos: int) -> bool:
    if sent.in_subordinate(pos):
        return True
    prev = sent.word_before(pos)
    return bool(prev) and prev[2].lower() in ("that", "which", "who") and \
        not after_reporting_verb(sent, prev[0])


def after_reporting_verb(sent: ParsedSentence, pos: int) -> bool:
    """Is the 'that' at `pos` a complement ('said that'), not a relative ('lists that')?"""
    prev = sent.word_before(pos)
    if not prev:
        return False
    forms = verb_table()[0]
    return prev[2].lower() in forms


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


def _subject_for(sent, cue_start, cue_end, context, lenient) -> Source | None:
    """The source of a reporting verb: the subject before it, or after it when inverted
    ('"...," said the minister')."""
    left = _subject_span_left(sent, cue_start)
    if left is not None:
        src = classify_source(sent, *left, context=context, lenient=lenient)
        if src is not None:
            return src
    # Inverted: nothing (or only a quotation) before the verb in its clause.
    lo = max(0, cue_start - 200)
    clause = sent.s[lo:cue_start]
    if re.search(r'(?:^|[,"]|\bas)\s*$', clause) or not clause.strip():
        return source_right(sent, cue_end, context, lenient=lenient)
    return None


def _subject_span_left(sent: ParsedSentence, cue_start: int) -> tuple[int, int] | None:
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


def _pick_segment(sent: ParsedSentence, start: int, end: int) -> tuple[int, int] | None:
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
    segments = [trim_span(sent.s, a, b) for a, b in segments]
    last = segments[-1]
    if last[1] > last[0] and not _INTRO.match(sent.s[last[0]:last[1]]):
        return last
    for a, b in segments:
        if b > a and not _INTRO.match(sent.s[a:b]):
            return (a, b)
    return None


def main_attribution(attributions: list[Attribution]) -> Attribution | None:
    """The source of the sentence's main claim: the first attribution outside subordinate,
    relative and parenthetical clauses, else the first at all."""
    usable = [a for a in attributions if a.source is not None]
    if not usable:
        return None
    main = [a for a in usable if not a.secondary]
    ranked = sorted(main or usable, key=lambda a: a.cue_label == "content")
    return ranked[0]
