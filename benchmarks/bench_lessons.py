"""How long does each lesson take to run headless, against an empty notebook?

Run on demand (not a test):

    .venv/bin/python benchmarks/bench_lessons.py [--repeat 5] [--lesson 04] [--before REF]

Each lesson runs top to bottom with nbclient, as tests/test_lessons.py runs it: a fresh
kernel, in a fresh copy of lessons/ (a student's first visit: no answers saved yet). The
empty notebook runs the same way, so its time is one kernel start and stop: the floor.
The figure for a lesson is the ratio of the medians, lesson / empty notebook, with its
three slowest cells (nbclient's own execution timings) to show where the time goes.
With --before REF each lesson also runs with the kit of that commit (from `git archive`,
first on the kernel's PYTHONPATH), and the ratio before / now is reported.

Results: benchmarks/results/lessons.json (and a table on stdout).
"""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import REPO, Run, env_with_path, kit_at, load, median, scratch, table  # noqa: E402

LESSONS = sorted((REPO / "lessons").glob("[0-9][0-9]-*.ipynb"))
EMPTY = "empty-notebook"


def execute(path: Path, env: dict | None = None) -> tuple[float, list[tuple[float, int, str]]]:
    """Wall seconds of running the notebook, and (seconds, index, first line) per cell."""
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute(
                       **({"env": env} if env else {}))
    seconds = time.perf_counter() - started
    cells = []
    for i, cell in enumerate(nb.cells):
        ex = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in ex and "shell.execute_reply" in ex:
            begin = dt.datetime.fromisoformat(ex["iopub.execute_input"].replace("Z", "+00:00"))
            end = dt.datetime.fromisoformat(ex["shell.execute_reply"].replace("Z", "+00:00"))
            first = next((line for line in cell.source.splitlines()
                          if line.strip() and not line.startswith("#")), "")
            cells.append(((end - begin).total_seconds(), i, first[:60]))
    return seconds, cells


def fresh_copy(root: Path, n: int) -> Path:
    work = root / f"run-{n}" / "lessons"
    shutil.copytree(REPO / "lessons", work,
                    ignore=shutil.ignore_patterns("*.answers.json", ".ipynb_checkpoints"))
    import nbformat
    empty = nbformat.v4.new_notebook()
    empty.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(empty, work / f"{EMPTY}.ipynb")
    return work


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lesson", action="append", help="only lessons whose name starts so")
    parser.add_argument("--before", metavar="REF", help="also run the lessons with the kit of this commit")
    parser.add_argument("--output", default="lessons")
    args = parser.parse_args(argv)
    lessons = [p for p in LESSONS if not args.lesson or any(p.name.startswith(x) for x in args.lesson)]

    run = Run("lessons", list(argv if argv is not None else sys.argv[1:]))
    root = scratch("lessons")
    before_env = None
    if args.before:
        before_env = env_with_path(kit_at(args.before, root / "before-kit"))
        run.data["before"] = args.before
    times: dict[str, list[float]] = {}
    cells: dict[str, dict[int, list[float]]] = {}
    labels: dict[str, dict[int, str]] = {}
    try:
        for r in range(args.repeat):
            work = fresh_copy(root, r)
            old = fresh_copy(root / "before", r) if before_env else None
            names = [EMPTY] + [p.stem for p in lessons]
            for name in names:  # the empty notebook first, then every lesson, each repeat
                # With --before, the two kits run back to back, in turns, so a change in the
                # machine's load falls on both.
                order = ["now", "before"] if r % 2 == 0 else ["before", "now"]
                for which in order:
                    if which == "before" and (old is None or name == EMPTY):
                        continue
                    if which == "before":
                        seconds, _ = execute(old / f"{name}.ipynb", before_env)
                        times.setdefault(f"{name} (before)", []).append(seconds)
                        continue
                    seconds, per_cell = execute(work / f"{name}.ipynb")
                    times.setdefault(name, []).append(seconds)
                    for s, i, first in per_cell:
                        cells.setdefault(name, {}).setdefault(i, []).append(s)
                        labels.setdefault(name, {})[i] = first
            print(f"  repeat {r + 1}/{args.repeat} done (load {load()[0]})", flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    floor = median(times[EMPTY])
    rows = {}
    for name, got in times.items():
        if name.endswith(" (before)"):
            continue
        slowest = sorted(((median(v), i) for i, v in cells.get(name, {}).items()), reverse=True)[:3]
        rows[name] = {"median_s": round(median(got), 3), "runs": [round(x, 3) for x in got],
                      "ratio_vs_empty": round(median(got) / floor, 2),
                      "cells_s": round(sum(median(v) for v in cells.get(name, {}).values()), 3),
                      "slowest_cells": [{"cell": i, "seconds": round(s, 3), "code": labels[name][i]}
                                        for s, i in slowest]}
        if f"{name} (before)" in times:
            rows[name]["before_median_s"] = round(median(times[f"{name} (before)"]), 3)
            rows[name]["before_vs_now"] = round(rows[name]["before_median_s"] / rows[name]["median_s"], 2)
    run.data["rows"] = rows
    run.save(args.output)
    print(table(["notebook", "median s", "ratio to empty", "in cells s", "before/now", "slowest cell"],
                [[name, r["median_s"], r["ratio_vs_empty"], r["cells_s"], r.get("before_vs_now", ""),
                  (f"{r['slowest_cells'][0]['seconds']:.2f}s #{r['slowest_cells'][0]['cell']} "
                   f"{r['slowest_cells'][0]['code']}") if r["slowest_cells"] else ""]
                 for name, r in rows.items()]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
