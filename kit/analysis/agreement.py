"""Agreement between the kit's keys and an independent second annotator (Cohen's kappa).

The second annotator saw only the taxonomy and the article text; their labels are kept
in docs/agreement/<article id>.json so the figures in docs/ can be re-measured.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from kit.article import Article

AGREEMENT_DIR = Path(__file__).resolve().parents[2] / "docs" / "agreement"


def cohen_kappa(a: list[str], b: list[str]) -> float:
    """Cohen's kappa for two label lists of equal length (1.0 when both are constant and equal)."""
    if len(a) != len(b) or not a:
        raise ValueError("kappa needs two non-empty label lists of the same length")
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in ca.keys() | cb.keys()) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def second_labels(article_id: str, folder: Path = AGREEMENT_DIR) -> dict[str, dict]:
    return json.loads((folder / f"{article_id}.json").read_text(encoding="utf-8"))["labels"]


def article_agreement(article: Article, labels: dict[str, dict]) -> dict:
    key = [s.kind for s in article.sentences]
    other = [labels[s.id]["kind"] for s in article.sentences]
    # Accept-aware: a second label the key lists as defensible counts as agreement.
    other_accepting = [s.kind if labels[s.id]["kind"] in s.accepted_kinds else labels[s.id]["kind"]
                       for s in article.sentences]
    source_agree = sum(labels[s.id].get("source_type") == s.source.type for s in article.sentences)
    return {
        "article": article.id, "sentences": len(key),
        "kappa": cohen_kappa(key, other),
        "kappa_accepting": cohen_kappa(key, other_accepting),
        "agreement": sum(x == y for x, y in zip(key, other)) / len(key),
        "source_type_agreement": source_agree / len(key),
        "pairs": (key, other),
    }
