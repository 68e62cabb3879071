"""Fixtures of the frontend tests: the Next.js starter (example_project/frontend/) built once and
served with ``next start`` against the live server.

They need node and npm. Without them the tests say so and are skipped, except with
``CI=true``, where they fail. ``npm ci`` installs into example_project/frontend/node_modules
with its npm cache in example_project/frontend/.npm-cache (both ignored by git), so nothing is
cached outside the repository; Next's telemetry is off. ``tests/matrix.py`` runs this directory
once, on the lowest version set with SQLite.
"""

import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import (  # noqa: F401 (the browser tests' fixtures and hooks)
    browser,
    page,
    pytest_runtest_makereport,
    pytest_runtest_teardown,
    server,
)
from tests.browser.helpers import skip_or_fail
from tests.matrix import free_port

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "example_project" / "frontend"
BUILD_TIMEOUT = 900
START_TIMEOUT = 60


def node_problem():
    """Why the starter cannot be built here, or None."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed: the Next.js starter cannot be built or tested"
    return None


def frontend_env(**extra):
    env = dict(os.environ)
    env.update(
        NEXT_TELEMETRY_DISABLED="1",
        NPM_CONFIG_CACHE=str(FRONTEND / ".npm-cache"),
        NPM_CONFIG_UPDATE_NOTIFIER="false",
        NPM_CONFIG_FUND="false",
        NPM_CONFIG_AUDIT="false",
        NODE_ENV="production",
    )
    env.update(extra)
    return env


def run(args, env, timeout=BUILD_TIMEOUT):
    result = subprocess.run(
        args, cwd=FRONTEND, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def installed_matches_lock():
    """node_modules holds exactly what package-lock.json pins (npm writes its own copy)."""
    hidden = FRONTEND / "node_modules" / ".package-lock.json"
    if not hidden.exists():
        return False
    lock = json.loads((FRONTEND / "package-lock.json").read_text())["packages"]
    installed = json.loads(hidden.read_text())["packages"]
    return all(
        installed.get(name, {}).get("version") == entry.get("version")
        for name, entry in lock.items()
        if name and not entry.get("optional")
    )


@pytest.fixture(scope="session")
def frontend_installed():
    """``npm ci`` in example_project/frontend (skipped when node_modules matches the lock)."""
    problem = node_problem()
    if problem:
        skip_or_fail(problem)
    env = frontend_env(NODE_ENV="development")
    if not installed_matches_lock():
        run(["npm", "ci"], env)
    return env


@pytest.fixture(scope="session")
def frontend_build(frontend_installed):
    """A fresh ``next build`` (nothing rendered by an earlier run survives it)."""
    shutil.rmtree(FRONTEND / ".next", ignore_errors=True)
    # The API is not needed to build: every page is rendered on its first visit.
    run(["node_modules/.bin/next", "build"], frontend_env(WAGTAIL_API_URL="http://127.0.0.1:9/api/v2"))
    return FRONTEND / ".next"


class Frontend:
    """``next start`` on a free port of 127.0.0.1, reading the API at ``api_url``."""

    def __init__(self, api_url, secret):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.secret = secret
        self.log = (ROOT / "test-artifacts" / "next-start.log")
        self.log.parent.mkdir(parents=True, exist_ok=True)
        env = frontend_env(WAGTAIL_API_URL=api_url, REVALIDATE_SECRET=secret, SITE_URL=self.url)
        self.process = subprocess.Popen(
            ["node_modules/.bin/next", "start", "-p", str(self.port), "-H", "127.0.0.1"],
            cwd=FRONTEND,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def wait(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"{self.url}/preview/", timeout=5):
                    return self
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"next start did not answer:\n{self.log.read_text()[-3000:]}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def frontend(frontend_build, server):  # noqa: F811 (the fixture above)
    """The built starter served against the live server's API."""
    starter = Frontend(f"{server}/api/v2", secret="frontend-test-secret-" + os.urandom(8).hex())
    try:
        yield starter.wait()
    finally:
        starter.stop()
