"""Fixtures for the classroom on a real JupyterHub (issue 11).

What the test gets, and why each piece is the way it is:

- **A software environment every user can run.** The machine's default Python lives
  in root's home, which other users cannot enter, so a virtual environment made from it
  is useless to a spawned user. The environment here is made from Debian's
  /usr/bin/python3 under /opt/wss-hub-test (world-readable), with JupyterHub 6.1.1, the
  kit (editable, from a world-readable copy of this repository: `kit course init` reads
  the kit's solutions/ beside the package) and nbgrader's extensions, pinned by
  constraints.txt and tests/hub/constraints-hub.txt; configurable-http-proxy comes from
  npm into the same folder. On a developer's machine it is cached, keyed by a hash of
  the pins, and a lock keeps two runs from sharing it at once; under CI=true it is
  built from scratch for the run and removed afterwards.
- **Real system users.** One teacher and three students, made with useradd (unique
  names per run, homes 0700) and removed with userdel -r afterwards, even when the test
  fails; a run killed before its teardown is cleaned up by the next one.
- **JupyterHub as a classroom server runs it:** the dummy authenticator (one shared
  password: fine on loopback, never on a real server), the local-process spawner (each
  user's JupyterLab runs as that user, so file permissions are real), nbgrader's
  exchange in a shared folder (1777, as nbgrader documents), and one system-wide
  nbgrader_config.py naming the course and the exchange.

The system-wide config is a per-run folder put on every user's JUPYTER_CONFIG_PATH
(for the teacher's commands too), standing in for /etc/jupyter: two test runs never
see each other's exchange, and the machine's own /etc/jupyter is left alone.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import REPO, ci_requires

HERE = Path(__file__).resolve().parent
HUB_CONSTRAINTS = HERE / "constraints-hub.txt"
SYSTEM_PYTHON = "/usr/bin/python3"
CHP_VERSION = "5.3.0"          # configurable-http-proxy, from npm
HUB_VERSION = "6.1.1"          # also pinned in constraints-hub.txt
BUILD_RECIPE = "3"             # bump when the way the environment is built changes
BASE = Path("/opt/wss-hub-test")
ARTIFACTS = REPO / "test-artifacts" / "hub"
COURSE_ID = "who-says-so"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
LOCK_WAIT = 20 * 60            # seconds a run waits for another run's cached environment
HUB_START_TIMEOUT = 90         # seconds
SPAWN_TIMEOUT = 180            # seconds a user's server may take to start (2 busy cores)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
# JupyterLab settings written into every user's home (a real hub would ship the same
# as an overrides.json): no news or update toasts over the widgets.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False, "doNotDisturbMode": True},
}
COPY_IGNORE = shutil.ignore_patterns(".venv", ".git", "test-artifacts", "*.egg-info", "__pycache__",
                                     ".pytest_cache", ".hypothesis", ".ipynb_checkpoints",
                                     "*.answers.json", ".*.answers.json", "build")


# -- small helpers ----------------------------------------------------------------------

def _run(cmd, log: Path, timeout: float, **kw) -> None:
    """Run a build step, its output appended to `log`; fail the test with its tail."""
    with open(log, "ab") as out:
        out.write(f"\n$ {' '.join(map(str, cmd))}\n".encode())
        out.flush()
        try:
            proc = subprocess.run([str(c) for c in cmd], stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, timeout=timeout, **kw)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{cmd[0]} took longer than {timeout} s; see {log}")
    if proc.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        pytest.fail(f"{' '.join(map(str, cmd[:4]))} ... failed ({proc.returncode}):\n{tail}")


def _free_ports(count: int) -> list[int]:
    """`count` distinct free ports on loopback (all held open while choosing)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def _kill_processes_of(uid: int) -> None:
    """SIGKILL every process whose real uid is `uid` (a test user: all of them ours)."""
    for _ in range(20):
        pids = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/status") as fh:
                    uid_line = next(line for line in fh if line.startswith("Uid:"))
            except (OSError, StopIteration):
                continue
            if int(uid_line.split()[1]) == uid:
                pids.append(int(entry))
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.2)


def remove_user(name: str) -> None:
    if not _user_exists(name):
        return
    _kill_processes_of(pwd.getpwnam(name).pw_uid)
    subprocess.run(["userdel", "-r", name], capture_output=True)  # "mail spool not found" is fine
    if _user_exists(name):  # a process appeared in between: once more
        _kill_processes_of(pwd.getpwnam(name).pw_uid)
        subprocess.run(["userdel", "-r", "-f", name], capture_output=True)


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


# -- what the machine must have -----------------------------------------------------------

@pytest.fixture(scope="session")
def hub_host():
    """Skip on a developer machine that lacks something; under CI=true, fail."""
    ci_requires(hasattr(os, "geteuid") and os.geteuid() == 0,
                "the JupyterHub test must run as root: it creates system users and the hub "
                "starts each user's server as that user")
    for tool in ("useradd", "userdel", "runuser", "npm", "node", "chromium", "bwrap"):
        ci_requires(shutil.which(tool) is not None, f"{tool} is not installed (see .ci/run)")
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    ci_requires(node.startswith("v") and int(node[1:].split(".")[0]) >= 20,
                f"configurable-http-proxy {CHP_VERSION} needs node 20 or newer; node is {node!r}")
    ci_requires(Path(SYSTEM_PYTHON).exists(), f"{SYSTEM_PYTHON} (Debian's python3) is not installed")
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import sys, ensurepip, venv; "
                            "print('%d.%d' % sys.version_info[:2])"], capture_output=True, text=True)
    ci_requires(probe.returncode == 0, f"{SYSTEM_PYTHON} cannot make a venv "
                "(apt-get install python3-venv)")
    ci_requires(probe.stdout.strip() == "3.11",
                f"{SYSTEM_PYTHON} is Python {probe.stdout.strip()}; the kit needs 3.11")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        ci_requires(False, "playwright is not installed (pip install -e '.[test]')")


# -- the shared software environment --------------------------------------------------------

@dataclass
class HubSoftware:
    root: Path

    @property
    def venv(self) -> Path:
        return self.root / "venv"

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    @property
    def src(self) -> Path:
        return self.root / "src"

    @property
    def chp(self) -> Path:
        return self.root / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"


def _merged_constraints() -> str:
    """constraints.txt with the lines constraints-hub.txt replaces, then those lines."""
    def name(line: str) -> str:
        return line.split("==", 1)[0].strip().lower().replace("_", "-")
    hub = [ln.strip() for ln in HUB_CONSTRAINTS.read_text().splitlines()
           if ln.strip() and not ln.lstrip().startswith("#")]
    replaced = {name(ln) for ln in hub}
    base = [ln.strip() for ln in (REPO / "constraints.txt").read_text().splitlines()
            if ln.strip() and not ln.lstrip().startswith("#") and name(ln) not in replaced]
    return "\n".join(base + hub) + "\n"


def _recipe_key() -> str:
    h = hashlib.sha256()
    for part in (_merged_constraints(), (REPO / "pyproject.toml").read_text(), CHP_VERSION,
                 HUB_VERSION, BUILD_RECIPE,
                 subprocess.run([SYSTEM_PYTHON, "--version"], capture_output=True, text=True).stdout):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


def _sync_source(src: Path) -> None:
    """A world-readable copy of this working tree, where the editable install points."""
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(REPO, src, ignore=COPY_IGNORE, symlinks=True)
    for root, dirs, files in os.walk(src):
        os.chmod(root, 0o755)
        for f in files:
            p = os.path.join(root, f)
            if not os.path.islink(p):
                os.chmod(p, os.stat(p).st_mode | 0o444)


def _build(sw: HubSoftware, log: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        if sw.root.exists():
            shutil.rmtree(sw.root)
        sw.root.mkdir(parents=True, mode=0o755)
        os.chmod(sw.root, 0o755)
        started = time.monotonic()
        _run([SYSTEM_PYTHON, "-m", "venv", sw.venv], log, 300)
        constraints = sw.root / "constraints.txt"
        constraints.write_text(_merged_constraints())
        _sync_source(sw.src)
        pip_env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONNOUSERSITE="1")
        _run([sw.bin / "python", "-m", "pip", "install", "--quiet", "-c", constraints,
              f"jupyterhub=={HUB_VERSION}", "-e", sw.src], log, 900, env=pip_env)
        _run(["npm", "install", "--prefix", sw.root / "chp", "--no-audit", "--no-fund",
              "--loglevel=error", f"configurable-http-proxy@{CHP_VERSION}"], log, 600)
        if not sw.chp.exists():
            pytest.fail(f"npm did not install configurable-http-proxy at {sw.chp}; see {log}")
        subprocess.run(["chmod", "-R", "a+rX", str(sw.root)], check=True)
        with open(log, "a") as out:
            out.write(f"\nbuilt in {time.monotonic() - started:.0f} s\n")
    finally:
        os.umask(old_umask)


@pytest.fixture(scope="module")  # gone as soon as the hub tests are done
def hub_software(hub_host):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    BASE.mkdir(parents=True, exist_ok=True)
    os.chmod(BASE, 0o755)
    log = ARTIFACTS / "build.log"
    log.write_text("")
    if IN_CI:  # CI proves the environment can be built: from scratch, every run
        sw = HubSoftware(BASE / f"ci-env-{secrets.token_hex(4)}")
        _build(sw, log)
        try:
            yield sw
        finally:
            shutil.rmtree(sw.root, ignore_errors=True)
        return

    lock_file = open(BASE / "env.lock", "w")
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() > deadline:
                pytest.fail(f"another run held {BASE / 'env.lock'} for {LOCK_WAIT} s")
            time.sleep(2)
    try:
        key = _recipe_key()
        sw = HubSoftware(BASE / f"env-{key}")
        if not (sw.root / ".complete").exists():
            _build(sw, log)
            (sw.root / ".complete").write_text(key)
        else:
            old_umask = os.umask(0o022)
            try:
                _sync_source(sw.src)  # the code under test is this working tree's
            finally:
                os.umask(old_umask)
        for old in BASE.glob("env-*"):  # environments of older pins
            if old != sw.root:
                shutil.rmtree(old, ignore_errors=True)
        yield sw
    finally:
        fcntl.flock(lock_file, fcntl.LOCK_UN)
        lock_file.close()


# -- one run: users, exchange, hub --------------------------------------------------------

@dataclass
class Hub:
    url: str                  # http://127.0.0.1:<port> (the proxy: what a browser sees)
    password: str             # the dummy authenticator's shared password
    run_dir: Path
    exchange: Path
    config_dir: Path          # the system-wide Jupyter config folder of this hub
    software: HubSoftware
    teacher: str
    students: list[str]
    log: Path
    process: subprocess.Popen | None = None
    commands: list[str] = field(default_factory=list)

    def home(self, user: str) -> Path:
        return Path(pwd.getpwnam(user).pw_dir)

    def user_env(self, user: str) -> dict:
        """The environment a user's JupyterLab (and its terminal) has on this hub."""
        return {"HOME": str(self.home(user)), "USER": user, "LOGNAME": user,
                "SHELL": "/bin/bash", "LANG": "C.UTF-8",
                "PATH": f"{self.software.bin}:/usr/local/bin:/usr/bin:/bin",
                "JUPYTER_CONFIG_PATH": str(self.config_dir)}

    def as_user(self, user: str, *args, cwd: Path | None = None, timeout: float = 600,
                check: bool = True) -> subprocess.CompletedProcess:
        """Run a command as `user`, as they would in a JupyterLab terminal on this hub."""
        cmd = [shutil.which("runuser"), "-u", user, "--", *map(str, args)]
        self.commands.append(f"[{user}] {' '.join(map(str, args))}")
        proc = subprocess.run(cmd, cwd=cwd or self.home(user), env=self.user_env(user),
                              capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
        if check and proc.returncode != 0:
            pytest.fail(f"as {user}: {' '.join(map(str, args))} exited {proc.returncode}\n"
                        f"--- stdout ---\n{proc.stdout[-3000:]}\n--- stderr ---\n{proc.stderr[-3000:]}")
        return proc

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no hub log)"


HUB_CONFIG = '''\
# JupyterHub configuration of the classroom test (tests/hub); docs/teacher-guide-jupyterhub.md
# explains each line.
c = get_config()  # noqa

c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.ConfigurableHTTPProxy.pid_file = {proxy_pid!r}
c.JupyterHub.db_url = "sqlite:///{state}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = {cookie_secret!r}
c.JupyterHub.cleanup_servers = True

# Who may log in: the dummy authenticator takes any listed name with one shared password.
# Fine on loopback for a test; a real server uses PAM, OAuth (GitHub, Google, LTI ...).
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allowed_users = {users!r}

# Each user's JupyterLab runs as that system user, so file permissions are real.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = {spawn_timeout}
c.Spawner.http_timeout = {spawn_timeout}
c.Spawner.args = ["--LabApp.news_url=None",
                  "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate"]
c.Spawner.environment = {{
    "PATH": {path!r},
    # The system-wide Jupyter config (nbgrader's course id and exchange): /etc/jupyter
    # on a real server; a per-run folder here.
    "JUPYTER_CONFIG_PATH": {config_dir!r},
    "LANG": "C.UTF-8",
}}
'''

NBGRADER_SYSTEM_CONFIG = '''\
# nbgrader for everyone on this hub (students and teacher): /etc/jupyter/nbgrader_config.py
# on a real server.
c = get_config()  # noqa
c.CourseDirectory.course_id = {course_id!r}
c.Exchange.root = {exchange!r}
'''


def _is_hub_of(pid: int, run: Path) -> bool:
    """Is `pid` still the hub that `run` started (and not a reused process id)?"""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False
    return str(run / "state" / "jupyterhub_config.py") in cmdline


def _cleanup_stale_runs() -> None:
    """Users and folders of earlier runs that were killed before their teardown."""
    runs = BASE / "runs"
    if not runs.is_dir():
        return
    for run in runs.iterdir():
        try:
            info = json.loads((run / "run.json").read_text())
        except (OSError, ValueError):
            info = None
        if info and _pid_alive(int(info.get("pid", 0))):
            continue  # a run in progress (someone else's, perhaps)
        if info is None and time.time() - run.stat().st_mtime < 3600:
            continue  # being set up right now
        hub_pid = int((info or {}).get("hub_pid", 0))
        if hub_pid and _is_hub_of(hub_pid, run):  # the hub and proxy of a killed run
            try:
                os.killpg(hub_pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for name in (info or {}).get("users", []):
            remove_user(name)
        shutil.rmtree(run, ignore_errors=True)


def _wait_for_hub(hub: Hub) -> None:
    deadline = time.monotonic() + HUB_START_TIMEOUT
    while True:
        if hub.process.poll() is not None:
            pytest.fail(f"JupyterHub exited with {hub.process.returncode}:\n{hub.log_tail()}")
        try:
            with urllib.request.urlopen(f"{hub.url}/hub/api/", timeout=3) as response:
                if response.status == 200 and "version" in json.loads(response.read()):
                    return
        except (urllib.error.URLError, OSError, ValueError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"JupyterHub did not answer within {HUB_START_TIMEOUT} s:\n{hub.log_tail()}")
        time.sleep(0.3)


def _stop_hub(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # the hub stops every user's server first
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            pass
    try:  # the proxy is in the hub's process group
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


@pytest.fixture(scope="module")  # gone as soon as the hub tests are done
def hub(hub_software):
    """A running JupyterHub with a teacher and three students (see the module docstring)."""
    _cleanup_stale_runs()
    run_id = secrets.token_hex(3)
    run_dir = BASE / "runs" / run_id
    run_dir.mkdir(parents=True, mode=0o755)
    os.chmod(run_dir.parent, 0o755)
    os.chmod(run_dir, 0o755)
    prefix = f"wh{run_id}"
    teacher = f"{prefix}-teacher"
    students = [f"{prefix}-{role}" for role in ("perfect", "partial", "blank")]
    users = [teacher, *students]
    _write_json(run_dir / "run.json", {"pid": os.getpid(), "users": users})

    state = run_dir / "state"            # root only: hub database, cookie secret, token
    state.mkdir(mode=0o700)
    config_dir = run_dir / "etc" / "jupyter"
    config_dir.mkdir(parents=True)
    for folder in (run_dir / "etc", config_dir):
        os.chmod(folder, 0o755)
    exchange = run_dir / "exchange"
    exchange.mkdir()
    os.chmod(exchange, 0o1777)           # nbgrader: writable by all, sticky
    (config_dir / "nbgrader_config.py").write_text(
        NBGRADER_SYSTEM_CONFIG.format(course_id=COURSE_ID, exchange=str(exchange)))
    os.chmod(config_dir / "nbgrader_config.py", 0o644)

    log = ARTIFACTS / "jupyterhub.log"
    process = None
    hub_obj = None
    try:
        for name in users:
            subprocess.run(["useradd", "--create-home", "-K", "HOME_MODE=0700", "--shell",
                            "/bin/bash", "--comment", "who-says-so hub test", name],
                           check=True, capture_output=True)
            _user_settings(name)
        # The course's folder in the exchange belongs to the teacher from the start, so no
        # student can create it first (the exchange root is writable by everyone).
        course_exchange = exchange / COURSE_ID
        course_exchange.mkdir()
        os.chmod(course_exchange, 0o755)
        shutil.chown(course_exchange, teacher, teacher)

        password = secrets.token_urlsafe(12)
        port, hub_port, proxy_api_port = _free_ports(3)
        sw = hub_software
        env_path = f"{sw.bin}:/usr/local/bin:/usr/bin:/bin"
        config = state / "jupyterhub_config.py"
        config.write_text(HUB_CONFIG.format(
            port=port, hub_port=hub_port, proxy_api_port=proxy_api_port, chp=str(sw.chp),
            proxy_pid=str(state / "proxy.pid"), state=str(state),
            cookie_secret=str(state / "cookie_secret"), password=password, users=set(users),
            singleuser=str(sw.bin / "jupyterhub-singleuser"), spawn_timeout=SPAWN_TIMEOUT,
            path=env_path, config_dir=str(config_dir)))
        shutil.copyfile(config, ARTIFACTS / "jupyterhub_config.py")
        hub_env = {"PATH": env_path, "HOME": "/root", "LANG": "C.UTF-8",
                   "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(32),
                   "JUPYTER_CONFIG_PATH": str(config_dir)}
        with open(log, "wb") as out:
            process = subprocess.Popen([str(sw.bin / "jupyterhub"), "-f", str(config)],
                                       cwd=state, env=hub_env, stdout=out,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True)
        _write_json(run_dir / "run.json", {"pid": os.getpid(), "users": users,
                                           "hub_pid": process.pid})
        hub_obj = Hub(url=f"http://127.0.0.1:{port}", password=password,
                      run_dir=run_dir, exchange=exchange, config_dir=config_dir, software=sw,
                      teacher=teacher, students=students, log=log, process=process)
        _wait_for_hub(hub_obj)
        yield hub_obj
    finally:
        if process is not None:
            _stop_hub(process)
        for name in users:
            remove_user(name)
        leftover = [u for u in users if _user_exists(u)]
        shutil.rmtree(run_dir, ignore_errors=True)
        if hub_obj is not None:
            (ARTIFACTS / "commands.txt").write_text("\n".join(hub_obj.commands) + "\n")
        assert not leftover, f"could not remove test users {leftover}"


def _user_settings(name: str) -> None:
    user = pwd.getpwnam(name)
    base = Path(user.pw_dir) / ".jupyter"
    for rel, values in LAB_SETTINGS.items():
        target = base / "lab" / "user-settings" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_json(target, values)
    subprocess.run(["chown", "-R", f"{user.pw_uid}:{user.pw_gid}", str(base)], check=True)


# -- the browser -----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def hub_artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


class BrowserThread:
    """Debian's chromium, driven by Playwright's sync API from a thread of its own.

    The sync API allows one Playwright per thread, and the browser tests keep theirs
    open for the whole session (tests/browser/conftest.py), so a second one started in
    the main thread fails ("using Playwright Sync API inside the asyncio loop"). Here
    the browser lives in a worker thread, and `run(fn, ...)` calls `fn(browser, ...)`
    there and hands back its result or its exception (a failed assertion included).
    """

    def __init__(self):
        from concurrent.futures import ThreadPoolExecutor
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hub-browser")
        self._playwright = self.browser = None
        self._pool.submit(self._start).result(timeout=120)

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright
        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS, headless=True)

    def run(self, fn, *args):
        return self._pool.submit(fn, self.browser, *args).result()

    def close(self) -> None:
        def stop():
            try:
                if self.browser is not None:
                    self.browser.close()
            finally:
                if self._playwright is not None:
                    self._playwright.stop()
        try:
            self._pool.submit(stop).result(timeout=60)
        finally:
            self._pool.shutdown(wait=False)


@pytest.fixture(scope="module")  # gone as soon as the hub tests are done
def hub_browser(hub_host):
    browser = BrowserThread()
    try:
        yield browser
    finally:
        browser.close()
