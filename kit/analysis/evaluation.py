"""How good is the analyser? Run it on every annotated article and compare with the keys.

`kit evaluate` prints this report; docs/analyser.md records the figures, and
tests/test_evaluation.py holds floors a little under them so a change that makes the
analyser worse fails a test.

What is compared, sentence by sentence (the key's own sentences, in article order, so a
pronoun can point back as it would in running text):

- hedge words: a hedge mark counts as right when it overlaps a word the key lists under
  `hedges`; precision is over the marks, recall over the key's words. Boosters and cue
  words are scored the same way.
- attribution: does the sentence have one? The key says yes when it lists cue words, or
  names a source that is not carried over from an earlier sentence.
- source type and suggested kind: the analyser's label against the key's, per label, with
  the kinds also scored against every kind the key accepts.
- sentence splitting: the analyser's sentences against the key's, joined back into text.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from kit.article import Article
from kit.taxonomy import KINDS, SOURCE_TYPES

TASKS = ("hedges", "attribution", "source_type", "kind")


def load_practice_articles(paths=None) -> tuple[list[Article], list[tuple[str, str]]]:
    """Every annotated practice article that loads, and (file, reason) for each skipped."""
    from kit.article_loader import ArticleInvalid
    from kit.library import load, practice_paths
    articles, skipped = [], []
    for path in (practice_paths() if paths is None else [Path(p) for p in paths]):
        try:
            article = load(str(path))
        except ArticleInvalid as exc:
            first = str(exc.problems[0]) if exc.problems else "cannot be loaded"
            more = f" (and {len(exc.problems) - 1} more problems)" if len(exc.problems) > 1 else ""
            skipped.append((str(path), first + more))
            continue
        if not article.annotated:
            skipped.append((str(path), "text only (an assessment article): no key to compare"))
            continue
        articles.append(article)
    return articles, skipped


def prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> dict:
    """Precision over predictions, recall over the key, and their harmonic mean."""
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "predicted": n_pred, "gold": n_gold,
            "correct_predicted": tp_pred, "correct_gold": tp_gold}


def _fold(text: str) -> str:
    from kit.analysis.textview import SAME_LENGTH_TABLE
    return text.translate(SAME_LENGTH_TABLE).casefold()


def _gold_spans(sentence_text: str, words: list[str]) -> list[list[tuple[int, int]]]:
    """For each key word, every place it occurs in the sentence (case-insensitive)."""
    folded = _fold(sentence_text)
    out = []
    for word in words:
        w = _fold(word).strip()
        spans, at = [], folded.find(w) if w else -1
        while at >= 0:
            spans.append((at, at + len(w)))
            at = folded.find(w, at + 1)
        out.append(spans)
    return out


def _word_scores(pairs, kind: str, key_attr: str) -> dict:
    tp_pred = n_pred = tp_gold = n_gold = 0
    for sentence, result in pairs:
        gold = _gold_spans(sentence.text, getattr(sentence, key_attr))
        marks = [(m.start, m.end) for m in result.marks_of(kind)]
        n_pred += len(marks)
        n_gold += len(gold)
        for a, b in marks:
            tp_pred += any(a < gb and ga < b for spans in gold for ga, gb in spans)
        for spans in gold:
            tp_gold += any(a < gb and ga < b for ga, gb in spans for a, b in marks)
    return prf(tp_pred, n_pred, tp_gold, n_gold)


def _label_scores(gold: list[str], pred: list[str], labels) -> dict:
    per = {}
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, pred))
        per[label] = prf(tp, pred.count(label), tp, gold.count(label))
    present = [label for label in labels if gold.count(label)]
    macro = sum(per[label]["f1"] for label in present) / len(present) if present else 0.0
    confusion = {g: {p: 0 for p in labels} for g in labels}
    for g, p in zip(gold, pred):
        confusion.setdefault(g, {}).setdefault(p, 0)
        confusion[g][p] += 1
    accuracy = sum(g == p for g, p in zip(gold, pred)) / len(gold) if gold else 0.0
    return {"per_label": per, "macro_f1": macro, "accuracy": accuracy, "confusion": confusion}


def gold_has_attribution(sentence) -> bool:
    """The key's answer to 'does this sentence itself attribute its claim?'"""
    return bool(sentence.cues) or (sentence.source.type != "none" and not sentence.source.carried)


def _split_scores(articles: list[Article]) -> dict:
    from kit.analysis.splitting import split_spans
    gold_n = pred_n = hits = 0
    for article in articles:
        parts, gold, pos = [], set(), 0
        for i, para in enumerate(article.paragraphs):
            if i:
                parts.append("\n\n")
                pos += 2
            for j, s in enumerate(para):
                if j:
                    # A headline or dek stands on its own line on the page.
                    gap = "\n" if para[j - 1].part in ("headline", "dek") else " "
                    parts.append(gap)
                    pos += len(gap)
                text = s.text.strip()
                gold.add((pos, pos + len(text)))
                parts.append(text)
                pos += len(text)
        spans = set(split_spans("".join(parts)))
        gold_n += len(gold)
        pred_n += len(spans)
        hits += len(gold & spans)
    return prf(hits, pred_n, hits, gold_n)


def evaluate(articles: list[Article]) -> dict:
    """Scores of the analyser against the keys of `articles` (annotated ones only)."""
    from kit.analysis import analyse_sentences
    articles = [a for a in articles if a.annotated]
    pairs = []
    for article in articles:
        sentences = article.sentences
        pairs.extend(zip(sentences, analyse_sentences([s.text for s in sentences])))
    gold_attr = [gold_has_attribution(s) for s, _ in pairs]
    pred_attr = [r.has_attribution for _, r in pairs]
    tp = sum(g and p for g, p in zip(gold_attr, pred_attr))
    kinds_gold = [s.kind for s, _ in pairs]
    kinds_pred = [r.suggested_kind for _, r in pairs]
    kind = _label_scores(kinds_gold, kinds_pred, list(KINDS))
    kind["accepted_accuracy"] = (sum(r.suggested_kind in s.accepted_kinds for s, r in pairs)
                                 / len(pairs) if pairs else 0.0)
    return {
        "articles": [a.id for a in articles],
        "sentences": len(pairs),
        "hedges": _word_scores(pairs, "hedge", "hedges"),
        "boosters": _word_scores(pairs, "booster", "boosters"),
        "cues": _word_scores(pairs, "cue", "cues"),
        "attribution": {**prf(tp, sum(pred_attr), tp, sum(gold_attr)),
                        "accuracy": (sum(g == p for g, p in zip(gold_attr, pred_attr)) / len(pairs)
                                     if pairs else 0.0)},
        "source_type": _label_scores([s.source.type for s, _ in pairs],
                                     [r.source_type for _, r in pairs], list(SOURCE_TYPES)),
        "kind": kind,
        "splitting": _split_scores(articles),
        "kind_counts": dict(Counter(kinds_gold)),
    }


def format_report(metrics: dict, skipped: list[tuple[str, str]] | None = None) -> str:
    """The report `kit evaluate` prints: plain text, one table per task."""
    lines = [f"Analyser evaluation: {len(metrics['articles'])} annotated articles, "
             f"{metrics['sentences']} sentences"]
    if metrics["articles"]:
        lines.append("  articles: " + ", ".join(metrics["articles"]))
    for path, why in skipped or []:
        lines.append(f"  skipped {path}: {why}")
    lines += ["", f"{'task':<34}{'precision':>10}{'recall':>8}{'F1':>7}{'key':>6}{'marked':>8}"]

    def row(name, m):
        lines.append(f"{name:<34}{m['precision']:>10.2f}{m['recall']:>8.2f}{m['f1']:>7.2f}"
                     f"{m['gold']:>6}{m['predicted']:>8}")

    row("hedge words", metrics["hedges"])
    row("booster words", metrics["boosters"])
    row("cue words", metrics["cues"])
    row("attribution (sentence has one)", metrics["attribution"])
    row("sentence splitting", metrics["splitting"])
    for task, title in (("source_type", "source type"), ("kind", "suggested kind")):
        m = metrics[task]
        lines += ["", f"{title}: accuracy {m['accuracy']:.2f}, macro F1 {m['macro_f1']:.2f}"
                  + (f", accepted by the key {m['accepted_accuracy']:.2f}" if task == "kind" else "")]
        for label, s in m["per_label"].items():
            row(f"  {label}", s)
    lines += ["", "kinds: rows are the key, columns the analyser's suggestion"]
    labels = list(KINDS)
    lines.append(f"{'':<13}" + "".join(f"{label[:11]:>12}" for label in labels))
    for g in labels:
        counts = metrics["kind"]["confusion"].get(g, {})
        lines.append(f"{g:<13}" + "".join(f"{counts.get(p, 0):>12}" for p in labels))
    return "\n".join(lines)
