"""Read the keys that live in the hidden tests of an assignment's source notebooks.

Only teacher-side tools (report, feedback) call this, on the course's source/ folder:
the keys never leave it. A key is the `KEY = {...}` literal of a grade cell, read with
`ast.literal_eval`, so nothing in the notebook is executed.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import nbformat

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


@dataclass
class CellKey:
    notebook: str
    grade_id: str
    key: dict
    widget_key: str  # e.g. "sorter:assess-floodwall-vote"
    answers_file: str  # e.g. "sort-kinds.answers.json"
    # The check the cell calls and its points, so `kit grade` can score the answers file
    # again outside the student's kernel (see kit.grade._check_against_answers).
    function: str = ""  # e.g. "grade_kinds"
    points: float | None = None


def hidden_region(source: str) -> str:
    lines = source.splitlines()
    if BEGIN not in source:
        return ""
    start = next(i for i, line in enumerate(lines) if line.strip() == BEGIN)
    end = next((i for i, line in enumerate(lines) if line.strip() == END), len(lines))
    return "\n".join(lines[start + 1:end])


def strip_hidden(source: str, replacement: str = "# (hidden checks ran here)") -> str:
    """The cell source with every hidden-test region replaced by one comment line."""
    out, hiding = [], False
    for line in source.splitlines():
        if line.strip() == BEGIN:
            hiding = True
            out.append(replacement)
        elif line.strip() == END:
            hiding = False
        elif not hiding:
            out.append(line)
    return "\n".join(out)


def cell_keys(source_dir: Path) -> list[CellKey]:
    """Every KEY literal of every grade cell of the notebooks in `source_dir`."""
    found = []
    for path in sorted(Path(source_dir).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            region = hidden_region(cell.source) if cell.cell_type == "code" else ""
            if not meta.get("grade") or "KEY =" not in region:
                continue
            tree = ast.parse(region)
            key, call = None, None
            for node in tree.body:
                if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "KEY":
                    key = ast.literal_eval(node.value)
                elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                    call = node.value
            if key is None or call is None or len(call.args) < 2:
                continue
            answers_file = ast.literal_eval(call.args[0])
            widget_key = ast.literal_eval(call.args[1])
            function = call.func.id if isinstance(call.func, ast.Name) else ""
            points = next((kw.value.value for kw in call.keywords if kw.arg == "points"
                           and isinstance(kw.value, ast.Constant)), None)
            found.append(CellKey(path.stem, meta.get("grade_id", ""), key, widget_key, answers_file,
                                 function, points))
    return found
