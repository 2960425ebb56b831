"""Do the lessons run top to bottom headless, with no error and nothing on stderr, and
are they committed with outputs cleared?"""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

LESSONS = sorted((Path(__file__).resolve().parent.parent / "lessons").glob("[0-9][0-9]-*.ipynb"))
SKELETON = ["Questions", "Objectives", "Key points", "What next"]


def test_there_is_a_full_course():
    assert len(LESSONS) >= 7
    assert [p.name[:2] for p in LESSONS] == [f"{i:02d}" for i in range(1, len(LESSONS) + 1)]


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_is_committed_clean_and_follows_the_skeleton(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: outputs not cleared"
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for heading in SKELETON:
        assert heading.lower() in text.lower(), f"{path.name}: no {heading!r}"
    assert "min" in text and "Run this first".lower() in "\n".join(c.source for c in nb.cells).lower()
    assert "alt=" in "\n".join(c.source for c in nb.cells), f"{path.name}: no figure with alt text"


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_headless_without_errors_or_stderr(path, tmp_path):
    """Run the lesson in a copy of the lessons folder, as a student's first visit."""
    work = tmp_path / "lessons"
    shutil.copytree(path.parent, work, ignore=shutil.ignore_patterns("*.answers.json", ".ipynb_checkpoints"))
    nb = nbformat.read(work / path.name, as_version=4)
    NotebookClient(nb, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(work)}}).execute()
    problems = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                problems.append(f"cell {i}: {out.ename}: {out.evalue}")
            if out.output_type == "stream" and out.name == "stderr":
                problems.append(f"cell {i}: stderr: {out.text[:200]}")
    assert problems == []
