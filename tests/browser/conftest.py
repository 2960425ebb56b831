"""Fixtures for the real-browser tests: a private JupyterLab server and Debian's chromium.

The server runs from this venv with its own config, data, runtime, settings and
workspace folders in a temporary directory, so a developer's own JupyterLab settings
never leak in, and with the news feed, the update check and notification toasts off,
so no popup covers the notebook. Chromium is launched by path: Playwright cannot
download its own browser here. A developer without chromium gets a skip; CI fails.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO, ci_requires

VENV_BIN = Path(sys.executable).parent
ARTIFACTS = REPO / "test-artifacts" / "browser"
SERVER_START_TIMEOUT = 60  # seconds; a cold start on 2 cores takes ~5-10 s
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# User settings (JUPYTERLAB_SETTINGS_DIR) that keep the notebook free of popups.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False, "doNotDisturbMode": True},
}


@dataclass
class LabServer:
    url: str      # http://127.0.0.1:<port>
    token: str
    root: Path    # the server's root_dir: notebooks written here open at /lab/tree/<name>
    log: Path

    def lab_url(self, path: str) -> str:
        return f"{self.url}/lab/tree/{path}?token={self.token}"

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status_ok(url: str, token: str) -> bool:
    request = urllib.request.Request(f"{url}/api/status",
                                     headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status == 200 and "started" in json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError):
        return False


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory) -> LabServer:
    jupyter = VENV_BIN / "jupyter"
    ci_requires(jupyter.exists(), f"jupyter is not installed in {VENV_BIN}")
    base = tmp_path_factory.mktemp("lab")
    root = base / "root"
    homes = {name: base / name for name in
             ("config", "data", "runtime", "settings", "workspaces", "ipython")}
    for folder in (root, *homes.values()):
        folder.mkdir()
    for name, values in LAB_SETTINGS.items():
        target = homes["settings"] / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")

    token = secrets.token_hex(24)
    port = _free_port()
    env = dict(os.environ,
               PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
               JUPYTER_CONFIG_DIR=str(homes["config"]),
               JUPYTER_DATA_DIR=str(homes["data"]),
               JUPYTER_RUNTIME_DIR=str(homes["runtime"]),
               JUPYTERLAB_SETTINGS_DIR=str(homes["settings"]),
               JUPYTERLAB_WORKSPACES_DIR=str(homes["workspaces"]),
               IPYTHONDIR=str(homes["ipython"]),
               PYTHONNOUSERSITE="1",
               JUPYTER_PLATFORM_DIRS="1")
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    command = [str(jupyter), "lab", "--no-browser",
               # ServerApp.token is deprecated in jupyter_server 2 in favour of this:
               f"--IdentityProvider.token={token}", f"--port={port}", "--ServerApp.port_retries=0",
               f"--ServerApp.root_dir={root}", "--ServerApp.ip=127.0.0.1",
               "--ServerApp.terminals_enabled=False",
               "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class="
               "jupyterlab.handlers.announcements.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI runners run as root
        command.append("--allow-root")
    log = base / "server.log"
    with open(log, "wb") as log_file:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=log_file,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = LabServer(f"http://127.0.0.1:{port}", token, root, log)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _status_ok(server.url, token):
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited with {process.returncode}:\n{server.log_tail()}")
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer /api/status within "
                            f"{SERVER_START_TIMEOUT} s:\n{server.log_tail()}")
            time.sleep(0.25)
        yield server
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM lets the server shut its kernels down; the group kill is the backstop."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    try:  # kernels the server left behind are in its session (process group)
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium driven by Playwright's sync API (launched by path)."""
    path = shutil.which("chromium")
    ci_requires(path is not None, "chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        ci_requires(False, "playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium):
    # JupyterLab scrolls inside a fixed-height page, so a screenshot shows only the
    # viewport: make it tall enough for both sorters and their feedback.
    context = chromium.new_context(viewport={"width": 1280, "height": 1700})
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
