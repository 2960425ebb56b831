"""Run a student's kernel where it can read only its own files and the kit.

nbgrader executes a submission's code in an ordinary kernel, as the teacher, inside the
course folder: that code can read every source notebook (hidden tests included) and the
gradebook, and write anywhere the teacher can. `SandboxedKernelManager` starts the same
kernel inside bubblewrap instead:

- only an allow-list of the machine is there, read-only: the system's programs and
  libraries (/usr and its links), a few harmless files of /etc, the Python environment
  and the kit's package. Everything else (the course folder, the kit's repository with
  solutions/, the grader's home, keys or courses kept anywhere else) is simply absent,
  and /tmp is an empty in-memory folder; the course, the repository and the homes are
  also covered by empty folders in case one lies inside an allowed path;
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


def sandbox_problem() -> str:
    """"" if bubblewrap can make the kind of sandbox kernels run in, else its complaint.

    Checked once before grading: without it every student would fail alike with "kernel
    died", which says nothing about the cause."""
    import subprocess
    try:
        result = subprocess.run([bwrap_path() or "bwrap", "--unshare-all", "--ro-bind", "/", "/",
                                 "--dev", "/dev", "--proc", "/proc", "true"],
                                capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    return "" if result.returncode == 0 else (result.stderr.strip().splitlines() or ["failed"])[-1]


def _existing(paths) -> list[str]:
    seen, out = set(), []
    for p in paths:
        p = os.path.realpath(p)
        if p and p != "/" and os.path.exists(p) and p not in seen:
            seen.add(p)
            out.append(p)
    return out


# The system paths a kernel needs (programs, libraries, the dynamic loader's cache,
# time zones, Python's Debian config): an allow-list, not "all but some", so keys or a
# course kept in a folder nobody thought to hide (/data, /work, /var/...) are not there.
SYSTEM_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
ETC_NAMES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone", "passwd",
             "group", "nsswitch.conf", "host.conf", "hosts", "mime.types", "alternatives",
             "fonts", "os-release", "matplotlibrc", "python3",
             f"python{sys.version_info.major}.{sys.version_info.minor}")


def _system_binds() -> list[str]:
    args = []
    for path in [*SYSTEM_PATHS, *(f"/etc/{name}" for name in ETC_NAMES)]:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.exists(path):
            args += ["--ro-bind", path, path]
    return args


def sandbox_prefix(work_outside: Path, work_inside: Path, runtime: Path,
                   hide: list[str] | None = None) -> list[str]:
    """The bwrap arguments that confine a command to `work_inside` (backed by
    `work_outside`), with `runtime` shared for the kernel's sockets."""
    home = os.path.expanduser("~")
    hidden = _existing([*(hide or []), str(REPO_ROOT), home, "/home", "/root", "/srv", "/mnt",
                        "/media", "/opt/conda/pkgs"])
    # A folder inside another hidden one (a course in the grader's home, a home in /home)
    # is hidden by the outer empty folder already; its own would not be a mount point
    # any more, and bwrap's --remount-ro on it fails ("Invalid argument"), so no kernel
    # could start for a course kept in a home folder, as on every JupyterHub.
    hidden = [p for p in hidden
              if not any(q != p and p.startswith(q.rstrip("/") + "/") for q in hidden)]
    # Folders the interpreter and the kit need, put back read-only after hiding.
    needed = _existing([sys.prefix, sys.base_prefix, sys.exec_prefix, str(KIT_DIR)])
    # No --new-session: a kill of the grader's process group must reach the kernel too.
    args = [bwrap_path() or "bwrap", "--die-with-parent", "--unshare-all", *_system_binds(),
            "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
            "--tmpfs", "/var/tmp", "--tmpfs", "/run"]
    for path in hidden:
        args += ["--tmpfs", path]
    for path in needed:
        args += ["--ro-bind", path, path]
    args += ["--bind", str(work_outside), str(work_inside),
             "--bind", str(runtime), str(runtime)]
    # The empty folders that hide are read-only too (once the binds inside them exist), so
    # the kernel's only writable places are its scratch folder and /tmp, both thrown away.
    for path in [*hidden, "/"]:  # "/": bwrap's own root, which holds the mount points
        args += ["--remount-ro", path]
    args += ["--chdir", str(work_inside),
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

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        # jupyter_client waits for a stopped kernel to exit by polling every 0.1 s, and
        # the first poll comes before the kernel has been reaped: `kit grade` lost 0.1 s
        # a notebook here. Polling (a waitpid) every 10 ms costs nothing.
        await super()._async_wait(pollinterval=min(pollinterval, 0.01))

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self._scratch, ignore_errors=True)

    cleanup_resources = AsyncKernelManager.cleanup_resources
