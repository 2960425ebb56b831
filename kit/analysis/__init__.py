"""The analyser: who says so, how sure, and what kind of claim, for any English text.

A transparent, rule-based reader. For each sentence it marks attribution cues ("said",
"according to"), the source and its type (person, organisation, document, vague, none),
hedges and boosters, figures and dates, and suggests a kind (fact, inference,
speculation, caveat, background). Every mark carries the reason it was made, in words a
student can read. The word lists and the reasons are data in lexicons/*.yaml; the
modules hold only the rules that use them. It reads one sentence at a time, plus a little
memory of the sentences before it, and does not parse grammar: the rules look at words,
commas and clause words, so they are easy to explain and sometimes wrong. The measured
precision and recall are in docs/analyser.md.

The parts, in the order a sentence goes through them:
    splitting    text -> sentence spans (pysbd plus repairs for news text)
    textview     a plain view of the text whose offsets map back to the original
    sentence     one sentence as the rules see it, and the helpers they share
    hedges       hedges and boosters
    names, sources, attribution
                 reading a noun phrase, typing a source, finding cues and their sources
    figures      numbers and dates
    kinds        the suggested kind of claim
    analyse      the public functions that run all of the above
    marks        the result types (`Mark`, `SentenceAnalysis`)
    lexicon      loading lexicons/*.yaml and turning word lists into regexes
    evaluation, agreement
                 measuring the analyser against the kit's keys, and the keys against a
                 second annotator

What it may import: the standard library, PyYAML, pysbd (inside `splitting`, only when a
text is split) and, from the rest of the kit, only the model of an article
(`kit.article`, `kit.article_loader`, `kit.library`, `kit.taxonomy`) for evaluation. It
never imports widgets, grading or the command line, so any of those can use it.

All offsets are into the original text, so `text[mark.start:mark.end] == mark.text`,
whatever curly quotes, non-breaking spaces or invisible direction marks it contains.
"""
from kit.analysis.analyse import analyse_sentence, analyse_sentences, analyse_text, format_analyses
from kit.analysis.marks import MARK_KINDS, Mark, SentenceAnalysis

__all__ = ["MARK_KINDS", "Mark", "SentenceAnalysis", "analyse_sentence", "analyse_sentences",
           "analyse_text", "format_analyses"]
