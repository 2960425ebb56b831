"""The teacher's course commands: `kit course init`, `kit grade`, `kit feedback`,
`kit report`. Kept apart from cli.py so each command's module loads only when run."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def _course_init(args) -> int:
    from kit.course import init_course
    names = init_course(args.directory, roster=args.roster, course_id=args.course_id,
                        timeout=args.timeout, force=args.force)
    print(f"kit: course ready in {Path(args.directory).resolve()} with {len(names)} assignments: "
          f"{', '.join(names)}")
    print(f"next: cd {args.directory} && nbgrader generate_assignment {names[0]}"
          if names else "next: add assignments to source/")
    return 0


def _grade(args) -> int:
    from kit.grade import GradeInterrupted, grade_assignment
    try:
        summary = grade_assignment(Path(args.course), args.assignment, jobs=args.jobs,
                                   students=args.student or None, timeout=args.timeout)
    except GradeInterrupted as exc:  # Ctrl-C: every grading process is already stopped
        print(exc, file=sys.stderr)
        return 130
    return 0 if summary.ok else 1


def _feedback(args) -> int:
    from kit.feedback import write_feedback
    written = write_feedback(Path(args.course), args.assignment, students=args.student or None)
    print(f"kit: wrote feedback for {len(written)} students in "
          f"{Path(args.course) / 'feedback' / '<student>' / args.assignment}")
    return 0


def _report(args) -> int:
    from kit.report import write_report
    out = write_report(Path(args.course), args.assignment)
    print(f"kit: report written to {out}")
    return 0


def add_course_commands(sub) -> None:
    course = sub.add_parser("course", help="set up an nbgrader course from the kit")
    course_sub = course.add_subparsers(dest="course_command", metavar="ACTION")
    init = course_sub.add_parser("init", help="make an nbgrader course folder from the kit")
    init.add_argument("directory", metavar="DIR")
    init.add_argument("--roster", metavar="CSV", help="students: id,first_name,last_name,email")
    init.add_argument("--course-id", default="who-says-so")
    init.add_argument("--timeout", type=int, default=60, help="seconds a cell may run when grading")
    init.add_argument("--force", action="store_true", help="add missing assignments to an existing course")
    init.set_defaults(func=_course_init)

    def course_arg(p):
        p.add_argument("--course", default=".", metavar="DIR", help="the course folder (default: here)")
        p.add_argument("--student", action="append", metavar="ID", help="only this student (repeatable)")

    grade = sub.add_parser("grade", help="autograde every submission in parallel, isolated")
    grade.add_argument("assignment")
    course_arg(grade)
    grade.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    grade.add_argument("--timeout", type=int, default=None,
                       help="seconds one submission may take in all (default: 10 x the cell timeout)")
    grade.set_defaults(func=_grade)

    feedback = sub.add_parser("feedback", help="feedback HTML without hidden tests or keys")
    feedback.add_argument("assignment")
    course_arg(feedback)
    feedback.set_defaults(func=_feedback)

    report = sub.add_parser("report", help="class charts and CSV for an assignment")
    report.add_argument("assignment")
    course_arg(report)
    report.set_defaults(func=_report)


def explain_failure(exc: Exception) -> str | None:
    """One line for failures a teacher can fix; None for bugs (shown in full)."""
    from kit.course import CourseError
    from kit.roster import RosterInvalid
    if isinstance(exc, (CourseError, RosterInvalid)):
        return str(exc)
    try:
        from kit.grade import GradeError
        if isinstance(exc, GradeError):
            return str(exc)
    except ImportError:
        pass
    if isinstance(exc, (FileNotFoundError, PermissionError)):
        return f"kit: {exc.filename}: {exc.strerror}"
    return None
