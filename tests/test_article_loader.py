"""Does loading an article catch every hand-editing mistake with one readable line?"""
from __future__ import annotations

import subprocess
import sys

import pytest

from kit.article_loader import ArticleInvalid, dump_article, load_article, parse_article


def problems_of(path) -> list[str]:
    with pytest.raises(ArticleInvalid) as info:
        load_article(path)
    lines = [str(p) for p in info.value.problems]
    for line in lines:
        assert "\n" not in line and "Traceback" not in line
        assert line.startswith(str(path))
    return lines


def test_minimal_article_loads(write_article, minimal_article):
    """Does a valid article load, with its sentences, furniture, flags and checks?"""
    article = load_article(write_article(minimal_article))
    assert [s.id for s in article.sentences] == ["s1", "s2", "s3"]
    assert article.sentence("s2").sourced_fact
    assert not article.sentence("s3").sourced_fact
    assert article.sentence("s3").accepted_kinds == ["speculation", "inference"]
    assert article.flags[0].target == "s3" and article.checks[0].sentence == "s2"
    assert article.page_lines()[0] == "Monday, 2 March 2026"


def test_save_and_load_round_trip(write_article, minimal_article, tmp_path):
    """Does a valid article survive a save and a load unchanged?"""
    article = load_article(write_article(minimal_article))
    again = parse_article(__import__("yaml").safe_load(dump_article(article)), "again")
    article.path = again.path = ""
    assert again == article


def mutate(article: dict, path: str, value):
    """Set a value by a dotted path such as 'paragraphs.1.0.kind'; None deletes the key."""
    keys = path.split(".")
    node = article
    for key in keys[:-1]:
        node = node[int(key)] if isinstance(node, list) else node[key]
    last = int(keys[-1]) if isinstance(node, list) else keys[-1]
    if isinstance(node, list) and last == len(node):
        node.append(value)
    elif value is None:
        del node[last]
    else:
        node[last] = value


CASES = [
    # (scenario, dotted path, new value, expected fragments of the one line)
    ("unknown kind", "paragraphs.1.0.kind", "opinion",
     ['sentence s2', 'field "kind"', 'unknown kind "opinion"', "fact, inference"]),
    ("unknown accepted kind", "paragraphs.1.1.accept", ["rumour"],
     ['sentence s3', 'field "accept"', 'unknown kind "rumour"']),
    ("accept repeats the kind", "paragraphs.1.1.accept", ["speculation"],
     ['sentence s3', 'field "accept"', "already the main kind"]),
    ("duplicate sentence id", "paragraphs.1.2",
     {"id": "s2", "text": "It opens in May.", "kind": "fact", "source": {"type": "none"},
      "certainty": "high", "why": "A date."},
     ['sentence s2', 'field "id"', 'duplicate id "s2" (already used by sentence s2)']),
    ("flag id reuses a sentence id", "flags.0.id", "s1",
     ['flag s1', 'field "id"', 'duplicate id "s1"']),
    ("missing sentence id", "paragraphs.0.0.id", None,
     ['paragraph 1, sentence 1', 'field "id"', "missing"]),
    ("empty text", "paragraphs.1.0.text", "   ",
     ['sentence s2', 'field "text"', "is empty"]),
    ("missing text", "paragraphs.1.0.text", None,
     ['sentence s2', 'field "text"', "missing"]),
    ("flag pointing nowhere", "flags.0.sentence", "s99",
     ['flag f1', 'field "sentence"', '"s99"', "not a sentence"]),
    ("flag quote not in sentence", "flags.0.quote", "Supporters",
     ['flag f1', 'field "quote"', '"Supporters" does not appear in s3']),
    ("unknown flag type", "flags.0.type", "lie",
     ['flag f1', 'field "type"', 'unknown type "lie"', "error, inconsistency"]),
    ("unknown source type", "paragraphs.1.0.source.type", "anonymous",
     ['sentence s2', 'field "type"', 'unknown type "anonymous"', "person, organisation"]),
    ("wrong type: kind is a list", "paragraphs.1.0.kind", ["fact"],
     ['sentence s2', 'field "kind"', "unknown kind"]),
    ("wrong type: cues as plain text", "paragraphs.1.0.cues", "show",
     ['sentence s2', 'field "cues"', "should be a list like [show]"]),
    ("wrong type: fictional as text", "fictional", "maybe",
     ['field "fictional"', 'should be true or false, not "maybe"']),
    ("cue not in the sentence", "paragraphs.1.0.cues", ["according to"],
     ['sentence s2', 'field "cues"', '"according to" does not appear']),
    ("hedge not in the sentence", "paragraphs.1.1.hedges", ["might"],
     ['sentence s3', 'field "hedges"', '"might" does not appear']),
    ("unknown certainty", "paragraphs.1.0.certainty", "sure",
     ['sentence s2', 'field "certainty"', 'unknown certainty "sure"', "high, medium, low"]),
    ("named source with type none", "paragraphs.1.0.source", {"name": "the minutes", "type": "none"},
     ['sentence s2', 'field "source.name"', "type is none"]),
    ("vague source with no name", "paragraphs.1.1.source", {"name": "", "type": "vague"},
     ['sentence s3', 'field "source.name"', "a vague source needs a name"]),
    ("misspelt key", "paragraphs.1.0.hedgs", ["x"],
     ['sentence s2', 'field "hedgs"', 'did you mean "hedges"']),
    ("missing paragraphs", "paragraphs", None,
     ['field "paragraphs"', "missing"]),
    ("fictional without notice", "notice", None,
     ['field "notice"', "missing"]),
    ("furniture before nowhere", "furniture.0.before", "s42",
     ['furniture p1', 'field "before"', '"s42"']),
    ("unknown level", "level", "expert",
     ['field "level"', 'unknown level "expert"']),
]


@pytest.mark.parametrize("scenario,path,value,fragments", CASES, ids=[c[0] for c in CASES])
def test_bad_field_gives_one_clear_line(scenario, path, value, fragments, write_article, minimal_article):
    """Does each hand-editing mistake give one line naming file, sentence and field?"""
    mutate(minimal_article, path, value)
    lines = problems_of(write_article(minimal_article))
    assert len(lines) == 1, lines
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


RAW_CASES = [
    ("broken YAML", "id: x\nparagraphs: [[{id: s1, text: 'open\n", ["YAML cannot be read"]),
    ("bad indentation", "id: x\n  title: y\n", [":2", "YAML cannot be read"]),
    ("top level is a list", "- a\n- b\n", ["top level should be a mapping", "not a list"]),
    ("empty file", "", ["the file is empty"]),
    ("binary data", b"\x89PNG\r\n\x1a\n\x00\x00\x00", ["not a text file"]),
    ("not UTF-8", "title: caf\xe9\n".encode("latin-1"), ["not UTF-8", "0xe9"]),
    ("duplicate key", "id: x\nid: y\n", [":2", 'the key "id" appears twice']),
]


@pytest.mark.parametrize("scenario,content,fragments", RAW_CASES, ids=[c[0] for c in RAW_CASES])
def test_unreadable_file_gives_one_clear_line(scenario, content, fragments, write_article):
    """Does a file that is not usable YAML say why in one line, without a traceback?"""
    lines = problems_of(write_article(content))
    assert len(lines) == 1, lines
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


def test_missing_file(tmp_path):
    lines = problems_of(tmp_path / "nope.yaml")
    assert lines == [f"{tmp_path / 'nope.yaml'}: no such file"]


def test_several_problems_are_all_reported(write_article, minimal_article):
    """Does a teacher see every problem at once, not one per run?"""
    mutate(minimal_article, "paragraphs.1.0.kind", "opinion")
    mutate(minimal_article, "flags.0.sentence", "s99")
    assert len(problems_of(write_article(minimal_article))) == 2


def test_assessment_article_must_be_text_only(write_article, minimal_article):
    """Does an assessment article that carries a key get refused?"""
    minimal_article["assessment"] = True
    del minimal_article["flags"], minimal_article["checks"]
    lines = problems_of(write_article(minimal_article))
    assert all("text only" in line for line in lines) and len(lines) == 3


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True)


def test_cli_check_broken_file(write_article, minimal_article):
    """Does `kit article check` print one clear line and exit non-zero on a broken file?"""
    mutate(minimal_article, "paragraphs.1.0.kind", "opinion")
    path = write_article(minimal_article)
    result = run_cli("article", "check", str(path))
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and 'sentence s2: field "kind": unknown kind "opinion"' in lines[0]


def test_cli_check_good_and_bad(write_article, minimal_article):
    good = write_article(minimal_article, "good.yaml")
    bad = write_article("- not an article\n", "bad.yaml")
    result = run_cli("article", "check", str(good), str(bad))
    assert result.returncode == 1
    assert "good.yaml: ok: 3 sentences, 1 flags, 1 checks" in result.stdout
    assert "bad.yaml: the top level should be a mapping" in result.stderr
    assert "Traceback" not in result.stderr
