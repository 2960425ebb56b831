"""`kit article new INPUT -o OUT.yaml`: draft an article file from plain text or Markdown.

The text is split into paragraphs and sentences, the analyser suggests each sentence's
kind, source, cues, hedges, boosters and certainty (and finds its numbers and dates),
and the draft is written as YAML that the teacher reviews by hand. Every suggested
field is listed in the sentence's `unreviewed:` list, so `kit article check` can say
what is still a guess, and YAML comments say what to check. The YAML text is written
here, not dumped, so the comments survive; before anything is written it is loaded back
through `kit.article_loader`, so a draft is always a valid article file.

Every way of failing is one line naming the file; nothing is written unless the whole
draft is good, an existing file is never replaced without `force`, and the write is
atomic.
"""
from __future__ import annotations

import datetime
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from kit.article_check import UNREVIEWED

# An article is at most a few thousand words; 100 kB is about 15,000 words. Anything
# larger is the wrong file (a whole site, a book, a log), and its draft would be larger
# than an article file may be.
MAX_INPUT_BYTES = 100_000
LONG_SENTENCE_CHARS = 1_000
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
SENTENCE_FIELDS = ["kind", "source", "cues", "hedges", "certainty", "why"]


class DraftError(Exception):
    """Why no draft was written, in one line that names the file."""


@dataclass
class _Block:
    kind: str            # para | heading | byline
    text: str
    line: int            # 1-based line where it starts
    level: int = 0       # heading level
    emphasis: bool = False  # Markdown: the whole block in *italics* or **bold** (a dek)


@dataclass
class Parsed:
    """The input read into a title and paragraphs, with what could not be read."""
    title: str = ""
    title_found: bool = True
    headline: str = ""                    # the title as a sentence of the page ("" if none)
    dek: str = ""
    blocks: list[_Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Draft:
    yaml_text: str
    sentences: int
    paragraphs: int
    notes: list[str]
    title: str


# -- reading the input -----------------------------------------------------------------


def read_input(path: Path) -> tuple[str, list[str]]:
    """The file as text with \\n line ends, and notes on what was done to read it."""
    display = str(path)
    notes: list[str] = []
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DraftError(f"{display}: no such file") from None
    except OSError as exc:
        raise DraftError(f"{display}: cannot read the file ({exc.strerror or exc})") from None
    if path.is_dir():
        raise DraftError(f"{display}: this is a folder, not a text file")
    if size == 0:
        raise DraftError(f"{display}: the file is empty")
    if size > MAX_INPUT_BYTES:
        raise DraftError(
            f"{display}: the file is {_size(size)}; an article is a few thousand words "
            f"(at most {_size(MAX_INPUT_BYTES)}, about 15,000 words), so this is probably "
            "not one article; give one article at a time")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DraftError(f"{display}: cannot read the file ({exc.strerror or exc})") from None

    kind = _binary_kind(raw)
    if kind:
        raise DraftError(f"{display}: {kind}")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise DraftError(f"{display}: starts like UTF-16 text but cannot be read as it; "
                             "save the file as UTF-8 text") from None
        notes.append(f"{display}: read as UTF-16 text (Windows \"Unicode\"); UTF-8 is safer")
    else:
        if b"\x00" in raw:
            raise DraftError(f"{display}: this is not a text file (it contains binary data); "
                             "give the article as plain text (.txt) or Markdown (.md)")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError:
                raise DraftError(
                    f"{display}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at position "
                    f"{exc.start}); save the file as UTF-8 text") from None
            notes.append(f"{display}: not UTF-8 (byte 0x{raw[exc.start]:02x} at position "
                         f"{exc.start}); read it as Windows-1252: check accented letters and "
                         "quotation marks in the draft")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = _CONTROL.findall(text)
    if len(controls) > max(20, len(text) // 100):
        raise DraftError(f"{display}: this is not a text file (it is full of control "
                         "characters); give the article as plain text (.txt) or Markdown (.md)")
    if controls:
        text = _CONTROL.sub(" ", text)
        notes.append(f"{display}: replaced {len(controls)} invisible control character"
                     f"{'s' if len(controls) != 1 else ''} with spaces")
    if not text.strip():
        raise DraftError(f"{display}: the file is empty (only spaces and blank lines)")
    if _looks_like_html(text):
        raise DraftError(f"{display}: this is a web page (HTML), not the article's text; open "
                         "it in a browser, copy the article's text and save it as plain text")
    return text, notes


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1_000_000 else f"{n / 1e3:.0f} kB"


def _binary_kind(raw: bytes) -> str:
    """A one-line description of a binary file a teacher might plausibly give instead."""
    magic = {
        b"%PDF": "this is a PDF, not a text file; copy the article's text out of it and save "
                 "it as plain text (.txt)",
        b"PK\x03\x04": "this is a Word, OpenDocument or zip file, not a text file; in the word "
                       "processor use Save As > Plain Text (.txt)",
        b"\xd0\xcf\x11\xe0": "this is an old Word (.doc) file, not a text file; in the word "
                             "processor use Save As > Plain Text (.txt)",
        b"{\\rtf": "this is a Rich Text (.rtf) file; save it as plain text (.txt)",
        b"\x89PNG": "this is an image, not a text file",
        b"\xff\xd8\xff": "this is an image, not a text file",
        b"GIF8": "this is an image, not a text file",
    }
    for start, message in magic.items():
        if raw.startswith(start):
            return message
    return ""


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    if head.startswith(("<!doctype html", "<html")):
        return True
    tags = len(re.findall(r"</?(?:div|span|p|a|script|style|meta|link|td|tr)\b[^>]*>", text[:20000], re.I))
    return tags > 20


# -- from text to blocks ---------------------------------------------------------------

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^(```|~~~)")
_RULE = re.compile(r"^(?:[-*_]\s*){3,}$")
_SETEXT = re.compile(r"^(=+|-+)\s*$")
_TABLE = re.compile(r"^\|")
_IMAGE_LINE = re.compile(r"^!\[[^\]]*\]\([^)]*\)\s*$")
_HTML_LINE = re.compile(r"^(?:<[^>]+>\s*)+$|^<!--.*-->$")
_LIST = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s+")
_QUOTE = re.compile(r"^(?:>\s?)+")
_BYLINE = re.compile(r"^(?:by|written by)\s+[A-Z\u00c0-\u024f]", re.IGNORECASE)
_FINAL = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$")
_NO_WORDS = re.compile(r"^[^\w]*$")


def _is_markdown(path: Path, text: str) -> bool:
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        return True
    first = next((line for line in text.split("\n") if line.strip()), "")
    return bool(_HEADING.match(first.strip()))


def _clean_inline(text: str) -> tuple[str, list[str]]:
    """Markdown inline markup to plain words; what was dropped."""
    dropped = []
    if re.search(r"!\[[^\]]*\]\([^)]*\)", text):
        dropped.append("an image")
        text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)          # [words](url)
    text = re.sub(r"\[([^\]]+)\]\[[^\]]*\]", r"\1", text)         # [words][ref]
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    if re.search(r"</?[A-Za-z][^>]*>", text):
        dropped.append("HTML tags")
        text = re.sub(r"</?[A-Za-z][^>]*>", "", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<!\w)_(?=\S)([^_]+?)(?<=\S)_(?!\w)", r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!>])", r"\1", text)
    return html.unescape(text), dropped


def _blocks(text: str, markdown: bool, display: str, notes: list[str]) -> tuple[list[_Block], str]:
    """Paragraph-sized blocks, headings and bylines; and a front-matter title if any."""
    lines = text.split("\n")
    blocks: list[_Block] = []
    skipped: list[str] = []
    front_title = ""
    start = 0
    if markdown and lines and lines[0].strip() == "---":
        end = next((i for i in range(1, min(len(lines), 60)) if lines[i].strip() in ("---", "...")), None)
        if end:
            for line in lines[1:end]:
                m = re.match(r"^title:\s*(.+?)\s*$", line)
                if m:
                    front_title = m.group(1).strip("\"'")
            skipped.append(f"lines 1-{end + 1} (front matter)")
            start = end + 1

    buffer: list[str] = []
    buffer_line = 0

    def flush():
        nonlocal buffer
        if buffer:
            blocks.append(_Block("para", "\n".join(buffer), buffer_line))
            buffer = []

    fence_start = 0
    for i in range(start, len(lines)):
        number = i + 1
        line = lines[i]
        stripped = line.strip()
        if fence_start:
            if _FENCE.match(stripped):
                skipped.append(f"lines {fence_start}-{number} (a code block)")
                fence_start = 0
            continue
        if not stripped:
            flush()
            continue
        if markdown:
            if _FENCE.match(stripped):
                flush()
                fence_start = number
                continue
            m = _HEADING.match(stripped)
            if m:
                flush()
                if m.group(2).strip():
                    blocks.append(_Block("heading", m.group(2), number, len(m.group(1))))
                continue
            if _SETEXT.match(stripped) and len(buffer) == 1:
                blocks.append(_Block("heading", buffer[0], buffer_line, 1 if stripped[0] == "=" else 2))
                buffer = []
                continue
            if _RULE.match(stripped):
                flush()
                continue
            if _TABLE.match(stripped):
                flush()
                skipped.append(f"line {number} (a table row)")
                continue
            if _IMAGE_LINE.match(stripped):
                flush()
                skipped.append(f"line {number} (an image)")
                continue
            if _HTML_LINE.match(stripped):
                flush()
                skipped.append(f"line {number} (HTML)")
                continue
            if _LIST.match(stripped):
                flush()
                stripped = _LIST.sub("", stripped)
            stripped = _QUOTE.sub("", stripped).strip()
            if not stripped:
                flush()
                continue
        if _NO_WORDS.match(stripped):  # "* * *", "———": a break, not words
            flush()
            continue
        if not buffer:
            buffer_line = number
        buffer.append(stripped)
    flush()
    if fence_start:
        skipped.append(f"lines {fence_start}-{len(lines)} (a code block that never ends)")

    out: list[_Block] = []
    for block in blocks:
        if block.kind != "para":
            out.append(block)
            continue
        rows = block.text.split("\n")
        # Plain text: a hard-wrapped paragraph has short lines; long lines are a paragraph
        # each (text pasted from a web page, one paragraph per line, no blank lines).
        # In Markdown a single line break never ends a paragraph.
        if not markdown and len(rows) > 1 and max(len(r) for r in rows[:-1]) > 100:
            out.extend(_Block("para", r, block.line + k) for k, r in enumerate(rows))
        else:
            out.append(block)
    for block in out:
        if markdown:
            block.emphasis = bool(re.match(r"^(\*{1,2}|_{1,2})[^*_\s].*[^*_\s]\1$", block.text, re.S))
            block.text, dropped = _clean_inline(block.text)
            for what in dropped:
                skipped.append(f"line {block.line} ({what}, left out)")
        if block.kind == "para" and "\n" not in block.text and _BYLINE.match(block.text) \
                and len(block.text.split()) <= 12 and not _FINAL.search(block.text):
            block.kind = "byline"
    if skipped:
        shown = "; ".join(skipped[:8]) + (f"; and {len(skipped) - 8} more" if len(skipped) > 8 else "")
        notes.append(f"{display}: could not read as article text, so left out: {shown}")
    return [b for b in out if b.text.strip()], front_title


def parse_text(text: str, path: Path, display: str | None = None) -> Parsed:
    """Find the title (and dek) and the paragraphs of the input text."""
    display = display or str(path)
    parsed = Parsed()
    markdown = _is_markdown(path, text)
    blocks, front_title = _blocks(text, markdown, display, parsed.notes)
    if not blocks and not front_title:
        raise DraftError(f"{display}: found no text to annotate (nothing but "
                         f"{'markup, images and blank lines' if markdown else 'punctuation and blank lines'})")

    first = blocks[0] if blocks else None
    if first is not None and first.kind == "heading":
        parsed.title = parsed.headline = " ".join(first.text.split())
        blocks = blocks[1:]
    elif front_title:
        parsed.title = parsed.headline = " ".join(front_title.split())
    elif (first is not None and first.kind == "para" and "\n" not in first.text
          and len(first.text) <= 200 and not _FINAL.search(first.text) and len(blocks) > 1):
        parsed.title = parsed.headline = " ".join(first.text.split())
        blocks = blocks[1:]
    else:
        parsed.title_found = False
    if parsed.headline:
        nxt = blocks[0] if blocks else None
        if (nxt is not None and nxt.kind == "para" and "\n" not in nxt.text
                and len(nxt.text) <= 300 and (nxt.emphasis or not _FINAL.search(nxt.text))
                and len(blocks) > 1):
            parsed.dek = " ".join(nxt.text.split())
            blocks = blocks[1:]
    parsed.blocks = blocks
    return parsed


# -- sentences and suggestions ---------------------------------------------------------


@dataclass
class _Sent:
    id: str
    text: str
    part: str = "body"
    analysis: object = None


def _sentences(parsed: Parsed, display: str, notes: list[str]):
    """Paragraphs of sentences, and furniture (bylines, subheadings) placed before them."""
    from kit.analysis.splitting import split_sentences
    paragraphs: list[list[_Sent]] = []
    furniture: list[dict] = []
    pending: list[dict] = []
    count = 0
    no_words = 0

    def add(paragraph_texts: list[tuple[str, str]]):
        nonlocal count, no_words
        para = []
        for text, part in paragraph_texts:
            text = " ".join(text.split())
            if not re.search(r"\w", text):
                no_words += 1
                continue
            count += 1
            para.append(_Sent(f"s{count}", text, part))
        if para:
            for f in pending:
                f["before"] = para[0].id
            furniture.extend(pending)
            pending.clear()
            paragraphs.append(para)

    if parsed.headline:
        add([(parsed.headline, "headline")])
    if parsed.dek:
        add([(parsed.dek, "dek")])
    for block in parsed.blocks:
        if block.kind == "byline":
            pending.append({"role": "byline", "text": " ".join(block.text.split()),
                            "why": "Who wrote the story: a name you can look up."})
        elif block.kind == "heading":
            pending.append({"role": "other", "text": " ".join(block.text.split()),
                            "why": "A subheading that breaks up the story: not a claim."})
        else:
            add([(s, "body") for s in split_sentences(block.text)])
    for f in pending:
        f["before"] = "end"
    furniture.extend(pending)
    if no_words:
        notes.append(f"{display}: left out {no_words} piece{'s' if no_words != 1 else ''} "
                     "with no words in it")
    if not paragraphs:
        raise DraftError(f"{display}: found no sentences to annotate")
    for i, f in enumerate(furniture, 1):
        f["id"] = f"p{i}"
    long = [s.id for p in paragraphs for s in p if len(s.text) > LONG_SENTENCE_CHARS]
    if long:
        notes.append(f"{display}: very long sentence{'s' if len(long) > 1 else ''} "
                     f"({', '.join(long[:8])}): check where the sentences really end")
    return paragraphs, furniture


def _unique(texts) -> list[str]:
    seen: dict[str, str] = {}
    for t in texts:
        t = " ".join(t.split())
        if t:
            seen.setdefault(t.casefold(), t)
    return list(seen.values())


def _suggest(s: _Sent) -> dict:
    """The analyser's suggestions for one sentence, as article fields."""
    from kit.taxonomy import KINDS, SOURCE_TYPES
    a = s.analysis
    kind = a.suggested_kind if a.suggested_kind in KINDS else "fact"
    stype = a.source_type if a.has_attribution and a.source_type in SOURCE_TYPES else "none"
    name = " ".join(str(a.source_name or "").split()) if stype != "none" else ""
    if stype != "none" and not name:
        marks = a.marks_of("source")
        name = marks[0].text if marks else "unnamed"
    cues = _unique(m.text for m in a.cues)
    hedges = _unique(m.text for m in a.hedges)
    boosters = _unique(m.text for m in a.boosters)
    if kind == "speculation" or stype == "vague" or len(hedges) >= 2:
        certainty = "low"
    elif hedges or kind == "inference":
        certainty = "medium"
    else:
        certainty = "high"
    why = " ".join(f"{a.kind_reason} {a.source_reason}".split()) or f"The analyser suggests {kind}."
    return {"kind": kind, "source": {"name": name, "type": stype, "carried": bool(a.carried and stype != "none")},
            "cues": cues, "hedges": hedges, "boosters": boosters, "certainty": certainty, "why": why,
            "numbers": _unique(m.text for m in a.marks_of("number")),
            "dates": _unique(m.text for m in a.marks_of("date"))}


# -- writing the YAML ------------------------------------------------------------------

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")


def q(text: str) -> str:
    """A double-quoted YAML scalar that reads back as exactly `text`."""
    out = json.dumps(str(text), ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)


def _flow(words: list[str]) -> str:
    return "[" + ", ".join(q(w) for w in words) + "]"


def _comment_lines(text: str, indent: str, width: int = 88) -> list[str]:
    import textwrap
    return [f"{indent}# {line}" for line in textwrap.wrap(text, width - len(indent) - 2)]


HEADER = """\
# DRAFT written by `kit article new` from {source} on {date}.
#
# Every annotation below is the analyser's guess, not a key. The guessed fields of each
# sentence are listed in its `unreviewed:` line. For each sentence, check:
#   kind       fact | inference | speculation | caveat | background
#              ("fact" means checkable, not true; a sourced inference is still inference)
#   accept     other kinds a careful student could defend: they score as right too
#   source     who says so, as printed, and its type: person | organisation | document |
#              vague | none (none: the outlet's own voice; name "" then). Add
#              `carried: true` when the source comes from an earlier sentence.
#   cues       the attribution words, as printed ("said", "according to")
#   hedges     words that weaken the claim; boosters: words that strengthen it
#   certainty  high | medium | low
#   why        what a student reads after answering: rewrite it for a student, in your
#              own words (see docs/authoring.md: who says so, why this kind, the hard case)
# When a sentence is right, delete its `unreviewed:` line (or the fields you have
# checked). Numbers and dates are listed in a comment above each sentence: check each
# against the original, and flag a figure that other reports give differently.
# Then add flags (what the article gets wrong or leaves out) and checks at the end.
#
# `kit article check {output}` says what is still unreviewed; when nothing is, the
# article is ready: `kit exercise make {output} --name NAME`.
# The format: docs/article-format.md. A worked example: docs/authoring.md.
"""

FOOTER = """
# FLAGS: what the article gets wrong or leaves out. The analyser cannot find these:
# add them yourself (the error hunt in the lesson needs at least one). For example:
# flags:
#   - id: f1
#     sentence: s4              # the sentence (or furniture id) it is in
#     type: omission            # error | inconsistency | omission | overreach | disputed
#     quote: "some residents"   # words from that sentence, as printed
#     why: "Which residents, and how many? The article never says, so no one can check."
#     hint: "Who exactly is speaking here?"        # optional: shown before it is found
#
# CHECKS: "how would you check this?" for the claims that matter most. For example:
# checks:
#   - id: c1
#     sentence: s2
#     question: "Did the council really vote 6 to 3?"
#     search: "Marlow council pool vote minutes"
#     settle: "The council's published minutes of the meeting."
"""


def _sentence_comments(s: _Sent, fields: dict) -> list[str]:
    notes = []
    if s.part == "headline":
        notes.append("The headline: headlines often state as settled what the story only "
                     "suggests; compare it with the body.")
    checkable = [f'"{t}"' for t in fields["numbers"] + fields["dates"]]
    if checkable:
        notes.append(f"Numbers and dates: {', '.join(checkable)}. Check each against the "
                     "original; flag any that other reports give differently (disputed).")
    src = fields["source"]
    if src["carried"]:
        notes.append(f"Source carried over from an earlier sentence ({src['name']}): keep "
                     "carried: true only if a careful reader can tell, and say so in why.")
    elif src["type"] == "vague":
        notes.append("Source unnamed (vague): if the article names them elsewhere, use that "
                     "name and type.")
    elif src["type"] == "none" and fields["cues"]:
        notes.append("Attribution words but no source found: who says so?")
    if fields["kind"] == "fact" and fields["hedges"]:
        notes.append("Suggested fact, but it has hedges: is it inference or speculation?")
    return notes


def draft_yaml(paragraphs: list[list[_Sent]], furniture: list[dict], parsed: Parsed,
               article_id: str, source: str, output: str, fictional: bool) -> str:
    lines = HEADER.format(source=source, output=output,
                          date=datetime.date.today().isoformat()).splitlines()
    lines.append(f"id: {article_id}")
    if not parsed.title_found:
        lines.append("# No title line was found (a first line with no full stop, or a "
                     "Markdown # heading): the title is the first sentence. Put the real "
                     "headline here.")
    lines.append(f"title: {q(parsed.title)}")
    lines.append(f"fictional: {'true' if fictional else 'false'}")
    if fictional:
        lines.append("notice: " + q("This article is fictional, written for class. The people, "
                                    "places and organisations in it are invented."))
    else:
        lines += ["# If you wrote the article for class, set fictional: true and add the line",
                  "# that says so on the page, e.g.:  notice: \"This article is fictional ...\""]
    lines += [
        "# Worth filling in (delete the # to use a line):",
        "# outlet: \"The Marlow Gazette\"",
        "# dateline: \"Marlow, Tuesday 3 March 2026\"",
        "# level: intermediate          # introductory | intermediate | advanced",
        "# genre: local                 # wire | analysis | press-release | local | science |",
        "#                              # business | opinion | rewrite",
        "# topic: local government",
        "provenance: " + q(f"Text from {source}; annotations drafted by kit article new on "
                           f"{datetime.date.today().isoformat()}"),
    ]
    top_review = [] if fictional else ["fictional"]
    if not parsed.title_found:
        top_review.insert(0, "title")
    if top_review:
        lines.append(f"{UNREVIEWED}: [{', '.join(top_review)}]")
    if furniture:
        lines += ["", "# Page furniture: on the page but not part of the story (check the roles:",
                  "# logo, outlet, banner-date, section, timestamp, byline, dateline, notice, other).",
                  "furniture:"]
        for f in furniture:
            lines += [f"  - id: {f['id']}", f"    role: {f['role']}", f"    text: {q(f['text'])}",
                      f"    before: {f['before']}", f"    why: {q(f['why'])}"]
    lines += ["", "paragraphs:"]
    for p, para in enumerate(paragraphs, 1):
        lines.append(f"  # paragraph {p}")
        for i, s in enumerate(para):
            fields = _suggest(s)
            lead = "  - - " if i == 0 else "    - "
            lines.append(f"{lead}id: {s.id}")
            ind = "      "
            if s.part != "body":
                lines.append(f"{ind}part: {s.part}")
            lines.append(f"{ind}text: {q(s.text)}")
            for note in _sentence_comments(s, fields):
                lines += _comment_lines(note, ind)
            review = list(SENTENCE_FIELDS)
            if fields["boosters"]:
                review.insert(4, "boosters")
            lines.append(f"{ind}{UNREVIEWED}: [{', '.join(review)}]")
            lines.append(f"{ind}kind: {fields['kind']}")
            lines.append(f"{ind}accept: []")
            src = fields["source"]
            carried = ", carried: true" if src["carried"] else ""
            lines.append(f"{ind}source: {{name: {q(src['name'])}, type: {src['type']}{carried}}}")
            lines.append(f"{ind}cues: {_flow(fields['cues'])}")
            lines.append(f"{ind}hedges: {_flow(fields['hedges'])}")
            if fields["boosters"]:
                lines.append(f"{ind}boosters: {_flow(fields['boosters'])}")
            lines.append(f"{ind}certainty: {fields['certainty']}")
            lines.append(f"{ind}why: {q(fields['why'])}")
    return "\n".join(lines) + "\n" + FOOTER


# -- the command -----------------------------------------------------------------------


def slug(text: str) -> str:
    out = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return re.sub(r"-{2,}", "-", out)[:60].strip("-")


def make_draft(input_path: Path, output: Path, article_id: str | None = None,
               fictional: bool = False) -> Draft:
    """Read, split, analyse and write the draft's YAML (in memory); validate it."""
    import yaml

    from kit.article_loader import MAX_FILE_BYTES, ArticleInvalid, parse_article
    display = str(input_path)
    text, notes = read_input(input_path)
    parsed = parse_text(text, input_path, display)
    notes += parsed.notes
    paragraphs, furniture = _sentences(parsed, display, notes)
    sentences = [s for p in paragraphs for s in p]
    if not parsed.title_found:
        parsed.title = sentences[0].text if len(sentences[0].text) <= 200 else sentences[0].text[:197] + "..."
        notes.append(f"{display}: no title line found (a first line with no full stop, or a "
                     "Markdown # heading); the title is the first sentence: put the real headline in")
    from kit.analysis import analyse_sentences
    for s, a in zip(sentences, analyse_sentences([s.text for s in sentences])):
        s.analysis = a
    ident = article_id or slug(output.stem) or slug(parsed.title) or "my-article"
    yaml_text = draft_yaml(paragraphs, furniture, parsed, ident, input_path.name, output.name, fictional)
    if len(yaml_text.encode("utf-8")) > MAX_FILE_BYTES:
        raise DraftError(f"{display}: the draft would be {_size(len(yaml_text.encode()))}, more "
                         "than an article file may be; give one article at a time")
    try:
        parse_article(yaml.safe_load(yaml_text), str(output))
    except (ArticleInvalid, yaml.YAMLError) as exc:  # a bug here, not the teacher's fault
        raise RuntimeError(f"kit article new made a draft that does not validate: {exc}") from exc
    return Draft(yaml_text, len(sentences), len(paragraphs), notes, parsed.title)


def new_article(input_file: str, output: str | None, force: bool = False,
                article_id: str | None = None, fictional: bool = False, out=None, err=None) -> int:
    """`kit article new`: write the draft, say what to do next; 0 on success, 1 if not."""
    import sys

    from kit.atomic import write_text_atomic
    out = out or sys.stdout
    err = err or sys.stderr
    input_path = Path(input_file)
    output_path = Path(output) if output else input_path.with_suffix(".yaml")
    try:
        if article_id is not None and (not article_id or slug(article_id) != article_id):
            raise DraftError(f"--id {article_id!r}: use lowercase letters, digits and hyphens, "
                             "like pool-closure")
        if input_path.suffix.lower() in (".yaml", ".yml"):
            raise DraftError(f"{input_path}: is already an article file (YAML); give the "
                             f"article's text (.txt or .md), or check this file with "
                             f"`kit article check {input_path}`")
        if output_path.suffix.lower() not in (".yaml", ".yml"):
            raise DraftError(f"{output_path}: an article file must end in .yaml")
        if input_path.exists() and output_path.exists() and input_path.resolve() == output_path.resolve():
            raise DraftError(f"{output_path}: is the input file; give another output name with -o")
        if output_path.is_dir():
            raise DraftError(f"{output_path}: is a folder; give a file name ending in .yaml")
        if not output_path.parent.is_dir() and str(output_path.parent) not in ("", "."):
            raise DraftError(f"{output_path}: the folder {output_path.parent} does not exist")
        if output_path.exists() and not force:
            raise DraftError(f"{output_path}: already exists; use --force to replace it")
        draft = make_draft(input_path, output_path, article_id, fictional)
        write_text_atomic(output_path, draft.yaml_text)
        try:
            from kit.exercise_make import file_mode
            output_path.chmod(file_mode())  # the atomic write leaves 0600
        except OSError:
            pass
    except DraftError as exc:
        print(f"kit article new: {exc}", file=err)
        return 1
    except OSError as exc:
        print(f"kit article new: {output_path}: cannot write ({exc.strerror or exc})", file=err)
        return 1
    for note in draft.notes:
        print(f"note: {note}", file=err)
    print(f"kit: wrote {output_path}: a draft of \"{draft.title}\" with {draft.sentences} "
          f"sentences in {draft.paragraphs} paragraphs; every suggested field is marked "
          f"unreviewed", file=out)
    print(f"next: review it (the comments in the file say what to check), then run "
          f"`kit article check {output_path}`", file=out)
    return 0
