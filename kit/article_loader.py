"""Read an article file, validate every field, and build the model.

Teachers write these files by hand, so every problem becomes one readable line that
names the file, the sentence (or flag) and the field, with the YAML line number where
it is known. Loading never shows a traceback: callers get `ArticleInvalid`, whose
`problems` are those lines.
"""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kit.article import Article, Check, Flag, Furniture, Sentence, Source
from kit.taxonomy import CERTAINTIES, FLAG_TYPES, FURNITURE_ROLES, KINDS, LEVELS, PARTS, SOURCE_TYPES

# An article is a few kilobytes; anything far larger is a mistake, not an article.
MAX_FILE_BYTES = 2_000_000

TOP_KEYS = {"id", "title", "fictional", "notice", "paragraphs", "furniture", "flags",
            "checks", "assessment", "outlet", "dateline", "dek", "level", "genre", "topic",
            "provenance", "byline"}
SENTENCE_KEYS = {"id", "text", "part", "kind", "accept", "source", "cues", "hedges",
                 "boosters", "certainty", "why"}
KEY_FIELDS = ("kind", "accept", "source", "cues", "hedges", "boosters", "certainty", "why")
SOURCE_KEYS = {"name", "type", "carried"}
FURNITURE_KEYS = {"id", "role", "text", "before", "why"}
FLAG_KEYS = {"id", "sentence", "type", "quote", "why", "hint"}
CHECK_KEYS = {"id", "sentence", "question", "search", "settle"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an article file, in the words a teacher will read."""
    file: str
    where: str  # "sentence s3", "flag f2", "" for the whole file
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        parts = [self.file + (f":{self.line}" if self.line else "")]
        if self.where:
            parts.append(self.where)
        if self.field:
            parts.append(f'field "{self.field}"')
        return ": ".join(parts) + ": " + self.message


class ArticleInvalid(Exception):
    """An article file that cannot be used; `problems` lists every reason, one per line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _LineDict(dict):
    """A YAML mapping that remembers the line it starts on, for messages."""
    line: int | None = None


class _ArticleYamlLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe YAML that records line numbers and refuses duplicate keys.

    PyYAML silently keeps the last of two equal keys; a teacher who pasted `kind:` twice
    would then lose one without a word, so a duplicate is an error here.
    """


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    out = _LineDict()
    out.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be plain text", key_node.start_mark)
        if key in out:
            raise yaml.constructor.ConstructorError(
                None, None, f'the key "{key}" appears twice in one mapping', key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
    return out


_ArticleYamlLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path, display: str) -> Any:
    """Parse a YAML file, turning every way of failing into one Problem."""
    def fail(message: str, line: int | None = None):
        raise ArticleInvalid([Problem(display, "", "", message, line)])

    try:
        size = path.stat().st_size
    except FileNotFoundError:
        fail("no such file")
    except OSError as exc:
        fail(f"cannot read the file ({exc.strerror or exc})")
    if path.is_dir():
        fail("this is a folder, not an article file")
    if size > MAX_FILE_BYTES:
        fail(f"the file is {size / 1e6:.1f} MB; an article file should be well under "
             f"{MAX_FILE_BYTES / 1e6:.0f} MB")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        fail(f"cannot read the file ({exc.strerror or exc})")
    if b"\x00" in raw:
        fail("this is not a text file (it contains binary data); an article is a YAML text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        fail(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at position {exc.start}); "
             "save the file as UTF-8")
    if not text.strip():
        fail("the file is empty")
    try:
        return yaml.load(text, Loader=_ArticleYamlLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = (exc.problem or exc.context or "syntax error").strip()
        col = f", column {mark.column + 1}" if mark else ""
        fail(f"the YAML cannot be read{col}: {what}", mark.line + 1 if mark else None)
    except yaml.YAMLError as exc:
        fail(f"the YAML cannot be read: {exc}")


class _Validator:
    """Walks the parsed YAML once, collecting Problems and building the model."""

    def __init__(self, display: str):
        self.file = display
        self.problems: list[Problem] = []

    # -- reporting ---------------------------------------------------------------------
    def report(self, where: str, field: str, message: str, node: Any = None) -> None:
        line = getattr(node, "line", None)
        self.problems.append(Problem(self.file, where, field, message, line))

    def check_keys(self, node: dict, known: set[str], where: str) -> None:
        """Unknown keys are allowed (other tools add their own); near-misses are typos."""
        for key in node:
            if not isinstance(key, str):
                self.report(where, str(key), "a key must be a word", node)
                continue
            if key in known:
                continue
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.8)
            if close:
                self.report(where, key, f'unknown key; did you mean "{close[0]}"?', node)

    # -- typed getters -----------------------------------------------------------------
    def text(self, node: dict, key: str, where: str, required: bool = True) -> str:
        value = node.get(key)
        if value is None:
            if required:
                self.report(where, key, "missing" if key not in node else "is empty", node)
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.report(where, key, f"should be text, not {_describe(value)}", node)
            return ""
        value = str(value)
        if required and not value.strip():
            self.report(where, key, "is empty", node)
        return value

    def choice(self, node: dict, key: str, options, where: str, required: bool = True,
               default: str | None = None) -> str | None:
        if key not in node or node[key] is None:
            if required:
                self.report(where, key, "missing", node)
            return default
        value = node[key]
        if not isinstance(value, str) or value not in options:
            self.report(where, key, f"unknown {key} {_show(value)}; expected one of "
                        f"{', '.join(options)}", node)
            return default
        return value

    def word_list(self, node: dict, key: str, where: str) -> list[str]:
        value = node.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            self.report(where, key, f"should be a list like [{value}], not plain text", node)
            return []
        if not isinstance(value, list):
            self.report(where, key, f"should be a list, not {_describe(value)}", node)
            return []
        out = []
        for item in value:
            if isinstance(item, bool) or not isinstance(item, (str, int, float)) or not str(item).strip():
                self.report(where, key, f"every entry should be a word or phrase; found {_show(item)}", node)
            else:
                out.append(str(item))
        return out

    def mapping_list(self, node: dict, key: str, where: str) -> list[dict]:
        value = node.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.report(where, key, f"should be a list, not {_describe(value)}", node)
            return []
        good = []
        for i, item in enumerate(value, 1):
            if isinstance(item, dict):
                good.append(item)
            else:
                self.report(where, key, f"entry {i} should be a mapping with an id, not "
                            f"{_describe(item)}", node)
        return good

    # -- the article -------------------------------------------------------------------
    def article(self, data: Any) -> Article | None:
        if not isinstance(data, dict):
            self.report("", "", f"the top level should be a mapping of keys (id, title, "
                        f"paragraphs, ...), not {_describe(data)}")
            return None
        self.check_keys(data, TOP_KEYS, "")
        article_id = self.text(data, "id", "")
        if article_id and not _is_slug(article_id):
            self.report("", "id", f"{_show(article_id)} should use only lowercase letters, "
                        "digits and hyphens", data)
        title = self.text(data, "title", "")
        fictional = data.get("fictional")
        if not isinstance(fictional, bool):
            self.report("", "fictional", "missing; say true or false" if fictional is None
                        else f"should be true or false, not {_show(fictional)}", data)
            fictional = False
        if fictional:
            self.text(data, "notice", "")
        assessment = data.get("assessment", False)
        if not isinstance(assessment, bool):
            self.report("", "assessment", f"should be true or false, not {_show(assessment)}", data)
            assessment = False
        if "level" in data:
            self.choice(data, "level", LEVELS, "")

        seen: dict[str, str] = {}
        paragraphs = self.paragraphs(data, seen, text_only=assessment)
        sentence_ids = {s.id for para in paragraphs for s in para}
        # With no readable sentences, every reference would dangle: report the cause only.
        # A sentence with no id may be the one a reference meant: then report only that.
        self.have_sentences = bool(sentence_ids) and all(s.id for para in paragraphs for s in para)
        furniture = [f for f in (self.furniture(n, i, seen, sentence_ids)
                                 for i, n in enumerate(self.mapping_list(data, "furniture", ""), 1)) if f]
        texts = {s.id: s.text for para in paragraphs for s in para}
        texts.update({f.id: f.text for f in furniture})
        raw_flags = self.mapping_list(data, "flags", "")
        raw_checks = self.mapping_list(data, "checks", "")
        if assessment and (raw_flags or raw_checks):
            self.report("", "flags" if raw_flags else "checks",
                        "an assessment article ships as text only; its key belongs in "
                        "the hidden tests of solutions/", data)
        flags = [f for f in (self.flag(n, i, seen, texts) for i, n in enumerate(raw_flags, 1)) if f]
        checks = [c for c in (self.check(n, i, seen, texts) for i, n in enumerate(raw_checks, 1)) if c]

        known_meta = {"id", "title", "fictional", "paragraphs", "furniture", "flags", "checks"}
        meta = {k: v for k, v in data.items() if k not in known_meta}
        return Article(id=article_id, title=title, fictional=fictional, paragraphs=paragraphs,
                       furniture=furniture, flags=flags, checks=checks, meta=meta)

    def claim_id(self, node: dict, where: str, seen: dict[str, str]) -> str:
        ident = self.text(node, "id", where)
        if not ident:
            return ""
        if ident in seen:
            self.report(f"{where} ({ident})" if not where.endswith(ident) else where, "id",
                        f'duplicate id "{ident}" (already used by {seen[ident]})', node)
        else:
            seen[ident] = where
        return ident

    def paragraphs(self, data: dict, seen: dict[str, str], text_only: bool) -> list[list[Sentence]]:
        raw = data.get("paragraphs")
        if raw is None:
            self.report("", "paragraphs", "missing: an article needs at least one paragraph", data)
            return []
        if not isinstance(raw, list) or not raw:
            self.report("", "paragraphs", "should be a non-empty list of paragraphs, each a "
                        "list of sentences", data)
            return []
        out = []
        for p, para in enumerate(raw, 1):
            if not isinstance(para, list) or not para:
                self.report(f"paragraph {p}", "paragraphs", "should be a non-empty list of "
                            "sentences", data)
                continue
            sentences = []
            for n, node in enumerate(para, 1):
                where = f"paragraph {p}, sentence {n}"
                if not isinstance(node, dict):
                    self.report(where, "", f"should be a mapping with id and text, not "
                                f"{_describe(node)}", data)
                    continue
                sentence = self.sentence(node, where, seen, text_only)
                if sentence:
                    sentences.append(sentence)
            if sentences:
                out.append(sentences)
        return out

    def sentence(self, node: dict, where: str, seen: dict[str, str], text_only: bool) -> Sentence | None:
        ident = node.get("id")
        if isinstance(ident, str) and ident.strip():
            where = f"sentence {ident}"
        ident = self.claim_id(node, where, seen)
        self.check_keys(node, SENTENCE_KEYS, where)
        text = self.text(node, "text", where)
        part = self.choice(node, "part", PARTS, where, required=False, default="body")
        if text_only:
            leaked = [k for k in KEY_FIELDS if k in node]
            if leaked:
                self.report(where, leaked[0], "an assessment article ships as text only; "
                            "its key belongs in the hidden tests of solutions/", node)
            return Sentence(id=ident, text=text, part=part or "body",
                            extra=_extra(node, SENTENCE_KEYS))

        kind = self.choice(node, "kind", KINDS, where)
        accept = self.word_list(node, "accept", where)
        for alt in accept:
            if alt not in KINDS:
                self.report(where, "accept", f"unknown kind {_show(alt)}; expected one of "
                            f"{', '.join(KINDS)}", node)
            elif alt == kind:
                self.report(where, "accept", f'"{alt}" is already the main kind; list only '
                            "the other defensible kinds", node)
        source = self.source(node, where)
        cues = self.words_in_text(node, "cues", text, where)
        hedges = self.words_in_text(node, "hedges", text, where)
        boosters = self.words_in_text(node, "boosters", text, where)
        certainty = self.choice(node, "certainty", CERTAINTIES, where)
        why = self.text(node, "why", where)
        return Sentence(id=ident, text=text, part=part or "body", kind=kind,
                        accept=[a for a in accept if a in KINDS and a != kind], source=source,
                        cues=cues, hedges=hedges, boosters=boosters, certainty=certainty, why=why,
                        extra=_extra(node, SENTENCE_KEYS))

    def source(self, node: dict, where: str) -> Source:
        raw = node.get("source")
        if raw is None:
            self.report(where, "source", "missing; give {name: ..., type: ...} "
                        "(type none for the outlet's own voice)", node)
            return Source()
        if not isinstance(raw, dict):
            self.report(where, "source", f"should be a mapping like {{name: ..., type: ...}}, "
                        f"not {_describe(raw)}", node)
            return Source()
        self.check_keys(raw, SOURCE_KEYS, where)
        stype = self.choice(raw, "type", SOURCE_TYPES, where)
        name = self.text(raw, "name", where, required=False)
        if stype is None:
            return Source(name=name, type="none")  # already reported; no knock-on message
        if stype == "none" and name.strip():
            self.report(where, "source.name", f'type is none (the outlet\'s own voice) but a '
                        f'name is given ({_show(name)}); pick the type that fits the name', raw)
        elif stype != "none" and not name.strip() and "type" in raw:
            self.report(where, "source.name", f"missing: a {stype} source needs a name "
                        "as printed (for vague sources, the words used, such as \"analysts\")", raw)
        carried = raw.get("carried", False)
        if not isinstance(carried, bool):
            self.report(where, "source.carried", f"should be true or false, not {_show(carried)}", raw)
            carried = False
        return Source(name=name, type=stype, carried=carried)

    def words_in_text(self, node: dict, key: str, text: str, where: str) -> list[str]:
        words = self.word_list(node, key, where)
        if not text.strip():
            return words  # the empty text is already reported
        folded = _fold(text)
        for word in words:
            if _fold(word) not in folded:
                self.report(where, key, f"{_show(word)} does not appear in the sentence text", node)
        return words

    def furniture(self, node: dict, i: int, seen: dict[str, str], sentence_ids: set[str]) -> Furniture | None:
        where = f"furniture {node.get('id') or i}"
        ident = self.claim_id(node, where, seen)
        self.check_keys(node, FURNITURE_KEYS, where)
        role = self.choice(node, "role", FURNITURE_ROLES, where) or "other"
        text = self.text(node, "text", where)
        before = self.text(node, "before", where)
        if before and before != "end" and self.have_sentences and before not in sentence_ids:
            self.report(where, "before", f'points to "{before}", which is not a sentence id '
                        '(use a sentence id, or "end")', node)
        return Furniture(id=ident, role=role, text=text, before=before or "end",
                         why=self.text(node, "why", where, required=False),
                         extra=_extra(node, FURNITURE_KEYS))

    def flag(self, node: dict, i: int, seen: dict[str, str], texts: dict[str, str]) -> Flag | None:
        where = f"flag {node.get('id') or i}"
        ident = self.claim_id(node, where, seen)
        self.check_keys(node, FLAG_KEYS, where)
        target = self.text(node, "sentence", where)
        ftype = self.choice(node, "type", FLAG_TYPES, where)
        quote = self.text(node, "quote", where)
        why = self.text(node, "why", where)
        if target and target not in texts:
            if self.have_sentences:
                self.report(where, "sentence", f'points to "{target}", which is not a sentence '
                            "or furniture id in this article", node)
        elif target and quote and _fold(quote) not in _fold(texts[target]):
            self.report(where, "quote", f"{_show(quote)} does not appear in {target}", node)
        return Flag(id=ident, target=target, type=ftype or "error", quote=quote, why=why,
                    hint=self.text(node, "hint", where, required=False),
                    extra=_extra(node, FLAG_KEYS))

    def check(self, node: dict, i: int, seen: dict[str, str], texts: dict[str, str]) -> Check | None:
        where = f"check {node.get('id') or i}"
        ident = self.claim_id(node, where, seen)
        self.check_keys(node, CHECK_KEYS, where)
        sentence = self.text(node, "sentence", where)
        if sentence and sentence not in texts and self.have_sentences:
            self.report(where, "sentence", f'points to "{sentence}", which is not a sentence '
                        "id in this article", node)
        return Check(id=ident, sentence=sentence, question=self.text(node, "question", where),
                     search=self.text(node, "search", where), settle=self.text(node, "settle", where),
                     extra=_extra(node, CHECK_KEYS))


def _fold(text: str) -> str:
    """Case- and quote-insensitive form, so a cue typed with a straight quote still matches."""
    return (text.casefold().replace("\u2019", "'").replace("\u2018", "'")
            .replace("\u201c", '"').replace("\u201d", '"').replace("\u00a0", " "))


def _is_slug(text: str) -> bool:
    return bool(text) and all(c.islower() or c.isdigit() or c == "-" for c in text) and text[0] != "-"


def _extra(node: dict, known: set[str]) -> dict:
    return {k: v for k, v in node.items() if k not in known and isinstance(k, str)}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    return f"text ({_show(value)})"


def _show(value: Any) -> str:
    text = str(value)
    return '"' + (text if len(text) <= 40 else text[:37] + "...") + '"'


def parse_article(data: Any, display: str = "<article>") -> Article:
    """Validate already-parsed YAML data and build an Article, or raise ArticleInvalid."""
    validator = _Validator(display)
    article = validator.article(data)
    if validator.problems or article is None:
        raise ArticleInvalid(validator.problems)
    return article


def load_article(path: str | os.PathLike) -> Article:
    """Load and validate one article file; raises ArticleInvalid with readable lines."""
    path = Path(path)
    display = str(path)
    article = parse_article(read_yaml(path, display), display)
    article.path = display
    return article


def dump_article(article: Article) -> str:
    """The article as YAML text that `load_article` reads back to an equal Article."""
    return yaml.safe_dump(article.to_dict(), sort_keys=False, allow_unicode=True, width=100)


def save_article(article: Article, path: str | os.PathLike) -> None:
    """Write atomically: a crash mid-write leaves the old file, never half a file."""
    from kit.atomic import write_text_atomic
    write_text_atomic(Path(path), dump_article(article))
