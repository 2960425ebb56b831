"""The suggested kind of claim (fact, inference, speculation, caveat, background),
decided from the hedges, boosters and cues already found, in a fixed order of rules so
the reason given is the rule that decided.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kit.analysis import lexicon
from kit.analysis.attribution import after_reporting_verb
from kit.analysis.names import source_words
from kit.analysis.sentence import fill_in, ParsedSentence, reason_for, words_set


@lru_cache(maxsize=1)
def _state_verbs() -> frozenset[str]:
    return words_set("kind_rules", "state_verbs")


_MODAL_NEXT = re.compile(r"\s+(?:(?:not|n't|no longer|not yet|also|well|still|even|only|eventually|soon|"
                         r"ultimately|potentially|possibly|further|never|yet)\s+)*([\w']+)"
                         r"(?:\s+([\w']+))?", re.IGNORECASE)
_FINDING_LEMMAS = frozenset("find conclude determine".split())
_SHOWING_LEMMAS = frozenset("show demonstrate prove establish reveal".split())


def suggest_kind(sent, hedges, boosters, attributions, main, dates=()) -> tuple[str, str]:
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
        return "caveat", fill_in(rules["caveat"]["why"], text=m.group())
    for m in first_match("caveat", "record_regex"):
        if not _record_subject_before(sent, m.start()):
            continue
        if sent.in_subordinate(m.start()):
            minor = minor or m
            continue
        return "caveat", fill_in(rules["caveat"]["why"], text=m.group())
    note = (" " + reason_for("kind_rules", "minor_caveat", text=minor.group())) if minor else ""

    # 2. Speculation: a modal with an action, a future, a condition.
    inference_reason = None
    for h in hedges:
        if h.label not in ("modal", "condition") or _in_relative(sent, h.start):
            continue
        word = s[h.start:h.end].lower()
        if h.label == "condition" and word.startswith("should"):
            return "speculation", fill_in(rules["speculation"]["why"], text=s[h.start:h.end]) + note
        if h.label != "modal":
            continue
        nxt = _MODAL_NEXT.match(s, h.end)
        verb = nxt.group(1).lower() if nxt else ""
        verb2 = (nxt.group(2) or "").lower() if nxt else ""
        phrase = s[h.start:nxt.end(1)] if nxt else word
        if word == "should":
            inference_reason = inference_reason or reason_for("kind_rules", "modal_advice", text=phrase)
            continue
        if word.startswith("would"):
            schedule = schedule or schedule_for(h.start)
            if schedule_for(h.start) is not None:
                scheduled = scheduled or phrase
                continue
            return "speculation", reason_for("kind_rules", "modal_action", text=phrase) + note
        if verb == "have" and (verb2.endswith("ed") or verb2.endswith("en") or verb2 == "been"):
            inference_reason = inference_reason or reason_for("kind_rules", "modal_state", text=phrase)
            continue
        if verb in _state_verbs():
            inference_reason = inference_reason or reason_for("kind_rules", "modal_state", text=phrase)
            continue
        return "speculation", reason_for("kind_rules", "modal_action", text=phrase) + note
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
        return "speculation", fill_in(rules["speculation"]["why"], text=text) + note
    for a in attributions:
        if a.verb and a.kind == "speculation":
            return "speculation", reason_for("kind_rules", "reporting", text=s[a.verb[0]:a.verb[1]]).replace(
                "judgement or interpretation", "prediction") + note

    # 3. Inference: a judgement, an interpretation, a finding.
    if inference_reason:
        return "inference", inference_reason + note
    for h in hedges:
        if h.kind == "inference":
            return "inference", reason_for("kind_rules", "hedge", text=s[h.start:h.end]) + note
    for b in boosters:
        if b.kind == "inference":
            return "inference", reason_for("kind_rules", "booster", text=s[b.start:b.end]) + note
    for m in first_match("inference"):
        return "inference", fill_in(rules["inference"]["why"], text=m.group()) + note
    for a in attributions:
        if not a.cue or a.kind != "finding" or a.source is None or a.source.type == "document":
            continue
        cue_text = s[a.cue[0]:a.cue[1]]
        if a.lemma in _FINDING_LEMMAS and (a.source.key == "report" or a.source.type == "vague"):
            return "inference", reason_for("kind_rules", "finding", text=cue_text) + note
        if a.lemma in _SHOWING_LEMMAS and re.match(r"\s+(?:that|how)\b", s[a.cue[1]:]):
            return "inference", reason_for("kind_rules", "finding", text=cue_text) + note

    # 4. Background: looking back, standing facts, long-term goals. A verb of opinion
    # ("argued", "suggested") does not outweigh "for decades": the context comes first.
    for m in first_match("background"):
        return "background", fill_in(rules["background"]["why"], text=m.group()) + note
    for a in attributions:
        if a.verb and a.kind == "inference":
            if a.source and a.source.type == "document" and a.lemma in ("indicate", "point-to"):
                continue  # what a record indicates is part of what it contains
            return "inference", reason_for("kind_rules", "reporting", text=s[a.verb[0]:a.verb[1]]) + note

    # 5. Otherwise a fact: checkable, not necessarily true.
    if scheduled:
        note = " " + reason_for("kind_rules", "scheduled", text=scheduled,
                          date=s[schedule.start:schedule.end]) + note
    if main is not None and main.source is not None:
        return "fact", reason_for("kind_rules", "fact_sourced", source=main.source.name) + note
    return "fact", reason_for("kind_rules", "fact_unsourced") + note


def _in_relative(sent: ParsedSentence, pos: int) -> bool:
    """Is the word at `pos` right after a relative 'that/which/who' ('a buildup that could
    influence'), so that it describes a noun rather than making the main claim?"""
    prev = sent.word_before(pos)
    if not prev or prev[2].lower() not in words_set("kind_rules", "relative_words"):
        return False
    return not after_reporting_verb(sent, prev[0])


def _record_subject_before(sent: ParsedSentence, pos: int) -> bool:
    """Is a record, a report or a pronoun standing for one the subject of a negated verb?"""
    W = source_words()
    window = sent.s[max(0, pos - 80):pos]
    clause = re.split(r"[,;:]|\b(?:and|but|while|though|although)\b", window)[-1]
    words = [w.lower() for w in re.findall(r"[\w']+", clause)]
    return any(w in W["document"] or w in W["report"] or w in ("they", "it", "these", "this")
               for w in words)
