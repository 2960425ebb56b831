"""What the benchmarks share: the machine's state, courses to grade, a memory sampler,
the kit of an earlier commit to compare with, and the results file.

Every figure a benchmark reports is a ratio of two timings taken in the same run on
the same machine, so a slower or busier machine moves both sides alike. The load
average is recorded before and after each run: take figures to publish when it is low.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"
PYTHON = sys.executable
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

PACKAGES = ["nbgrader", "nbclient", "nbconvert", "nbformat", "jupyter_client", "ipykernel",
            "ipywidgets", "IPython", "matplotlib", "SQLAlchemy", "jsonschema", "PyYAML"]


# --------------------------------------------------------------------------- machine

def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _git(*args) -> str:
    try:
        return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    bwrap = shutil.which("bwrap")
    if bwrap:
        out = subprocess.run([bwrap, "--version"], capture_output=True, text=True).stdout
        versions["bubblewrap"] = out.split()[-1] if out else "?"
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "versions": versions,
    }


class Run:
    """One benchmark run: machine state at start and end, and its results."""

    def __init__(self, name: str, argv: list[str]):
        self.name = name
        self.data = {"benchmark": name, "command": " ".join(["benchmarks/" + name.replace("-", "_")
                                                             + ".py", *argv]),
                     "machine": machine(), "load_at_start": load()}
        self.started = time.monotonic()
        print(f"{name}: {self.data['machine']['date']}, {self.data['machine']['cpus']} cpus, "
              f"load {self.data['load_at_start']}", flush=True)

    def save(self, file_name: str | None = None) -> Path:
        self.data["load_at_end"] = load()
        self.data["seconds"] = round(time.monotonic() - self.started, 1)
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"{file_name or self.name}.json"
        path.write_text(json.dumps(self.data, indent=1) + "\n", encoding="utf-8")
        print(f"\nload at end {self.data['load_at_end']}; results: {path.relative_to(REPO)}")
        return path


def table(headers: list[str], rows: list[list]) -> str:
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


def median(values) -> float:
    return statistics.median(values) if values else float("nan")


# --------------------------------------------------------------------------- earlier kit

def kit_at(ref: str, into: Path) -> Path:
    """The kit as it was at git `ref` (kit/, solutions/, exercises/), unpacked in `into`.

    Put the returned folder first on PYTHONPATH to run that kit: it wins over the
    editable install of the working tree."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", ref, "kit",
                              "solutions", "exercises"], capture_output=True, check=True).stdout
    tar_path = into / "kit.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(into, filter="data")
    tar_path.unlink()
    return into


def env_with_path(first: Path | None) -> dict:
    """The environment for a subprocess: the venv's bin on PATH (nbgrader runs alembic),
    and `first` (an earlier kit) ahead of everything on PYTHONPATH."""
    env = dict(os.environ)
    bin_dir = str(Path(PYTHON).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env.pop("PYTHONPATH", None)
    if first is not None:
        env["PYTHONPATH"] = str(first)
    return env


# --------------------------------------------------------------------------- memory

def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def _tree(root: int) -> list[int]:
    kids = _children_map()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in kB; PSS shares each page among the processes using
    it, so forked children are not counted again for what they share."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except (OSError, ValueError):
        try:
            pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
            rss = pss = pages * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, ValueError):
            pass
    return rss, pss


class MemorySampler:
    """Samples a process and all its descendants (the sandboxed kernels included) every
    `interval` seconds; keeps the peaks of their summed PSS, summed RSS, the largest
    single process and the number of processes."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.pid, self.interval = pid, interval
        self.peak_pss_kb = self.peak_rss_kb = self.peak_single_kb = self.peak_procs = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.is_set():
            pids = _tree(self.pid)
            rss_sum = pss_sum = single = 0
            for pid in pids:
                rss, pss = _memory_kb(pid)
                rss_sum, pss_sum, single = rss_sum + rss, pss_sum + pss, max(single, rss)
            self.peak_rss_kb = max(self.peak_rss_kb, rss_sum)
            self.peak_pss_kb = max(self.peak_pss_kb, pss_sum)
            self.peak_single_kb = max(self.peak_single_kb, single)
            self.peak_procs = max(self.peak_procs, len(pids))
            self.samples += 1
            self._stop.wait(self.interval)

    def result(self) -> dict:
        return {"peak_pss_mb": round(self.peak_pss_kb / 1024, 1),
                "peak_rss_sum_mb": round(self.peak_rss_kb / 1024, 1),
                "peak_single_process_mb": round(self.peak_single_kb / 1024, 1),
                "peak_processes": self.peak_procs, "samples": self.samples}


def timed(cmd: list[str], cwd: Path, env: dict, log: Path, sample_memory: bool = False) -> dict:
    """Run a command, its output to `log`; wall seconds (and memory peaks if asked)."""
    with open(log, "w", encoding="utf-8") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        if sample_memory:
            with MemorySampler(proc.pid) as sampler:
                code = proc.wait()
            memory = sampler.result()
        else:
            code = proc.wait()
            memory = None
        seconds = time.perf_counter() - started
    result = {"seconds": round(seconds, 2), "exit": code}
    if memory:
        result["memory"] = memory
    if code not in (0, 1):  # kit grade exits 1 when some student was not graded
        tail = log.read_text(errors="replace")[-3000:]
        raise SystemExit(f"{' '.join(map(str, cmd))} failed ({code}):\n{tail}")
    return result


def scratch(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"kit-bench-{prefix}-"))
