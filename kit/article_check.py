"""`kit article check`: validate article files and say, one line each, what is wrong.

Beyond validation it says two more things, neither of which makes the exit status
non-zero:

- a **draft** (from `kit article new`) still has fields in `unreviewed:` lists: the file
  is valid, but its annotations are the analyser's guesses until a teacher has checked
  them, so it is reported as a draft ("5 sentences still unreviewed (s1, s2, ...)");
- a **warning** where the key and the analyser disagree strongly (a sentence marked fact
  that is full of hedges): one line each, starting "warning:", for the teacher to look at.
"""
from __future__ import annotations

from kit.article import Article, Sentence
from kit.article_loader import ArticleInvalid, load_article

# The key of the per-sentence (and article-level) list of fields a draft has guessed.
UNREVIEWED = "unreviewed"
SENTENCE_FIELDS = ("kind", "accept", "source", "cues", "hedges", "boosters", "certainty", "why")
ARTICLE_FIELDS = ("id", "title", "fictional", "notice", "provenance", "outlet", "dateline",
                  "level", "genre", "topic", "dek", "furniture", "flags", "checks")
SHOW_IDS = 10  # ids listed before "..."


def check_files(files: list[str], out, err) -> int:
    """Print every problem of every file; return 0 only if all files are valid."""
    failed = 0
    for name in files:
        try:
            article = load_article(name)
        except ArticleInvalid as exc:
            failed += 1
            for problem in exc.problems:
                print(problem, file=err)
            continue
        sentences = article.sentences
        what = "text only (assessment)" if not article.annotated else (
            f"{len(article.flags)} flags, {len(article.checks)} checks")
        print(f"{name}: ok: {len(sentences)} sentences, {what}", file=out)
        state = review_state(article)
        if state.is_draft:
            print(f"{name}: {state.summary()}", file=out)
        for line in state.warnings:
            print(f"warning: {name}: {line}", file=err)
        for line in disagreements(article):
            print(f"warning: {name}: {line}", file=err)
    return 1 if failed else 0


# -- drafts ----------------------------------------------------------------------------


class ReviewState:
    """What a draft still has to have checked: sentence ids and article-level fields."""

    def __init__(self):
        self.sentences: list[str] = []        # ids of sentences with unreviewed fields
        self.article_fields: list[str] = []   # article-level fields still unreviewed
        self.warnings: list[str] = []         # malformed `unreviewed:` entries

    @property
    def is_draft(self) -> bool:
        return bool(self.sentences or self.article_fields)

    def what(self) -> str:
        """ "5 sentences still unreviewed (s1, s2, ...); the article's title still unreviewed" """
        parts = []
        if self.sentences:
            n = len(self.sentences)
            ids = ", ".join(self.sentences[:SHOW_IDS]) + (", ..." if n > SHOW_IDS else "")
            parts.append(f"{n} sentence{'s' if n != 1 else ''} still unreviewed ({ids})")
        if self.article_fields:
            parts.append(f"the article's {', '.join(self.article_fields)} still unreviewed")
        return "; ".join(parts)

    def summary(self) -> str:
        """One line: "draft, not ready for students: 5 sentences still unreviewed (...)"."""
        return (f"draft, not ready for students: {self.what()}. "
                f'Check each, then delete its "{UNREVIEWED}:" line.')


def _fields(value, where: str, known: tuple[str, ...], state: ReviewState) -> list[str]:
    """The field names of one `unreviewed:` value; a malformed value is a warning."""
    if value is None or value == [] or value is False:
        return []
    if value is True:
        return ["everything"]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        state.warnings.append(f'{where}field "{UNREVIEWED}": should be a list of field names '
                              f"like [kind, source]")
        return ["(unreadable list)"]
    out = []
    for item in value:
        name = str(item).strip()
        if name not in known:
            state.warnings.append(f'{where}field "{UNREVIEWED}": "{name}" is not a field '
                                  f"name; expected some of {', '.join(known)}")
        out.append(name)
    return out


def review_state(article: Article) -> ReviewState:
    """Which sentences and article fields are still marked unreviewed."""
    state = ReviewState()
    state.article_fields = _fields(article.meta.get(UNREVIEWED), "", ARTICLE_FIELDS, state)
    for s in article.sentences:
        if _fields(s.extra.get(UNREVIEWED), f"sentence {s.id}: ", SENTENCE_FIELDS, state):
            state.sentences.append(s.id)
    return state


# -- where the key and the analyser disagree -------------------------------------------

LOOKS_AHEAD = "could, may, might, will, would, expect"


def _hedge_words(s: Sentence, analysis) -> list[str]:
    seen: dict[str, str] = {}
    for word in [m.text for m in analysis.hedges] + list(s.hedges):
        seen.setdefault(" ".join(word.casefold().split()), " ".join(word.split()))
    return list(seen.values())


def disagreements(article: Article) -> list[str]:
    """Sentences whose key the analyser strongly disputes, one line each.

    Only strong cases, so a reviewed article stays quiet: a fact with two or more
    hedges (unless inference or speculation is accepted too), a high certainty with two
    or more hedges, and speculation with nothing in it that looks ahead.
    """
    if not article.annotated:
        return []
    try:
        from kit.analysis import analyse_sentences
        results = analyse_sentences([s.text for s in article.sentences])
    except Exception:  # the analyser is advice only: never let it break a check
        return []
    lines = []
    for s, a in zip(article.sentences, results):
        hedges = _hedge_words(s, a)
        shown = ", ".join(hedges[:5])
        if (s.kind == "fact" and len(hedges) >= 2
                and not {"inference", "speculation"} & set(s.accept)):
            lines.append(f"sentence {s.id}: marked fact but full of hedges ({shown}); is it "
                         "inference or speculation? If fact is right, say why in its why, or "
                         "list the other defensible kind in accept")
        elif s.certainty == "high" and len(hedges) >= 2:
            lines.append(f"sentence {s.id}: certainty high but hedged ({shown}); is it "
                         "medium or low?")
        if s.kind == "speculation" and not hedges and a.suggested_kind != "speculation":
            lines.append(f"sentence {s.id}: marked speculation but nothing in it looks ahead "
                         f"(no {LOOKS_AHEAD}); is it fact or inference?")
    return lines
