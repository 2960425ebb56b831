"""Shared fixtures: a small valid article, and helpers to write variants of it."""
from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

MINIMAL_ARTICLE = {
    "id": "tiny-test",
    "title": "Council Approves New Bridge",
    "fictional": True,
    "notice": "This article is fictional, written for the kit's tests.",
    "level": "introductory",
    "furniture": [
        {"id": "p1", "role": "banner-date", "text": "Monday, 2 March 2026", "before": "s1",
         "why": "The site's date, not the story's."},
    ],
    "paragraphs": [
        [{"id": "s1", "part": "headline", "text": "Council Approves New Bridge",
          "kind": "fact", "accept": [], "source": {"name": "", "type": "none"},
          "cues": [], "hedges": [], "certainty": "high", "why": "The outlet reports a vote."}],
        [{"id": "s2", "text": "The council voted 7 to 2 for the bridge, the minutes show.",
          "kind": "fact", "accept": [], "source": {"name": "the minutes", "type": "document"},
          "cues": ["show"], "hedges": [], "certainty": "high", "why": "A record of the vote."},
         {"id": "s3", "text": "Critics say it could double traffic.",
          "kind": "speculation", "accept": ["inference"],
          "source": {"name": "Critics", "type": "vague"}, "cues": ["say"],
          "hedges": ["could"], "certainty": "low", "why": "Unnamed critics guess at a future."}],
    ],
    "flags": [
        {"id": "f1", "sentence": "s3", "type": "omission", "quote": "Critics",
         "why": "We are not told who the critics are.", "hint": "Who are they?"},
    ],
    "checks": [
        {"id": "c1", "sentence": "s2", "question": "Was the vote 7 to 2?",
         "search": "council minutes bridge vote", "settle": "The published minutes."},
    ],
}


@pytest.fixture
def minimal_article() -> dict:
    return copy.deepcopy(MINIMAL_ARTICLE)


@pytest.fixture
def write_article(tmp_path):
    """Write a dict (as YAML) or raw text/bytes to a file and return its path."""
    def write(content, name: str = "article.yaml") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True),
                            encoding="utf-8")
        return path
    return write


def ci_requires(tool_available: bool, reason: str):
    """Skip when a tool is missing on a developer's machine; under CI=true, fail instead."""
    if tool_available:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)
