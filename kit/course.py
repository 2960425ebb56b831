"""`kit course init DIR`: an nbgrader course folder built from the kit's exercises.

The folder is ready for `nbgrader generate_assignment`, `release_assignment` and the
formgrader: config (timeouts, output limits, deleted grade cells restored), every
assignment of solutions/ in source/, the roster (if given) in the gradebook.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from kit.nbgrader_env import CONFIG_TEMPLATE, SOLUTIONS_DIR, db_url, default_db_url, ensure_bin_on_path
from kit.roster import read_roster


class CourseError(Exception):
    """A problem a teacher can fix, in one line."""


def kit_assignments() -> list[str]:
    return sorted(p.name for p in SOLUTIONS_DIR.iterdir()
                  if p.is_dir() and any(p.glob("*.ipynb"))) if SOLUTIONS_DIR.is_dir() else []


def init_course(directory: str | Path, roster: str | Path | None = None,
                course_id: str = "who-says-so", timeout: int = 60, force: bool = False,
                assignments: list[str] | None = None) -> list[str]:
    """Create the course folder; returns the assignment names it holds.

    Refuses to touch an existing course (a teacher's gradebook is precious) unless
    `force`, and even then only adds what is missing: grades are never overwritten.
    """
    directory = Path(directory).resolve()
    config = directory / "nbgrader_config.py"
    if config.exists() and not force:
        raise CourseError(f"{directory}: already holds a course (nbgrader_config.py); "
                          "use --force to add the kit's missing assignments to it")
    students = read_roster(roster) if roster else []  # check before writing anything
    names = kit_assignments() if assignments is None else assignments
    unknown = [n for n in names if not (SOLUTIONS_DIR / n).is_dir()]
    if unknown:
        raise CourseError(f"unknown assignment {unknown[0]!r}; the kit has: {', '.join(kit_assignments())}")

    directory.mkdir(parents=True, exist_ok=True)
    if not config.exists():
        config.write_text(CONFIG_TEMPLATE.format(course_id=course_id, root=str(directory),
                                                 db_url=default_db_url(directory), timeout=timeout),
                          encoding="utf-8")
    for name in names:
        target = directory / "source" / name
        if target.exists():
            continue  # the teacher may have edited it
        shutil.copytree(SOLUTIONS_DIR / name, target,
                        ignore=shutil.ignore_patterns("*.answers.json", ".ipynb_checkpoints"))

    ensure_bin_on_path()
    from nbgrader.api import Gradebook
    with Gradebook(db_url(directory), course_id) as gb:
        for name in names:
            gb.update_or_create_assignment(name)
        for s in students:
            gb.update_or_create_student(s.id, first_name=s.first_name or None,
                                        last_name=s.last_name or None, email=s.email or None)
    return names
