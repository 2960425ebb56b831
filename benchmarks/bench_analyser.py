"""How fast is the analyser? Sentences per second on the kit's own articles.

Run on demand (it is not a test, and it times nothing that could fail):

    .venv/bin/python benchmarks/bench_analyser.py [--repeat N]

It reports, for the annotated practice articles that load:
- the analyser alone on the key's sentences (analyse_sentences), in sentences per second;
- splitting plus analysis of whole article text (analyse_text), in sentences per second;
- the time to analyse the seed article's text, once warm (lexicons loaded).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kit.analysis import analyse_sentences, analyse_text  # noqa: E402
from kit.analysis.evaluation import load_practice_articles  # noqa: E402
from kit.library import SEED_ID  # noqa: E402


def article_text(article) -> str:
    return "\n\n".join(" ".join(s.text for s in para) for para in article.paragraphs)


def best_of(repeat: int, func) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (best is kept)")
    args = parser.parse_args(argv)

    articles, skipped = load_practice_articles()
    for path, why in skipped:
        print(f"skipped {path}: {why}")
    sentences = [[s.text for s in a.sentences] for a in articles]
    texts = [article_text(a) for a in articles]
    n = sum(len(s) for s in sentences)
    started = time.perf_counter()
    analyse_sentences(sentences[0][:1])  # load the lexicons and compile the rules
    analyse_text(texts[0][:200])         # load pysbd
    warm_up = time.perf_counter() - started

    best, median = best_of(args.repeat, lambda: [analyse_sentences(s) for s in sentences])
    print(f"{len(articles)} articles, {n} sentences; first call (loading lexicons, pysbd): "
          f"{warm_up * 1000:.0f} ms")
    print(f"analyse_sentences: {n / best:,.0f} sentences/s (best of {args.repeat}; "
          f"median {n / median:,.0f})")
    counts = [0]

    def whole():
        counts[0] = sum(len(analyse_text(t)) for t in texts)
    best, median = best_of(args.repeat, whole)
    print(f"analyse_text (split + analyse): {counts[0] / best:,.0f} sentences/s "
          f"({sum(map(len, texts)) / best / 1000:,.0f} kB/s)")
    seed = next((t for a, t in zip(articles, texts) if a.id == SEED_ID), None)
    if seed is not None:
        best, median = best_of(args.repeat, lambda: analyse_text(seed))
        print(f"seed article ({len(seed):,} characters): {best * 1000:.0f} ms "
              f"(median {median * 1000:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
