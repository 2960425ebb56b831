"""Helpers that graded cells call: they read the saved widget answers and return points.

nbgrader reads a graded cell's numeric result as its score and scores the whole cell
zero if anything reaches stderr, so every function here returns a number between 0 and
`points` (rounded to 2 places, never above the maximum, which nbgrader refuses) and
never raises or warns: a missing or damaged answers file is simply no answers.

The public checks (`progress_*`) print to stdout what a student may know before
submitting: how much is done, never whether it is right.
"""
from __future__ import annotations

import os

from kit.answers import load_entry
from kit.taxonomy import KINDS, SOURCE_TYPES


def _points(fraction: float, points: float) -> float:
    fraction = min(max(float(fraction), 0.0), 1.0)
    return round(fraction * points, 2)


def _answers(answers_file: str | os.PathLike, widget_key: str) -> dict:
    answers = load_entry(answers_file, widget_key).get("answers", {})
    return answers if isinstance(answers, dict) else {}


def grade_kinds(answers_file, widget_key: str, key: dict[str, list[str]], points: float) -> float:
    """Balanced accuracy of the kinds chosen: every kind in the key weighs the same, so
    doubting every sentence (or believing every one) cannot score well.

    `key` maps sentence id -> [best kind, other accepted kinds...].
    """
    try:
        answers = _answers(answers_file, widget_key)
        by_kind: dict[str, list[bool]] = {}
        for sid, accepted in key.items():
            by_kind.setdefault(accepted[0], []).append(answers.get(sid) in accepted)
        if not by_kind:
            return 0.0
        return _points(sum(sum(v) / len(v) for v in by_kind.values()) / len(by_kind), points)
    except Exception:  # a graded cell must return a number, whatever the file holds
        return 0.0


def grade_sources(answers_file, widget_key: str, key: dict[str, dict], points: float) -> float:
    """Half a share per sentence for the source type, half for the name.

    `key` maps sentence id -> {"type": ..., "name": ..., "aliases": [...]}.
    """
    from kit.scoring import names_match
    try:
        answers = _answers(answers_file, widget_key)
        if not key:
            return 0.0
        total = 0.0
        for sid, expected in key.items():
            given = answers.get(sid)
            if not isinstance(given, dict):
                continue
            gtype = given.get("type")
            gname = str(given.get("name") or "")
            total += 0.5 * (gtype == expected["type"])
            if expected["type"] == "none":
                total += 0.5 * (gtype == "none")
            else:
                total += 0.5 * names_match(gname, expected["name"], expected.get("aliases", []))
        return _points(total / len(key), points)
    except Exception:
        return 0.0


def progress_kinds(answers_file, widget_key: str, sentence_ids: list[str]) -> int:
    """Print how many sentences have a kind, and return that number (no right/wrong)."""
    answers = _answers(answers_file, widget_key)
    done = sum(1 for sid in sentence_ids if answers.get(sid) in KINDS)
    left = len(sentence_ids) - done
    if left:
        print(f"You have chosen a kind for {done} of {len(sentence_ids)} sentences; "
              f"{left} to go. Your choices are saved as you click.")
    else:
        print(f"All {done} sentences have a kind. They are saved; submit when you are ready.")
    return done


def progress_sources(answers_file, widget_key: str, sentence_ids: list[str]) -> int:
    """Print how many sentences have both a source type and a name (or type none)."""
    answers = _answers(answers_file, widget_key)

    def complete(entry) -> bool:
        return (isinstance(entry, dict) and entry.get("type") in SOURCE_TYPES
                and (entry.get("type") == "none" or bool(str(entry.get("name") or "").strip())))
    done = sum(1 for sid in sentence_ids if complete(answers.get(sid)))
    if done < len(sentence_ids):
        print(f"You have named the source of {done} of {len(sentence_ids)} sentences. "
              "Each needs a source type and, unless the type is none, who says so.")
    else:
        print(f"All {done} sentences have a source. They are saved; submit when you are ready.")
    return done
