"""The process that `kit grade` forks one grader from per submission.

`nbgrader autograde` spends about 2 of its 4 seconds per submission importing itself
(nbgrader, nbconvert, SQLAlchemy, jsonschema, jupyter_server) before it grades
anything; `kit grade` used to start one such process per submission. Instead it starts
this module once, in a fork server (multiprocessing's "forkserver" start method): the
server imports everything nbgrader needs, then forks a fresh child for each submission.
The child is still a process of its own, in a process group of its own, with its own log
file, its own working folder and environment, and it runs nbgrader's own command-line
application (`nbgrader autograde ASSIGNMENT --student ID --force ...`) exactly as
`python -m nbgrader` would: only the imports are done once, before the fork. The server
itself never opens a gradebook, reads a notebook or starts a kernel, so no child can
see anything another child did.
"""
from __future__ import annotations

import gc
import os
import sys

# jsonschema imports rfc3987_syntax for its "iri" format checker when that package is
# installed, and rfc3987_syntax builds its Lark (Earley) parsers at import time: about
# a second, which is half of nbgrader's import. Neither nbformat (it validates with
# fastjsonschema, without format checks) nor nbgrader checks an "iri", so the grader
# does without it. See python-jsonschema/jsonschema#1428.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

# What `nbgrader autograde` imports before and while grading, so each child starts
# with it in memory (shared copy-on-write with the server).
import IPython.paths  # noqa: E402,F401  (jupyter_client finds kernelspecs with it)
import ipykernel.kernelspec  # noqa: E402,F401  (nbclient looks up the kernelspec)
import nbformat  # noqa: E402
import sqlalchemy.dialects.sqlite  # noqa: E402,F401
import sqlalchemy.orm  # noqa: E402
from nbgrader.api import Gradebook  # noqa: E402,F401
from nbgrader.apps.nbgraderapp import NbGraderApp  # noqa: E402
from nbgrader.converters.autograde import Autograde  # noqa: E402,F401

import kit.nbgrader_fixes  # noqa: E402,F401  (configured as a sanitize preprocessor)
import kit.sandbox  # noqa: E402,F401  (the kernel manager of every child)


def _warm() -> None:
    """Do once what every child would otherwise do again, none of it touching a course:
    nbformat compiles the notebook schema on first use (strict for reading, relaxed for
    nbconvert), and SQLAlchemy configures the gradebook's mappers on first query."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    nbformat.validate(nb)
    nbformat.validate(nb, relax_add_props=True)
    sqlalchemy.orm.configure_mappers()


try:
    _warm()
except Exception:  # only a head start: each child does the same work itself if need be
    pass
# Everything above lives as long as the server: keep it out of the children's garbage
# collections (which would otherwise walk, and so copy, every page of it).
gc.freeze()


def autograde(course: str, assignment: str, student: str, env: dict[str, str],
              extra_args: list[str]) -> None:
    """Run `nbgrader autograde` for one student in this (forked) process, as
    `python -m nbgrader` would run in the course folder; exits with nbgrader's status.
    (kit.grade has already given the process its own group and its log as output.)"""
    os.chdir(course)
    os.environ.clear()
    os.environ.update(env)
    # `python -m` puts the working folder first on sys.path: modules kept in the course
    # folder (a teacher's own preprocessors named in nbgrader_config.py) are importable.
    sys.path.insert(0, course)
    args = ["autograde", assignment, "--student", student, "--force", *extra_args]
    sys.argv = [os.path.join(os.path.dirname(sys.modules["nbgrader"].__file__), "__main__.py"), *args]
    try:
        NbGraderApp.launch_instance(argv=args)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
