"""A normalised view of a text that remembers where each character came from.

News text arrives with curly quotes, non-breaking spaces and invisible direction marks.
The analyser matches words on a plain view (straight quotes, ordinary spaces, no
invisible marks) but reports every span as offsets into the ORIGINAL string, so a widget
can highlight exactly the characters the student sees.
"""
from __future__ import annotations

# Invisible characters that carry no letters: direction marks and embeddings, zero-width
# spaces and joiners, the byte-order mark, the soft hyphen. They are dropped from the view.
INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u061c\ufeff\u00ad\u180e"
)

# One-for-one replacements: typographic quotes and apostrophes, hyphens, and the many
# kinds of space. They keep the length, so offsets do not move.
_SAME_LENGTH = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u02bc": "'", "\uff07": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"', "\uff02": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2000": " ", "\u2001": " ",
    "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ",
    "\u2008": " ", "\u2009": " ", "\u200a": " ", "\u205f": " ", "\u3000": " ",
    "\u2028": "\n", "\u2029": "\n", "\x85": "\n",
}
SAME_LENGTH_TABLE = str.maketrans(_SAME_LENGTH)
# For sentence splitting, where lengths must not change, invisible marks become spaces.
SPLIT_TABLE = str.maketrans({**_SAME_LENGTH, **{c: " " for c in INVISIBLE}})


class TextView:
    """`text` is the plain view; `span(start, end)` maps a view span to the original."""

    __slots__ = ("original", "text", "_where")

    def __init__(self, original: str):
        self.original = original
        plain = original.translate(SAME_LENGTH_TABLE)
        if not any(c in INVISIBLE for c in plain):
            self.text = plain
            self._where = None  # identity: no character was dropped
            return
        kept = [(i, c) for i, c in enumerate(plain) if c not in INVISIBLE]
        self.text = "".join(c for _, c in kept)
        self._where = [i for i, _ in kept]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets for view[start:end]; never cuts through a kept character."""
        if self._where is None:
            return start, end
        if not self._where:
            return 0, 0
        if end <= start:
            pos = self._where[start] if start < len(self._where) else len(self.original)
            return pos, pos
        return self._where[start], self._where[end - 1] + 1
