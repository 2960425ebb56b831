"""`kit grade ASSIGNMENT`: autograde every submission in parallel, each in isolation.

Each submission is graded by `nbgrader autograde --student ID` itself, in its own
process, with one change of configuration: the kernel runs in the sandbox of
`kit.sandbox`. So the scores are nbgrader's own, and one submission cannot stop the
batch: a crash, a hang (the whole submission is killed after `timeout`), a malformed
notebook or a duplicated grade_id fails that student alone, with the reason in the
summary, while every other student is graded as if alone.
"""
from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from kit.nbgrader_env import db_url, ensure_bin_on_path, nbgrader_env
from kit.sandbox import COURSE_ENV, bwrap_path


class GradeError(Exception):
    """A problem a teacher can fix, in one line."""


@dataclass
class StudentResult:
    student: str
    status: str  # graded | failed | timed out
    score: float | None = None
    max_score: float | None = None
    reason: str = ""
    seconds: float = 0.0


@dataclass
class Summary:
    assignment: str
    results: list[StudentResult] = field(default_factory=list)
    path: Path | None = None

    @property
    def ok(self) -> bool:
        return all(r.status == "graded" for r in self.results)


def _reason_from_log(text: str) -> str:
    """The most useful line of nbgrader's log: its last error, without the traceback."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    repeated = [line for line in lines if "exists multiple times" in line]
    if repeated:  # nbgrader's own clue, logged as a warning before the crash it causes
        return repeated[0].split("]", 1)[-1].strip()
    for marker in ("[ERROR]", "Error:", "error:", "Exception:"):
        hits = [line for line in lines if marker in line and "Traceback" not in line]
        if hits:
            line = hits[-1]
            return line.split("]", 1)[-1].strip() if line.startswith("[") else line
    return lines[-1][-300:] if lines else "nbgrader stopped without saying why"


def _explain(reason: str) -> str:
    """Say what nbgrader's messages mean for a teacher."""
    if ("old metadata format" in reason or "uplicate" in reason
            or "KeyError: 'grade_id'" in reason or "exists multiple times" in reason):
        return ("the notebook has two cells with the same grade_id (a copied or duplicated "
                f"cell); nbgrader refuses to grade it: {reason}")
    if "NotJSONError" in reason or "Notebook does not appear to be JSON" in reason or "JSON" in reason:
        return f"the notebook file is not valid notebook JSON: {reason}"
    return reason


def _submissions(course: Path, assignment: str) -> list[str]:
    submitted = course / "submitted"
    if not submitted.is_dir():
        return []
    return sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir())


def _grade_one(course: Path, assignment: str, student: str, timeout: float, log_dir: Path) -> StudentResult:
    start = time.monotonic()
    env = nbgrader_env({COURSE_ENV: str(course)})
    cmd = [sys.executable, "-m", "nbgrader", "autograde", assignment, "--student", student,
           "--force", "--Execute.kernel_manager_class=kit.sandbox.SandboxedKernelManager"]
    log_path = log_dir / f"{student}.log"
    with open(log_path, "w", encoding="utf-8", errors="replace") as log:
        proc = subprocess.Popen(cmd, cwd=course, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            # Kill the whole group: nbgrader, nbclient and the sandboxed kernel.
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
            return StudentResult(student, "timed out", 0.0, None,
                                 f"grading took longer than {timeout:g} s and was stopped",
                                 time.monotonic() - start)
    text = log_path.read_text(encoding="utf-8", errors="replace")
    if code != 0:
        return StudentResult(student, "failed", 0.0, None, _explain(_reason_from_log(text)),
                             time.monotonic() - start)
    return StudentResult(student, "graded", reason="", seconds=time.monotonic() - start)


def _scores(course: Path, assignment: str, results: list[StudentResult]) -> None:
    """Fill in scores from the gradebook (read once, after every process has finished)."""
    ensure_bin_on_path()
    from nbgrader.api import Gradebook, MissingEntry
    course_id = _course_id(course)
    with Gradebook(db_url(course), course_id) as gb:
        max_score = gb.find_assignment(assignment).max_score
        for r in results:
            r.max_score = max_score
            if r.status != "graded":
                continue
            try:
                sub = gb.find_submission(assignment, r.student)
                r.score = round(float(sub.score), 2)
                if sub.needs_manual_grade:
                    r.reason = "some answers need grading by hand (formgrader)"
            except MissingEntry:
                r.status, r.score, r.reason = "failed", 0.0, "no grades were saved"


def _course_id(course: Path) -> str:
    config = course / "nbgrader_config.py"
    text = config.read_text(encoding="utf-8") if config.exists() else ""
    for line in text.splitlines():
        if "CourseDirectory.course_id" in line and "=" in line:
            return line.split("=", 1)[1].strip().strip("'\"")
    return "default_course"


class _Progress:
    """A one-line progress bar on a terminal; a line per student otherwise."""

    def __init__(self, total: int, stream=sys.stderr):
        self.total, self.done, self.failed, self.stream = total, 0, 0, stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.started = time.monotonic()

    def update(self, result: StudentResult) -> None:
        self.done += 1
        self.failed += result.status != "graded"
        if self.tty:
            width = 30
            filled = int(width * self.done / max(self.total, 1))
            bar = "#" * filled + "-" * (width - filled)
            print(f"\rgrading [{bar}] {self.done}/{self.total}  {self.failed} not graded  "
                  f"{time.monotonic() - self.started:.0f}s", end="", file=self.stream, flush=True)
            if self.done == self.total:
                print(file=self.stream)
        else:
            print(f"graded {self.done}/{self.total}: {result.student}: {result.status}"
                  + (f" ({result.reason})" if result.status != "graded" else ""),
                  file=self.stream, flush=True)


def grade_assignment(course: Path, assignment: str, jobs: int | None = None,
                     students: list[str] | None = None, timeout: float | None = None,
                     out=sys.stdout, progress_stream=sys.stderr) -> Summary:
    """Grade every submission of `assignment`; write and print a summary."""
    course = Path(course).resolve()
    if not (course / "nbgrader_config.py").exists():
        raise GradeError(f"{course}: not a course folder (no nbgrader_config.py); "
                         "run `kit course init DIR` first")
    if not (course / "source" / assignment).is_dir():
        raise GradeError(f"{course}: no assignment {assignment!r} in source/")
    if not bwrap_path():
        raise GradeError("kit grade: bubblewrap (bwrap) is not installed, so student code "
                         "cannot be isolated; install it (Debian: apt-get install bubblewrap)")
    available = _submissions(course, assignment)
    wanted = students or available
    missing = [s for s in wanted if s not in available]
    if missing:
        raise GradeError(f"no submission of {assignment!r} from {', '.join(missing)} in "
                         f"{course / 'submitted'}")
    if not wanted:
        raise GradeError(f"no submissions of {assignment!r} in {course / 'submitted'}; "
                         "collect them first (nbgrader collect)")
    jobs = max(1, jobs or os.cpu_count() or 1)
    if timeout is None:
        timeout = 10 * _cell_timeout(course) + 60
    log_dir = course / "reports" / assignment / "grading-logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    _prepare_gradebook(course, assignment, wanted)

    progress = _Progress(len(wanted), progress_stream)
    results: list[StudentResult] = []
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_grade_one, course, assignment, s, timeout, log_dir) for s in wanted]
        for future in as_completed(futures):
            result = future.result()
            results.append(result)
            progress.update(result)
    results.sort(key=lambda r: r.student)
    _scores(course, assignment, results)
    summary = Summary(assignment, results)
    summary.path = _write_summary(course, summary)
    _print_summary(summary, out)
    return summary


def _cell_timeout(course: Path) -> int:
    text = (course / "nbgrader_config.py").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip().startswith("c.Execute.timeout") and "=" in line:
            try:
                return int(line.split("=", 1)[1].strip())
            except ValueError:
                break
    return 30


def _prepare_gradebook(course: Path, assignment: str, students: list[str]) -> None:
    """Create students and check the assignment once, before the parallel runs, so the
    parallel processes only read and add grades (SQLite takes one writer at a time)."""
    ensure_bin_on_path()
    from nbgrader.api import Gradebook, MissingEntry
    with Gradebook(db_url(course), _course_id(course)) as gb:
        try:
            assignment_row = gb.find_assignment(assignment)
        except MissingEntry:
            raise GradeError(f"{assignment!r} is not in the gradebook yet; run "
                             f"`nbgrader generate_assignment {assignment}` first") from None
        if not assignment_row.notebooks:
            raise GradeError(f"{assignment!r} has no notebooks in the gradebook; run "
                             f"`nbgrader generate_assignment {assignment}` first")
        for s in students:
            gb.update_or_create_student(s)


def _write_summary(course: Path, summary: Summary) -> Path:
    from kit.atomic import write_text_atomic
    out = course / "reports" / summary.assignment / "grading-summary.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    import io
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["student", "status", "score", "max_score", "reason", "seconds"])
    for r in summary.results:
        writer.writerow([r.student, r.status, "" if r.score is None else r.score,
                         "" if r.max_score is None else r.max_score, r.reason, f"{r.seconds:.1f}"])
    write_text_atomic(out, buffer.getvalue())
    return out


def _print_summary(summary: Summary, out) -> None:
    graded = [r for r in summary.results if r.status == "graded"]
    print(f"{summary.assignment}: {len(graded)} of {len(summary.results)} submissions graded",
          file=out)
    width = max([len(r.student) for r in summary.results] + [7])
    for r in summary.results:
        score = "-" if r.score is None else f"{r.score:g}"
        top = "" if r.max_score is None else f" / {r.max_score:g}"
        note = f"  {r.reason}" if r.reason else ""
        print(f"  {r.student:<{width}}  {r.status:<9}  {score}{top}{note}", file=out)
    print(f"summary: {summary.path}", file=out)
