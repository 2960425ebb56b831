"""Run a student's kernel where it can read only its own files and the kit.

nbgrader executes a submission's code in an ordinary kernel, as the teacher, inside the
course folder: that code can read every source notebook (hidden tests included) and the
gradebook, and write anywhere the teacher can. `SandboxedKernelManager` starts the same
kernel inside bubblewrap instead:

- the whole filesystem is read-only;
- the course folder, the kit's repository (all but the package itself), the grader's
  home and /tmp are replaced by empty in-memory folders, so sources, keys, the gradebook
  and other students' work are simply not there;
- the submission's folder is a scratch copy: the kernel may write there and nowhere
  else, and what it writes is thrown away;
- no network (a fresh network namespace), no view of other processes, and the kernel
  dies with the grader.

The kernel talks to nbclient over Unix sockets in a scratch folder (ZeroMQ's ipc
transport), since the sandbox has no shared loopback. nbgrader's own pipeline
(restoring grade cells, saving grades) runs outside, unchanged, so the scores are
exactly those of `nbgrader autograde`.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

REPO_ROOT = Path(__file__).resolve().parent.parent
KIT_DIR = Path(__file__).resolve().parent
# Set by `kit grade` for each submission: the course folder to hide from the kernel.
COURSE_ENV = "KIT_SANDBOX_HIDE"
# A submission folder larger than this is not copied into the sandbox.
MAX_COPY_BYTES = 200_000_000


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def _existing(paths) -> list[str]:
    seen, out = set(), []
    for p in paths:
        p = os.path.realpath(p)
        if p and p != "/" and os.path.exists(p) and p not in seen:
            seen.add(p)
            out.append(p)
    return out


def sandbox_prefix(work_outside: Path, work_inside: Path, runtime: Path,
                   hide: list[str] | None = None) -> list[str]:
    """The bwrap arguments that confine a command to `work_inside` (backed by
    `work_outside`), with `runtime` shared for the kernel's sockets."""
    home = os.path.expanduser("~")
    hidden = _existing([*(hide or []), str(REPO_ROOT), home, "/home", "/root", "/srv", "/mnt",
                        "/media", "/opt/conda/pkgs"])
    # Folders the interpreter and the kit need, put back read-only after hiding.
    needed = _existing([sys.prefix, sys.base_prefix, sys.exec_prefix, str(KIT_DIR)])
    # No --new-session: a kill of the grader's process group must reach the kernel too.
    args = [bwrap_path() or "bwrap", "--die-with-parent", "--unshare-all",
            "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
            "--tmpfs", "/var/tmp", "--tmpfs", "/run"]
    for path in hidden:
        args += ["--tmpfs", path]
    for path in needed:
        args += ["--ro-bind", path, path]
    args += ["--bind", str(work_outside), str(work_inside),
             "--bind", str(runtime), str(runtime),
             "--chdir", str(work_inside),
             "--setenv", "HOME", "/tmp", "--setenv", "IPYTHONDIR", "/tmp/.ipython",
             "--setenv", "MPLCONFIGDIR", "/tmp/.matplotlib", "--setenv", "JUPYTER_RUNTIME_DIR", str(runtime),
             "--setenv", "TMPDIR", "/tmp", "--unsetenv", COURSE_ENV,
             # The kernel cannot see its parent across the PID namespace; bwrap's
             # --die-with-parent does that job instead of ipykernel's parent poller.
             "--unsetenv", "JPY_PARENT_PID", "--"]
    return args


def copy_submission(src: Path, dest: Path) -> None:
    """Copy the submission's files (not links, not special files) into the scratch folder."""
    total = 0
    for root, dirs, files in os.walk(src):
        rel = Path(root).relative_to(src)
        (dest / rel).mkdir(parents=True, exist_ok=True)
        for name in files:
            path = Path(root) / name
            if path.is_symlink() or not path.is_file():
                continue  # a link could point outside the submission
            total += path.stat().st_size
            if total > MAX_COPY_BYTES:
                return
            shutil.copyfile(path, dest / rel / name)


class SandboxedKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose kernel runs inside bubblewrap (see module docstring)."""

    def __init__(self, **kwargs):
        self._scratch = Path(tempfile.mkdtemp(prefix="kit-sandbox-"))
        runtime = self._scratch / "runtime"
        runtime.mkdir()
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", str(runtime / "kernel"))
        kwargs.setdefault("connection_file", str(runtime / "kernel.json"))
        super().__init__(**kwargs)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if not bwrap_path():
            raise RuntimeError("bubblewrap (bwrap) is not installed: student code cannot be "
                               "isolated; install it (Debian: apt-get install bubblewrap)")
        # A SIGINT to the process group would reach bwrap's own init first and end the
        # sandbox; an interrupt sent as a message lets ipykernel interrupt itself.
        self.kernel_spec.interrupt_mode = "message"
        cwd = Path(kw.get("cwd") or os.getcwd()).resolve()
        work = self._scratch / "work"
        copy_submission(cwd, work)
        hide = [p for p in os.environ.get(COURSE_ENV, "").split(os.pathsep) if p]
        prefix = sandbox_prefix(work, cwd, self._scratch / "runtime", hide)
        env = dict(kw.get("env") or os.environ)
        env.pop(COURSE_ENV, None)
        kw["env"] = env
        return await super()._async_launch_kernel(prefix + list(kernel_cmd), **kw)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self._scratch, ignore_errors=True)

    cleanup_resources = AsyncKernelManager.cleanup_resources
