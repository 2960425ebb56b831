"""Split news prose into sentences: pysbd, plus a few repairs for what news text does.

pysbd (a port of the Golden Rules sentence boundary suite) already copes with most
abbreviations ("U.S.", "Jan.", "Gen."), figures ("$2.5 billion", "2.5%") and quotations.
The repairs below handle what it gets wrong on real pages, each tested in
tests/test_splitting.py:

- a line break inside a wrapped paragraph is not a sentence end (pysbd splits there);
- a piece that starts with a lowercase word continues the sentence before ("4.5 pct. to");
- a title before a name never ends a sentence ("Gen." / "Sen." / "Lt. Col.");
- "a.m." / "p.m." before a day or a time zone does not end one ("9 a.m. Tuesday");
- a full stop with no space after it does ("respond.The reply" from pasted HTML);
- blank lines always end a sentence, so headlines, datelines and page furniture that
  have no full stop stay on their own.

Offsets are kept into the original string: curly quotes, non-breaking spaces and
invisible direction marks are normalised only in a same-length copy.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kit.analysis.textview import SPLIT_TABLE

# pysbd slows down on very long inputs, so each block it sees is at most this long;
# longer blocks are cut at line breaks, then at likely sentence ends, then at spaces.
BLOCK_CHARS = 10_000
# A "sentence" longer than this (a page with no punctuation at all) is cut at spaces, so
# that one runaway piece cannot make the analyser's clause rules crawl.
MAX_SENTENCE_CHARS = 3_000

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_SAFE_END = re.compile(r"(?<=[a-z]{3}[.!?])\s+(?=[A-Z\"'])")
_TERMINAL = re.compile(r"[.!?]['\")\]]*\s*$|[:;]\s*$")
_NO_SPACE_END = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z]{2})")
# A quotation in single quotes that ends a sentence, then another that starts one:
# "... was 'plausible but not proven.' 'A study like this ..." (pysbd keeps them together).
_QUOTE_TO_QUOTE = re.compile(r"(?<=[.!?]')\s+(?='[A-Z])")

# Abbreviations that stand before a name or a number and so cannot end a sentence.
_NEVER_FINAL = re.compile(
    r"(?<![\w.])(?:Gen|Sen|Rep|Gov|Lt|Col|Capt|Cpl|Sgt|Adm|Maj|Cmdr|Dr|Mr|Mrs|Ms|Mx|Prof|"
    r"Rev|Hon|Fr|St|Mt|Ft|No|Nos|Jan|Feb|Aug|Sept|Sep|Oct|Nov|Dec|Pres|Supt|Insp|Det|Gens|"
    r"Sens|Reps|(?i:approx|est|vs|v|e\.g|i\.e|cf))\.\s*$")
_TIME_THEN_CONTEXT = re.compile(r"(?<![\w.])[ap]\.m\.\s*$", re.IGNORECASE)
_CONTEXT_AFTER_TIME = re.compile(
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|"
    r"tomorrow|on|local|ET|EST|EDT|PT|PST|PDT|GMT|BST|UTC|CET|CEST|Eastern|Pacific|"
    r"Central|Mountain|January|February|March|April|May|June|July|August|September|"
    r"October|November|December|Jan|Feb|Aug|Sept|Oct|Nov|Dec)\b")


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd  # imported here so that `import kit` stays light
    return pysbd.Segmenter(language="en", clean=False)


def _check_text(text) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray)):
        raise TypeError("expected text (str), not bytes: decode it first, "
                        "for example data.decode('utf-8')")
    raise TypeError(f"expected text (str), not {type(text).__name__}")


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, in order, without surrounding spaces."""
    text = _check_text(text)
    return [text[a:b] for a, b in split_spans(text)]


def split_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: offsets into `text` exactly as given."""
    text = _check_text(text)
    view = text.translate(SPLIT_TABLE)
    spans: list[tuple[int, int]] = []
    for start, end in _blocks(view):
        spans.extend(_split_block(view, start, end))
    return [piece for span in spans for piece in _cap_length(view, span)]


def _blocks(view: str):
    """Paragraph-sized pieces: blank lines always separate sentences."""
    start = 0
    for match in _BLANK_LINE.finditer(view):
        yield from _bounded(view, start, match.start())
        start = match.end()
    yield from _bounded(view, start, len(view))


def _bounded(view: str, start: int, end: int):
    """Cut a block longer than BLOCK_CHARS where a cut is least likely to hurt."""
    while end - start > BLOCK_CHARS:
        window = view[start:start + BLOCK_CHARS]
        cut = window.rfind("\n")
        if cut < BLOCK_CHARS // 2:
            ends = [m.end() for m in _SAFE_END.finditer(window)]
            cut = ends[-1] if ends and ends[-1] >= BLOCK_CHARS // 2 else -1
        if cut < BLOCK_CHARS // 2:
            cut = max(window.rfind(" "), window.rfind("\t"))
        if cut < BLOCK_CHARS // 2:
            cut = BLOCK_CHARS
        yield start, start + cut
        start += cut
    if view[start:end].strip():
        yield start, end


def _split_block(view: str, start: int, end: int) -> list[tuple[int, int]]:
    block = view[start:end]
    if not block.strip():
        return []
    try:
        pieces = _segmenter().segment(block)
    except Exception:  # pysbd failing on odd input must not lose the text
        pieces = block.split("\n")
    spans = []
    cursor = 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        at = block.find(piece, cursor)
        if at < 0:  # pysbd changed the text; keep the rest as one piece
            break
        spans.append((at, at + len(piece)))
        cursor = at + len(piece)
    rest = block[cursor:]
    if rest.strip():
        lead = len(rest) - len(rest.lstrip())
        spans.append((cursor + lead, cursor + len(rest.rstrip())))
    spans = _repair(block, spans)
    return [(start + a, start + b) for a, b in spans]


def _repair(block: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans = [piece for span in spans for piece in _split_glued(block, span)]
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and _continues(block, out[-1], (a, b)):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _split_glued(block: str, span: tuple[int, int]):
    """'respond.The reply': a full stop with no space, between two ordinary words."""
    a, b = span
    text = block[a:b]
    cuts = []
    for m in _NO_SPACE_END.finditer(text):
        word = text[:m.start()].rsplit(None, 1)[-1] if text[:m.start()].split() else ""
        if "/" in word or "@" in word or "www" in word.lower():
            continue  # a web or e-mail address, not a sentence end
        cuts.append((m.start(), m.start()))
    cuts.extend((m.start(), m.end()) for m in _QUOTE_TO_QUOTE.finditer(text))
    last = a
    for end, next_start in sorted(cuts):
        yield last, a + end
        last = a + next_start
    yield last, b


def _continues(block: str, prev: tuple[int, int], nxt: tuple[int, int]) -> bool:
    """Should the piece `nxt` be glued back onto `prev`?"""
    before = block[prev[0]:prev[1]]
    after = block[nxt[0]:nxt[1]]
    gap = block[prev[1]:nxt[0]]
    first = after[:1]
    # A sentence in news prose starts with a capital, a digit or a quote mark; a piece
    # that starts with a lowercase word ("to $12.50 on Monday") continues the one before.
    # "iPhone" and "eBay" are names, not lowercase words.
    if first.islower() and not (len(after) > 1 and after[1].isupper()):
        return True
    if first in ",;:)]}%" or not any(c.isalnum() for c in after):
        return True  # a piece of punctuation alone (a closing quote) belongs to the one before
    if _NEVER_FINAL.search(before):
        return True
    if _TIME_THEN_CONTEXT.search(before) and _CONTEXT_AFTER_TIME.match(after):
        return True
    # A single line break inside wrapped prose: the line before does not end a sentence
    # and is not a short title-like line (a headline, a dateline, page furniture).
    if "\n" in gap and gap.count("\n") == 1 and not _TERMINAL.search(before):
        last_line = before.rsplit("\n", 1)[-1]
        if len(last_line) >= 40 and not _title_like(last_line):
            return True
    return False


def _title_like(line: str) -> bool:
    """Most longer words capitalised, as in a headline ("Analysis Finds")."""
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", line) if len(w) > 3]
    if not words:
        return True
    return sum(w[0].isupper() for w in words) / len(words) >= 0.6


def _cap_length(view: str, span: tuple[int, int]):
    a, b = span
    while b - a > MAX_SENTENCE_CHARS:
        cut = view.rfind(" ", a + MAX_SENTENCE_CHARS // 2, a + MAX_SENTENCE_CHARS)
        cut = cut if cut > a else a + MAX_SENTENCE_CHARS
        piece_end = cut
        while piece_end > a and view[piece_end - 1].isspace():
            piece_end -= 1
        yield a, piece_end
        a = cut
        while a < b and view[a].isspace():
            a += 1
    if b > a:
        yield a, b
