"""Run the real app (`habit-wizard serve`: migrations + Reflex prod build + Granian) for tests."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.support.environment import without_app_variables
from tests.support.parts import free_port

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
# Readiness deadline (not a sleep): the first build installs frontend packages.
START_DEADLINE_SECONDS = 600


TEMPLATE_WEB = REPO / ".web"
_TEMPLATE_LOCK = REPO / ".web.template.lock"


def _reflex_env() -> dict[str, str]:
    env = without_app_variables(os.environ)
    env.update(PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}", REFLEX_USE_NPM="1")
    env.update(REFLEX_TELEMETRY_ENABLED="false", REFLEX_CHECK_LATEST_VERSION="false")
    return env


def private_web_dir(workdir: Path) -> Path:
    """A `.web` of this app's own, so several live apps (and test processes) never collide.

    The frontend packages are installed once, into the repository's `.web` (under a file lock
    across processes); each app links to them and compiles its own build.
    """
    with _TEMPLATE_LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (TEMPLATE_WEB / "node_modules").is_dir():
            subprocess.run([str(VENV_BIN / "habit-wizard"), "build"], cwd=REPO, env=_reflex_env(), check=True)
        web = workdir / ".web"
        shutil.copytree(
            TEMPLATE_WEB, web, symlinks=True, ignore=shutil.ignore_patterns("node_modules", "build")
        )
    (web / "node_modules").symlink_to(TEMPLATE_WEB / "node_modules", target_is_directory=True)
    return web


@dataclass(frozen=True)
class LiveApp:
    base_url: str
    port: int
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def app_environment(port: int, database_url: str, extra: dict[str, str]) -> dict[str, str]:
    env = without_app_variables(os.environ)
    env.update(
        PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
        REFLEX_USE_NPM="1",
        REFLEX_TELEMETRY_ENABLED="false",
        REFLEX_CHECK_LATEST_VERSION="false",
        APP_ENV="development",
        PORT=str(port),
        APP_BASE_URL=f"http://localhost:{port}",
        DATABASE_URL=database_url,
        DEV_OIDC_PORT=str(free_port()),
        GRANIAN_WORKERS="1",
    )
    env.update(extra)
    return env


def _wait_until_healthy(process: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
    deadline = time.monotonic() + START_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"app exited with {process.returncode}:\n{log_path.read_text()[-4000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)  # polling interval of a readiness loop, not synchronisation by sleep
    raise RuntimeError(f"app not healthy after {START_DEADLINE_SECONDS}s:\n{log_path.read_text()[-4000:]}")


def stop_process_group(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextmanager
def running_app(
    workdir: Path, extra_env: dict[str, str] | None = None, port: int | None = None
) -> Iterator[LiveApp]:
    """Serve the app on `port` (default: a free one) with SQLite in `workdir`; stop it afterwards.

    Each app compiles into its own `.web` (see `private_web_dir`), so apps may run side by side.
    """
    port = port or free_port()
    database_url = f"sqlite:///{workdir / 'habit-wizard.db'}"
    log_path = workdir / "app.log"
    env = app_environment(port, database_url, extra_env or {})
    env["REFLEX_WEB_WORKDIR"] = str(private_web_dir(workdir))
    env["REFLEX_STATES_WORKDIR"] = str(workdir / ".states")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(VENV_BIN / "habit-wizard"), "serve"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_healthy(process, f"http://localhost:{port}", log_path)
            yield LiveApp(base_url=f"http://localhost:{port}", port=port, log_path=log_path)
        finally:
            stop_process_group(process)
