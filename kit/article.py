"""The article model: an annotated news article, sentence by sentence.

These classes hold what `kit.article_loader` has already validated; they never
validate themselves, so they stay plain and cheap to build in tests.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kit.taxonomy import is_sourced_fact


@dataclass
class Source:
    """Who says so: a name as printed and a source type from the taxonomy."""
    name: str = ""
    type: str = "none"
    carried: bool = False  # attribution comes from an earlier sentence

    def to_dict(self) -> dict:
        out = {"name": self.name, "type": self.type}
        if self.carried:
            out["carried"] = True
        return out


@dataclass
class Sentence:
    """One sentence and, unless the article is text only, its key."""
    id: str
    text: str
    part: str = "body"
    kind: str | None = None  # None only in a text-only (assessment) article
    accept: list[str] = field(default_factory=list)
    source: Source = field(default_factory=Source)
    cues: list[str] = field(default_factory=list)
    hedges: list[str] = field(default_factory=list)
    boosters: list[str] = field(default_factory=list)
    certainty: str | None = None
    why: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def annotated(self) -> bool:
        return self.kind is not None

    @property
    def accepted_kinds(self) -> list[str]:
        """The key's kind first, then every other kind that grading accepts."""
        return [self.kind, *self.accept] if self.kind else []

    @property
    def sourced_fact(self) -> bool:
        return is_sourced_fact(self.kind or "", self.source.type)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"id": self.id}
        if self.part != "body":
            out["part"] = self.part
        out["text"] = self.text
        if self.annotated:
            out.update(
                kind=self.kind, accept=list(self.accept), source=self.source.to_dict(),
                cues=list(self.cues), hedges=list(self.hedges),
            )
            if self.boosters:
                out["boosters"] = list(self.boosters)
            out["certainty"] = self.certainty
            out["why"] = self.why
        out.update(self.extra)
        return out


@dataclass
class Furniture:
    """Page furniture: on the page but not part of the story (banner, timestamp, ...)."""
    id: str
    role: str
    text: str
    before: str  # a sentence id, or "end"
    why: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict:
        out = {"id": self.id, "role": self.role, "text": self.text, "before": self.before}
        if self.why:
            out["why"] = self.why
        out.update(self.extra)
        return out


@dataclass
class Flag:
    """Something the article gets wrong or leaves out, tied to a sentence or furniture."""
    id: str
    target: str  # a sentence id or a furniture id
    type: str
    quote: str
    why: str
    hint: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict:
        out = {"id": self.id, "sentence": self.target, "type": self.type,
               "quote": self.quote, "why": self.why}
        if self.hint:
            out["hint"] = self.hint
        out.update(self.extra)
        return out


@dataclass
class Check:
    """A "how would you check this?" item for lateral reading."""
    id: str
    sentence: str
    question: str
    search: str
    settle: str
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict:
        out = {"id": self.id, "sentence": self.sentence, "question": self.question,
               "search": self.search, "settle": self.settle}
        out.update(self.extra)
        return out


@dataclass
class Article:
    """A whole article: metadata, paragraphs of sentences, furniture, flags and checks."""
    id: str
    title: str
    fictional: bool
    paragraphs: list[list[Sentence]]
    furniture: list[Furniture] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # notice, outlet, level, genre, ...
    path: str = ""

    @property
    def sentences(self) -> list[Sentence]:
        return [s for para in self.paragraphs for s in para]

    @property
    def annotated(self) -> bool:
        """False for a text-only assessment article, whose key lives in solutions/."""
        return all(s.annotated for s in self.sentences)

    def sentence(self, sentence_id: str) -> Sentence:
        for s in self.sentences:
            if s.id == sentence_id:
                return s
        raise KeyError(sentence_id)

    def target_text(self, target_id: str) -> str:
        """The text of a sentence or of a piece of furniture, by id."""
        for s in self.sentences:
            if s.id == target_id:
                return s.text
        for f in self.furniture:
            if f.id == target_id:
                return f.text
        raise KeyError(target_id)

    @property
    def level(self) -> str:
        return self.meta.get("level", "")

    @property
    def genre(self) -> str:
        return self.meta.get("genre", "")

    def page_lines(self) -> list[str]:
        """The page as a reader sees it: furniture and paragraphs in printed order."""
        lines: list[str] = []
        for para in self.paragraphs:
            for f in self.furniture:
                if f.before == para[0].id:
                    lines.append(f.text)
            lines.append(" ".join(s.text for s in para))
        lines.extend(f.text for f in self.furniture if f.before == "end")
        return lines

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"id": self.id, "title": self.title, "fictional": self.fictional}
        out.update(self.meta)
        if self.furniture:
            out["furniture"] = [f.to_dict() for f in self.furniture]
        out["paragraphs"] = [[s.to_dict() for s in para] for para in self.paragraphs]
        if self.flags:
            out["flags"] = [f.to_dict() for f in self.flags]
        if self.checks:
            out["checks"] = [c.to_dict() for c in self.checks]
        return out
