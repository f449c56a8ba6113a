"""With Redis configured the app runs several worker processes: state and metrics stay whole."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
import redis
from playwright.sync_api import Page, expect

from tests.e2e.test_walking_skeleton import sign_in_with_dev_provider
from tests.support.live_app import LiveApp, running_app
from tests.support.parts import require_redis

WORKERS = 3
REDIS_DB = 7  # a database of its own, emptied afterwards
REQUESTS = 40


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    redis_url = require_redis().rsplit("/", 1)[0] + f"/{REDIS_DB}"
    env = {"REDIS_URL": redis_url, "GRANIAN_WORKERS": str(WORKERS)}
    try:
        with running_app(tmp_path_factory.mktemp("workers-app"), extra_env=env) as app:
            yield app
    finally:
        redis.Redis.from_url(redis_url).flushdb()


def healthz_count(client: httpx.Client) -> float:
    body = client.get("/metrics").text
    match = re.search(r'http_requests_total\{handler="/healthz",method="GET",status="200"\} (\S+)', body)
    return float(match.group(1)) if match else 0.0


def test_metrics_add_up_requests_served_by_every_worker(live_app: LiveApp):
    # A new connection per request, so the requests spread over the workers.
    with httpx.Client(base_url=live_app.base_url, limits=httpx.Limits(max_keepalive_connections=0)) as client:
        before = healthz_count(client)
        for _ in range(REQUESTS):
            assert client.get("/healthz").status_code == 200
        after = healthz_count(client)

    # One worker alone would have seen only its share of the requests.
    assert after - before == REQUESTS
    assert "redis" in httpx.get(f"{live_app.base_url}/readyz").json()["checked"]


def test_the_app_works_across_workers(page: Page, live_app: LiveApp, console_errors: list[str]):
    sign_in_with_dev_provider(page, live_app)
    page.get_by_label("New habit name").fill("Across workers")
    page.get_by_role("button", name="Add habit").click()
    page.get_by_role("checkbox", name="Done today: Across workers").click()
    expect(page.get_by_role("checkbox", name="Done today: Across workers")).to_be_checked()
    page.reload()
    expect(page.get_by_role("checkbox", name="Done today: Across workers")).to_be_checked()
    assert console_errors == []
