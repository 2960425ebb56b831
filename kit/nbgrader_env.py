"""Running nbgrader from the kit: the environment it needs and its configuration.

nbgrader creates a gradebook by running the `alembic` executable, which lives beside
this Python; when that folder is not on PATH (a kernel, a cron job, `python -m kit`)
the first command of a new course fails, so every nbgrader call goes through here.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS_DIR = REPO_ROOT / "solutions"
EXERCISES_DIR = REPO_ROOT / "exercises"


def nbgrader_env(extra: dict | None = None) -> dict:
    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in env.get("PATH", "").split(os.pathsep):
        env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env.update(extra or {})
    return env


def ensure_bin_on_path() -> None:
    """Make `alembic` findable for nbgrader code running in this process."""
    os.environ["PATH"] = nbgrader_env()["PATH"]


def run_nbgrader(args: list[str], course_dir: Path, timeout: float | None = None,
                 capture: bool = True) -> subprocess.CompletedProcess:
    """Run `nbgrader ARGS` in a course folder with the kit's environment."""
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course_dir,
                          env=nbgrader_env(), capture_output=capture, text=True, timeout=timeout)


def default_db_url(course_dir: Path) -> str:
    # A generous lock timeout: parallel graders write to one SQLite gradebook in turn.
    return f"sqlite:///{Path(course_dir).resolve() / 'gradebook.db'}?timeout=60"


def db_url(course_dir: Path) -> str:
    """The gradebook the course's nbgrader_config.py names (e.g. PostgreSQL when several
    graders share it), or the SQLite file in the course folder."""
    config = Path(course_dir) / "nbgrader_config.py"
    if config.is_file():
        from traitlets.config.loader import PyFileConfigLoader
        try:
            loaded = PyFileConfigLoader(config.name, path=str(config.parent)).load_config()
            url = loaded.get("CourseDirectory", {}).get("db_url")
            if isinstance(url, str) and url:
                return url
        except Exception:  # a broken config is nbgrader's to report; keep the default
            pass
    return default_db_url(course_dir)


CONFIG_TEMPLATE = '''\
# nbgrader configuration written by `kit course init`. Edit freely; `kit` reads it too.
c = get_config()

c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = {root!r}
c.CourseDirectory.db_url = {db_url!r}

# A cell that runs longer than this is stopped and scores zero; the notebook goes on.
c.Execute.timeout = {timeout}
c.Execute.interrupt_on_timeout = True
# A flood of output is cut, so one submission cannot fill the disk or the feedback.
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100

# Grade cells a student deleted are put back (and score as their checks decide);
# grade cells a student changed are overwritten from the source by nbgrader itself.
c.OverwriteCells.add_missing_cells = True
# nbgrader's own restoring crashes when a grade cell follows an ordinary locked cell
# (as in the kit's widget exercises); kit.nbgrader_fixes explains and fixes it.
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "kit.nbgrader_fixes.RestoreDeletedCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# nbgrader's default ignore list, written out so a teacher can see and extend it.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# Files larger than this (in KB) are not copied into the release or the submission.
c.CourseDirectory.max_file_size = 100000
'''
