"""How long after a click does a student see the ClaimSorter's feedback, against a bare
ipywidgets echo in the same JupyterLab page?

Run on demand (not a test):

    .venv/bin/python benchmarks/bench_widget_click.py [--repeat 30] [--warmup 3]

One private JupyterLab server (started as tests/browser/conftest.py starts it) and one
chromium page hold one notebook with two widgets:
- kit: a ClaimSorter on the seed. Each repetition picks a kind (alternately Inference
  and Speculation, so the choice changes and the old feedback is cleared), waits until
  that has round-tripped, then clicks Check; timed until the "✔"/"✘" feedback shows.
- bare: an ipywidgets Button whose on_click sets an HTML widget to "echo <n>"; timed
  until the new text shows.
The two alternate, kit-bare then bare-kit (so neither always follows the other), after a
few untimed warm-up rounds. Clicks are real mouse clicks (Playwright); the clock runs in
the page, from the click event to the first frame after the text is in the DOM
(requestAnimationFrame, then a task: roughly when it is painted), so Playwright's own
round trips are not counted. Before each timed click the kernel has finished all earlier
work (see KernelBarrier: each kit click also writes and fsyncs the answers file) and the
page has had 100 ms to render, so one widget's work never delays the other's click. Both
paths cross the same websocket, server and kernel: the ratio kit/bare is what the kit adds.

Results: benchmarks/results/widget-click.json (and a table on stdout).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Run, table  # noqa: E402  (_common puts the repo on sys.path)
from tests.browser.conftest import (CHROMIUM_ARGS, LAB_SETTINGS, VENV_BIN, LabServer,  # noqa: E402
                                    _free_port, _status_ok, _stop)

NAME = "bench-click"
KINDS = ["Inference", "Speculation"]  # alternated: each pick changes the choice
CELLS = [
    f'from kit.notebook import start\nnb = start("{NAME}")',
    'sorter = nb.sorter("seed-airborne-leak", key="sorter:bench", mode="one")\n'
    'sorter.add_class("bench-kit")\nsorter',
    "import ipywidgets as w\n"
    'echo = w.HTML("echo 0")\necho.add_class("bench-echo")\n'
    'button = w.Button(description="Echo")\nclicks = 0\n\n'
    "def on_click(_):\n    global clicks\n    clicks += 1\n"
    '    echo.value = f"echo {clicks}"\n\n'
    'button.on_click(on_click)\nbare = w.VBox([button, echo])\nbare.add_class("bench-bare")\nbare',
]
VERSIONS = ["jupyterlab", "jupyter_server", "ipywidgets", "jupyterlab_widgets", "ipykernel",
            "playwright"]

# Arm a timer on `root`: t0 at the next click event inside it (capture phase, so before
# any widget handler), t1 at the first frame after the text of `target` matches.
ARM = """([root, target, pattern]) => {
    const el = document.querySelector(root);
    const re = new RegExp(pattern);
    let t0 = null, tDom = null, settled = false;
    window.__bench = new Promise((resolve, reject) => {
        const matches = () => [...el.querySelectorAll(target)].some(
            n => re.test(n.textContent) && n.getClientRects().length > 0);
        const finish = () => {
            if (settled || t0 === null || !matches()) return;
            settled = true;
            tDom = performance.now();
            observer.disconnect();
            requestAnimationFrame(() => setTimeout(() => resolve(
                {dom: tDom - t0, paint: performance.now() - t0}), 0));
        };
        const observer = new MutationObserver(finish);
        observer.observe(el, {subtree: true, childList: true, characterData: true});
        el.addEventListener('click', () => { t0 = performance.now(); finish(); },
                            {capture: true, once: true});
        setTimeout(() => reject(new Error('no feedback within 15 s')), 15000);
    });
}"""


# -- the server and the notebook ---------------------------------------------------------

def start_lab(base: Path) -> tuple[LabServer, subprocess.Popen]:
    """JupyterLab as the browser tests' lab_server fixture starts it (private homes, no
    news, no update check, no toasts)."""
    root = base / "root"
    homes = {name: base / name for name in
             ("config", "data", "runtime", "settings", "workspaces", "ipython")}
    for folder in (root, *homes.values()):
        folder.mkdir(parents=True)
    for name, values in LAB_SETTINGS.items():
        target = homes["settings"] / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")
    token, port = secrets.token_hex(24), _free_port()
    env = dict(os.environ,
               PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
               JUPYTER_CONFIG_DIR=str(homes["config"]), JUPYTER_DATA_DIR=str(homes["data"]),
               JUPYTER_RUNTIME_DIR=str(homes["runtime"]),
               JUPYTERLAB_SETTINGS_DIR=str(homes["settings"]),
               JUPYTERLAB_WORKSPACES_DIR=str(homes["workspaces"]),
               IPYTHONDIR=str(homes["ipython"]), PYTHONNOUSERSITE="1", JUPYTER_PLATFORM_DIRS="1")
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    command = [str(VENV_BIN / "jupyter"), "lab", "--no-browser",
               f"--IdentityProvider.token={token}", f"--port={port}", "--ServerApp.port_retries=0",
               f"--ServerApp.root_dir={root}", "--ServerApp.ip=127.0.0.1",
               "--ServerApp.terminals_enabled=False", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class="
               "jupyterlab.handlers.announcements.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = base / "server.log"
    with open(log, "wb") as log_file:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=log_file,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = LabServer(f"http://127.0.0.1:{port}", token, root, log)
    deadline = time.monotonic() + 60
    while not _status_ok(server.url, token):
        if process.poll() is not None or time.monotonic() > deadline:
            _stop(process)
            raise SystemExit(f"JupyterLab did not start:\n{server.log_tail()}")
        time.sleep(0.25)
    return server, process


def write_notebook(root: Path) -> None:
    cells = [{"cell_type": "code", "id": uuid.uuid4().hex[:8], "metadata": {},
              "execution_count": None, "outputs": [], "source": source} for source in CELLS]
    notebook = {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
                "metadata": {"kernelspec": {"name": "python3", "language": "python",
                                            "display_name": "Python 3 (ipykernel)"}}}
    (root / f"{NAME}.ipynb").write_text(json.dumps(notebook, indent=1), encoding="utf-8")


def open_and_run(page, server: LabServer) -> None:
    from tests.browser.test_widgets_in_lab import dismiss_dialogs, expect, kernel_idle, menu
    page.goto(server.lab_url(f"{NAME}.ipynb"), wait_until="domcontentloaded")
    page.locator(".jp-Notebook .jp-Cell").nth(len(CELLS) - 1).wait_for(timeout=60_000)
    dismiss_dialogs(page)
    kernel_idle(page).wait_for(timeout=60_000)
    dismiss_dialogs(page)
    last = page.locator(".jp-Notebook .jp-InputPrompt").nth(len(CELLS) - 1)
    for attempt in range(2):  # Run All is sometimes swallowed right after the kernel starts
        menu(page, "Run", "Run All Cells")
        try:
            expect(last).to_have_text("[3]:", timeout=30_000)
            break
        except AssertionError:
            if attempt:
                raise
            dismiss_dialogs(page)
    page.locator(".bench-kit .wss-tally").wait_for(timeout=30_000)
    page.locator(".bench-bare .bench-echo").wait_for(timeout=30_000)


# -- one timed click each ----------------------------------------------------------------

SETTLE_MS = 100


class KernelBarrier:
    """A second client on the notebook's kernel. Its kernel_info request waits in the
    kernel's shell queue behind the widget messages, so its reply means the handlers of
    every earlier click have finished, the answers-file write (fsync) included: JupyterLab's
    "Idle" can show before that, and under load the next click would queue behind it."""

    def __init__(self, server: LabServer, runtime: Path):
        from jupyter_client import BlockingKernelClient
        sessions = _api(server, "/api/sessions")
        kernel = next(s["kernel"]["id"] for s in sessions if s["path"] == f"{NAME}.ipynb")
        self.client = BlockingKernelClient(connection_file=str(runtime / f"kernel-{kernel}.json"))
        self.client.load_connection_file()
        self.client.start_channels()

    def wait(self) -> None:
        self.client.kernel_info(reply=True, timeout=30)

    def close(self) -> None:
        self.client.stop_channels()


def _api(server: LabServer, path: str):
    import urllib.request
    request = urllib.request.Request(f"{server.url}{path}",
                                     headers={"Authorization": f"token {server.token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def time_click(page, barrier: KernelBarrier, root: str, target: str, pattern: str,
               button) -> dict:
    """Arm the clock once the kernel has finished all earlier work and the page has had
    SETTLE_MS to render it; click; return {dom, paint} in ms."""
    barrier.wait()
    page.wait_for_timeout(SETTLE_MS)
    page.evaluate(ARM, [root, target, pattern])
    button.click()
    return page.evaluate("window.__bench")


def kit_round(page, barrier: KernelBarrier, i: int) -> dict:
    """Pick a kind (untimed: wait for its round trip and the old feedback to go), then
    time Check."""
    sorter = page.locator(".bench-kit")
    kind = KINDS[i % 2]
    sorter.locator(".widget-toggle-buttons button", has_text=kind).click()
    sorter.locator(".wss-chosen", has_text=f"Your kind: {kind.lower()}").wait_for()
    sorter.locator(".wss-feedback", has_text="✔").or_(
        sorter.locator(".wss-feedback", has_text="✘")).first.wait_for(state="detached")
    return time_click(page, barrier, ".bench-kit", ".wss-feedback", "[✔✘]",
                      sorter.get_by_role("button", name="Check", exact=True))


def bare_round(page, barrier: KernelBarrier, n: int) -> dict:
    """Click Echo; time until "echo <n>" shows (n counts every click, warm-ups included)."""
    bare = page.locator(".bench-bare")
    return time_click(page, barrier, ".bench-bare", ".bench-echo", f"^echo {n}$",
                      bare.get_by_role("button", name="Echo", exact=True))


# -- figures -----------------------------------------------------------------------------

def p90(values: list[float]) -> float:
    """Nearest-rank 90th percentile (an observed value; for N=30 the 27th smallest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def summary(samples: list[dict]) -> dict:
    paint = [s["paint"] for s in samples]
    dom = [s["dom"] for s in samples]
    return {"n": len(paint), "median_ms": round(statistics.median(paint), 1),
            "p90_ms": round(p90(paint), 1), "min_ms": round(min(paint), 1),
            "max_ms": round(max(paint), 1), "median_dom_ms": round(statistics.median(dom), 1),
            "samples_ms": [round(x, 1) for x in paint]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed clicks of each kind")
    parser.add_argument("--warmup", type=int, default=3, help="untimed rounds first")
    parser.add_argument("--output", default="widget-click")
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    run = Run("widget-click", list(argv if argv is not None else sys.argv[1:]))
    run.data["command"] = " ".join(["benchmarks/bench_widget_click.py",
                                    *run.data["command"].split()[1:]])
    base = Path(tempfile.mkdtemp(prefix="kit-bench-click-"))
    server, process = start_lab(base)
    kit: list[dict] = []
    bare: list[dict] = []
    try:
        write_notebook(server.root)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS,
                                        headless=True)
            try:
                context = browser.new_context(viewport={"width": 1280, "height": 1600})
                context.set_default_timeout(30_000)
                page = context.new_page()
                open_and_run(page, server)
                barrier = KernelBarrier(server, base / "runtime")
                try:
                    for i in range(args.warmup + args.repeat):
                        if i % 2:  # ABBA order, so neither always follows the other
                            b = bare_round(page, barrier, i + 1)
                            k = kit_round(page, barrier, i)
                        else:
                            k = kit_round(page, barrier, i)
                            b = bare_round(page, barrier, i + 1)
                        if i >= args.warmup:
                            kit.append(k)
                            bare.append(b)
                finally:
                    barrier.close()
                run.data["browser"] = {"chromium": browser.version, "headless": True,
                                       "viewport": "1280x1600"}
            finally:
                browser.close()
    finally:
        _stop(process)
        shutil.rmtree(base, ignore_errors=True)

    versions = {}
    for name in VERSIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    run.data["browser"]["versions"] = versions
    results = {"kit": summary(kit), "bare": summary(bare)}
    results["ratio_kit_over_bare"] = {
        "median": round(results["kit"]["median_ms"] / results["bare"]["median_ms"], 2),
        "p90": round(results["kit"]["p90_ms"] / results["bare"]["p90_ms"], 2)}
    run.data.update({"repeat": args.repeat, "warmup": args.warmup,
                     "method": "in-page clock: click event (capture) to the first frame after "
                               "the text is in the DOM; kit and bare alternate in ABBA order; kernel drained "
                               "(kernel_info barrier) and 100 ms settle before each click",
                     "results": results})
    rows = [[label, r["n"], r["median_ms"], r["p90_ms"], r["min_ms"], r["max_ms"],
             r["median_dom_ms"]]
            for label, r in (("ClaimSorter Check → ✔/✘", results["kit"]),
                             ("bare Button → HTML echo", results["bare"]))]
    rows.append(["ratio kit/bare", "", results["ratio_kit_over_bare"]["median"],
                 results["ratio_kit_over_bare"]["p90"], "", "", ""])
    print("\n" + table(["click to feedback (ms)", "n", "median", "p90", "min", "max",
                        "median (in DOM)"], rows))
    run.save(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
