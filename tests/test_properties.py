"""Property-based tests (hypothesis) for the article loader, the answers store and the
scorers (issue 9, item 5): no input makes them crash, and a valid article survives a
save and a load unchanged."""
from __future__ import annotations

import copy
import json
import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.answers import FORMAT, AnswerStore, AnswersUnreadable, load_entry, read_answers_file
from kit.article import Article, Check, Flag, Furniture, Sentence, Source
from kit.article_loader import ArticleInvalid, dump_article, load_article, parse_article, save_article
from kit.grading import grade_kinds, grade_sources
from kit.scoring import names_match, score_hedges, score_kinds, score_source
from kit.taxonomy import CERTAINTIES, FLAG_TYPES, FURNITURE_ROLES, KINDS, LEVELS, PARTS, SOURCE_TYPES
from tests.conftest import MINIMAL_ARTICLE

# 60 examples a test keeps the suite quick; KIT_HYPOTHESIS_EXAMPLES=1000 searches harder.
SETTINGS = settings(max_examples=int(os.environ.get("KIT_HYPOTHESIS_EXAMPLES", "60")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# -- random data ------------------------------------------------------------------------
scalars = (st.none() | st.booleans() | st.integers(-10**6, 10**6)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30))
yamlish = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=12) | st.integers(0, 5), inner, max_size=5),
    max_leaves=30)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**9, 10**9) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=25)
known_words = st.sampled_from([*KINDS, *SOURCE_TYPES, *CERTAINTIES, *FLAG_TYPES, *PARTS, "s1",
                               "s2", "s3", "p1", "end", "", " "])


def paths_of(node, prefix=()):
    """Every (container, key) place in a nested structure of dicts and lists."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield node, key
            yield from paths_of(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield node, i
            yield from paths_of(value, prefix + (i,))


@st.composite
def damaged_articles(draw):
    """The tests' minimal article with a few fields replaced, removed or added: input
    that gets past the first checks and into the validator's depths."""
    data = copy.deepcopy(MINIMAL_ARTICLE)
    for _ in range(draw(st.integers(1, 4))):
        places = list(paths_of(data))
        container, key = places[draw(st.integers(0, len(places) - 1))]
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "delete" and isinstance(container, dict):
            del container[key]
        elif action == "add" and isinstance(container, dict):
            container[draw(st.text(max_size=10) | known_words)] = draw(yamlish)
        elif action == "add" and isinstance(container, list):
            container.append(draw(yamlish))
        else:
            container[key] = draw(yamlish | known_words)
    return data


@SETTINGS
@given(yamlish)
def test_parse_article_never_raises_anything_but_article_invalid(data):
    try:
        parse_article(data, "random.yaml")
    except ArticleInvalid as exc:
        assert exc.problems and all(str(p) for p in exc.problems)


@SETTINGS
@given(damaged_articles())
def test_a_damaged_article_is_loaded_or_explained(data):
    try:
        article = parse_article(data, "damaged.yaml")
    except ArticleInvalid as exc:
        assert exc.problems and all(str(p).startswith("damaged.yaml") for p in exc.problems)
    else:
        assert isinstance(article, Article) and article.sentences


@SETTINGS
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_load_article_from_any_bytes_raises_only_article_invalid(raw):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article.yaml"
        path.write_bytes(raw)
        try:
            load_article(path)
        except ArticleInvalid as exc:
            assert exc.problems


# -- valid articles ---------------------------------------------------------------------
letters = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"))
words = st.text(letters, min_size=1, max_size=12).filter(lambda t: t.strip() == t and t)
phrases = st.lists(words, min_size=1, max_size=8).map(" ".join)
optional_phrase = st.just("") | phrases


@st.composite
def sentences(draw, ident):
    text = draw(phrases)
    in_text = st.sampled_from(text.split())
    kind = draw(st.sampled_from(list(KINDS)))
    stype = draw(st.sampled_from(list(SOURCE_TYPES)))
    return Sentence(
        id=ident, text=text, part=draw(st.sampled_from(PARTS)), kind=kind,
        accept=draw(st.lists(st.sampled_from([k for k in KINDS if k != kind]), max_size=2, unique=True)),
        source=Source(name="" if stype == "none" else draw(phrases), type=stype,
                      carried=draw(st.booleans())),
        cues=draw(st.lists(in_text, max_size=2)), hedges=draw(st.lists(in_text, max_size=2)),
        boosters=draw(st.lists(in_text, max_size=2)), certainty=draw(st.sampled_from(list(CERTAINTIES))),
        why=draw(phrases))


@st.composite
def valid_articles(draw):
    count = draw(st.integers(1, 6))
    flat = [draw(sentences(f"s{i + 1}")) for i in range(count)]
    cuts = sorted(draw(st.sets(st.integers(1, count - 1), max_size=count - 1))) if count > 1 else []
    paragraphs = [flat[a:b] for a, b in zip([0, *cuts], [*cuts, count])]
    ids = [s.id for s in flat]
    furniture = [Furniture(id=f"p{i + 1}", role=draw(st.sampled_from(FURNITURE_ROLES)), text=draw(phrases),
                           before=draw(st.sampled_from([*ids, "end"])), why=draw(optional_phrase))
                 for i in range(draw(st.integers(0, 2)))]
    texts = {s.id: s.text for s in flat} | {f.id: f.text for f in furniture}
    flags = []
    for i in range(draw(st.integers(0, 3))):
        target = draw(st.sampled_from(sorted(texts)))
        flags.append(Flag(id=f"f{i + 1}", target=target, type=draw(st.sampled_from(list(FLAG_TYPES))),
                          quote=draw(st.sampled_from(texts[target].split())), why=draw(phrases),
                          hint=draw(optional_phrase)))
    checks = [Check(id=f"c{i + 1}", sentence=draw(st.sampled_from(ids)), question=draw(phrases),
                    search=draw(phrases), settle=draw(phrases)) for i in range(draw(st.integers(0, 2)))]
    fictional = draw(st.booleans())
    meta = {"notice": draw(phrases)} if fictional else {}
    if draw(st.booleans()):
        meta["level"] = draw(st.sampled_from(LEVELS))
    for extra in draw(st.sets(st.sampled_from(["outlet", "dateline", "genre", "topic", "byline"]))):
        meta[extra] = draw(phrases)
    slug = draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True))
    return Article(id=slug, title=draw(phrases), fictional=fictional, paragraphs=paragraphs,
                   furniture=furniture, flags=flags, checks=checks, meta=meta)


@SETTINGS
@given(valid_articles())
def test_a_valid_article_survives_save_and_load_unchanged(article):
    # The generated article is valid by the loader's own rules.
    assert parse_article(article.to_dict()) == article
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article.yaml"
        save_article(article, path)
        loaded = load_article(path)
    loaded.path = article.path
    assert loaded == article
    assert yaml.safe_load(dump_article(article)) == article.to_dict()


# -- the answers store ------------------------------------------------------------------
answers_files = (
    st.binary(max_size=300)
    | json_values.map(lambda v: json.dumps(v).encode())
    | json_values.map(lambda v: json.dumps({"format": FORMAT, "widgets": v}).encode())
    | st.dictionaries(st.text(max_size=8), json_values, max_size=4).map(
        lambda w: json.dumps({"format": FORMAT, "widgets": w}).encode())
    | st.integers(1, 3000).map(lambda depth: b"[" * depth + b"]" * depth)
    | st.integers(1, 3000).map(lambda depth: (b'{"format": "whosaysso-answers/1", "widgets": '
                                               + b'{"k": ' * depth + b"{}" + b"}" * depth + b"}")))


@SETTINGS
@given(answers_files, st.text(max_size=10) | st.just("k"))
def test_any_answers_file_loads_as_answers_or_a_clear_refusal(raw, key):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "nb.answers.json"
        path.write_bytes(raw)
        try:
            widgets = read_answers_file(path)
        except AnswersUnreadable as exc:
            assert str(exc).startswith("nb.answers.json: ")
        else:
            assert isinstance(widgets, dict)
        entry = load_entry(path, key)
        assert isinstance(entry, dict)
        store = AnswerStore.for_notebook("nb", folder)  # a widget opening that file
        assert isinstance(store.get(key), dict)
        assert store.put(key, {"answers": {"s1": "fact"}}).saved
        assert load_entry(path, key)["answers"] == {"s1": "fact"}


@SETTINGS
@given(st.dictionaries(st.text(max_size=12), json_values, max_size=5))
def test_any_saved_entry_reads_back_equal(entry):
    with tempfile.TemporaryDirectory() as folder:
        store = AnswerStore.for_notebook("nb", folder)
        assert store.put("w", entry).saved
        again = AnswerStore.for_notebook("nb", folder).get("w")
    again.pop("updated")
    assert again == {k: v for k, v in entry.items() if k != "updated"}


# -- the scorers ------------------------------------------------------------------------
kinds_keys = st.dictionaries(st.sampled_from([f"s{i}" for i in range(1, 12)]),
                             st.lists(st.sampled_from(list(KINDS)), min_size=1, max_size=3), min_size=1)
sources_keys = st.dictionaries(
    st.sampled_from([f"s{i}" for i in range(1, 12)]),
    st.fixed_dictionaries({"type": st.sampled_from(list(SOURCE_TYPES)), "name": st.text(max_size=20)},
                          optional={"aliases": st.lists(st.text(max_size=10), max_size=2)}), min_size=1)
random_answers = json_values | st.dictionaries(
    st.sampled_from([f"s{i}" for i in range(1, 12)]) | st.text(max_size=4),
    st.sampled_from([*KINDS, "opinion", ""]) | json_values
    | st.fixed_dictionaries({}, optional={"type": st.sampled_from([*SOURCE_TYPES, "x"]) | json_values,
                                          "name": st.text(max_size=20) | json_values}), max_size=12)
points = st.floats(0, 100, allow_nan=False) | st.integers(0, 100)


def answers_file(folder: str, widget_key: str, answers) -> Path:
    path = Path(folder) / "x.answers.json"
    path.write_text(json.dumps({"format": FORMAT, "widgets": {widget_key: {"answers": answers}}}))
    return path


@SETTINGS
@given(random_answers, kinds_keys, points)
def test_grade_kinds_returns_a_score_within_the_points(answers, key, pts):
    with tempfile.TemporaryDirectory() as folder:
        score = grade_kinds(answers_file(folder, "sorter:x", answers), "sorter:x", key, pts)
    assert isinstance(score, float) and 0 <= score <= pts


@SETTINGS
@given(random_answers, sources_keys, points)
def test_grade_sources_returns_a_score_within_the_points(answers, key, pts):
    with tempfile.TemporaryDirectory() as folder:
        score = grade_sources(answers_file(folder, "sources:x", answers), "sources:x", key, pts)
    assert isinstance(score, float) and 0 <= score <= pts


SEED = None


def seed_article() -> Article:
    global SEED
    if SEED is None:
        from kit.library import load
        SEED = load("seed-airborne-leak")
    return SEED


@SETTINGS
@given(random_answers, st.none() | st.lists(st.sampled_from([f"s{i}" for i in range(1, 28)]), max_size=5))
def test_score_kinds_is_a_fraction_whatever_the_answers(answers, wanted):
    score = score_kinds(seed_article(), answers, wanted)
    assert 0.0 <= score.balanced <= 1.0
    assert 0 <= score.correct <= score.total and score.over_sceptical + score.credulous <= score.answered
    assert sum(score.confusion().values()) == score.answered


@SETTINGS
@given(json_values, json_values, st.text(max_size=30), st.lists(st.text(max_size=15), max_size=3))
def test_source_and_hedge_scores_stay_in_range(answer_type, answer_name, key_name, aliases):
    sentence = seed_article().sentences[3]
    result = score_source(sentence, answer_type, answer_name)
    assert result.points in (0.0, 0.5, 1.0)
    assert isinstance(names_match(str(answer_name), key_name, aliases), bool)
    marked = answer_name if isinstance(answer_name, list) else [answer_name]
    precision, recall = score_hedges(sentence, marked)
    assert 0.0 <= precision <= 1.0 and 0.0 <= recall <= 1.0

