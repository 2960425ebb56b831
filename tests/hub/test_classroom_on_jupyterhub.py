"""A class on a real JupyterHub: the teacher releases, three students work in the
browser, the teacher grades, and each student sees their own feedback (issue 11).

The hub (tests/hub/conftest.py) runs every user's JupyterLab as that user's own system
account, so what a student can and cannot read is decided by real file permissions.
Steps:

1. The teacher (commands run as the teacher's account, as in a JupyterLab terminal):
   `kit course init` with a roster, `nbgrader generate_assignment` and
   `release_assignment` of sort-kinds.
2. Three students log in through /hub/login in Debian's chromium, fetch sort-kinds from
   the Assignments tab, sort its 16 sentences with the widget (one perfectly, one
   marking every inference and speculation as fact, one choosing nothing), validate
   and submit.
3. The teacher: `nbgrader collect`, `kit grade`, `kit feedback`, `kit report`,
   `nbgrader release_feedback`. The scores must be exactly those the answers earn.
4. Each student fetches feedback in the Assignments tab and opens it: their own name
   and score, nobody else's. Then, in a notebook run by their own kernel through the
   hub, each student tries to read the teacher's course (sources with the hidden
   tests, the gradebook, the collected submissions) and the other students' work.

Screenshots, the hub's log and configuration and the teacher's command lines go to
test-artifacts/hub/.
"""
from __future__ import annotations

import csv
import json
import os
import pwd
import re
import shutil
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.hub.conftest import COURSE_ID, SPAWN_TIMEOUT

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.nbgrader, pytest.mark.slow]

ASSIGNMENT = "sort-kinds"
ARTICLE = "assess-floodwall-vote"
WIDGET = f"sorter:{ARTICLE}"
ANSWERS_FILE = f"{ASSIGNMENT}.answers.json"
UI = 30_000                      # ms: an ordinary UI step
SLOW = 120_000                   # ms: a kernel start, nbgrader validate, a server start
KERNEL_IDLE = re.compile(r"Python 3 \(ipykernel\) \| Idle")


def expect(locator):
    from playwright.sync_api import expect as _expect
    return _expect(locator)


# -- what the students answer, and what it must score --------------------------------------

def the_key() -> dict[str, list[str]]:
    from kit.keys import cell_keys
    keys = [k for k in cell_keys(REPO / "solutions" / ASSIGNMENT) if k.widget_key == WIDGET]
    assert len(keys) == 1, keys
    return keys[0].key


def sentence_ids() -> list[str]:
    from kit.library import load
    return [s.id for s in load(ARTICLE).sentences]


def balanced(answers: dict, key: dict) -> float:
    """The score the answers earn, computed here independently of kit.grading."""
    per_kind: dict[str, list[bool]] = {}
    for sid, accepted in key.items():
        per_kind.setdefault(accepted[0], []).append(answers.get(sid) in accepted)
    return round(10 * sum(sum(v) / len(v) for v in per_kind.values()) / len(per_kind), 2)


def plans(hub) -> dict[str, dict[str, str]]:
    key = the_key()
    perfect = {sid: accepted[0] for sid, accepted in key.items()}
    # Credulous: every inference and speculation taken as fact; the rest right.
    credulous = {sid: ("fact" if k in ("inference", "speculation") else k) for sid, k in perfect.items()}
    return dict(zip(hub.students, [perfect, credulous, {}]))


# -- JupyterLab in the browser -----------------------------------------------------------

def menu(page, top: str, item: str) -> None:
    page.locator("#jp-MainMenu").get_by_role("menuitem", name=top, exact=True).click()
    page.locator(".lm-Menu .lm-Menu-item").filter(
        has=page.locator(".lm-Menu-itemLabel", has_text=item)).first.click()


def dismiss_dialogs(page) -> None:
    for _ in range(3):
        if not page.locator(".jp-Dialog").count():
            return
        page.keyboard.press("Escape")
        page.wait_for_timeout(200)


def lab_ready(page) -> None:
    """JupyterLab has loaded, with nbgrader's menu (its extension is active)."""
    page.locator("#jp-MainMenu").get_by_role("menuitem", name="Nbgrader", exact=True).wait_for(
        timeout=SLOW)
    dismiss_dialogs(page)


def login(page, hub, user: str) -> None:
    page.goto(f"{hub.url}/hub/login", wait_until="domcontentloaded")
    page.fill("#username_input", user)
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    # /hub/spawn -> /hub/spawn-pending/<user> -> /user/<user>/lab once the server is up
    page.wait_for_url(re.compile(rf"/user/{re.escape(user)}/lab"), timeout=SPAWN_TIMEOUT * 1000)
    lab_ready(page)


def open_assignments(page):
    menu(page, "Nbgrader", "Assignment List")
    panel = page.locator("#nbgrader-assignment-list")
    panel.wait_for(timeout=UI)
    expect(panel.locator("#course_list_default")).to_have_text(COURSE_ID, timeout=SLOW)
    return panel


def refresh_assignments(panel) -> None:
    panel.locator("#refresh_assignments_list").click()
    expect(panel.locator("#course_list_default")).to_have_text(COURSE_ID, timeout=SLOW)


def fetched_notebook_row(panel):
    """The notebook's row (link and Validate) under Downloaded assignments, expanded."""
    row = panel.locator("#fetched_assignments_list .assignment-notebooks .list_item").filter(
        has=panel.page.get_by_role("button", name="Validate"))
    if not row.first.is_visible():
        panel.locator("#fetched_assignments_list a.assignment-notebooks-link",
                      has_text=ASSIGNMENT).click()
    row.first.wait_for(state="visible", timeout=UI)
    return row.first


def kernel_idle(page):
    return page.locator(".jp-StatusBar-Item", has_text=KERNEL_IDLE)


def run_all(page, expected_last_prompt_cells: int) -> None:
    """Run > Run All Cells once the kernel is connected; wait until it took effect."""
    kernel_idle(page).wait_for(timeout=SLOW)
    dismiss_dialogs(page)
    prompts = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell .jp-InputPrompt")
    for attempt in range(2):
        menu(page, "Run", "Run All Cells")
        try:
            expect(prompts.nth(expected_last_prompt_cells - 1)).not_to_have_text(
                re.compile(r"^\[\s*\]:?$"), timeout=10_000)
            return
        except AssertionError:
            if attempt:
                raise
            dismiss_dialogs(page)


def save_notebook(page) -> None:
    menu(page, "File", "Save Notebook")
    page.locator(".jp-mod-current.jp-mod-dirty").wait_for(state="detached", timeout=UI)


def read_answers(path: Path) -> dict:
    try:
        widgets = json.loads(path.read_text(encoding="utf-8")).get("widgets", {})
    except (OSError, ValueError):
        return {}
    answers = widgets.get(WIDGET, {}).get("answers", {})
    return answers if isinstance(answers, dict) else {}


def wait_for_answers(path: Path, expected: dict, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while read_answers(path) != expected:
        if time.monotonic() > deadline:
            pytest.fail(f"{path} never held the clicked answers; it has {read_answers(path)}")
        time.sleep(0.2)


# -- the student's two visits ------------------------------------------------------------

def student_works(page, hub, student: str, plan: dict[str, str], shots: Path) -> None:
    """Log in, fetch, sort with the widget, save, validate, submit."""
    login(page, hub, student)
    panel = open_assignments(page)
    released = panel.locator("#released_assignments_list .list_item", has_text=ASSIGNMENT)
    released.wait_for(timeout=SLOW)
    page.screenshot(path=str(shots / f"{student}-1-assignments.png"))
    released.get_by_role("button", name="fetch").click()
    panel.locator("#fetched_assignments_list .list_item", has_text=ASSIGNMENT).first.wait_for(
        timeout=SLOW)
    notebook = hub.home(student) / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert notebook.is_file(), f"fetch did not put {notebook} in place"
    assert notebook.stat().st_uid == hub.home(student).stat().st_uid, "fetched as another user"

    fetched_notebook_row(panel).locator(".item_name a", has_text=ASSIGNMENT).click()
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").nth(3).wait_for(timeout=SLOW)
    run_all(page, 4)
    sorter = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .wss-widget").first
    sorter.wait_for(state="visible", timeout=SLOW)
    tally = sorter.locator(".wss-tally")
    expect(tally).to_contain_text("Chosen 0 of 16", timeout=SLOW)
    rows = sorter.locator(".widget-toggle-buttons")
    expect(rows).to_have_count(16, timeout=UI)

    ids = sentence_ids()
    for index, sid in enumerate(ids):
        if sid not in plan:
            continue
        label = plan[sid].capitalize()
        button = rows.nth(index).locator("button", has_text=re.compile(rf"^\s*{label}\s*$"))
        button.click()
        expect(button).to_have_class(re.compile(r"\bmod-active\b"), timeout=UI)
    expect(tally).to_contain_text(f"Chosen {len(plan)} of 16", timeout=UI)
    answers_path = notebook.with_name(ANSWERS_FILE)
    if plan:
        wait_for_answers(answers_path, plan)
    else:
        assert read_answers(answers_path) == {}
    save_notebook(page)
    page.screenshot(path=str(shots / f"{student}-2-sorted.png"))

    # Validate and submit from the Assignments tab.
    panel = open_assignments(page)
    row = fetched_notebook_row(panel)
    row.get_by_role("button", name="Validate").click()
    dialog = page.locator(".jp-Dialog")
    dialog.get_by_text("Validation Results").wait_for(timeout=SLOW)
    expect(dialog.locator("#validation-message")).to_contain_text(
        "Success! Your notebook passes all the tests.", timeout=UI)
    page.screenshot(path=str(shots / f"{student}-3-validated.png"))
    dialog.locator("button.jp-mod-accept").click()
    dialog.wait_for(state="detached", timeout=UI)

    panel.locator("#fetched_assignments_list .list_item", has_text=ASSIGNMENT).first.get_by_role(
        "button", name="Submit").click()
    panel.locator("#submitted_assignments_list .list_item", has_text=ASSIGNMENT).first.wait_for(
        timeout=SLOW)
    page.screenshot(path=str(shots / f"{student}-4-submitted.png"))


def student_reads_feedback(page, hub, student: str, score: float, shots: Path) -> str:
    """Fetch feedback in the Assignments tab, open it; returns the HTML viewer's text."""
    page.goto(f"{hub.url}/user/{student}/lab", wait_until="domcontentloaded")
    lab_ready(page)
    panel = open_assignments(page)
    submitted = panel.locator("#submitted_assignments_list")
    expect(submitted).to_contain_text("feedback available to fetch", timeout=SLOW)
    submitted.get_by_role("button", name="Fetch Feedback").click()
    view = submitted.get_by_text("(view feedback)")
    view.wait_for(timeout=SLOW)
    page.screenshot(path=str(shots / f"{student}-5-feedback-fetched.png"))
    view.click()
    item = page.locator(".jp-DirListing-item", has_text=f"{ASSIGNMENT}.html")
    item.wait_for(timeout=UI)
    item.dblclick()
    frame = page.frame_locator(".jp-MainAreaWidget:not(.lm-mod-hidden) iframe")
    body = frame.locator("body")
    expect(body).to_contain_text(f"Score: {score:g} of 10", timeout=SLOW)
    page.screenshot(path=str(shots / f"{student}-6-feedback.png"))
    return body.inner_text()


PROBE = r'''
import glob, json, os
checks = json.loads({checks!r})
results = {{}}
for name, (how, path) in checks.items():
    try:
        if how == "list":
            value = sorted(os.listdir(path))
        elif how == "read":
            with open(path, "rb") as fh:
                value = len(fh.read())
        elif how == "write":
            with open(path, "w") as fh:
                fh.write("x")
            value = "written"
        elif how == "glob":
            value = sorted(glob.glob(path))
        results[name] = {{"ok": True, "value": value}}
    except OSError as exc:
        results[name] = {{"ok": False, "error": type(exc).__name__}}
import kit
results["import kit"] = {{"ok": True, "value": kit.__file__}}
print("PROBE " + json.dumps(results))
'''


def probe_notebook(checks: dict) -> dict:
    return {"cells": [{"cell_type": "code", "id": "probe", "metadata": {}, "execution_count": None,
                       "outputs": [], "source": PROBE.format(checks=json.dumps(checks))}],
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                        "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def student_probes(page, hub, student: str, checks: dict, shots: Path) -> dict:
    """The student's own kernel, reached through the hub, tries each path."""
    context = page.context
    user_url = f"{hub.url}/user/{student}/"  # the single-user server's cookies live here
    xsrf = next((c["value"] for c in context.cookies(user_url) if c["name"] == "_xsrf"), "")
    assert xsrf, f"no _xsrf cookie for {user_url}: {context.cookies()}"
    response = context.request.put(
        f"{hub.url}/user/{student}/api/contents/probe.ipynb",
        data=json.dumps({"type": "notebook", "format": "json", "content": probe_notebook(checks)}),
        headers={"X-XSRFToken": xsrf, "Content-Type": "application/json"})
    assert response.ok, f"writing the probe notebook through the hub: {response.status} {response.text()}"
    page.goto(f"{hub.url}/user/{student}/lab/tree/probe.ipynb", wait_until="domcontentloaded")
    lab_ready(page)
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first.wait_for(timeout=SLOW)
    run_all(page, 1)
    output = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output",
                          has_text="PROBE ")
    output.wait_for(timeout=SLOW)
    page.screenshot(path=str(shots / f"{student}-7-probe.png"))
    text = output.inner_text()
    return json.loads(text[text.index("PROBE ") + len("PROBE "):].strip())


# -- the test ------------------------------------------------------------------------------

def test_classroom_on_jupyterhub(hub, hub_browser, hub_artifacts):
    hub_browser.run(classroom, hub, hub_artifacts)


def classroom(browser, hub, shots: Path) -> None:
    """The whole scenario (run in the browser's thread: see conftest.BrowserThread)."""
    for old in shots.glob("*.png"):
        old.unlink()
    teacher, students = hub.teacher, hub.students
    perfect_student, partial_student, blank_student = students
    t_home = hub.home(teacher)
    course = t_home / "course"
    key = the_key()
    answer_plans = plans(hub)
    expected = {s: balanced(answer_plans[s], key) for s in students}
    assert expected[perfect_student] == 10.0 and expected[blank_student] == 0.0
    assert 0 < expected[partial_student] < 10, expected

    # 1. The teacher sets up the course and releases the assignment.
    roster = t_home / "roster.csv"
    roster.write_text("id,first_name,last_name,email\n"
                      + "".join(f"{s},{s.split('-')[-1].title()},Student,\n" for s in students))
    shutil.chown(roster, teacher, teacher)
    init = hub.as_user(teacher, "kit", "course", "init", "course", "--roster", "roster.csv")
    assert "course ready" in init.stdout, init.stdout
    hub.as_user(teacher, "nbgrader", "generate_assignment", ASSIGNMENT, cwd=course)
    hub.as_user(teacher, "nbgrader", "release_assignment", ASSIGNMENT, cwd=course)
    released = hub.exchange / COURSE_ID / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert released.is_file()
    assert "BEGIN HIDDEN TESTS" not in released.read_text() and "KEY =" not in released.read_text()

    contexts = {}
    page = None
    try:
        # 2. Each student logs in through the hub, works in the browser, submits.
        for student in students:
            context = browser.new_context(viewport={"width": 1280, "height": 1400})
            context.set_default_timeout(UI)
            contexts[student] = context
            page = context.new_page()
            page.on("dialog", lambda d: d.accept())
            student_works(page, hub, student, answer_plans[student], shots)
            page.close()
            page = None
        inbound = hub.exchange / COURSE_ID / "inbound"
        submissions = {s: sorted(inbound.glob(f"{s}+{ASSIGNMENT}+*")) for s in students}
        assert all(len(v) == 1 for v in submissions.values()), submissions

        # 3. The teacher collects, grades, writes feedback and the report, releases feedback.
        hub.as_user(teacher, "nbgrader", "collect", ASSIGNMENT, cwd=course)
        graded = hub.as_user(teacher, "kit", "grade", ASSIGNMENT, "--jobs", "2", cwd=course)
        (shots / "kit-grade.txt").write_text(graded.stdout + graded.stderr)
        with open(course / "reports" / ASSIGNMENT / "grading-summary.csv", newline="") as fh:
            rows = {r["student"]: r for r in csv.DictReader(fh)}
        assert {s: rows[s]["status"] for s in students} == {s: "graded" for s in students}, rows
        got = {s: float(rows[s]["score"]) for s in students}
        assert got == expected, f"scores {got}, expected {expected}"
        assert all(float(rows[s]["max_score"]) == 10.0 for s in students)
        hub.as_user(teacher, "kit", "feedback", ASSIGNMENT, cwd=course)
        report = hub.as_user(teacher, "kit", "report", ASSIGNMENT, cwd=course)
        assert "report written" in report.stdout
        report_dir = course / "reports" / ASSIGNMENT
        scores_csv = (report_dir / "scores.csv").read_text().splitlines()
        assert len(scores_csv) == 1 + len(students)
        for name in ("score-spread", "most-missed", "kind-confusion", "scepticism-credulity"):
            assert (report_dir / f"{name}.png").read_bytes()[:4] == b"\x89PNG"
            shutil.copyfile(report_dir / f"{name}.png", shots / f"report-{name}.png")
        hub.as_user(teacher, "nbgrader", "release_feedback", ASSIGNMENT, cwd=course)
        released_feedback = sorted((hub.exchange / COURSE_ID / "feedback").glob("*.html"))
        assert len(released_feedback) == len(students), released_feedback

        # 4. Each student reads their own feedback and probes what they can reach.
        others = {s: [o for o in students if o != s] for s in students}
        probes, checks = {}, {}
        for student in students:
            page = contexts[student].new_page()
            page.on("dialog", lambda d: d.accept())
            shown = student_reads_feedback(page, hub, student, expected[student], shots)
            assert f"Student: {student}" in shown
            assert not any(o in shown for o in others[student]), "feedback names another student"
            fetched = sorted(p for p in (hub.home(student) / ASSIGNMENT / "feedback").rglob("*.html")
                             if ".ipynb_checkpoints" not in p.parts)  # Lab's copy on opening
            assert len(fetched) == 1, fetched
            text = fetched[0].read_text()
            assert f"Student: {student}" in text and f"Score: {expected[student]:g} of 10" in text
            assert not any(o in text for o in others[student])
            assert "BEGIN HIDDEN TESTS" not in text and "KEY =" not in text

            checks[student] = isolation_checks(hub, student, others[student], submissions)
            probes[student] = student_probes(page, hub, student, {
                name: [how, str(path)] for name, (_w, how, path) in checks[student].items()}, shots)
            page.close()
            page = None
        (shots / "isolation.json").write_text(json.dumps(probes, indent=1))
        # Every JupyterLab and every kernel of this hub runs as its own student.
        servers, kernels = processes_of(hub, "jupyterhub-singleuser"), processes_of(hub, "ipykernel_launcher")
        assert sorted(servers) == sorted(students), servers
        assert set(kernels) == set(students), kernels
        for student, results in probes.items():
            assert_isolated(student, checks[student], results)
    except BaseException:  # pytest.fail's exception too
        if page is not None:
            try:
                page.screenshot(path=str(shots / "failure.png"))
            except Exception:
                pass
        print("--- hub log ---\n" + hub.log_tail(80))
        raise
    finally:
        for context in contexts.values():
            context.close()


# -- isolation ------------------------------------------------------------------------------

def processes_of(hub, marker: str) -> list[str]:
    """The owners (user names) of this hub environment's processes whose command line
    holds `marker`, one entry per process."""
    owners = []
    python = str(hub.software.venv)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            argv = Path(f"/proc/{entry}/cmdline").read_bytes().decode(errors="replace").split("\0")
            uid = Path(f"/proc/{entry}").stat().st_uid
        except OSError:
            continue
        if argv and argv[0].startswith(python) and any(marker in a for a in argv):
            owners.append(pwd.getpwuid(uid).pw_name)
    return owners


DENIED = "denied"        # must fail with PermissionError
ALLOWED = "allowed"      # controls: the probe itself works
EMPTY = "empty"          # a glob that must find nothing


def isolation_checks(hub, student: str, others: list[str], submissions: dict) -> dict:
    """Paths a student must not reach (each checked to exist first), and controls."""
    t = hub.home(hub.teacher)
    course = t / "course"
    exch = hub.exchange / COURSE_ID
    other = others[0]
    checks = {
        "list the teacher's home": (DENIED, "list", t),
        "read the source notebook (hidden tests)": (DENIED, "read", course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"),
        "read the gradebook": (DENIED, "read", course / "gradebook.db"),
        "read the course config": (DENIED, "read", course / "nbgrader_config.py"),
        "read another student's collected submission": (DENIED, "read", course / "submitted" / other / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"),
        "read another student's autograded notebook": (DENIED, "read", course / "autograded" / other / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"),
        "read another student's feedback in the course": (DENIED, "read", course / "feedback" / other / ASSIGNMENT / f"{ASSIGNMENT}.html"),
        "list the exchange inbound": (DENIED, "list", exch / "inbound"),
        "list the exchange feedback": (DENIED, "list", exch / "feedback"),
        "write into the exchange outbound": (DENIED, "write", exch / "outbound" / "planted.txt"),
        "write into the course's exchange folder": (DENIED, "write", exch / "planted.txt"),
    }
    for o in others:
        checks[f"list {o}'s home"] = (DENIED, "list", hub.home(o))
        checks[f"read {o}'s notebook"] = (DENIED, "read", hub.home(o) / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
        checks[f"find {o}'s submission in the exchange"] = (EMPTY, "glob", exch / "inbound" / f"{o}+*")
    for (_wanted, how, path) in checks.values():
        if how in ("list", "read"):
            assert Path(path).exists(), f"the probe's target {path} does not exist: it would prove nothing"
    # Controls: the student's own work, the released assignment.
    checks["read my own notebook"] = (ALLOWED, "read", hub.home(student) / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    checks["list the released assignments"] = (ALLOWED, "list", exch / "outbound")
    # Recorded, not asserted: nbgrader's own design (see the teacher guide's chapter).
    checks["read another student's submission by its exact exchange path"] = (
        "recorded", "read", submissions[other][0] / f"{ASSIGNMENT}.ipynb")
    return checks


def assert_isolated(student: str, checks: dict, results: dict) -> None:
    problems = []
    for name, (wanted, _how, _path) in checks.items():
        got = results[name]
        if wanted == DENIED and (got["ok"] or got["error"] != "PermissionError"):
            problems.append(f"{name}: {got}")
        if wanted == ALLOWED and not got["ok"]:
            problems.append(f"{name} (a control) failed: {got}")
        if wanted == EMPTY and (not got["ok"] or got["value"] != []):
            problems.append(f"{name}: {got}")
    assert results["import kit"]["ok"]
    assert not problems, f"{student} reached what they should not:\n" + "\n".join(problems)
