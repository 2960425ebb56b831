"""`kit lab`: start JupyterLab on the kit's lessons, for `make run`."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _has_display() -> bool:
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def start_lab(port: int | None = None, open_browser: bool | None = None) -> int:
    """Replace this process with JupyterLab, rooted where the lessons are.

    With no display (a server, a container) no browser is launched: JupyterLab prints
    the URL with its token and keeps serving until Ctrl-C.
    """
    root = REPO_ROOT if (REPO_ROOT / "lessons").is_dir() else Path.cwd()
    jupyter = shutil.which("jupyter") or str(Path(sys.executable).with_name("jupyter"))
    if open_browser is None:
        open_browser = _has_display()
    argv = [jupyter, "lab", f"--ServerApp.root_dir={root}"]
    if (root / "lessons").is_dir():
        argv.append("--LabApp.default_url=/lab/tree/lessons")
    if not open_browser:
        argv.append("--no-browser")
    if port:
        argv.append(f"--port={port}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Containers and teaching servers often run as root; JupyterLab refuses unless told.
        argv.append("--allow-root")
    print(f"kit: starting JupyterLab in {root}; open the URL below, stop with Ctrl-C.", flush=True)
    os.execv(jupyter, argv)
    return 0  # not reached
