"""Is the practice corpus what a course needs: original fictional articles across genres
and levels, every kind and source type many times, flags, lateral-reading checks, and a
balance that punishes doubting everything?"""
from __future__ import annotations

from collections import Counter

import pytest

from kit.library import SEED_ID, assessment_paths, practice_articles
from kit.article_loader import load_article
from kit.scoring import score_kinds
from kit.taxonomy import KINDS, SOURCE_TYPES

ARTICLES = practice_articles()
FICTIONAL = [a for a in ARTICLES if a.id != SEED_ID]


def test_at_least_eight_fictional_practice_articles_that_say_so():
    assert len(FICTIONAL) >= 8
    for a in FICTIONAL:
        assert a.fictional and "fictional" in a.meta["notice"].lower()
        assert any(f.role == "notice" for f in a.furniture), f"{a.id}: no notice on the page"


def test_genres_and_levels_are_covered():
    genres = {a.genre for a in FICTIONAL}
    assert {"wire", "analysis", "press-release", "local", "science", "business", "opinion",
            "rewrite"} <= genres
    levels = Counter(a.level for a in FICTIONAL)
    assert levels["introductory"] >= 2 and levels["intermediate"] >= 3 and levels["advanced"] >= 2


def test_every_kind_and_source_type_appears_many_times():
    kinds = Counter(s.kind for a in FICTIONAL for s in a.sentences)
    types = Counter(s.source.type for a in FICTIONAL for s in a.sentences)
    assert all(kinds[k] >= 5 for k in KINDS), kinds
    assert all(types[t] >= 5 for t in SOURCE_TYPES), types


def test_flags_and_checks():
    assert sum(1 for a in FICTIONAL if a.flags) >= 6
    assert {f.type for a in FICTIONAL for f in a.flags} == {"error", "inconsistency", "omission",
                                                           "overreach", "disputed"}
    for a in FICTIONAL:
        assert 2 <= len(a.checks) <= 3, a.id


def test_well_sourced_facts_are_as_common_as_weak_inference():
    sourced = sum(s.sourced_fact for a in FICTIONAL for s in a.sentences)
    doubtful = sum(s.kind in ("inference", "speculation") for a in FICTIONAL for s in a.sentences)
    assert sourced >= doubtful


NEWS = [a for a in ARTICLES if a.genre != "opinion"]


@pytest.mark.parametrize("article", NEWS, ids=[a.id for a in NEWS])
def test_marking_everything_doubtful_scores_badly(article):
    """A student who calls every sentence inference fails every news article (balanced
    score under one half, even counting the key's accepted alternatives). The opinion
    column is exempt: it is mostly the writer's inference by design."""
    doubter = score_kinds(article, {s.id: "inference" for s in article.sentences})
    assert doubter.balanced < 0.5
    perfect = score_kinds(article, {s.id: s.kind for s in article.sentences})
    assert perfect.balanced == 1.0


def test_assessment_articles_ship_as_text_only():
    paths = assessment_paths()
    assert len(paths) == 2
    for path in paths:
        article = load_article(path)
        assert article.meta.get("assessment") is True and not article.annotated
        assert not article.flags and not article.checks
