#!/usr/bin/env python3
"""Test matrix for wagtail-acupuncture: the engine behind ``make test``.

Runs the test suite against every supported version set and database:

  version sets   lowest  Python 3.11 + django==5.2.* + wagtail==7.4.*   (venv .venv)
                 latest  Python 3.13 + django==6.1.* + wagtail==8.0.*   (venv .venv-py313)
  databases      sqlite     (no DATABASE_URL)
                 postgres   (one throwaway PostgreSQL 15 cluster for the whole run)

For each version set it creates (or reuses) the venv, checks that no migration
is missing (``makemigrations --check --dry-run`` with tests.settings_custom: the
package, the example project's app and the test app tests/custom_app), then
runs pytest twice per database:

  suites         main    the suite (tests/, testpaths of pyproject.toml) with
                         tests.settings
                 custom  tests/custom/ with tests.settings_custom: a site's own
                         article type built on the package's abstract bases
                         (tests/custom_app), served like ArticlePage
                 frontend tests/frontend/: the Next.js starter in
                         example_project/frontend/ built and served against
                         the demo; only on the lowest set with SQLite (needs
                         node and npm; CI=true fails without them)

On PostgreSQL the main suite also runs tests/stack/: the production stack (Redis,
three gunicorn processes, django-tasks-db's db_worker) on a database of its own.
Debian's chromium and redis-server are installed with apt-get when missing (root).

A table and a closing ``N passed, N failed[, N skipped]`` line end the run,
counting both suites; the exit status is 0 only when everything passed.

Usage:
  python3 tests/matrix.py [OPTIONS] [PYTEST ARGS...] [-- MORE PYTEST ARGS...]

Options:
  -h, --help            show this help and exit
  --install-only SETS   only create/refresh the venv(s) of SETS (comma separated,
                        e.g. "lowest"); no tests, no database, no chromium
  --reinstall           ignore the install stamp and reinstall the venv(s)
  --                    everything after it goes to pytest untouched

Any argument that is not one of the options above is passed to pytest, e.g.
  python3 tests/matrix.py -k faq -x          (make test ARGS="-k faq -x")
Options go to both suites; a path (tests/test_blocks.py, tests/custom/test_api.py::test_x)
goes to the suite it belongs to, and a suite none of the paths belongs to is not run. With
pytest arguments, a run they select no test from is reported as "nothing selected" (not a
failure) unless they select no test anywhere.

Environment:
  MATRIX_SETS           version sets to run, comma separated (lowest,latest);
                        default: all
  MATRIX_DBS            databases to run, comma separated (sqlite,postgres);
                        default: all
  MATRIX_PYTHON_LOWEST  interpreter to use for the lowest set (default: search
  MATRIX_PYTHON_LATEST  PATH, pyenv, /usr/bin, /usr/local/bin)
  MATRIX_PG_BINDIR      directory holding initdb, pg_ctl and postgres (default:
                        PATH, /usr/local/bin, /usr/lib/postgresql/*/bin)
  CI                    when "true", anything that has to be skipped (missing
                        interpreter, missing PostgreSQL, no Chromium, no Redis)
                        makes the run fail instead
  REDIS_SERVER          set by this script: the redis-server the stack test starts
  ACUPUNCTURE_NO_CHROMIUM
                        set to 1 by this script when /usr/bin/chromium is missing
                        and cannot be installed; browser tests then skip

Stdlib only: runs under any python3.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARTIFACTS = os.path.join(ROOT, "test-artifacts")
CHROMIUM = "/usr/bin/chromium"
REDIS_SERVER = "/usr/bin/redis-server"
PG_DBNAME = "wagtail_acupuncture"
STAMP_NAME = ".acupuncture-install-stamp"
# Bump when the install recipe below changes, so existing venvs get refreshed.
INSTALL_RECIPE = "v2: pip install -e .[test,preview,production] + pins"
EXTRAS = "test,preview,production"

VERSION_SETS = {
    "lowest": {
        "python": "3.11",
        "venv": ".venv",
        "pins": ["django==5.2.*", "wagtail==7.4.*"],
    },
    "latest": {
        "python": "3.13",
        "venv": ".venv-py313",
        "pins": ["django==6.1.*", "wagtail==8.0.*"],
    },
}
DATABASES = ["sqlite", "postgres"]
#: The pytest runs of every version set and database: settings module and test paths (none:
#: pyproject's testpaths, where tests/conftest.py leaves tests/custom/ out).
SUITES = {
    "main": {"settings": "tests.settings", "paths": [], "ignore": ["tests/frontend"]},
    "custom": {"settings": "tests.settings_custom", "paths": ["tests/custom"]},
    # The Next.js starter (npm ci, next build, Chromium): once, on the lowest set and SQLite.
    "frontend": {
        "settings": "tests.settings",
        "paths": ["tests/frontend"],
        "only": ("lowest", "sqlite"),
    },
}
#: The test directory of the custom suite; paths below it are run with its settings.
CUSTOM_TESTS = "tests/custom"
#: The test directory of the frontend suite.
FRONTEND_TESTS = "tests/frontend"
#: Settings of the migrations check: every app of the test project, the test app included.
MIGRATIONS_SETTINGS = "tests.settings_custom"

IS_CI = os.environ.get("CI", "").strip().lower() == "true"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


class Interrupted(BaseException):
    """Raised from the SIGTERM/SIGHUP handler so that finally-blocks run."""


# --------------------------------------------------------------------------- output


def header(text: str) -> None:
    bar = "=" * 78
    print(f"\n{bar}\n==> {text}\n{bar}", flush=True)


def info(text: str) -> None:
    print(f"    {text}", flush=True)


def run(cmd, **kwargs) -> subprocess.CompletedProcess:
    """subprocess.run, never raising on a non-zero exit."""
    kwargs.setdefault("cwd", ROOT)
    return subprocess.run(cmd, check=False, **kwargs)


# --------------------------------------------------------------------------- arguments


def parse_args(argv: list[str]) -> dict:
    opts = {"install_only": None, "reinstall": False, "pytest_args": []}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            opts["pytest_args"].extend(argv[i + 1 :])
            break
        if arg in ("-h", "--help"):
            print(__doc__.strip())
            sys.exit(0)
        if arg == "--reinstall":
            opts["reinstall"] = True
        elif arg == "--install-only" or arg.startswith("--install-only="):
            if "=" in arg:
                value = arg.split("=", 1)[1]
            else:
                i += 1
                if i >= len(argv):
                    die("--install-only needs a value, e.g. --install-only lowest")
                value = argv[i]
            opts["install_only"] = split_names(value, VERSION_SETS, "--install-only")
        else:
            opts["pytest_args"].append(arg)
        i += 1
    return opts


def split_names(value: str, allowed, what: str) -> list[str]:
    names = [n for n in value.replace(",", " ").split() if n]
    bad = [n for n in names if n not in allowed]
    if bad or not names:
        die(f"{what}: unknown value {value!r}; choose from {', '.join(allowed)}")
    # keep canonical order, drop duplicates
    return [n for n in allowed if n in names]


def die(msg: str, code: int = 2) -> None:
    print(f"matrix.py: error: {msg}", file=sys.stderr, flush=True)
    sys.exit(code)


# --------------------------------------------------------------------------- interpreters


def probe_python(candidate: str, want: str) -> str | None:
    """Return the real executable of `candidate` if it is Python `want` with venv."""
    try:
        out = subprocess.run(
            [
                candidate,
                "-c",
                "import sys, venv; print('%d.%d' % sys.version_info[:2]); print(sys.executable)",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = out.stdout.split()
    if out.returncode != 0 or len(lines) < 2 or lines[0] != want:
        return None
    return lines[1]


def find_python(set_name: str, want: str) -> str | None:
    override = os.environ.get(f"MATRIX_PYTHON_{set_name.upper()}")
    if override:
        found = probe_python(override, want)
        if not found:
            info(f"MATRIX_PYTHON_{set_name.upper()}={override} is not a Python {want} with venv")
        return found
    exe = f"python{want}"
    candidates: list[str] = []
    on_path = shutil.which(exe)
    if on_path:
        candidates.append(on_path)
    if sys.version_info[:2] == tuple(int(p) for p in want.split(".")):
        candidates.append(sys.executable)
    pyenv_roots = [os.environ.get("PYENV_ROOT", ""), os.path.expanduser("~/.pyenv"), "/root/.pyenv"]
    for root in dict.fromkeys(r for r in pyenv_roots if r):
        # newest patch release first
        found = glob.glob(os.path.join(root, "versions", f"{want}*", "bin", exe))
        candidates.extend(sorted(found, key=version_key, reverse=True))
    candidates += [f"/usr/local/bin/{exe}", f"/usr/bin/{exe}"]
    for generic in ("python3", "python"):
        path = shutil.which(generic)
        if path:
            candidates.append(path)
    for cand in dict.fromkeys(candidates):
        if os.path.exists(cand):
            found = probe_python(cand, want)
            if found:
                return found
    return None


def version_key(path: str):
    # .../versions/3.13.10/bin/python3.13 -> (3, 13, 10)
    part = path.split(os.sep + "versions" + os.sep, 1)[-1].split(os.sep, 1)[0]
    key = []
    for piece in part.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        key.append(int(digits) if digits else -1)
    return key


# --------------------------------------------------------------------------- venvs


def install_hash(spec: dict, python_version: str) -> str:
    h = hashlib.sha256()
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as fh:
        h.update(fh.read())
    for piece in [INSTALL_RECIPE, EXTRAS, python_version, *spec["pins"]]:
        h.update(b"\0" + piece.encode())
    return h.hexdigest()


def venv_python(venv_dir: str) -> str:
    return os.path.join(venv_dir, "bin", "python")


def ensure_venv(name: str, spec: dict, interpreter: str, reinstall: bool) -> str | None:
    """Create or reuse the venv of a version set; return its python, None on failure."""
    venv_dir = os.path.join(ROOT, spec["venv"])
    py = venv_python(venv_dir)
    stamp = os.path.join(venv_dir, STAMP_NAME)
    wanted = install_hash(spec, spec["python"])

    fresh = False
    if os.path.isdir(venv_dir) and not probe_python(py, spec["python"]):
        info(f"{spec['venv']} is broken or not Python {spec['python']}: recreating it")
        shutil.rmtree(venv_dir)
    if not os.path.isdir(venv_dir):
        info(f"creating {spec['venv']} with {interpreter}")
        if run([interpreter, "-m", "venv", venv_dir]).returncode != 0:
            print(f"FAILED to create {spec['venv']}", flush=True)
            return None
        fresh = True

    current = ""
    if os.path.exists(stamp):
        with open(stamp, encoding="utf-8") as fh:
            current = fh.read().strip()
    if current == wanted and not reinstall:
        info(f"{spec['venv']} is up to date (stamp matches pyproject.toml and pins): no install")
        return py

    os.makedirs(ARTIFACTS, exist_ok=True)
    log = os.path.join(ARTIFACTS, f"pip-install-{name}.log")
    with open(log, "w", encoding="utf-8") as fh:
        if fresh:
            info("upgrading pip")
            upgrade = [py, "-m", "pip", "install", "-q", "--upgrade", "pip"]
            if run(upgrade, stdout=fh, stderr=subprocess.STDOUT).returncode != 0:
                info("pip upgrade failed; going on with the bundled pip")

        cmd = [py, "-m", "pip", "install", "--progress-bar", "off", "-e", f".[{EXTRAS}]"]
        cmd += spec["pins"]
        info("$ " + " ".join(["python", *cmd[1:]]))
        info(f"(pip output goes to {os.path.relpath(log, ROOT)})")
        started = time.monotonic()
        fh.flush()
        rc = run(cmd, stdout=fh, stderr=subprocess.STDOUT).returncode
    if rc != 0:
        with open(log, encoding="utf-8", errors="replace") as fh:
            lines = [ln for ln in fh if "is ignored: it is neither a file nor" not in ln]
        print("".join(lines[-80:]), end="", flush=True)
        print(f"FAILED: pip install into {spec['venv']} ({name}), full log in {log}", flush=True)
        if os.path.exists(stamp):
            os.remove(stamp)
        return None
    with open(stamp, "w", encoding="utf-8") as fh:
        fh.write(wanted + "\n")
    info(f"installed in {time.monotonic() - started:.0f}s")
    return py


def describe_venv(py: str) -> None:
    code = (
        "import sys, django, wagtail; "
        "print('Python %d.%d.%d' % sys.version_info[:3], '| Django', django.get_version(), "
        "'| Wagtail', wagtail.__version__)"
    )
    out = run([py, "-c", code], capture_output=True, text=True)
    info((out.stdout or out.stderr).strip().splitlines()[-1] if (out.stdout or out.stderr) else "?")


# --------------------------------------------------------------------------- chromium


def apt_install(package: str, path: str) -> bool:
    """Install Debian's ``package`` (as root) so that ``path`` exists; whether it does."""
    apt_env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    out = run(["apt-get", "install", "-y", "-qq", package], env=apt_env, capture_output=True, text=True)
    if out.returncode != 0:  # most likely stale package lists
        out = run(["apt-get", "update", "-qq"], env=apt_env, capture_output=True, text=True)
        if out.returncode == 0:
            out = run(
                ["apt-get", "install", "-y", "-qq", package],
                env=apt_env,
                capture_output=True,
                text=True,
            )
    if out.returncode == 0 and os.path.exists(path):
        return True
    print((out.stdout or "")[-3000:] + (out.stderr or "")[-3000:], flush=True)
    return False


def ensure_debian_package(package: str, path: str, purpose: str) -> str | None:
    """Make ``path`` available from Debian's ``package``; a problem description or None."""
    if os.path.exists(path):
        info(f"{package}: {path} present")
        return None
    if not IS_ROOT:
        info(f"{package}: {path} missing and not root: {purpose} will not run")
        return f"{package} missing (not root, cannot install)"
    info(f"{package}: {path} missing, installing Debian {package} (apt-get) ...")
    if apt_install(package, path):
        info(f"{package}: installed")
        return None
    info(f"{package}: install FAILED: {purpose} will not run")
    return f"{package} install failed"


def ensure_chromium(env: dict) -> str | None:
    """Make /usr/bin/chromium available; return a problem description or None."""
    env["CHROMIUM_PATH"] = CHROMIUM
    problem = ensure_debian_package("chromium", CHROMIUM, "browser tests")
    if problem:
        env["ACUPUNCTURE_NO_CHROMIUM"] = "1"
    return problem


def ensure_redis(env: dict) -> str | None:
    """Make Debian's redis-server available to the production-stack tests (PostgreSQL runs)."""
    env["REDIS_SERVER"] = REDIS_SERVER
    return ensure_debian_package("redis-server", REDIS_SERVER, "the production-stack test")


# --------------------------------------------------------------------------- typescript

#: package.json and package-lock.json pinning the compiler the API schema tests use.
TSC_DIR = os.path.join(ROOT, "tests", "typescript")


def pinned_typescript_version() -> str:
    with open(os.path.join(TSC_DIR, "package-lock.json"), encoding="utf-8") as lock:
        return json.load(lock)["packages"]["node_modules/typescript"]["version"]


def installed_typescript_version() -> str | None:
    path = os.path.join(TSC_DIR, "node_modules", "typescript", "package.json")
    try:
        with open(path, encoding="utf-8") as package:
            return json.load(package)["version"]
    except (OSError, ValueError, KeyError):
        return None


def ensure_tsc(env: dict) -> str | None:
    """Install the pinned TypeScript compiler (npm ci in tests/typescript); a problem or None.

    The API schema tests install it themselves when needed; doing it here first reports a
    missing node/npm or a failed install once, before any test runs.
    """
    tsc = os.path.join(TSC_DIR, "node_modules", ".bin", "tsc")
    npm = shutil.which("npm")
    if not npm or not shutil.which("node"):
        return "node/npm not found: the generated TypeScript types cannot be compiled"
    if os.path.exists(tsc) and installed_typescript_version() == pinned_typescript_version():
        env["ACUPUNCTURE_TSC"] = tsc
        info(f"tsc: {tsc}")
        return None
    info("tsc: npm ci in tests/typescript ...")
    out = run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=TSC_DIR,
        capture_output=True,
        text=True,
    )
    if out.returncode == 0 and os.path.exists(tsc):
        env["ACUPUNCTURE_TSC"] = tsc
        info(f"tsc: {tsc}")
        return None
    print((out.stdout or "")[-2000:] + (out.stderr or "")[-2000:], flush=True)
    return "typescript install failed"


# --------------------------------------------------------------------------- postgres


def find_pg_binaries() -> dict | None:
    bindir = os.environ.get("MATRIX_PG_BINDIR")
    if bindir:
        found = {t: os.path.join(bindir, t) for t in ("initdb", "pg_ctl", "postgres")}
        return found if all(os.access(p, os.X_OK) for p in found.values()) else None
    dirs = ["/usr/local/bin"] + sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=version_key, reverse=True
    )
    found = {}
    for tool in ("initdb", "pg_ctl", "postgres"):
        path = shutil.which(tool)
        if not path:
            for d in dirs:
                if os.access(os.path.join(d, tool), os.X_OK):
                    path = os.path.join(d, tool)
                    break
        if not path:
            return None
        found[tool] = path
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """A throwaway PostgreSQL cluster on 127.0.0.1, owned by the postgres OS user."""

    def __init__(self, binaries: dict):
        self.bin = binaries
        self.tmp: str | None = None
        self.data: str | None = None
        self.port: int | None = None
        self.started = False
        self.as_user: list[str] = []

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{PG_DBNAME}"

    def _cmd(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return run([*self.as_user, *args], cwd=self.tmp, **kwargs)

    def start(self) -> str | None:
        """Start the cluster; return an error message or None."""
        if IS_ROOT:
            # postgres refuses to run as root
            runuser = shutil.which("runuser") or "/sbin/runuser"
            try:
                import pwd

                pw = pwd.getpwnam("postgres")
            except (ImportError, KeyError):
                return "running as root but there is no 'postgres' OS user"
            self.as_user = [runuser, "-u", "postgres", "--"]
        self.tmp = tempfile.mkdtemp(prefix="acupuncture-pg-", dir="/tmp")
        if IS_ROOT:
            os.chown(self.tmp, pw.pw_uid, pw.pw_gid)
        self.data = os.path.join(self.tmp, "data")
        log = os.path.join(self.tmp, "postgres.log")

        out = self._cmd(
            self.bin["initdb"],
            "-D", self.data,
            "--auth=trust",
            "-U", "postgres",
            "-E", "UTF8",
            "--no-locale",
            "--no-sync",
            capture_output=True,
            text=True,
        )  # fmt: skip
        if out.returncode != 0:
            return "initdb failed:\n" + out.stdout[-2000:] + out.stderr[-2000:]

        for _attempt in range(3):
            self.port = free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.tmp} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            out = self._cmd(
                self.bin["pg_ctl"], "-w", "-t", "60", "-D", self.data, "-l", log,
                "-o", options, "start",
                capture_output=True,
                text=True,
            )  # fmt: skip
            if out.returncode == 0:
                self.started = True
                return None
            time.sleep(0.5)  # most likely the port got taken meanwhile: try another
        tail = ""
        if os.path.exists(log):
            with open(log, encoding="utf-8", errors="replace") as fh:
                tail = fh.read()[-3000:]
        return "pg_ctl start failed:\n" + out.stdout[-1000:] + out.stderr[-1000:] + tail

    def stop(self) -> None:
        if self.tmp is None:
            return
        try:
            if self.data and os.path.exists(os.path.join(self.data, "postmaster.pid")):
                out = self._cmd(
                    self.bin["pg_ctl"], "-D", self.data, "-m", "fast", "-w", "-t", "30", "stop",
                    capture_output=True,
                    text=True,
                )  # fmt: skip
                if out.returncode != 0:
                    self._kill_postmaster()
                else:
                    info(f"postgres: stopped (port {self.port})")
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)
            info(f"postgres: removed {self.tmp}")
            self.tmp = None
            self.started = False

    def _kill_postmaster(self) -> None:
        try:
            with open(os.path.join(self.data, "postmaster.pid"), encoding="utf-8") as fh:
                pid = int(fh.readline().strip())
            os.kill(pid, signal.SIGQUIT)
            for _ in range(50):
                os.kill(pid, 0)
                time.sleep(0.1)
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError):
            pass
        info("postgres: pg_ctl stop failed, postmaster killed")


# --------------------------------------------------------------------------- test runs


class Result:
    def __init__(self, set_name: str, db: str, suite: str = "main"):
        self.set_name = set_name
        self.db = db
        self.suite = suite
        self.passed = self.failed = self.errors = self.skipped = 0
        self.extra_failures = 0  # failures of the run itself (crash, nothing collected...)
        self.status = "not run"
        self.note = ""

    def mark_not_run(self, failed: bool, note: str) -> None:
        self.status = "FAILED" if failed else "skipped"
        self.extra_failures = 1 if failed else 0
        self.note = note

    @property
    def ok(self) -> bool:
        return self.status in ("passed", "skipped", NOTHING_SELECTED)

    @property
    def selected(self) -> bool:
        """Whether the run ran at least one test."""
        return self.passed + self.failed + self.errors + self.skipped > 0


#: Status of a run from which the given pytest arguments selected no test.
NOTHING_SELECTED = "nothing selected"


def parse_junit(path: str) -> dict | None:
    try:
        root = ET.parse(path).getroot()  # noqa: S314 (pytest's own report)
    except (OSError, ET.ParseError):
        return None
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in suites:
        for key in counts:
            try:
                counts[key] += int(suite.get(key, "0"))
            except ValueError:
                pass
    counts["passed"] = max(
        0, counts["tests"] - counts["failures"] - counts["errors"] - counts["skipped"]
    )
    return counts


def split_pytest_args(pytest_args: list[str]) -> tuple[list[str], list[str]]:
    """``(options, paths)`` of the user's pytest arguments; a path names a file or directory.

    The value of an option that takes one (``-k faq``, ``-m browser``) stays with it.
    """
    options, paths = [], []
    takes_value = {"-k", "-m", "-p", "-c", "-o", "--ds", "--deselect", "--ignore", "--rootdir"}
    expect_value = False
    for arg in pytest_args:
        if expect_value:
            options.append(arg)
            expect_value = False
        elif arg in takes_value:
            options.append(arg)
            expect_value = True
        elif not arg.startswith("-") and os.path.exists(os.path.join(ROOT, arg.split("::")[0])):
            paths.append(arg)
        else:
            options.append(arg)
    return options, paths


def suite_of(path: str) -> str:
    """The suite a test path belongs to."""
    relative = os.path.relpath(os.path.join(ROOT, path.split("::")[0]), ROOT).replace(os.sep, "/")
    for suite, directory in (("custom", CUSTOM_TESTS), ("frontend", FRONTEND_TESTS)):
        if relative == directory or relative.startswith(directory + "/"):
            return suite
    return "main"


def suite_args(suite: str, pytest_args: list[str]) -> list[str] | None:
    """The pytest arguments of ``suite``'s run, or None when the user's paths leave it out."""
    options, paths = split_pytest_args(pytest_args)
    if paths:
        mine = [path for path in paths if suite_of(path) == suite]
        if not mine:
            return None
    else:
        mine = list(SUITES[suite]["paths"])
    ignore = [f"--ignore={path}" for path in SUITES[suite].get("ignore", ())]
    return [f"--ds={SUITES[suite]['settings']}", *ignore, *options, *mine]


def suite_runs_on(suite: str, version_set: str, db: str) -> bool:
    """Whether ``suite`` runs on this version set and database (the frontend suite: once)."""
    only = SUITES[suite].get("only")
    return only is None or (version_set, db) == tuple(only)


def run_pytest(
    result: Result, py: str, env: dict, pytest_args: list[str], *, narrowed: bool = False
) -> None:
    """Run one suite's pytest and record its counts; ``narrowed``: the user gave arguments."""
    os.makedirs(ARTIFACTS, exist_ok=True)
    suffix = "" if result.suite == "main" else f"-{result.suite}"
    junit = os.path.join(ARTIFACTS, f"junit-{result.set_name}-{result.db}{suffix}.xml")
    if os.path.exists(junit):
        os.remove(junit)
    cmd = [py, "-m", "pytest", "-q", "-rfEs", f"--junitxml={junit}", *pytest_args]
    info("$ " + " ".join(["python", *cmd[1:]]))
    rc = run(cmd, env=env).returncode
    counts = parse_junit(junit)
    if counts is not None:
        result.passed = counts["passed"]
        result.failed = counts["failures"]
        result.errors = counts["errors"]
        result.skipped = counts["skipped"]
    if rc == 0 and counts is not None:
        result.status = "passed"
        return
    if rc == 5 and narrowed:
        result.status = NOTHING_SELECTED
        return
    result.status = "FAILED"
    if rc == 5:
        result.note = "no tests collected: pytest exit 5"
        result.extra_failures = 1
    elif counts is None:
        result.note = f"pytest exit {rc}, no report"
        result.extra_failures = 1
    elif result.failed + result.errors == 0:
        result.note = f"pytest exit {rc}"
        result.extra_failures = 1


def migrations_check(py: str, env: dict) -> bool:
    """No migration missing in any app of the test project (the test app ``custom_app`` too)."""
    cmd = [py, "-m", "django", "makemigrations", "--check", "--dry-run"]
    info(f"$ DJANGO_SETTINGS_MODULE={MIGRATIONS_SETTINGS} " + " ".join(["python", *cmd[1:]]))
    check_env = dict(env)
    check_env.pop("DATABASE_URL", None)
    check_env["DJANGO_SETTINGS_MODULE"] = MIGRATIONS_SETTINGS
    check_env["PYTHONPATH"] = os.pathsep.join([ROOT, os.path.join(ROOT, "example_project")])
    rc = run(cmd, env=check_env).returncode
    info("migrations: up to date" if rc == 0 else f"migrations: CHECK FAILED (exit {rc})")
    return rc == 0


def venv_env(base: dict, py: str) -> dict:
    env = dict(base)
    env.pop("PYTHONHOME", None)
    venv_dir = os.path.dirname(os.path.dirname(py))
    env["VIRTUAL_ENV"] = venv_dir
    env["PATH"] = os.path.join(venv_dir, "bin") + os.pathsep + env.get("PATH", "")
    return env


# --------------------------------------------------------------------------- main


def selected(env_name: str, allowed) -> list[str]:
    value = os.environ.get(env_name, "").strip()
    if not value or value.lower() == "all":
        return list(allowed)
    return split_names(value, allowed, env_name)


def on_signal(signum, _frame):
    raise Interrupted(signal.Signals(signum).name)


def main(argv: list[str]) -> int:
    opts = parse_args(argv)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    os.chdir(ROOT)

    if opts["install_only"]:
        sets, dbs = opts["install_only"], []
    else:
        sets, dbs = selected("MATRIX_SETS", VERSION_SETS), selected("MATRIX_DBS", DATABASES)

    skipped_notes: list[str] = []  # printed SKIPPED lines
    hard_failures: list[str] = []  # skips that count as failures, infra failures
    pythons: dict[str, str] = {}
    install_failed: set[str] = set()

    # 1. interpreters and venvs -------------------------------------------------
    for name in sets:
        spec = VERSION_SETS[name]
        header(f"[{name}] Python {spec['python']} + {' + '.join(spec['pins'])} in {spec['venv']}")
        interpreter = find_python(name, spec["python"])
        if not interpreter:
            msg = f"SKIPPED version set {name}: python{spec['python']} not found"
            print(msg, flush=True)
            skipped_notes.append(msg)
            if IS_CI or opts["install_only"]:
                hard_failures.append(msg)
            continue
        info(f"interpreter: {interpreter}")
        py = ensure_venv(name, spec, interpreter, opts["reinstall"])
        if not py:
            hard_failures.append(f"install of version set {name} failed")
            install_failed.add(name)
            continue
        describe_venv(py)
        pythons[name] = py

    if opts["install_only"]:
        if hard_failures:
            for msg in hard_failures:
                print(f"FAILED: {msg}", flush=True)
            return 1
        return 0

    base_env = dict(os.environ)
    results: list[Result] = []
    migration_results: dict[str, bool] = {}
    pg: Postgres | None = None
    interrupted = None

    try:
        # 2. chromium ------------------------------------------------------------
        if pythons:
            header("Chromium for browser tests, Redis for the production stack")
            problem = ensure_chromium(base_env)
            if problem:
                skipped_notes.append(f"SKIPPED browser tests: {problem}")
                if IS_CI:
                    hard_failures.append(problem)
            if "postgres" in dbs:
                problem = ensure_redis(base_env)
                if problem:
                    skipped_notes.append(f"production-stack test will fail: {problem}")
                    if IS_CI:
                        hard_failures.append(problem)
            problem = ensure_tsc(base_env)
            if problem:
                skipped_notes.append(f"SKIPPED TypeScript compile check: {problem}")
                if IS_CI:
                    hard_failures.append(problem)

        # 3. postgres ------------------------------------------------------------
        pg_error = None
        if "postgres" in dbs and pythons:
            header("PostgreSQL cluster")
            binaries = find_pg_binaries()
            if not binaries:
                pg_error = "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found"
            else:
                pg = Postgres(binaries)
                pg_error = pg.start()
                if not pg_error:
                    info(f"postgres: running on 127.0.0.1:{pg.port}, data in {pg.data}")
                    info(f"DATABASE_URL={pg.url}")
            if pg_error:
                msg = f"SKIPPED postgres runs: {pg_error}"
                print(msg, flush=True)
                skipped_notes.append(msg.splitlines()[0])
                if IS_CI:
                    hard_failures.append(msg.splitlines()[0])

        # 4. the runs ------------------------------------------------------------
        narrowed = bool(opts["pytest_args"])
        suites = {suite: suite_args(suite, opts["pytest_args"]) for suite in SUITES}
        for suite, args in suites.items():
            if args is None:
                info(f"{suite} suite: none of the given test paths is in it, not run")
        suites = {suite: args for suite, args in suites.items() if args is not None}
        for name in sets:
            if name not in pythons:
                for db in dbs:
                    for suite in suites:
                        if not suite_runs_on(suite, name, db):
                            continue
                        r = Result(name, db, suite)
                        if name in install_failed:
                            r.mark_not_run(failed=True, note="venv install failed")
                        else:
                            python = f"python{VERSION_SETS[name]['python']}"
                            r.mark_not_run(failed=IS_CI, note=f"{python} not found")
                        results.append(r)
                continue
            py = pythons[name]
            env = venv_env(base_env, py)

            header(f"[{name}] migrations check")
            migration_results[name] = migrations_check(py, env)

            for db in dbs:
                db_env = dict(env)
                pg_missing = db != "sqlite" and (pg_error or pg is None or not pg.started)
                if db == "sqlite":
                    db_env.pop("DATABASE_URL", None)
                elif not pg_missing:
                    db_env["DATABASE_URL"] = pg.url
                for suite, args in suites.items():
                    if not suite_runs_on(suite, name, db):
                        continue
                    r = Result(name, db, suite)
                    results.append(r)
                    if pg_missing:
                        r.mark_not_run(failed=IS_CI, note="PostgreSQL not available")
                        continue
                    header(f"[{name}] pytest on {db}, {suite} suite ({SUITES[suite]['settings']})")
                    run_pytest(r, py, db_env, args, narrowed=narrowed)
        ran = [r for r in results if r.status in ("passed", "FAILED", NOTHING_SELECTED)]
        if narrowed and ran and all(r.status == NOTHING_SELECTED for r in ran):
            hard_failures.append("the pytest arguments selected no test in any run")
    except (KeyboardInterrupt, Interrupted) as exc:
        interrupted = exc
    finally:
        if pg is not None:
            # a second Ctrl-C or SIGTERM must not cut the cleanup short
            for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(sig, signal.SIG_IGN)
            header("Stopping PostgreSQL")
            pg.stop()

    if interrupted is not None:
        print(f"\nmatrix.py: interrupted ({str(interrupted) or 'SIGINT'})", flush=True)
        return 130

    return summarize(results, migration_results, skipped_notes, hard_failures)


def summarize(results, migration_results, skipped_notes, hard_failures) -> int:
    header("Summary")
    rows = [("version set", "db", "suite", "result", "passed", "failed", "errors", "skipped")]
    for name in VERSION_SETS:
        if name in migration_results:
            ok = migration_results[name]
            status = "passed" if ok else "FAILED (makemigrations --check)"
            rows.append((name, "(migrations)", "", status, "", "", "", ""))
        for r in results:
            if r.set_name != name:
                continue
            note = f" ({r.note})" if r.note else ""
            counts = (r.passed, r.failed, r.errors, r.skipped)
            cells = tuple(str(c) for c in counts) if r.status not in ("skipped",) else ("",) * 4
            rows.append((r.set_name, r.db, r.suite, r.status + note, *cells))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for i, row in enumerate(rows):
        print("  " + "  ".join(cell.ljust(widths[j]) for j, cell in enumerate(row)).rstrip())
        if i == 0:
            print("  " + "  ".join("-" * w for w in widths))
    for note in skipped_notes:
        print(note)
    for msg in hard_failures:
        why = " (CI=true: a skip counts as a failure)" if msg.startswith("SKIPPED") else ""
        print(f"FAILED: {msg}{why}")

    passed = sum(r.passed for r in results) + sum(1 for ok in migration_results.values() if ok)
    failed = sum(r.failed + r.errors + r.extra_failures for r in results)
    failed += sum(1 for ok in migration_results.values() if not ok)
    skipped = sum(r.skipped for r in results)
    ok = (
        bool(results)
        and all(r.ok for r in results)
        and all(migration_results.values())
        and not hard_failures
    )
    if not ok and failed == 0:
        failed = 1  # never close a failing run on "0 failed"
    print(
        "(counts: pytest tests of every run, both suites, plus one per migrations check"
        " and one failure per run that could not run or report)"
    )
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line, flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (KeyboardInterrupt, Interrupted) as exc:
        print(f"\nmatrix.py: interrupted ({str(exc) or 'SIGINT'})", flush=True)
        sys.exit(130)
