"""`kit report ASSIGNMENT`: what nbgrader does not show a teacher.

Writes, under reports/<assignment>/:
- scores.csv: one row per student: score, and for sorting tasks right answers,
  over-scepticism (facts doubted) and credulity (inference believed);
- sentences.csv: for sorting tasks, each sentence: how many students got it right and
  the wrong kind chosen most often;
- score-spread.png, most-missed.png, kind-confusion.png, scepticism-credulity.png,
  each with its alt text beside it (<name>.alt.txt).
Keys are read from the course's source/ folder and appear only in these teacher files.
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from kit.answers import load_entry
from kit.atomic import write_text_atomic
from kit.keys import cell_keys
from kit.nbgrader_env import db_url, ensure_bin_on_path
from kit.taxonomy import KINDS


def _csv(rows: list[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def _scores(course: Path, assignment: str) -> dict[str, tuple[float, float]]:
    from kit.grade import _course_id
    ensure_bin_on_path()
    from nbgrader.api import Gradebook
    with Gradebook(db_url(course), _course_id(course)) as gb:
        return {s.student_id: (float(s.score), float(s.max_score))
                for s in gb.assignment_submissions(assignment)}


def write_report(course: Path, assignment: str) -> Path:
    from kit.figures import new_figure, save
    from kit.grade import GradeError
    course = Path(course).resolve()
    if not (course / "source" / assignment).is_dir():
        raise GradeError(f"{course}: no assignment {assignment!r} in source/")
    scores = _scores(course, assignment)
    if not scores:
        raise GradeError(f"no graded submissions of {assignment!r}; run `kit grade {assignment}` first")
    out = course / "reports" / assignment
    out.mkdir(parents=True, exist_ok=True)
    sorter_keys = [k for k in cell_keys(course / "source" / assignment) if k.widget_key.startswith("sorter:")]

    per_student = {s: {"score": sc[0], "max": sc[1]} for s, sc in scores.items()}
    confusion: Counter = Counter()
    missed: Counter = Counter()
    wrong_choice: dict[str, Counter] = {}
    for k in sorter_keys:
        for student in per_student:
            path = course / "autograded" / student / assignment / k.answers_file
            answers = load_entry(path, k.widget_key).get("answers", {})
            answers = answers if isinstance(answers, dict) else {}
            right = doubted = believed = 0
            for sid, accepted in k.key.items():
                given = answers.get(sid)
                if given in accepted:
                    right += 1
                    confusion[(accepted[0], accepted[0])] += 1
                    continue
                missed[sid] += 1
                if given in KINDS:
                    confusion[(accepted[0], given)] += 1
                    wrong_choice.setdefault(sid, Counter())[given] += 1
                    doubted += accepted[0] == "fact" and given in ("inference", "speculation")
                    believed += accepted[0] in ("inference", "speculation") and given == "fact"
            per_student[student].update(right=right, over_sceptical=doubted, credulous=believed,
                                        sentences=len(k.key))

    rows = [["student", "score", "max_score", "right", "sentences", "over_sceptical", "credulous"]]
    for student, d in sorted(per_student.items()):
        rows.append([student, d["score"], d["max"], d.get("right", ""), d.get("sentences", ""),
                     d.get("over_sceptical", ""), d.get("credulous", "")])
    write_text_atomic(out / "scores.csv", _csv(rows))

    # Score spread: the class at a glance.
    values = [d["score"] for d in per_student.values()]
    maximum = max(d["max"] for d in per_student.values()) or 1
    fig = new_figure()
    ax = fig.add_subplot()
    bins = [maximum * i / 10 for i in range(11)]
    ax.hist(values, bins=bins, color="#4a6fa5", edgecolor="black", hatch="//")
    ax.set(xlabel=f"score (out of {maximum:g})", ylabel="students", title=f"{assignment}: score spread")
    mean = sum(values) / len(values)
    ax.axvline(mean, color="black", linestyle="--", label=f"mean {mean:.1f}")
    ax.legend()
    save(fig, out / "score-spread.png",
         f"Histogram of {len(values)} students' scores out of {maximum:g}; mean {mean:.1f}, "
         f"lowest {min(values):g}, highest {max(values):g}.")

    if sorter_keys:
        key = sorter_keys[0].key
        n = len(per_student)
        sentence_rows = [["sentence", "key_kind", "students_right", "students", "most_common_wrong_kind"]]
        for sid, accepted in key.items():
            common = wrong_choice.get(sid, Counter()).most_common(1)
            sentence_rows.append([sid, accepted[0], n - missed[sid], n, common[0][0] if common else ""])
        write_text_atomic(out / "sentences.csv", _csv(sentence_rows))

        worst = sorted(key, key=lambda sid: (-missed[sid], int(sid[1:]) if sid[1:].isdigit() else 0))[:10]
        fig = new_figure()
        ax = fig.add_subplot()
        ax.barh([f"{sid} ({key[sid][0]})" for sid in reversed(worst)],
                [missed[sid] for sid in reversed(worst)], color="#a55a4a", edgecolor="black")
        ax.set(xlabel="students who got it wrong", title="Most-missed sentences (key kind in brackets)")
        save(fig, out / "most-missed.png", "Bar chart of the sentences most students got wrong: "
             + "; ".join(f"{sid} ({key[sid][0]}) missed by {missed[sid]} of {n}" for sid in worst) + ".")

        kinds = list(KINDS)
        fig = new_figure(6, 5)
        ax = fig.add_subplot()
        grid = [[confusion[(k, g)] for g in kinds] for k in kinds]
        ax.imshow(grid, cmap="Greys")
        ax.set_xticks(range(len(kinds)), kinds, rotation=30)
        ax.set_yticks(range(len(kinds)), kinds)
        ax.set(xlabel="kind the students chose", ylabel="kind in the key", title="Confusion between kinds")
        for i, row in enumerate(grid):
            for j, value in enumerate(row):
                ax.text(j, i, str(value), ha="center", va="center",
                        color="white" if value > max(map(max, grid)) / 2 else "black")
        worst_pair = max(((k, g) for k in kinds for g in kinds if k != g),
                         key=lambda p: confusion[p], default=None)
        save(fig, out / "kind-confusion.png",
             "Grid of key kinds (rows) against chosen kinds (columns) with counts in each cell. "
             + (f"The commonest confusion is {worst_pair[0]} taken for {worst_pair[1]} "
                f"({confusion[worst_pair]} times)." if worst_pair and confusion[worst_pair] else
                "No confusions."))

        fig = new_figure(6, 4.5)
        ax = fig.add_subplot()
        xs = [d.get("over_sceptical", 0) for d in per_student.values()]
        ys = [d.get("credulous", 0) for d in per_student.values()]
        ax.scatter(xs, ys, marker="o", facecolors="none", edgecolors="black")
        for student, d in per_student.items():
            ax.annotate(student, (d.get("over_sceptical", 0), d.get("credulous", 0)), fontsize=7,
                        xytext=(3, 3), textcoords="offset points")
        ax.set(xlabel="over-sceptical: facts marked as inference or speculation",
               ylabel="credulous: inference or speculation marked as fact",
               title="Over-scepticism and credulity, per student")
        save(fig, out / "scepticism-credulity.png",
             f"Scatter of {n} students: class total {sum(xs)} facts doubted and {sum(ys)} "
             "inferences believed; students far to the right doubt facts, students high up "
             "believe inference.")
    return out
