"""Answers that outlive the kernel: a small JSON file beside the notebook.

Every widget change is saved at once, atomically, under the widget's own key, so:
- re-running a cell, restarting the kernel or nbgrader's autograde (which re-executes
  the notebook with no browser) finds the same answers;
- two widgets in one notebook never clobber each other (each owns one entry, and every
  save re-reads the file and replaces only that entry, under a lock);
- a corrupt or hand-edited file is moved aside with a timestamp, never deleted, and the
  student is told in one sentence what happened and where the old file is;
- a folder that cannot be written keeps the answers in memory and says so.
"""
from __future__ import annotations

import contextlib
import json
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kit.atomic import write_text_atomic

FORMAT = "whosaysso-answers/1"
# A real answers file is a few kilobytes; a huge one is damage or an attack on the grader.
MAX_ANSWERS_BYTES = 1_000_000
# ... and a few levels deep. Far deeper JSON parses or not depending on how deep the
# reader's own call stack is (Python's recursion limit), so a file could be read once and
# not the next time: refused always instead.
MAX_ANSWERS_DEPTH = 32


def _too_deep(value, limit: int = MAX_ANSWERS_DEPTH) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


def answers_path(notebook: str, folder: str | os.PathLike | None = None) -> Path:
    """Where a notebook's answers live: `<notebook>.answers.json` beside it."""
    stem = Path(notebook).name
    if stem.endswith(".ipynb"):
        stem = stem[: -len(".ipynb")]
    return Path(folder or Path.cwd()) / f"{stem}.answers.json"


class AnswersUnreadable(Exception):
    """The answers file exists but cannot be used; the message says why in one line."""


def read_answers_file(path: Path) -> dict[str, dict]:
    """The `widgets` mapping of an answers file; {} if there is none.

    Raises AnswersUnreadable for anything that is not a well-formed answers file, so a
    graded cell can treat it as "no answers" and a widget can tell the student.
    """
    # A link is never followed: in a submission it could point at another student's
    # answers or at a file of the teacher's (teacher-side tools read these files too).
    try:
        info = path.lstat()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise AnswersUnreadable(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISLNK(info.st_mode):
        raise AnswersUnreadable(f"{path.name}: is a link to another file, not an answers file")
    if not stat.S_ISREG(info.st_mode):
        raise AnswersUnreadable(f"{path.name}: is not a regular file")
    if info.st_size > MAX_ANSWERS_BYTES:
        raise AnswersUnreadable(f"{path.name}: is {info.st_size:,} bytes, far too large for an answers file")
    try:
        # O_NOFOLLOW: a link swapped in after the check above is refused too; the read is
        # bounded, so a file that grows after the check cannot flood memory.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(MAX_ANSWERS_BYTES + 1)
        if len(raw) > MAX_ANSWERS_BYTES:
            raise AnswersUnreadable(f"{path.name}: is far too large for an answers file")
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AnswersUnreadable(f"{path.name}: is not valid JSON ({exc})") from None
    except RecursionError:
        raise AnswersUnreadable(f"{path.name}: is nested too deeply to be an answers file") from None
    except OSError as exc:
        raise AnswersUnreadable(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    if _too_deep(data):
        raise AnswersUnreadable(f"{path.name}: is nested too deeply to be an answers file")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise AnswersUnreadable(f'{path.name}: is not a Who Says So? answers file '
                                f'(expected "format": "{FORMAT}")')
    widgets = data.get("widgets")
    if not isinstance(widgets, dict) or not all(
            isinstance(k, str) and isinstance(v, dict) for k, v in widgets.items()):
        raise AnswersUnreadable(f'{path.name}: field "widgets" should map widget keys to entries')
    return widgets


@dataclass
class SaveResult:
    saved: bool
    message: str = ""  # one sentence for the student when not saved


@dataclass
class AnswerStore:
    """The answers of one notebook. Widgets call `get(key)` once and `put(key, entry)`
    on every change."""
    path: Path
    entries: dict[str, dict] = field(default_factory=dict)
    notice: str = ""  # shown by widgets once, e.g. "your old file was kept as ..."
    _loaded: bool = False

    @classmethod
    def for_notebook(cls, notebook: str, folder: str | os.PathLike | None = None) -> "AnswerStore":
        store = cls(answers_path(notebook, folder))
        store.load()
        return store

    def load(self) -> None:
        """Read the file; a damaged file is moved aside (kept) and we start afresh."""
        try:
            self.entries = read_answers_file(self.path)
        except AnswersUnreadable as exc:
            kept = self._set_aside()
            self.entries = {}
            where = f" It was kept as {kept.name}." if kept else " It was left where it is."
            self.notice = f"Your saved answers could not be read: {exc}.{where} You start afresh."
        self._loaded = True

    def _set_aside(self) -> Path | None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.stem}.unreadable-{stamp}.json")
        try:
            os.replace(self.path, target)
            return target
        except OSError:
            return None

    def get(self, key: str) -> dict:
        """This widget's saved entry ({} when none): a copy, safe to change."""
        return json.loads(json.dumps(self.entries.get(key, {})))

    def put(self, key: str, entry: dict) -> SaveResult:
        """Save one widget's entry, keeping every other widget's entry as it is on disk."""
        entry = dict(entry, updated=time.strftime("%Y-%m-%dT%H:%M:%S"))
        self.entries[key] = entry
        try:
            with self._lock():
                try:
                    on_disk = read_answers_file(self.path)
                except AnswersUnreadable:
                    # Damaged since we loaded it (another tab, a hand edit): keep it aside.
                    self._set_aside()
                    on_disk = {}
                merged = {**on_disk, key: entry}
                # Entries this kernel knows of but the file lost (set aside) are restored.
                for other, value in self.entries.items():
                    merged.setdefault(other, value)
                text = json.dumps({"format": FORMAT, "widgets": merged}, indent=1,
                                  ensure_ascii=False, sort_keys=True)
                write_text_atomic(self.path, text + "\n")
                self.entries = merged
        except OSError as exc:
            reason = exc.strerror or str(exc)
            return SaveResult(False, f"Could not save your answers to {self.path.name} "
                              f"({reason}). They are kept while this notebook stays open; "
                              "ask your teacher, or copy the notebook to a folder you can write to.")
        return SaveResult(True)

    @contextlib.contextmanager
    def _lock(self):
        """Serialise read-merge-write between kernels (two tabs on one notebook)."""
        lock_path = self.path.with_name(f".{self.path.name}.lock")
        try:
            import fcntl
            handle = open(lock_path, "a+")
        except (ImportError, OSError):
            yield  # no locking available (or the folder is read-only): the write will say
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()


def load_entry(path: str | os.PathLike, key: str) -> dict[str, Any]:
    """One widget's saved entry for a graded cell: {} when missing or unreadable.

    Graded cells must not raise or print to stderr (nbgrader would score zero for the
    whole cell), so a damaged file simply counts as no answers.
    """
    try:
        entry = read_answers_file(Path(path)).get(key, {})
    except AnswersUnreadable:
        return {}
    return entry if isinstance(entry, dict) else {}
