"""The real Prometheus server scrapes the running app and can query its request metrics."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx
import yaml

from tests.support.live_app import LiveApp, stop_process_group
from tests.support.parts import free_port, require_executable

SCRAPE_DEADLINE_SECONDS = 90


def _wait_for(description: str, check, process: subprocess.Popen[bytes], log: Path):  # type: ignore[no-untyped-def]
    """Poll `check` until it returns a truthy value (a readiness loop with a deadline, not a sleep)."""
    deadline = time.monotonic() + SCRAPE_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, f"prometheus exited:\n{log.read_text()[-3000:]}"
        try:
            result = check()
        except httpx.TransportError:
            result = None
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {description}:\n{log.read_text()[-3000:]}")


def test_prometheus_scrapes_the_app(live_app: LiveApp, tmp_path: Path):
    prometheus = require_executable("prometheus")
    httpx.get(f"{live_app.base_url}/healthz")
    port = free_port()
    config = {
        "global": {"scrape_interval": "1s", "scrape_timeout": "1s"},
        "scrape_configs": [
            {"job_name": "habit-wizard", "static_configs": [{"targets": [f"localhost:{live_app.port}"]}]}
        ],
    }
    config_path = tmp_path / "prometheus.yml"
    config_path.write_text(yaml.safe_dump(config))
    log = tmp_path / "prometheus.log"
    api = f"http://127.0.0.1:{port}/api/v1"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                prometheus,
                f"--config.file={config_path}",
                f"--storage.tsdb.path={tmp_path / 'data'}",
                f"--web.listen-address=127.0.0.1:{port}",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:

            def target_up() -> bool:
                targets = httpx.get(f"{api}/targets", timeout=2).json()["data"]["activeTargets"]
                return bool(targets) and targets[0]["health"] == "up"

            _wait_for("the app target to be up", target_up, process, log)

            def healthz_series() -> list[dict[str, object]]:
                query = 'http_requests_total{job="habit-wizard",handler="/healthz"}'
                return httpx.get(f"{api}/query", params={"query": query}, timeout=2).json()["data"]["result"]

            series = _wait_for("the /healthz request series", healthz_series, process, log)
        finally:
            stop_process_group(process)
    assert series[0]["metric"]["status"] == "200"
    assert float(series[0]["value"][1]) >= 1
