"""Do the keys agree with an independent second annotator (Cohen's kappa on kinds)?"""
import pytest

from kit.analysis.agreement import AGREEMENT_DIR, article_agreement, cohen_kappa, second_labels
from kit.library import load, practice_ids


def test_kappa_known_values():
    """Does cohen_kappa give the textbook values?"""
    assert cohen_kappa(["a", "b", "a", "b"], ["a", "b", "a", "b"]) == 1.0
    assert cohen_kappa(["a", "a", "b", "b"], ["a", "b", "a", "b"]) == 0.0
    # 20 items: 10 yes/yes, 5 no/no, 5 yes/no -> po 0.75, pe 0.5 -> kappa 0.5
    a = ["y"] * 15 + ["n"] * 5
    b = ["y"] * 10 + ["n"] * 10
    assert cohen_kappa(a, b) == pytest.approx(0.5)


@pytest.mark.parametrize("article_id", practice_ids())
def test_every_article_was_annotated_twice_and_agrees(article_id):
    """Is there a second annotation of every practice article, with kappa >= 0.75?"""
    assert (AGREEMENT_DIR / f"{article_id}.json").exists()
    result = article_agreement(load(article_id), second_labels(article_id))
    assert result["kappa"] >= 0.75, result


def test_overall_kappa_at_least_point_eight():
    keys, others = [], []
    for article_id in practice_ids():
        k, o = article_agreement(load(article_id), second_labels(article_id))["pairs"]
        keys += k
        others += o
    assert cohen_kappa(keys, others) >= 0.8
