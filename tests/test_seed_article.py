"""Is the seed article in the kit word for word the article we were given, with every
point of FACTS.md present as a flag?"""
from __future__ import annotations

import warnings

import pytest

from pathlib import Path

from kit.article_loader import load_article
from kit.library import ARTICLES_DIR, SEED_ID
from tests.conftest import SHARED

# A copy of the article as given travels with the tests; when the shared folder is beside
# the checkout (as in CI), the copy is also checked against it.
SEED_TXT = Path(__file__).parent / "data" / "seed-article.txt"
SHARED_SEED = SHARED / "seed" / "article.txt"
SEED_YAML = ARTICLES_DIR / f"{SEED_ID}.yaml"


@pytest.fixture(scope="module")
def seed():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "the seed loads with no warning"
        return load_article(SEED_YAML)


def test_seed_text_matches_the_given_article_line_for_line(seed):
    """Does the page rebuilt from the YAML (furniture and paragraphs in order) equal
    every non-empty line of article.txt, character for character?"""
    given = [line for line in SEED_TXT.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert seed.page_lines() == given


def test_the_copy_is_the_article_as_given():
    if not SHARED_SEED.exists():
        pytest.skip("the shared folder is not beside this checkout")
    assert SEED_TXT.read_bytes() == SHARED_SEED.read_bytes()


def test_every_sentence_is_annotated_for_a_student(seed):
    for s in seed.sentences:
        assert s.annotated and s.why.strip() and len(s.why) < 700, s.id
    parts = [s.part for s in seed.sentences]
    assert parts[:2] == ["headline", "dek"] and set(parts[2:]) == {"body"}


def test_page_furniture_is_represented(seed):
    roles = {f.role: f.text for f in seed.furniture}
    assert roles["banner-date"] == "Thursday, January 1, 2026"
    assert roles["section-timestamp"] == "World 3 months ago"
    assert roles["sources"] == "Sources"
    assert roles["outlet"] == "The Express Gazette"
    assert roles["headline-repeat"] == seed.sentence("s1").text


def flag_for(seed, quote_part: str, types: set[str]):
    found = [f for f in seed.flags if quote_part.lower() in (f.quote + " " + seed.target_text(f.target)).lower()
             and f.type in types]
    assert found, f"no {types} flag about {quote_part!r}"
    return found[0]


# Each FACTS.md point, as (words on the page it concerns, acceptable flag types, words
# the explanation must contain so it agrees with FACTS.md).
FACTS_POINTS = [
    ("RUIS", {"error"}, ["RUSI"]),
    ("London-based defense forum", {"error", "inconsistency"}, ["RUSI"]),
    ("Jens Stoltenberg", {"error"}, ["Rutte", "2024"]),
    ("Thursday, January 1, 2026", {"inconsistency", "omission"}, ["3 months ago"]),
    ("Sources", {"omission"}, []),
    ("funding part of China", {"inconsistency", "error"}, []),
    ("more than $210 million", {"disputed"}, ["584", "543"]),
    ("dated in 2021", {"disputed"}, ["2023", "2022"]),
    ("contributed to the analysis", {"omission", "overreach"}, ["co-author"]),
    ("former Ukrainian defense official", {"overreach", "omission"}, ["unverified"]),
    ("10 to 15 years", {"omission", "overreach", "disputed"}, []),
    ("alliance", {"overreach"}, ["treaty"]),
    ("Black Moon", {"omission"}, []),
    ("Several U.S. officials", {"omission"}, ["Burns"]),
    ("Finds", {"overreach"}, []),
    ("Taiwan", {"inconsistency", "overreach"}, ["name Taiwan"]),
]


@pytest.mark.parametrize("quote,types,must_say", FACTS_POINTS, ids=[p[0] for p in FACTS_POINTS])
def test_every_point_in_facts_is_a_flag(seed, quote, types, must_say):
    """Is each error, inconsistency, omission, overreach and dispute of FACTS.md a flag
    whose explanation agrees with FACTS.md?"""
    flags = [f for f in seed.flags if f.type in types and
             (quote.lower() in f.quote.lower() or quote.lower() in seed.target_text(f.target).lower())]
    assert flags, f"no {sorted(types)} flag about {quote!r}"
    text = " ".join(f.why for f in flags)
    for word in must_say:
        assert word.lower() in text.lower(), (quote, word)


def test_disputed_figures_are_not_settled(seed):
    """FACTS.md calls the price and the timeline disputed: the key must not pick a side."""
    for flag in seed.flags:
        if flag.type == "disputed":
            assert "disputed" in flag.why.lower() or "differ" in flag.why.lower() or "different" in flag.why.lower()


def test_unverified_claims_are_not_stated_as_fact(seed):
    """'Former Ukrainian defense official' is unverified: no explanation may assert it."""
    for s in seed.sentences:
        assert "was a former ukrainian" not in s.why.lower()
        assert "is a former ukrainian" not in s.why.lower()
