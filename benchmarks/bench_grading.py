"""How fast does `kit grade` grade, and what does the kit add to each notebook?

Run on demand (not a test; it takes minutes, the 1,000-submission case about ten):

    .venv/bin/python benchmarks/bench_grading.py [--n 40] [--jobs 2] [--per-notebook 8]
        [--repeat 3] [--scale 10,100,1000] [--before REF] [--only throughput,per-notebook,scale]

Three measurements, each a ratio of timings taken in this run on this machine:

1. throughput: `kit grade --jobs J` against plain `nbgrader autograde` (one process,
   one submission after another, no sandbox) on the same N submissions of the kit's
   sort-kinds assignment, in two copies of one course. The scores in the two gradebooks
   must be identical. With --before REF, the kit of that commit grades a third copy.
   --repeat rounds, each in a different order; the medians are compared.
2. per-notebook: the seconds `kit grade --jobs 1` takes per submission of sort-kinds
   against per submission of an empty notebook (nbgrader, the sandbox and one kernel
   start: the floor), the median over --per-notebook submissions of each, in --repeat
   rounds (and, with --before, the same for the kit of that commit).
3. scale: `kit grade --jobs J` on 10, 100 and 1,000 submissions: wall time, time per
   submission, and the peak memory of kit grade and every process under it (kernels
   included), sampled from /proc. sort-kinds up to 100; the one-cell "minimal" kit
   assignment at every size, so growth is compared on one assignment.

Results: benchmarks/results/grading.json (and a table on stdout).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _courses as courses  # noqa: E402
from _common import (PYTHON, REPO, Run, env_with_path, kit_at, load, median,  # noqa: E402
                                scratch, table, timed)

KIT_GRADE = REPO / "benchmarks" / "_kit_grade.py"


def kit_grade_cmd(course: Path, assignment: str, jobs: int) -> list[str]:
    return [PYTHON, "-m", "kit", "grade", assignment, "--course", str(course), "--jobs", str(jobs)]


def throughput(root: Path, n: int, jobs: int, before: Path | None, sample: bool, repeat: int) -> dict:
    print(f"\n[1] throughput: {n} submissions of sort-kinds; kit grade --jobs {jobs} "
          f"against nbgrader autograde; {repeat} round(s)", flush=True)
    base = courses.build(root / "base", [courses.SORT_KINDS])
    courses.submit_class(base, courses.SORT_KINDS, n)
    contenders = [("nbgrader autograde", None), (f"kit grade --jobs {jobs}", "now")]
    if before:
        contenders.append((f"kit grade --jobs {jobs} (before)", "before"))
    runs: dict[str, list[dict]] = {label: [] for label, _ in contenders}
    scores: dict[str, dict] = {}  # "run label #round" -> {student: score}
    count = 0
    for r in range(repeat):
        # A different order each round, so a change in the machine's load is shared out.
        for label, which in contenders[r % len(contenders):] + contenders[:r % len(contenders)]:
            count += 1
            course = courses.clone(base, root / f"course-{count}")
            if which is None:
                cmd = [PYTHON, "-m", "nbgrader", "autograde", courses.SORT_KINDS]
            else:
                cmd = kit_grade_cmd(course, courses.SORT_KINDS, jobs)
            env = env_with_path(before if which == "before" else None)
            result = timed(cmd, course, env, root / f"{count}.log", sample_memory=sample)
            result["load_after"] = load()
            scores[f"{label} #{r + 1}"] = courses.scores(course, courses.SORT_KINDS)
            runs[label].append(result)
            print(f"  {label}: {result['seconds']:.1f} s (load {result['load_after'][0]})", flush=True)
            import shutil
            shutil.rmtree(course, ignore_errors=True)
    reference = scores["nbgrader autograde #1"]  # nbgrader's own scores are the reference
    medians = {label: median([x["seconds"] for x in got]) for label, got in runs.items()}
    ours = medians[f"kit grade --jobs {jobs}"]
    out = {"rounds": repeat, "graded": len(reference),
           "identical_scores": all(got == reference for k, got in scores.items()),
           "median_seconds": {k: round(v, 2) for k, v in medians.items()},
           "runs": runs, "scores": reference,
           "speedup_vs_nbgrader": round(medians["nbgrader autograde"] / ours, 2)}
    if before:
        old = medians[f"kit grade --jobs {jobs} (before)"]
        out["speedup_vs_before"] = round(old / ours, 2)
        out["before_speedup_vs_nbgrader"] = round(medians["nbgrader autograde"] / old, 2)
    if not out["identical_scores"]:
        out["score_differences"] = {k: {s: (reference.get(s), got.get(s)) for s in set(reference) | set(got)
                                        if reference.get(s) != got.get(s)}
                                    for k, got in scores.items() if got != reference}
    return out


def per_student_seconds(course: Path, assignment: str, jobs: int, kit_path: Path | None,
                        work: Path) -> dict:
    out_file = work / f"{assignment}-{'before' if kit_path else 'now'}.json"
    timed([PYTHON, str(KIT_GRADE), str(course), assignment, str(jobs), str(out_file)], course,
          env_with_path(kit_path), work / f"{out_file.stem}.log")
    data = json.loads(out_file.read_text())
    statuses = {s["status"] for s in data["students"].values()}
    if statuses != {"graded"}:
        raise SystemExit(f"{assignment}: not every submission was graded: {data['students']}")
    return {"seconds": [s["seconds"] for s in data["students"].values()], "kit": data["kit"]}


def per_notebook(root: Path, m: int, before: Path | None, repeat: int) -> dict:
    print(f"\n[2] per-notebook: kit grade --jobs 1, {m} submissions of sort-kinds and of an "
          f"empty notebook; {repeat} round(s)", flush=True)
    base = courses.build(root / "pn-base", [courses.SORT_KINDS, "empty"])
    courses.submit_class(base, courses.SORT_KINDS, m)
    courses.submit_class(base, "empty", m)
    kits = [("now", None)] + ([("before", before)] if before else [])
    seconds: dict[tuple[str, str], list[float]] = {}
    count = 0
    for r in range(repeat):
        for which, kit_path in (kits if r % 2 == 0 else kits[::-1]):
            for assignment in (("empty", courses.SORT_KINDS) if r % 2 == 0 else (courses.SORT_KINDS, "empty")):
                count += 1
                course = courses.clone(base, root / f"pn-{count}")
                got = per_student_seconds(course, assignment, 1, kit_path, root)
                seconds.setdefault((which, assignment), []).extend(got.pop("seconds"))
                print(f"  {which}: {assignment}: median {median(seconds[(which, assignment)]):.2f} s per "
                      f"submission so far", flush=True)
                import shutil
                shutil.rmtree(course, ignore_errors=True)
    out = {"rounds": repeat, "submissions_each": m}
    for which, _ in kits:
        row = {a: {"median_s": round(median(seconds[(which, a)]), 3), "min_s": round(min(seconds[(which, a)]), 3),
                   "n": len(seconds[(which, a)])} for a in ("empty", courses.SORT_KINDS)}
        row["ratio_kit_vs_empty"] = round(row[courses.SORT_KINDS]["median_s"] / row["empty"]["median_s"], 2)
        out[which] = row
    if before:
        out["before_vs_now_sort_kinds"] = round(out["before"][courses.SORT_KINDS]["median_s"]
                                                / out["now"][courses.SORT_KINDS]["median_s"], 2)
        out["before_vs_now_empty"] = round(out["before"]["empty"]["median_s"]
                                           / out["now"]["empty"]["median_s"], 2)
    out["load_after"] = load()
    return out


def scale(root: Path, sizes: list[int], jobs: int) -> dict:
    plan = [(courses.SORT_KINDS, n) for n in sizes if n <= 100] + [("minimal", n) for n in sizes]
    print(f"\n[3] scale: kit grade --jobs {jobs} on {', '.join(f'{n} x {a}' for a, n in plan)}",
          flush=True)
    rows = []
    for assignment, n in plan:
        course = courses.build(root / f"scale-{assignment}-{n}", [assignment])
        courses.submit_class(course, assignment, n)
        result = timed(kit_grade_cmd(course, assignment, jobs), course, env_with_path(None),
                       root / f"scale-{assignment}-{n}.log", sample_memory=True)
        got = courses.scores(course, assignment)
        row = {"assignment": assignment, "submissions": n, "graded": len(got),
               "seconds": result["seconds"], "seconds_per_submission": round(result["seconds"] / n, 3),
               **result["memory"], "gradebook_mb": round((course / "gradebook.db").stat().st_size / 2**20, 2),
               "load_after": load()}
        rows.append(row)
        print(f"  {assignment} x {n}: {row['seconds']:.1f} s, {row['seconds_per_submission']:.2f} s "
              f"each, peak {row['peak_pss_mb']:.0f} MB (PSS), load {row['load_after'][0]}", flush=True)
    for a in {r["assignment"] for r in rows}:
        mine = sorted((r for r in rows if r["assignment"] == a), key=lambda r: r["submissions"])
        for small, big in zip(mine, mine[1:]):
            # time ~ n^k: k = 1 is linear growth
            big["time_growth_exponent_from_previous"] = round(
                math.log(big["seconds"] / small["seconds"]) / math.log(big["submissions"] / small["submissions"]), 2)
            big["memory_ratio_to_previous"] = round(big["peak_pss_mb"] / small["peak_pss_mb"], 2)
    return {"jobs": jobs, "rows": rows}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="submissions for the throughput run")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--per-notebook", type=int, default=8, metavar="M",
                        help="submissions of each assignment for the per-notebook run")
    parser.add_argument("--scale", default="10,100,1000", help="sizes for the scale run")
    parser.add_argument("--before", metavar="REF",
                        help="also grade with the kit of this git commit (e.g. HEAD)")
    parser.add_argument("--only", default="throughput,per-notebook,scale")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds of the throughput and per-notebook runs (medians are kept)")
    parser.add_argument("--memory", action="store_true",
                        help="also sample memory in the throughput run")
    parser.add_argument("--keep", action="store_true", help="keep the scratch courses")
    parser.add_argument("--output", default="grading", help="results file name (no .json)")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))

    run = Run("grading", list(argv if argv is not None else sys.argv[1:]))
    root = scratch("grading")
    before = None
    if args.before:
        before = kit_at(args.before, root / "before-kit")
        run.data["before"] = args.before
    try:
        if "throughput" in only:
            run.data["throughput"] = throughput(root, args.n, args.jobs, before, args.memory, args.repeat)
        if "per-notebook" in only:
            run.data["per_notebook"] = per_notebook(root, args.per_notebook, before, args.repeat)
        if "scale" in only:
            sizes = [int(x) for x in args.scale.split(",") if x.strip()]
            run.data["scale"] = scale(root, sizes, args.jobs)
    finally:
        if not args.keep:
            import shutil
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"scratch kept in {root}")
    run.save(args.output)
    report(run.data)
    return 0 if run.data.get("throughput", {}).get("identical_scores", True) else 1


def report(data: dict) -> None:
    if "throughput" in data:
        t = data["throughput"]
        rows = [[label, t["median_seconds"][label], " ".join(f"{r['seconds']:.1f}" for r in got),
                 " ".join(str(r["load_after"][0]) for r in got)] for label, got in t["runs"].items()]
        print(f"\nthroughput ({t['graded']} submissions, {t['rounds']} round(s), identical scores: "
              f"{t['identical_scores']})")
        print(table(["run", "median s", "each round s", "load after each"], rows))
        print(f"kit grade is {t['speedup_vs_nbgrader']}x as fast as nbgrader autograde"
              + (f"; {t['speedup_vs_before']}x as fast as before ({data.get('before')}), which was "
                 f"{t['before_speedup_vs_nbgrader']}x" if "speedup_vs_before" in t else ""))
    if "per_notebook" in data:
        p = data["per_notebook"]
        rows = [[which, r["empty"]["median_s"], r[courses.SORT_KINDS]["median_s"], r["ratio_kit_vs_empty"]]
                for which, r in p.items() if isinstance(r, dict)]
        print(f"\nper notebook (kit grade --jobs 1, median seconds per submission, "
              f"{p['rounds']} x {p['submissions_each']} of each)")
        print(table(["kit", "empty notebook", "sort-kinds", "ratio"], rows))
    if "scale" in data:
        rows = [[r["assignment"], r["submissions"], r["graded"], r["seconds"], r["seconds_per_submission"],
                 r.get("time_growth_exponent_from_previous", ""), r["peak_pss_mb"], r["peak_rss_sum_mb"],
                 r["peak_single_process_mb"], r["peak_processes"], r["gradebook_mb"]]
                for r in data["scale"]["rows"]]
        print(f"\nscale (kit grade --jobs {data['scale']['jobs']})")
        print(table(["assignment", "n", "graded", "seconds", "s/each", "growth k", "peak PSS MB",
                     "peak RSS sum MB", "largest MB", "procs", "gradebook MB"], rows))


if __name__ == "__main__":
    sys.exit(main())
