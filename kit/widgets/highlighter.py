"""ArticleHighlighter: the article as a reader sees it, with layers the student switches on
and off: who says so (sources and attribution cues), hedges and boosters, numbers and
dates, and the kind of each sentence.

Every layer has its own text marker *and* its own line style, so nothing depends on
colour: sources in [square brackets] with a solid underline, cue words after a ▸ in
italics, hedges in ⟨angle marks⟩ with a wavy underline, boosters in ⟪double angle
marks⟫ with a double underline, numbers and dates in {braces} with a dotted underline,
and a [KIND] badge before each sentence. It has no right or wrong; it saves which layers
are on, so they stay on when the cell runs again.
"""
from __future__ import annotations

import re

import ipywidgets as w

from kit.article import Article, Sentence
from kit.taxonomy import KINDS, SOURCE_TYPES
from kit.widgets.base import AnswerWidget, esc
from kit.widgets.hedges import analyser_marks
from kit.widgets.sources import carried_from

LAYERS = {
    "sources": "Sources & cues",
    "hedges": "Hedges & boosters",
    "numbers": "Numbers & dates",
    "kinds": "Kinds",
}

# span kind -> (opening marker, closing marker, style); order is priority when spans cross.
MARKS = {
    "source": ("[", "]", "text-decoration:underline solid;text-underline-offset:3px;"
                         "font-weight:600;color:#0d3c61"),
    "cue": ("▸", "", "font-style:italic;text-decoration:underline solid;color:#0d3c61"),
    "hedge": ("⟨", "⟩", "text-decoration:underline wavy;text-underline-offset:3px;color:#6d4c00"),
    "booster": ("⟪", "⟫", "text-decoration:underline double;text-underline-offset:3px;color:#8a1c1c"),
    "number": ("{", "}", "text-decoration:underline dotted;text-underline-offset:3px;color:#4a148c"),
}
LAYER_OF = {"source": "sources", "cue": "sources", "hedge": "hedges", "booster": "hedges",
            "number": "numbers"}

LEGEND = [
    ("sources", "[Name]", "solid underline, bold", "who says so: the source named in the sentence"),
    ("sources", "▸cue", "italic, solid underline", "an attribution cue: the words that say who "
                                                    "says so (“said”, “according to”)"),
    ("sources", "(source: …)", "small italic note", "who says so when the sentence does not name "
                                                     "them: carried over, or no one (the outlet's own voice)"),
    ("hedges", "⟨hedge⟩", "wavy underline", "a word that makes the claim less sure"),
    ("hedges", "⟪booster⟫", "double underline", "a word that makes the claim sound surer"),
    ("numbers", "{12}", "dotted underline", "a number or a date: something you can check"),
    ("kinds", "[FACT]", "boxed badge before the sentence", "the kind of sentence in the key"),
]

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
          "December")
NUMBER = re.compile(
    rf"(?:(?:{MONTHS})\s+\d{{1,2}},?\s+\d{{4}})"            # January 1, 2026
    rf"|(?:\d{{1,2}}\s+(?:{MONTHS})(?:\s+\d{{4}})?)"         # 14 April 2026
    r"|(?:[$£€]?\d[\d,]*(?:\.\d+)?(?:\s?(?:%|per cent|percent|million|billion|am|pm))?)")


def _find(text: str, phrase: str) -> list[tuple[int, int]]:
    phrase = phrase.strip()
    if not phrase:
        return []
    pattern = re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def source_spans(s: Sentence) -> list[tuple[int, int]]:
    """Where the key's source name appears in the sentence (glosses such as "(unnamed)"
    and a leading "the" dropped); [] when the sentence does not name it."""
    found = []
    for part in s.source.name.split(";"):
        name = re.sub(r"\s*\([^)]*\)", "", part).strip()
        for candidate in (name, re.sub(r"^(the|a|an)\s+", "", name, flags=re.IGNORECASE)):
            spans = _find(s.text, candidate)
            if spans:
                found.extend(spans)
                break
    return found


def number_spans(text: str) -> list[tuple[int, int]]:
    """Numbers and dates: from the kit's analyser when it is installed, else a regex."""
    marks = analyser_marks(text, {"number", "date"})
    if marks is None:
        return [(m.start(), m.end()) for m in NUMBER.finditer(text)]
    spans = []
    for m in marks:
        start, end = getattr(m, "start", None), getattr(m, "end", None)
        if isinstance(start, int) and isinstance(end, int) and text[start:end] == getattr(m, "text", None):
            spans.append((start, end))
        else:
            spans.extend(_find(text, str(getattr(m, "text", ""))))
    return spans


def _spans(s: Sentence, layers: set[str]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    if "sources" in layers and s.source.type != "none":
        spans += [(a, b, "source") for a, b in source_spans(s)]
    if "sources" in layers:
        spans += [(a, b, "cue") for c in s.cues for a, b in _find(s.text, c)]
    if "hedges" in layers:
        spans += [(a, b, "hedge") for h in s.hedges for a, b in _find(s.text, h)]
        spans += [(a, b, "booster") for h in s.boosters for a, b in _find(s.text, h)]
    if "numbers" in layers:
        spans += [(a, b, "number") for a, b in number_spans(s.text)]
    return spans


def _non_crossing(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Keep spans that nest or stand apart, by priority; a span crossing a kept one is
    dropped, so the markers always pair up."""
    order = list(MARKS)
    kept: list[tuple[int, int, str]] = []
    for a, b, kind in sorted(set(spans), key=lambda x: (order.index(x[2]), x[0], -x[1])):
        if b <= a:
            continue
        if all(b <= ka or a >= kb or (ka <= a and b <= kb) or (a <= ka and kb <= b)
               for ka, kb, _ in kept):
            kept.append((a, b, kind))
    order_key = {k: i for i, k in enumerate(order)}
    return sorted(kept, key=lambda x: (x[0], -x[1], order_key[x[2]]))


def _render(text: str, lo: int, hi: int, spans: list[tuple[int, int, str]]) -> str:
    out, pos, i = [], lo, 0
    while i < len(spans):
        a, b, kind = spans[i]
        j = i + 1
        while j < len(spans) and spans[j][0] >= a and spans[j][1] <= b:
            j += 1
        opening, closing, style = MARKS[kind]
        out.append(esc(text[pos:a]))
        out.append(f'<span class="wss-{kind}" style="{style}">{esc(opening)}'
                   f'{_render(text, a, b, spans[i + 1:j])}{esc(closing)}</span>')
        pos, i = b, j
    out.append(esc(text[pos:hi]))
    return "".join(out)


def mark_text(text: str, spans: list[tuple[int, int, str]]) -> str:
    """`text` as HTML with each span wrapped in its marker and style."""
    return _render(text, 0, len(text), _non_crossing(spans))


def _kind_badge(s: Sentence) -> str:
    also = f"; also accepted: {', '.join(s.accept)}" if s.accept else ""
    return (f'<span class="wss-kind" title="{esc(KINDS[s.kind] + also)}" style="border:1px solid '
            f'currentColor;border-radius:3px;padding:0 3px;font-size:80%;font-variant:small-caps;'
            f'margin-right:3px">[{esc(s.kind.upper())}]</span>')


def _source_note(article: Article, s: Sentence) -> str:
    if s.source.type == "none":
        who = "none, the outlet's own voice"
    else:
        who = f"{s.source.name}, {s.source.type}"
        if s.source.carried:
            origin = carried_from(article, s)
            who += f", carried over from {origin.id}" if origin else ", carried over from earlier"
    return (f' <span class="wss-source-note" title="{esc(SOURCE_TYPES[s.source.type])}" '
            f'style="font-size:80%;font-style:italic">(source: {esc(who)})</span>')


def sentence_markup(article: Article, s: Sentence, layers: set[str]) -> str:
    body = mark_text(s.text, _spans(s, layers))
    if "kinds" in layers:
        body = _kind_badge(s) + body
    if "sources" in layers and (s.source.type == "none" or not source_spans(s)):
        body += _source_note(article, s)
    return body


def article_html(article: Article, layers: set[str]) -> str:
    """The page in printed order: furniture in grey small caps with its label (and
    numbers marked when that layer is on), then the paragraphs with the chosen layers."""
    out = []
    ids = {s.id for s in article.sentences}

    def furniture(before: str) -> None:
        for f in article.furniture:
            if f.before == before or (before == "end" and f.before not in ids):
                spans = [(a, b, "number") for a, b in number_spans(f.text)] if "numbers" in layers else []
                out.append(f'<div class="wss-furniture" style="color:#555;font-variant:small-caps;'
                           f'font-size:90%;margin:2px 0">[page furniture · {esc(f.role)}] '
                           f'{mark_text(f.text, spans)}</div>')

    for para in article.paragraphs:
        if not para:
            continue
        for s in para:  # furniture cannot sit inside a paragraph, so it goes just before
            furniture(s.id)
        parts = [sentence_markup(article, s, layers) for s in para]
        part = para[0].part
        if part == "headline":
            out.append(f'<h3 style="margin:6px 0">{" ".join(parts)}</h3>')
        elif part == "dek":
            out.append(f'<p style="font-size:110%;font-style:italic;margin:4px 0">{" ".join(parts)}</p>')
        else:
            out.append(f'<p style="margin:6px 0;line-height:1.8">{" ".join(parts)}</p>')
    furniture("end")
    return '<div class="wss-article">' + "".join(out) + "</div>"


def legend_html() -> str:
    rows = "".join(f"<li><strong>{esc(marker)}</strong> ({esc(style)}): {esc(meaning)} "
                   f"<em>[{esc(LAYERS[layer])}]</em></li>" for layer, marker, style, meaning in LEGEND)
    rows += ("<li><strong>[page furniture · role]</strong> (grey small caps): a line on the page "
             "that is not part of the story, such as a logo, a date or a byline</li>")
    return (f"<details><summary>What the marks mean</summary><ul style='margin:2px 0'>{rows}"
            "</ul></details>")


class ArticleHighlighter(AnswerWidget):
    """The article with switchable layers: `show(layer, on)` switches one; `layers` is
    the set switched on; `html()` is what the page shows."""

    family = "highlighter"

    def __init__(self, article: Article, store, key: str, layers: tuple[str, ...] = (),
                 title: str = "Read with highlights"):
        super().__init__(store, key)
        if not article.annotated:
            raise ValueError(f"{article.id}: this article has no key in the kit, so it cannot show its layers")
        unknown = set(layers) - set(LAYERS)
        if unknown:
            raise ValueError(f"unknown layer(s) {', '.join(sorted(unknown))}; "
                             f"choose from {', '.join(LAYERS)}")
        self.article = article
        self.layers: set[str] = set(layers)
        heading = w.HTML(
            f"<h4 style='margin:4px 0'>{esc(title)}: {esc(article.title)}</h4>"
            "<p style='margin:0 0 4px 0'>Read the article first. Then switch on a layer to see "
            "who says so, how sure the words sound, what can be checked, and what kind of "
            "sentence each one is. Keyboard: Tab to a box, Space to switch it.</p>")
        self.boxes = {
            name: w.Checkbox(value=False, description=f"{label} {marker}", indent=False,
                             tooltip=f"Show {label.lower()}", layout=w.Layout(width="auto"))
            for (name, label), marker in zip(LAYERS.items(), ("[ ] ▸", "⟨ ⟩ ⟪ ⟫", "{ }", "[KIND]"))}
        for name, box in self.boxes.items():
            box.observe(lambda change, n=name: self._switched(n, change["new"]), names="value")
        self.page = w.HTML()
        self.legend = w.HTML(legend_html())
        self.children = [heading, w.HBox(list(self.boxes.values())), self.legend, self.page,
                         self.status]
        self.restore(store.get(key))

    def state(self) -> dict:
        return {"type": self.family, "article": self.article.id,
                "layers": [n for n in LAYERS if n in self.layers]}

    def restore(self, entry: dict) -> None:
        self.restoring = True
        try:
            saved = entry.get("layers") if isinstance(entry, dict) else None
            if isinstance(saved, list):
                self.layers = {n for n in saved if n in LAYERS}
            for name, box in self.boxes.items():
                box.value = name in self.layers
        finally:
            self.restoring = False
        self.page.value = self.html()

    def html(self) -> str:
        return article_html(self.article, self.layers)

    def show(self, layer: str, on: bool = True) -> None:
        """Switch a layer on or off, as its checkbox does."""
        self.boxes[layer].value = on

    def _switched(self, layer: str, on: bool) -> None:
        if self.restoring:
            return
        (self.layers.add if on else self.layers.discard)(layer)
        self.page.value = self.html()
        self.save()
