"""The taxonomy every article, widget and score shares (DESIGN.md: a contract).

Each label carries a one-line meaning written for a student, so widgets and feedback
can explain a label without repeating its definition elsewhere.
"""


class Labels(dict):
    """label -> meaning, where `x in LABELS` is False (not a TypeError) for a list or a
    mapping: answers come from JSON files a student can edit, and one odd value must not
    crash a widget, a graded cell or the class report."""

    def __contains__(self, item) -> bool:
        try:
            return super().__contains__(item)
        except TypeError:
            return False


KINDS = Labels({
    "fact": "a checkable statement of what happened, what exists, or what a document "
            "contains (checkable, not necessarily true)",
    "inference": "an interpretation, judgement or conclusion that goes beyond what was observed",
    "speculation": "what could or might happen: a forecast or a hypothetical",
    "caveat": "a limit of the evidence",
    "background": "general context, not new evidence for this story",
})

SOURCE_TYPES = Labels({
    "person": "a named person",
    "organisation": "a named organisation or its report",
    "document": "the documents or records themselves",
    "vague": "unnamed people or groups, or an unnamed alleger (\"analysts say\", \"allegedly\")",
    "none": "no attribution: the outlet's own voice",
})

# A sourced fact is a fact whose source can be named and looked up.
NAMED_SOURCE_TYPES = ("person", "organisation", "document")

CERTAINTIES = Labels({
    "high": "said as settled, with no hedge",
    "medium": "said with some hedging or from a single source",
    "low": "heavily hedged, speculative or from a vague source",
})

FLAG_TYPES = Labels({
    "error": "something the article gets wrong",
    "inconsistency": "two parts of the page that do not agree",
    "omission": "something a careful reader needs that the article leaves out",
    "overreach": "a claim stronger than its evidence",
    "disputed": "a figure or claim that other sources give differently",
})

PARTS = ("headline", "dek", "body")

FURNITURE_ROLES = (
    "logo", "outlet", "banner-date", "section", "timestamp", "section-timestamp",
    "headline-repeat", "byline", "dateline", "sources", "notice", "other",
)

LEVELS = ("introductory", "intermediate", "advanced")


def is_sourced_fact(kind: str, source_type: str) -> bool:
    """True for a fact whose source is a person, an organisation or a document."""
    return kind == "fact" and source_type in NAMED_SOURCE_TYPES
