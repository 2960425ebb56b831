"""The analyser's word lists, read once from the YAML files in kit/analysis/lexicons/.

Each file is data a teacher can read: lists of words grouped by what they do, a `why`
sentence for each group (the reason a student sees), and a `note:` naming the published
work or convention the list follows. This module only loads them and turns phrase lists
into regular expressions; the rules that use them live in the other `kit.analysis` modules.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
NAMES = ("reporting_verbs", "sources", "hedges", "boosters", "weasel_words",
         "dates_numbers", "kind_rules")


class LexiconError(Exception):
    """A lexicon file is missing or malformed: a bug in the kit, reported in one line."""


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """The parsed lexicon `name` (e.g. "hedges"); read from disk once per process."""
    path = LEXICON_DIR / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LexiconError(f"{path}: lexicon file missing") from None
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: cannot be read as YAML ({exc})") from None
    if not isinstance(data, dict) or not str(data.get("note", "")).strip():
        raise LexiconError(f"{path}: a lexicon must be a mapping with a `note:` saying "
                           "which published work or convention it follows")
    return data


def notes() -> dict[str, str]:
    """Each lexicon's note, for documentation and for the curious student."""
    return {name: " ".join(str(load(name)["note"]).split()) for name in NAMES}


def words(name: str, key: str) -> list[str]:
    """A flat word list from a lexicon, duplicates removed, order kept."""
    return list(dict.fromkeys(str(w) for w in load(name).get(key, []) or []))


def phrase_pattern(phrases, lower: bool = True) -> str:
    """One regex for a phrase list: spaces match any spacing, a hyphen also matches a space,
    and a phrase never starts or ends inside a word.

    The phrases are merged into a trie ("sa(?:y(?:s|ing)?|id)"), because Python's regex
    engine tries the alternatives of a flat list one by one at every position; with a few
    hundred phrases the trie is many times faster. With `lower` (the default) the phrases
    are lowercased, for use with re.IGNORECASE."""
    units_list = []
    for phrase in set(str(p) for p in phrases if str(p).strip()):
        units = []
        for chunk in re.split(r"(\s+|-)", phrase.strip()):
            if not chunk:
                continue
            if chunk.isspace():
                units.append(r"\s+")
            elif chunk == "-":
                units.append(r"[-\s]?")
            else:
                units.extend(re.escape(c) for c in (chunk.lower() if lower else chunk))
        units_list.append(units)
    if not units_list:
        return r"(?!x)x"  # matches nothing
    return r"(?<!\w)" + _trie_pattern(units_list) + r"(?!\w)"


def trie_pattern(items: list[str]) -> str:
    """A regex matching exactly these strings (case as given), merged into a trie."""
    items = [i for i in set(items) if i]
    return _trie_pattern([[re.escape(c) for c in i] for i in items]) if items else r"(?!x)x"


def _trie_pattern(units_list: list[list[str]]) -> str:
    trie: dict = {}
    for units in units_list:
        node = trie
        for unit in units:
            node = node.setdefault(unit, {})
        node[""] = {}  # end of a phrase

    def render(node: dict) -> str:
        ends = "" in node
        branches = [unit + render(child) for unit, child in node.items() if unit != ""]
        if not branches:
            return ""
        # Longer continuations first, so "points to" wins over "points".
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(sorted(branches, key=len, reverse=True)) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return "(?:" + render(trie) + ")"


@lru_cache(maxsize=None)
def phrase_regex(name: str, *path: str) -> re.Pattern:
    """A compiled, case-insensitive regex for the phrase list at lexicon[name][path...]."""
    node = load(name)
    for key in path:
        node = node[key]
    return re.compile(phrase_pattern(node), re.IGNORECASE)


@lru_cache(maxsize=None)
def rule_regexes(name: str, *path: str) -> tuple[re.Pattern, ...]:
    """The regular expressions listed at lexicon[name][path...], compiled once."""
    node = load(name)
    for key in path:
        node = node[key]
    out = []
    for pattern in node or []:
        pattern = str(pattern).replace(" ", r"\s+")
        try:
            out.append(re.compile(pattern, re.IGNORECASE))
        except re.error as exc:
            raise LexiconError(f"{name}.yaml {'/'.join(path)}: bad pattern {pattern!r}: {exc}") from None
    return tuple(out)


@lru_cache(maxsize=None)
def rule_regex(name: str, *path: str) -> re.Pattern:
    """All the regular expressions at lexicon[name][path...] as one alternation: one scan of
    a sentence instead of one per pattern (matches come back in reading order)."""
    patterns = [r.pattern for r in rule_regexes(name, *path)]
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!x)x", re.IGNORECASE)
