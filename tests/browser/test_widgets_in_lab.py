"""The ClaimSorter in a real JupyterLab, in a real browser.

One notebook, two sorters on the seed article. The first is answered with the mouse,
the second with the keyboard alone. The answers must reach the answers file, survive a
kernel restart and a page reload, and the widgets must pass axe with no serious or
critical violation. Screenshots and axe's JSON go to test-artifacts/browser/.
"""
from __future__ import annotations

import json
import re
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

NAME = "browser-check"
ANSWERS = f"{NAME}.answers.json"
MOUSE_KEY = "sorter:seed-airborne-leak"
KEYBOARD_KEY = "sorter:keyboard"
KEYBOARD_KIND = "Speculation"  # not the key's answer (inference): a different, visible state
CELLS = [
    f'from kit.notebook import start\nnb = start("{NAME}")',
    'nb.sorter("seed-airborne-leak", mode="one")',
    'nb.sorter("seed-airborne-leak", key="sorter:keyboard", mode="one")',
]
FIRST_KERNEL_TIMEOUT = 60_000  # ms: the first kernel start and `import kit` on 2 cores
UI_TIMEOUT = 30_000
KERNEL_IDLE = re.compile(r"Python 3 \(ipykernel\) \| Idle")


def write_notebook(folder: Path) -> Path:
    cells = [{"cell_type": "code", "id": uuid.uuid4().hex[:8], "metadata": {},
              "execution_count": None, "outputs": [], "source": source} for source in CELLS]
    notebook = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                           "language": "python"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4, "nbformat_minor": 5,
    }
    path = folder / f"{NAME}.ipynb"
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return path


def expect(locator):
    """playwright's expect, imported late so a machine without playwright gets the
    fixtures' skip (or CI's failure) rather than a collection error."""
    from playwright.sync_api import expect as _expect
    return _expect(locator)


# -- JupyterLab chores -------------------------------------------------------------------

def dismiss_dialogs(page) -> None:
    """Close whatever modal JupyterLab shows on a first start (we expect none)."""
    for _ in range(3):
        dialog = page.locator(".jp-Dialog")
        if not dialog.count():
            return
        page.keyboard.press("Escape")
        page.wait_for_timeout(200)


def kernel_idle(page):
    """The status bar's kernel item once the kernel is connected and idle. (The toolbar's
    execution indicator says "idle" before any kernel exists, so it cannot be used.)"""
    return page.locator(".jp-StatusBar-Item", has_text=KERNEL_IDLE)


def open_notebook(page, lab_server) -> None:
    page.goto(lab_server.lab_url(f"{NAME}.ipynb"), wait_until="domcontentloaded")
    page.locator(".jp-Notebook .jp-Cell").nth(len(CELLS) - 1).wait_for(timeout=FIRST_KERNEL_TIMEOUT)
    dismiss_dialogs(page)
    # Run All before the kernel is connected clears the cells and runs nothing.
    kernel_idle(page).wait_for(timeout=FIRST_KERNEL_TIMEOUT)
    dismiss_dialogs(page)


def menu(page, top: str, item: str) -> None:
    """Click a main-menu entry, e.g. menu(page, "Run", "Run All Cells")."""
    page.locator("#jp-MainMenu").get_by_role("menuitem", name=top, exact=True).click()
    entry = page.locator(".lm-Menu .lm-Menu-item").filter(
        has=page.locator(".lm-Menu-itemLabel", has_text=item)).first
    entry.click()


def run_all(page):
    """Run > Run All Cells; wait until both sorters have rendered."""
    prompts = page.locator(".jp-Notebook .jp-Cell .jp-InputPrompt")
    for attempt in range(2):
        menu(page, "Run", "Run All Cells")
        try:  # the last cell is queued ([*]) or done ([3]) once Run All took effect
            expect(prompts.nth(len(CELLS) - 1)).not_to_have_text(re.compile(r"\[\s*\]"),
                                                                 timeout=10_000)
            break
        except AssertionError:
            if attempt:
                raise
            dismiss_dialogs(page)  # then try once more
    widgets = page.locator(".wss-widget")
    widgets.nth(1).wait_for(state="visible", timeout=FIRST_KERNEL_TIMEOUT)
    # The restore happens in the constructor, before display, so once the tallies have
    # rendered the widgets show their final state.
    for i in range(2):
        widgets.nth(i).locator(".wss-tally").wait_for(timeout=UI_TIMEOUT)
    return widgets.nth(0), widgets.nth(1)


def kind_button(widget, kind: str):
    return widget.locator(".widget-toggle-buttons button", has_text=kind)


def selected_kinds(widget) -> list[str]:
    return [t.strip() for t in
            widget.locator(".widget-toggle-buttons button.mod-active").all_inner_texts()]


def feedback(widget):
    return widget.locator(".wss-feedback")


def read_answers(root: Path) -> dict:
    path = root / ANSWERS
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("widgets", {})
    except (OSError, ValueError):
        return {}


def wait_for_answers(root: Path, expected: dict[str, str], timeout: float = 15.0) -> dict:
    """Poll the answers file until every key holds its checked s1 answer."""
    deadline = time.monotonic() + timeout
    while True:
        widgets = read_answers(root)
        if all(widgets.get(k, {}).get("answers", {}).get("s1") == v
               and "s1" in widgets.get(k, {}).get("checked", []) for k, v in expected.items()):
            return widgets
        if time.monotonic() > deadline:
            pytest.fail(f"{ANSWERS} never held {expected}; it has {json.dumps(widgets)[:2000]}")
        time.sleep(0.2)


def focused(page) -> dict:
    """What has the keyboard focus: its text, whether it is in which sorter, its classes."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        const widgets = [...document.querySelectorAll('.wss-widget')];
        const owner = el && el.closest('.wss-widget');
        return {text: el ? (el.innerText || '').trim() : '',
                tag: el ? el.tagName : '',
                cls: el ? String(el.className) : '',
                widget: owner ? widgets.indexOf(owner) : -1};
    }""")


def tab_until(page, predicate, limit: int = 25) -> dict:
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        seen.append(now)
        if predicate(now):
            return now
    pytest.fail(f"Tab never reached the target; focus went through {seen}")



AXE_CONTEXT = ".jp-OutputArea-output"  # the widgets' output areas, not JupyterLab itself
AXE_OPTIONS = {"resultTypes": ["violations", "incomplete"]}


def axe_check(page, artifacts: Path) -> dict:
    """Run axe over the output areas; save the JSON; return the raw results.

    JupyterLab's <body> is overflow:hidden and, its children all being absolutely
    positioned, 0 px tall. axe takes that as "clipped away" and then skips every
    visual rule (color-contrast comes back "inapplicable"). Giving <html> and <body>
    the viewport's height for the duration of the scan changes nothing on screen and
    lets axe see the widgets.
    """
    from axe_playwright_python.sync_playwright import Axe
    page.evaluate("""() => { for (const el of [document.documentElement, document.body]) {
        el.dataset.wssHeight = el.style.height; el.style.height = '100%'; } }""")
    try:
        results = Axe().run(page, context=AXE_CONTEXT, options=AXE_OPTIONS).response
    finally:
        page.evaluate("""() => { for (const el of [document.documentElement, document.body]) {
            el.style.height = el.dataset.wssHeight || ''; delete el.dataset.wssHeight; } }""")
    (artifacts / "axe.json").write_text(json.dumps(results, indent=1, ensure_ascii=False),
                                        encoding="utf-8")
    return results


def axe_summary(results: dict) -> str:
    def ids(kind):
        return ", ".join(f"{r['id']} ({r.get('impact')}, {len(r['nodes'])})"
                         for r in results[kind]) or "none"
    return (f"axe {results['testEngine']['version']} over {AXE_CONTEXT}: "
            f"violations: {ids('violations')}; needs review: {ids('incomplete')}; "
            f"{len(results['passes'])} rules passed")


# -- the test ----------------------------------------------------------------------------

def test_sorter_mouse_keyboard_restart_and_axe(page, lab_server, artifacts_dir):
    # (page first: without chromium the test skips before starting a server)
    root = lab_server.root
    write_notebook(root)
    (root / ANSWERS).unlink(missing_ok=True)
    (artifacts_dir / "failure.png").unlink(missing_ok=True)
    # A dirty notebook would ask "leave the page?" on reload: accept, we saved anyway.
    page.on("dialog", lambda d: d.accept())
    try:
        _scenario(page, lab_server, root, artifacts_dir)
    except Exception:
        page.screenshot(path=str(artifacts_dir / "failure.png"), full_page=True)
        print("--- server log ---\n" + lab_server.log_tail())
        raise


def _scenario(page, lab_server, root: Path, artifacts: Path) -> None:
    open_notebook(page, lab_server)
    mouse, keys = run_all(page)
    assert selected_kinds(mouse) == [] and selected_kinds(keys) == []
    for widget in (mouse, keys):  # nothing checked yet (not "Checked 27 of 27")
        expect(widget.locator(".wss-tally")).to_contain_text("Checked 0 of 27")
    page.screenshot(path=str(artifacts / "1-before.png"), full_page=True)

    # 1. The mouse: pick Inference for sentence 1, press Check.
    kind_button(mouse, "Inference").click()
    mouse.get_by_role("button", name="Check", exact=True).click()
    feedback(mouse).filter(has_text="✔ Right").wait_for(timeout=UI_TIMEOUT)
    assert selected_kinds(mouse) == ["Inference"]
    expect(mouse.locator(".wss-tally")).to_contain_text("Checked 1 of 27: 1 right")

    # 2. The keyboard alone: from the first sorter's last control, Tab into the second
    # sorter's kinds, Tab along them to Speculation, Space; Tab to Check, Enter.
    mouse.get_by_role("button", name="Next →").focus()
    assert focused(page)["widget"] == 0
    tab_until(page, lambda f: f["widget"] == 1 and "widget-toggle-button" in f["cls"])
    tab_until(page, lambda f: f["widget"] == 1 and f["text"] == KEYBOARD_KIND, limit=5)
    page.keyboard.press("Space")
    keys.locator(".widget-toggle-buttons button.mod-active", has_text=KEYBOARD_KIND).wait_for(
        timeout=UI_TIMEOUT)
    tab_until(page, lambda f: f["widget"] == 1 and f["text"] == "Check", limit=6)
    page.keyboard.press("Enter")
    feedback(keys).filter(has_text="✘ Not quite").wait_for(timeout=UI_TIMEOUT)
    expect(feedback(keys)).to_contain_text("you chose speculation; the key says inference")
    expect(keys.locator(".wss-tally")).to_contain_text("Checked 1 of 27: 0 right")
    assert selected_kinds(keys) == [KEYBOARD_KIND]
    assert selected_kinds(mouse) == ["Inference"], "the keyboard changed the other sorter"
    page.screenshot(path=str(artifacts / "2-after-feedback.png"), full_page=True)

    # 3. Both answers are on disk, each under its own key.
    saved = wait_for_answers(root, {MOUSE_KEY: "inference", KEYBOARD_KEY: "speculation"})
    assert saved[MOUSE_KEY]["type"] == saved[KEYBOARD_KEY]["type"] == "sorter"

    # 4. axe over the widgets, with their feedback showing.
    report = axe_check(page, artifacts)
    print(axe_summary(report))
    passed = {r["id"]: len(r["nodes"]) for r in report["passes"]}
    assert "color-contrast" in passed, "axe did not see the widgets' text (nothing was checked)"
    bad = [(v["id"], v["impact"], [n["target"][-1] for n in v["nodes"]][:5])
           for v in report["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe found serious/critical violations in the widgets: {bad}"

    # 5. Restart the kernel (clearing outputs), save, reload, run again: all restored.
    menu(page, "Kernel", "Restart Kernel and Clear Outputs of All Cells")
    dialog = page.locator(".jp-Dialog")
    dialog.get_by_text("Restart Kernel?").wait_for(timeout=UI_TIMEOUT)
    dialog.locator("button.jp-mod-accept").click()  # "Restart"
    page.locator(".wss-widget").first.wait_for(state="detached", timeout=UI_TIMEOUT)
    menu(page, "File", "Save Notebook")
    page.locator(".jp-mod-current.jp-mod-dirty").wait_for(state="detached", timeout=UI_TIMEOUT)
    page.reload(wait_until="domcontentloaded")
    open_notebook(page, lab_server)
    mouse, keys = run_all(page)
    feedback(mouse).filter(has_text="✔ Right").wait_for(timeout=UI_TIMEOUT)
    feedback(keys).filter(has_text="✘ Not quite").wait_for(timeout=UI_TIMEOUT)
    # A fresh kernel: the first cell ran as [1], so nothing survived in memory.
    expect(page.locator(".jp-Notebook .jp-Cell .jp-InputPrompt").first).to_have_text("[1]:")
    assert selected_kinds(mouse) == ["Inference"]
    assert selected_kinds(keys) == [KEYBOARD_KIND]
    expect(mouse.locator(".wss-tally")).to_contain_text("Checked 1 of 27: 1 right")
    expect(keys.locator(".wss-tally")).to_contain_text("Checked 1 of 27: 0 right")
    page.screenshot(path=str(artifacts / "3-after-restore.png"), full_page=True)
    # Re-running restored, and did not overwrite, the file.
    again = read_answers(root)
    assert again[MOUSE_KEY]["answers"] == {"s1": "inference"}
    assert again[KEYBOARD_KEY]["answers"] == {"s1": "speculation"}
