"""The analyser's entry points: split a text, analyse each sentence, and put every
finding (cues, sources, hedges, boosters, figures, dates, the suggested kind) into `Mark`s
with offsets into the original text. Also the plain-text report printed by `kit analyse`.
"""
from __future__ import annotations

from kit.analysis.attribution import find_attributions, main_attribution
from kit.analysis.figures import find_dates, find_numbers
from kit.analysis.hedges import find_boosters, find_hedges
from kit.analysis.kinds import suggest_kind
from kit.analysis.marks import Mark, SentenceAnalysis
from kit.analysis.sentence import check_text, overlaps, ParsedSentence, reason_for
from kit.analysis.sources import Context


def analyse_text(text: str) -> list[SentenceAnalysis]:
    """Split `text` into sentences and analyse each; mark offsets are per sentence, and
    each result's `start` says where its sentence begins in `text`."""
    from kit.analysis.splitting import split_spans
    text = check_text(text)
    spans = split_spans(text)
    results = analyse_sentences([text[a:b] for a, b in spans])
    for result, (a, _) in zip(results, spans):
        result.start = a
    return results


def analyse_sentences(sentences: list[str]) -> list[SentenceAnalysis]:
    """Analyse sentences in order, letting a pronoun ("They indicate ...") point back to
    a source in the sentences before it."""
    context = Context()
    return [analyse_sentence(s, context) for s in sentences]


def analyse_sentence(text: str, context: "Context | None" = None) -> SentenceAnalysis:
    """Analyse one sentence. `context` (from `analyse_sentences`) resolves pronouns."""
    text = check_text(text)
    sent = ParsedSentence(text)
    if not sent.s.strip():
        result = SentenceAnalysis(text=text, kind_reason=reason_for("kind_rules", "fact_empty"))
        if context is not None:
            context.remember(sent, [], None)
        return result
    hedges = find_hedges(sent)
    attributions = find_attributions(sent, context, hedges)
    boosters = find_boosters(sent, hedges, attributions)
    dates = find_dates(sent)
    numbers = find_numbers(sent, dates)
    main = main_attribution(attributions)
    kind, kind_reason = suggest_kind(sent, hedges, boosters, attributions, main, dates)

    marks: list[tuple[int, int, str, str, str]] = []  # view start, end, kind, reason, label
    for a in attributions:
        if a.cue:
            marks.append((a.cue[0], a.cue[1], "cue", a.cue_reason, a.cue_label))
        if a.verb and a.hedge and not any(overlaps(a.verb, (h.start, h.end)) for h in hedges):
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
