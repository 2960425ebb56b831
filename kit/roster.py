"""Read a class roster CSV (id, first_name, last_name, email), checking every row."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

FIELDS = ("id", "first_name", "last_name", "email")
# nbgrader uses the id as a folder name: keep it to safe characters.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class RosterInvalid(Exception):
    """One line per problem, naming the file, the row and the field."""


@dataclass
class Student:
    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""


def read_roster(path: str | Path) -> list[Student]:
    path = Path(path)
    problems: list[str] = []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RosterInvalid(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise RosterInvalid(f"{path}: not UTF-8 text; save the roster as CSV (UTF-8)") from None
    except OSError as exc:
        raise RosterInvalid(f"{path}: cannot be read ({exc.strerror or exc})") from None
    rows = list(csv.DictReader(text.splitlines()))
    if not text.strip() or not rows:
        raise RosterInvalid(f"{path}: the roster is empty; expected a header line "
                            "id,first_name,last_name,email and one row per student")
    header = [h.strip() for h in (rows[0].keys() if rows else [])]
    if "id" not in header:
        raise RosterInvalid(f'{path}: row 1: field "id": missing column; the header should be '
                            "id,first_name,last_name,email")
    students, seen = [], {}
    for n, row in enumerate(rows, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
        sid = row.get("id", "")
        if not sid:
            problems.append(f'{path}: row {n}: field "id": empty')
            continue
        if not ID_PATTERN.match(sid):
            problems.append(f'{path}: row {n}: field "id": "{sid}" may use only letters, digits, '
                            ". _ and - (it becomes a folder name)")
            continue
        if sid in seen:
            problems.append(f'{path}: row {n}: field "id": "{sid}" already used in row {seen[sid]}')
            continue
        seen[sid] = n
        email = row.get("email", "")
        if email and "@" not in email:
            problems.append(f'{path}: row {n}: field "email": "{email}" is not an email address')
        students.append(Student(sid, row.get("first_name", ""), row.get("last_name", ""), email))
    if problems:
        raise RosterInvalid("\n".join(problems))
    return students
