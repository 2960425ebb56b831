"""What the analyser hands back: one `Mark` per highlighted span and one
`SentenceAnalysis` per sentence. Widgets, `kit analyse`, `kit article new` and the graded
cells read only these two types, so they are the package's contract.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


MARK_KINDS = ("cue", "source", "hedge", "booster", "number", "date")


@dataclass(frozen=True)
class Mark:
    """One highlighted span: what it is, where it is, and why it was marked."""
    kind: str       # cue | source | hedge | booster | number | date
    start: int      # offsets into the analysed text: text[start:end] == self.text
    end: int
    text: str
    reason: str     # for the student
    label: str = ""  # e.g. the source type, "money", "relative", "modal"


@dataclass
class SentenceAnalysis:
    """What the analyser found in one sentence, and why."""
    text: str
    marks: list[Mark] = field(default_factory=list)
    source_type: str = "none"
    source_name: str = ""
    suggested_kind: str = "fact"
    kind_reason: str = ""
    has_attribution: bool = False
    source_reason: str = ""
    carried: bool = False   # the source comes from an earlier sentence ("They", "he")
    start: int = 0          # where the sentence starts in the text it was cut from

    def marks_of(self, kind: str) -> list[Mark]:
        return [m for m in self.marks if m.kind == kind]

    @property
    def hedges(self) -> list[Mark]:
        return self.marks_of("hedge")

    @property
    def boosters(self) -> list[Mark]:
        return self.marks_of("booster")

    @property
    def cues(self) -> list[Mark]:
        return self.marks_of("cue")

    @property
    def uncertain(self) -> bool:
        """Hedged, or leaning on an unnamed source: what the CoNLL-2010 shared task calls
        an uncertain sentence (hedges, and Wikipedia's weasel words)."""
        return bool(self.hedges) or self.source_type == "vague"

    def to_dict(self) -> dict:
        return asdict(self)
