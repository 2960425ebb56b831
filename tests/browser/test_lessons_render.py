"""Does every lesson run top to bottom in a real JupyterLab and render as a student sees it?

Each lesson is opened from a temporary copy of lessons/ in the server's root (so no answers
file lands in the repo), run with Run All Cells, and then checked: every code cell has an
execution count, no output is an error or stderr, every widget output holds a kit widget,
and every picture in the outputs has alt text. One server and one browser context serve
all lessons; each lesson gets its own workspace (so earlier lessons are not reopened) and
its kernel is shut down afterwards. A screenshot of the top of each run lesson goes to
test-artifacts/lessons/<lesson>.png, for a person to look at.
"""
from __future__ import annotations

import json
import re
import shutil
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.test_widgets_in_lab import (FIRST_KERNEL_TIMEOUT, dismiss_dialogs, expect,
                                               kernel_idle, menu)
from tests.conftest import REPO

pytestmark = pytest.mark.browser

LESSONS = sorted((REPO / "lessons").glob("[0-9][0-9]-*.ipynb"))
SHOTS = REPO / "test-artifacts" / "lessons"
VIEWPORT = {"width": 1280, "height": 1600}
RUN_TIMEOUT = 120_000  # ms: the longest lesson runs in ~10 s; two cores shared with others
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
STDERR = "application/vnd.jupyter.stderr"
NUMBERED = re.compile(r"^\[\d+\]:$")

# What counts as a broken output: a traceback, ipywidgets' own error text, or a widget
# shown as its text repr (no widget manager).
BROKEN = (r"Traceback \(most recent call last\)|Error displaying widget|Error rendering"
          r"|model not found|^\w+\(children=\(")

# Everything the checks need, read from the page in one go. textContent, not innerText:
# cells scrolled out of view are skipped by content-visibility and have no layout. A
# widget's output area is the one output with no data-mime-type (ipywidgets' renderer).
READ_OUTPUTS = """([stderrMime, brokenPattern]) => {
    const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
    const outputs = [...nb.querySelectorAll('.jp-OutputArea-output')];
    const cellOf = el => [...nb.querySelectorAll('.jp-Cell')].indexOf(el.closest('.jp-Cell'));
    const text = el => (el.textContent || '').trim();
    const broken = new RegExp(brokenPattern);
    return {
        stderr: outputs.filter(o => o.dataset.mimeType === stderrMime)
                       .map(o => `cell ${cellOf(o)}: ${text(o).slice(0, 300)}`),
        broken: outputs.filter(o => broken.test(text(o)))
                       .map(o => `cell ${cellOf(o)}: ${text(o).slice(0, 300)}`),
        widgetViews: outputs.filter(o => !o.dataset.mimeType)
                            .map(o => ({cell: cellOf(o), kit: !!o.querySelector('.wss-widget')})),
        // No lesson means to show mathematics: typeset maths means a "$" was paired up.
        math: [...nb.querySelectorAll('.jp-MarkdownOutput mjx-container')].map(m => cellOf(m)),
        images: [...nb.querySelectorAll('.jp-OutputArea-output img')]
            .map(i => ({cell: cellOf(i), alt: (i.getAttribute('alt') || '').trim(),
                        loaded: i.complete && i.naturalWidth > 0})),
    };
}"""

PROMPTS = ".jp-Notebook .jp-CodeCell .jp-InputPrompt:not(.jp-Placeholder-prompt)"

# Run All has finished (the last shown prompt is numbered) or stopped at an error (Run All
# stops there, and the cells after it keep an empty prompt).
FINISHED_OR_FAILED = """([prompts, stderrMime]) => {
    const shown = document.querySelectorAll(prompts);
    const last = shown[shown.length - 1];
    return /^\\[\\d+\\]:$/.test((last.textContent || '').trim())
        || !!document.querySelector(`.jp-OutputArea-output[data-mime-type="${stderrMime}"]`);
}"""

SCROLL_TO_TOP = """() => {
    const scroller = document.querySelector(
        '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');
    scroller.scrollTop = 0;
    return scroller.scrollTop;
}"""


def code_cell_count(path: Path) -> int:
    return sum(cell["cell_type"] == "code" for cell in
               json.loads(path.read_text(encoding="utf-8"))["cells"])


def api(lab_server, method: str, path: str):
    request = urllib.request.Request(f"{lab_server.url}{path}", method=method,
                                     headers={"Authorization": f"token {lab_server.token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
    return json.loads(body) if body else None


def shut_down_kernels(lab_server, notebook_path: str) -> None:
    """Close the lesson's session (and its kernel) so seven kernels never run at once."""
    for session in api(lab_server, "GET", "/api/sessions"):
        if session.get("path") == notebook_path:
            api(lab_server, "DELETE", f"/api/sessions/{session['id']}")


def visible_prompts(path: Path) -> int:
    """Code cells whose input shows: a folded cell (source_hidden) has an empty prompt."""
    return sum(cell["cell_type"] == "code"
               and not cell.get("metadata", {}).get("jupyter", {}).get("source_hidden")
               for cell in json.loads(path.read_text(encoding="utf-8"))["cells"])


def run_all_and_wait(page, shown: int) -> None:
    """Run All Cells (retried once, as in test_widgets_in_lab), then wait until every
    shown code cell has its execution count and the kernel is idle. Fails at once, with
    the text, if an error or stderr shows first."""
    prompts = page.locator(PROMPTS)
    expect(prompts).to_have_count(shown)
    last = prompts.nth(shown - 1)
    for attempt in range(2):
        menu(page, "Run", "Run All Cells")
        try:  # the last cell is queued ([*]) or done ([n]) once Run All took effect
            expect(last).not_to_have_text(re.compile(r"^\[\s*\]:?$"), timeout=10_000)
            break
        except AssertionError:
            if attempt:
                raise
            dismiss_dialogs(page)
    page.wait_for_function(FINISHED_OR_FAILED, arg=[PROMPTS, STDERR], timeout=RUN_TIMEOUT)
    errors = page.locator(f'.jp-OutputArea-output[data-mime-type="{STDERR}"]')
    assert not errors.count(), f"error or stderr output: {errors.all_text_contents()}"
    for i in range(shown):
        expect(prompts.nth(i)).to_have_text(NUMBERED)
    kernel_idle(page).wait_for(timeout=RUN_TIMEOUT)


def saved_after_run(page, path: Path) -> dict:
    """Save until the file on disk has an execution count in every code cell, failing at
    once on an error or stderr output. This also covers folded cells, whose count the page
    does not show (two lessons end with one)."""
    deadline = time.monotonic() + RUN_TIMEOUT / 1000
    while True:
        menu(page, "File", "Save Notebook")
        page.locator(".jp-mod-current.jp-mod-dirty").wait_for(state="detached")
        notebook = json.loads(path.read_text(encoding="utf-8"))
        problems = saved_problems(notebook)
        assert problems == [], f"{path.name}: {problems}"
        unrun = [i for i, cell in enumerate(notebook["cells"])
                 if cell["cell_type"] == "code" and cell.get("execution_count") is None]
        if not unrun:
            return notebook
        if time.monotonic() > deadline:
            pytest.fail(f"{path.name}: cells {unrun} have no execution count after Run All")
        page.wait_for_timeout(500)


def widget_outputs(notebook: dict) -> int:
    return sum(WIDGET_VIEW in out.get("data", {})
               for cell in notebook["cells"] for out in cell.get("outputs", []))


def outputs_once_rendered(page, widgets: int, timeout: float = 30.0) -> dict:
    """READ_OUTPUTS once the page shows `widgets` widget outputs, each holding a kit widget
    (or at the timeout, so the assertions can say which one did not render)."""
    deadline = time.monotonic() + timeout
    while True:
        found = page.evaluate(READ_OUTPUTS, [STDERR, BROKEN])
        views = found["widgetViews"]
        if (len(views) == widgets and all(v["kit"] for v in views)) or time.monotonic() > deadline:
            return found
        page.wait_for_timeout(250)


def saved_problems(notebook: dict) -> list[str]:
    """Error outputs and stderr in the saved notebook."""
    problems = []
    for i, cell in enumerate(notebook["cells"]):
        for out in cell.get("outputs", []):
            if out["output_type"] == "error":
                problems.append(f"cell {i}: {out['ename']}: {out['evalue']}")
            elif out["output_type"] == "stream" and out["name"] == "stderr":
                problems.append(f"cell {i}: stderr: {''.join(out['text'])[:300]}")
    return problems


# -- fixtures ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def lessons_copy(lab_server) -> Path:
    """lessons/ copied into the server's root, without anyone's answers files."""
    work = lab_server.root / "lessons"
    shutil.copytree(REPO / "lessons", work, ignore=shutil.ignore_patterns(
        "*.answers.json", ".*.answers.json", ".ipynb_checkpoints"))
    return work


@pytest.fixture(scope="module")
def lab_context(chromium):
    """One browser context for all lessons: each lesson opens and closes its own page."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    try:
        yield context
    finally:
        context.close()


# -- the test ------------------------------------------------------------------------------

@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_and_renders_in_lab(chromium, lab_context, lab_server, lessons_copy, lesson):
    """Run All: numbered cells, no error or stderr, kit widgets rendered, alt text on images."""
    # (chromium first: without it the test skips before a server is started)
    name = lesson.name
    code_cells = code_cell_count(lesson)
    shot = SHOTS / f"{lesson.stem}.png"
    failure = SHOTS / f"{lesson.stem}-failure.png"
    for stale in (shot, failure):
        stale.unlink(missing_ok=True)
    page = lab_context.new_page()
    started = time.monotonic()
    try:
        # A workspace of its own: the default one would reopen the lessons before this one.
        page.goto(f"{lab_server.url}/lab/workspaces/{lesson.stem}/tree/lessons/{name}"
                  f"?token={lab_server.token}", wait_until="domcontentloaded")
        page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=FIRST_KERNEL_TIMEOUT)
        dismiss_dialogs(page)
        kernel_idle(page).wait_for(timeout=FIRST_KERNEL_TIMEOUT)  # Run All needs a kernel
        dismiss_dialogs(page)
        run_all_and_wait(page, visible_prompts(lesson))
        saved = saved_after_run(page, lessons_copy / name)  # asserts no error, no stderr
        widgets = widget_outputs(saved)
        found = outputs_once_rendered(page, widgets)

        assert found["stderr"] == [], f"{name}: stderr or error output: {found['stderr']}"
        assert found["broken"] == [], f"{name}: traceback or broken widget: {found['broken']}"
        assert found["math"] == [], f"{name}: '$' rendered as maths in cells {found['math']}"
        assert widgets, f"{name}: no widget output at all"
        assert len(found["widgetViews"]) == widgets, \
            f"{name}: {widgets} widget outputs saved, {len(found['widgetViews'])} on the page"
        assert all(v["kit"] for v in found["widgetViews"]), \
            f"{name}: widget outputs without a rendered kit widget: {found['widgetViews']}"
        no_alt = [i["cell"] for i in found["images"] if not i["alt"]]
        assert no_alt == [], f"{name}: images without alt text in cells {no_alt}"
        not_loaded = [i["cell"] for i in found["images"] if not i["loaded"]]
        assert not_loaded == [], f"{name}: images that did not load in cells {not_loaded}"

        page.evaluate(SCROLL_TO_TOP)
        page.wait_for_timeout(300)  # let content-visibility paint the cells scrolled into view
        page.screenshot(path=str(shot))
        print(f"{name}: {code_cells} code cells, {len(found['widgetViews'])} widgets, "
              f"{len(found['images'])} images, {time.monotonic() - started:.1f} s")
    except Exception:
        page.screenshot(path=str(failure))
        print(f"--- server log ---\n{lab_server.log_tail()}")
        raise
    finally:
        page.close()  # without running beforeunload: no "leave the page?" dialog
        shut_down_kernels(lab_server, f"lessons/{name}")
