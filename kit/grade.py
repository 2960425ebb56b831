"""`kit grade ASSIGNMENT`: autograde every submission in parallel, each in isolation.

Each submission is graded by `nbgrader autograde --student ID` itself, in its own
process, with one change of configuration: the kernel runs in the sandbox of
`kit.sandbox`. So the scores are nbgrader's own, and one submission cannot stop the
batch: a crash, a hang (the whole submission is killed after `timeout`), a malformed
notebook or a duplicated grade_id fails that student alone, with the reason in the
summary, while every other student is graded as if alone.

Two checks nbgrader does not make: a submission holding a link is refused (nbgrader
would copy the linked file, as the teacher, where the student's code can read it), and
every widget check is scored again here from the submitted answers file, outside the
student's kernel, so a notebook that replaces its own check cannot raise its score.
Ctrl-C stops every grading process at once; the gradebook stays consistent (SQLite
transactions) and the same command, run again, grades everyone.

The grading processes are forked from one server that has already imported nbgrader
(`kit.grade_worker`) rather than started afresh, since the import took half of each
submission's time; the gradebook work before and after the batch runs in such a process
too, so `kit grade` itself never imports nbgrader. docs/performance.md has the figures.
"""
from __future__ import annotations

import csv
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from kit.nbgrader_env import db_url, ensure_bin_on_path, nbgrader_env
from kit.sandbox import COURSE_ENV, bwrap_path, sandbox_problem


class GradeError(Exception):
    """A problem a teacher can fix, in one line."""


class GradeInterrupted(KeyboardInterrupt):
    """Ctrl-C during `kit grade`: every grading process has been stopped; str() says so."""


@dataclass
class StudentResult:
    student: str
    status: str  # graded | corrected (scored from its answers, see below) | failed | timed out
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
    if "DeadKernelError" in reason:
        return ("the notebook's own code ended its kernel (os._exit, a crash, running out of "
                f"memory), so nbgrader stopped grading it: {reason}")
    if "CellTimeoutError" in reason:
        return ("a cell ran past the time limit and did not stop when interrupted, so nbgrader "
                f"stopped grading it: {reason}")
    return reason


def _links_in(course: Path, assignment: str, student: str) -> list[str]:
    """Links and special files in a submission. nbgrader copies what a link points at
    (reading it as the teacher) into the autograded folder, where the student's code can
    read it: a link to source/ or the gradebook would hand them the hidden tests."""
    folder = course / "submitted" / student / assignment
    if folder.parent.is_symlink() or folder.is_symlink():
        return [f"{folder.relative_to(course)} -> {os.readlink(folder if folder.is_symlink() else folder.parent)}"]
    found = []
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            if path.is_symlink():
                found.append(f"{path.relative_to(folder)} -> {os.readlink(path)}")
            elif not (path.is_dir() or path.is_file()):
                found.append(f"{path.relative_to(folder)} (not a regular file)")
    return found


def _submissions(course: Path, assignment: str) -> list[str]:
    submitted = course / "submitted"
    if not submitted.is_dir():
        return []
    return sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir())


# The module every grading process is forked from, already holding nbgrader in memory.
WORKER_MODULE = "kit.grade_worker"
# nbgrader's configuration, changed in two ways that leave every score as it is: the
# kernel runs in the sandbox, and once the last cell has run (every output received)
# it is stopped at once rather than asked to shut down and waited for (about 0.2 s a
# notebook); its scratch copy is thrown away either way.
AUTOGRADE_ARGS = ["--Execute.kernel_manager_class=kit.sandbox.SandboxedKernelManager",
                  "--Execute.shutdown_kernel=immediate"]


def _context():
    """multiprocessing's fork server, preloaded with nbgrader and the kit's grading code.

    (If this interpreter's fork server was already started without the preload, the
    children import what they need themselves: slower, and otherwise the same.)"""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([WORKER_MODULE, __name__])
    return ctx


def _autograde_child(course: str, assignment: str, student: str, log_path: str,
                     env: dict[str, str], extra_args: list[str]) -> None:
    """In the forked process: `nbgrader autograde` for one student (kit.grade_worker),
    in a process group of its own, its output (tracebacks included) in the log."""
    os.setsid()  # a timeout or Ctrl-C kills nbgrader and its kernel together
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    from kit.grade_worker import autograde
    autograde(course, assignment, student, env, extra_args)


class _Running:
    """The grading processes under way, so that Ctrl-C can stop every one of them."""

    def __init__(self, ctx=None):
        self.lock = threading.Lock()
        self.procs: set[multiprocessing.process.BaseProcess] = set()
        self.stopping = False
        self.ctx = ctx or _context()

    def start(self, course: Path, assignment: str, student: str, log_path: Path,
              env: dict[str, str]) -> multiprocessing.process.BaseProcess | None:
        """Fork `nbgrader autograde ASSIGNMENT --student STUDENT` from the server."""
        with self.lock:  # (multiprocessing's own bookkeeping of children is not thread-safe)
            if self.stopping:
                return None
            proc = self.ctx.Process(target=_autograde_child, name=f"kit-grade-{student}",
                                    args=(str(course), assignment, student, str(log_path),
                                          env, AUTOGRADE_ARGS))
            proc.start()
            self.procs.add(proc)
            return proc

    def finished(self, proc) -> None:
        with self.lock:
            self.procs.discard(proc)

    def stop_all(self) -> None:
        with self.lock:
            self.stopping = True
            procs = list(self.procs)
        for proc in procs:
            _kill_group(proc)


def _kill_group(proc) -> None:
    # The whole group: nbgrader and nbclient; the sandboxed kernel dies with its parent.
    # (A process killed in its first instant may not lead its own group yet.)
    for kill in (os.killpg, os.kill):
        try:
            kill(proc.pid, signal.SIGKILL)
            return
        except ProcessLookupError:
            continue


def _grade_one(course: Path, assignment: str, student: str, timeout: float, log_dir: Path,
               running: _Running | None = None) -> StudentResult:
    start = time.monotonic()
    links = _links_in(course, assignment, student)
    if links:
        return StudentResult(student, "failed", 0.0, None,
                             f"the submission contains a link ({links[0]}); nbgrader would copy what it points at, "
                             "which the student may not read, so it was not graded: remove the link and grade again",
                             time.monotonic() - start)
    env = nbgrader_env({COURSE_ENV: str(course)})
    log_path = log_dir / f"{student}.log"
    log_path.write_text("", encoding="utf-8")
    running = running or _Running()
    proc = running.start(course, assignment, student, log_path, env)
    if proc is None:
        return StudentResult(student, "not graded", None, None, "interrupted before it started")
    try:
        proc.join(timeout)
        if proc.exitcode is None:
            _kill_group(proc)
            proc.join()
            return StudentResult(student, "timed out", 0.0, None,
                                 f"grading took longer than {timeout:g} s and was stopped",
                                 time.monotonic() - start)
        code = proc.exitcode
    finally:
        running.finished(proc)
    text = log_path.read_text(encoding="utf-8", errors="replace")
    if code != 0:
        return StudentResult(student, "failed", 0.0, None, _explain(_reason_from_log(text)),
                             time.monotonic() - start)
    note = ("a cell ran past the time limit and was interrupted"
            if "Timeout waiting for execute reply" in text else "")
    return StudentResult(student, "graded", reason=note, seconds=time.monotonic() - start)


def _in_worker(ctx, func, *args):
    """Run func(*args) in a process forked from the server (where nbgrader is imported)."""
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        return pool.submit(func, *args).result()


def _scores(course: Path, assignment: str, results: list[StudentResult]) -> list[StudentResult]:
    """Fill in scores from the gradebook (read once, after every process has finished)."""
    ensure_bin_on_path()
    from nbgrader.api import Gradebook, MissingEntry
    course_id = _course_id(course)
    keys = _widget_keys(course, assignment)
    with Gradebook(db_url(course), course_id) as gb:
        max_score = gb.find_assignment(assignment).max_score
        for r in results:
            r.max_score = max_score
            if r.status != "graded":
                continue
            try:
                sub = gb.find_submission(assignment, r.student)
                notes = [r.reason] if r.reason else []
                notes += _check_against_answers(gb, course, assignment, r, keys)
                r.score = round(float(sub.score), 2)
                if sub.needs_manual_grade:
                    notes.append("some answers need grading by hand (formgrader)")
                r.reason = "; ".join(notes)
            except MissingEntry:
                r.status, r.score, r.reason = "failed", 0.0, "no grades were saved"
    return results


def _widget_keys(course: Path, assignment: str) -> list:
    from kit.keys import cell_keys
    try:
        return [k for k in cell_keys(course / "source" / assignment)
                if k.function in ("grade_kinds", "grade_sources")]
    except Exception:  # a teacher's own source the key reader does not follow: no check
        return []


def _check_against_answers(gb, course: Path, assignment: str, r: StudentResult, keys) -> list[str]:
    """Score each widget check again here, from the answers file as submitted.

    A graded cell runs in the student's kernel after the student's own cells, so a
    notebook can replace the check (`kit.grading.grade_kinds = lambda *a, **k: 10`) or
    rewrite its answers file before the check reads it. The answers are data and the key
    is in source/, so the score they earn is computed here, outside the kernel. A check
    that reported more is set to what the answers earn, as a manual score (which the
    formgrader shows and a teacher can change); a check that reported less (the notebook's
    own code stopped it) keeps nbgrader's score. Returns notes for the summary.
    """
    from nbgrader.api import MissingEntry

    from kit.answers import AnswersUnreadable, read_answers_file
    from kit.grading import grade_kinds, grade_sources
    notes = []
    folder = course / "submitted" / r.student / assignment
    for k in keys:
        path = folder / k.answers_file
        try:
            read_answers_file(path)
        except AnswersUnreadable as exc:
            notes.append(f"answers file unusable, counted as no answers: {exc}")
        try:
            grade = gb.find_grade(k.grade_id, k.notebook, assignment, r.student)
        except MissingEntry:
            continue
        points = k.points if k.points is not None else grade.max_score
        check = grade_kinds if k.function == "grade_kinds" else grade_sources
        earned = check(path, k.widget_key, k.key, points)
        reported = grade.auto_score
        if reported is None:
            continue
        if reported > earned + 0.005:
            if grade.manual_score is None or abs(grade.manual_score - earned) < 0.005:
                grade.manual_score = earned
                grade.needs_manual_grade = False
                gb.db.commit()
            r.status = "corrected"
            notes.append(f"check {k.grade_id} reported {reported:g} but the submitted answers earn "
                         f"{earned:g}: the notebook interfered with its check, so it scores "
                         f"{grade.manual_score:g} (a manual score in the formgrader)")
        elif reported < earned - 0.005:
            notes.append(f"check {k.grade_id} scored {reported:g} though the submitted answers "
                         f"would earn {earned:g}: the notebook's own code stopped the check")
    return notes


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
    problem = sandbox_problem()
    if problem:
        raise GradeError(f"kit grade: bubblewrap cannot make a sandbox here ({problem}); on "
                         "Debian/Ubuntu unprivileged user namespaces must be allowed "
                         "(sysctl kernel.unprivileged_userns_clone=1), or run kit grade as root")
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
    ctx = _context()
    _in_worker(ctx, _prepare_gradebook, course, assignment, wanted)

    progress = _Progress(len(wanted), progress_stream)
    results: list[StudentResult] = []
    running = _Running(ctx)
    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        futures = [pool.submit(_grade_one, course, assignment, s, timeout, log_dir, running)
                   for s in wanted]
        for future in as_completed(futures):
            result = future.result()
            results.append(result)
            progress.update(result)
    except KeyboardInterrupt:
        # Without this the pool would wait for every queued student before stopping.
        running.stop_all()
        pool.shutdown(wait=True, cancel_futures=True)
        raise GradeInterrupted(
            f"kit grade: interrupted; every grading process was stopped ({len(results)} of "
            f"{len(wanted)} submissions had finished). Run the same command again to grade "
            "them all.") from None
    finally:
        pool.shutdown(wait=True)
    results.sort(key=lambda r: r.student)
    results = _in_worker(ctx, _scores, course, assignment, results)
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
    graded = [r for r in summary.results if r.status in ("graded", "corrected")]
    print(f"{summary.assignment}: {len(graded)} of {len(summary.results)} submissions graded",
          file=out)
    width = max([len(r.student) for r in summary.results] + [7])
    for r in summary.results:
        score = "-" if r.score is None else f"{r.score:g}"
        top = "" if r.max_score is None else f" / {r.max_score:g}"
        note = f"  {r.reason}" if r.reason else ""
        print(f"  {r.student:<{width}}  {r.status:<9}  {score}{top}{note}", file=out)
    print(f"summary: {summary.path}", file=out)
