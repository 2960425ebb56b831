"""How long does `import kit` take, against `import ipywidgets`?

Run on demand (not a test):

    .venv/bin/python benchmarks/bench_import.py [--repeat 15] [--before REF]

Each import is timed in a fresh interpreter (`python -c`), inside the process (the
import statement alone) and as the whole process (interpreter start included), --repeat
times in rotating order; the median is kept. The headline is the ratio of the
in-process medians: `import kit` / `import ipywidgets` (the issue's aim: at most 1.2).
Other rows give context: what a notebook's first cell imports (kit.notebook), a widget
family (kit.widgets.sorter), a graded cell (kit.grading), `kit grade`'s own module
(kit.grade, which must not import nbgrader), figures (kit.figures, which imports
matplotlib only when a figure is drawn) and what the fork server of `kit grade`
preloads (kit.grade_worker, nbgrader itself). With --before REF the same rows are timed
for the kit of that commit, from `git archive`.

Results: benchmarks/results/import.json (and a table on stdout).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import PYTHON, Run, env_with_path, kit_at, median, scratch, table  # noqa: E402

# (row label, module) ; the first two are the headline.
MODULES = [("kit", "kit"), ("ipywidgets", "ipywidgets"), ("kit.notebook", "kit.notebook"),
           ("kit.widgets.sorter", "kit.widgets.sorter"), ("kit.grading", "kit.grading"),
           ("kit.figures", "kit.figures"),
           ("kit.grade", "kit.grade"), ("kit.grade_worker", "kit.grade_worker"),
           ("nbgrader.apps", "nbgrader.apps")]
HEAVY = ["matplotlib", "numpy", "ipywidgets", "IPython", "nbformat", "nbgrader", "sqlalchemy",
         "jsonschema", "yaml", "pysbd"]

PROBE = """
import sys, time, json
t = time.perf_counter()
import {module}
t = time.perf_counter() - t
print(json.dumps({{"seconds": t, "modules": len(sys.modules),
                  "heavy": [m for m in {heavy!r} if m in sys.modules]}}))
"""


def probe(module: str, env: dict, cwd: Path) -> dict:
    import time
    started = time.perf_counter()
    out = subprocess.run([PYTHON, "-c", PROBE.format(module=module, heavy=HEAVY)], env=env, cwd=cwd,
                         capture_output=True, text=True)
    wall = time.perf_counter() - started
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    data = json.loads(out.stdout.strip().splitlines()[-1])
    data["process_seconds"] = wall
    return data


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--before", metavar="REF", help="also time the kit of this git commit")
    parser.add_argument("--output", default="import")
    args = parser.parse_args(argv)

    run = Run("import", list(argv if argv is not None else sys.argv[1:]))
    work = scratch("import")
    variants = [("now", env_with_path(None))]
    before_kit = None
    if args.before:
        before_kit = kit_at(args.before, work / "before-kit")
        variants.append(("before", env_with_path(before_kit)))
        run.data["before"] = args.before

    def exists_before(module: str) -> bool:
        path = before_kit.joinpath(*module.split("."))
        return path.with_suffix(".py").exists() or (path / "__init__.py").exists()
    jobs = [(v, label, module, env) for v, env in variants for label, module in MODULES]
    jobs.append(("-", "python -c pass", "sys", env_with_path(None)))
    samples: dict[tuple[str, str], list[dict]] = {}
    for r in range(args.repeat):
        rotated = jobs[r % len(jobs):] + jobs[:r % len(jobs)]  # no row always goes first
        for variant, label, module, env in rotated:
            if variant == "before" and not (label.startswith("kit") and exists_before(module)):
                continue  # third-party rows do not depend on the kit
            samples.setdefault((variant, label), []).append(probe(module, env, work))
    rows = {}
    for (variant, label), got in samples.items():
        ok = [g for g in got if "error" not in g]
        if not ok:
            rows[f"{variant}:{label}"] = {"error": got[0]["error"]}
            continue
        rows[f"{variant}:{label}"] = {
            "variant": variant, "module": label,
            "import_ms": round(1000 * median([g["seconds"] for g in ok]), 1),
            "process_ms": round(1000 * median([g["process_seconds"] for g in ok]), 1),
            "modules_loaded": ok[0]["modules"], "heavy_loaded": ok[0]["heavy"], "runs": len(ok)}
    run.data["rows"] = rows
    kit_ms, ipw_ms = rows["now:kit"]["import_ms"], rows["now:ipywidgets"]["import_ms"]
    run.data["ratio_kit_vs_ipywidgets"] = round(kit_ms / ipw_ms, 2)
    run.data["ratio_kit_vs_ipywidgets_whole_process"] = round(
        rows["now:kit"]["process_ms"] / rows["now:ipywidgets"]["process_ms"], 2)
    if args.before and "before:kit" in rows and "import_ms" in rows["before:kit"]:
        run.data["before_ratio_kit_vs_ipywidgets"] = round(rows["before:kit"]["import_ms"] / ipw_ms, 2)
    run.save(args.output)
    import shutil
    shutil.rmtree(work, ignore_errors=True)

    print(table(["kit", "import", "import ms", "process ms", "modules", "heavy modules loaded"],
                [[r.get("variant", "?"), r.get("module", k), r.get("import_ms", "-"),
                  r.get("process_ms", "-"), r.get("modules_loaded", "-"),
                  ", ".join(r.get("heavy_loaded", [])) or r.get("error", "")]
                 for k, r in rows.items()]))
    print(f"\nimport kit / import ipywidgets: {run.data['ratio_kit_vs_ipywidgets']} "
          f"(whole process: {run.data['ratio_kit_vs_ipywidgets_whole_process']})"
          + (f"; before ({args.before}): {run.data['before_ratio_kit_vs_ipywidgets']}"
             if "before_ratio_kit_vs_ipywidgets" in run.data else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
