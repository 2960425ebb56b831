"""Grade with whichever kit is first on PYTHONPATH and write each student's seconds.

    python benchmarks/_kit_grade.py COURSE ASSIGNMENT JOBS OUT.json

`kit grade` prints seconds to a tenth; the per-notebook benchmark needs them as measured.
Called by bench_grading.py, for the working tree's kit and for an earlier commit's.
"""
import io
import json
import sys
import time
from pathlib import Path


def main() -> None:
    course, assignment, jobs, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    started = time.perf_counter()
    from kit.grade import grade_assignment
    summary = grade_assignment(Path(course), assignment, jobs=jobs, out=io.StringIO(),
                               progress_stream=io.StringIO())
    out.write_text(json.dumps({
        "kit": sys.modules["kit"].__file__,
        "seconds": time.perf_counter() - started,
        "students": {r.student: {"status": r.status, "score": r.score, "seconds": r.seconds}
                     for r in summary.results},
    }), encoding="utf-8")


if __name__ == "__main__":
    main()
