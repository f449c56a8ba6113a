"""The HTTP side over real HTTP semantics (in-process ASGI): probes, metrics, sign-in errors."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api.backend import create_backend
from app.cli import upgrade_database
from app.config import get_settings
from app.db.engine import get_engine
from tests.support.parts import free_port, require_executable, require_redis

PRODUCTION_ENV = {
    "APP_ENV": "production",
    "SECRET_KEY": "s" * 48,
    "METRICS_TOKEN": "metrics-token-for-tests",
    "OAUTH_PROVIDERS": "corp",
    "OAUTH_CORP_ISSUER": "http://localhost:1/corp",
    "OAUTH_CORP_CLIENT_ID": "habit-wizard",
    "OAUTH_CORP_CLIENT_SECRET": "client-secret",
}


def _client(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> TestClient:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    get_engine.cache_clear()
    return TestClient(create_backend(), follow_redirects=False)


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'http.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    upgrade_database()
    return url


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Iterator[TestClient]:
    with _client(monkeypatch, {"DATABASE_URL": database_url}) as test_client:
        yield test_client


def test_healthz_answers_without_dependencies(monkeypatch: pytest.MonkeyPatch):
    down = f"postgresql://postgres@127.0.0.1:{free_port()}/none"
    with _client(monkeypatch, {"DATABASE_URL": down}) as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_ok_with_database(client: TestClient):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checked"] == ["database"]


def test_readyz_names_the_database_when_it_is_down(monkeypatch: pytest.MonkeyPatch):
    down = f"postgresql://postgres@127.0.0.1:{free_port()}/none"
    with _client(monkeypatch, {"DATABASE_URL": down}) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]


def test_readyz_checks_redis_when_configured(monkeypatch: pytest.MonkeyPatch, database_url: str):
    redis_url = require_redis()
    with _client(monkeypatch, {"REDIS_URL": redis_url}) as client:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checked"] == ["database", "redis"]


def test_readyz_names_redis_when_it_is_down(monkeypatch: pytest.MonkeyPatch, database_url: str):
    with _client(monkeypatch, {"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["redis"]
    assert "redis" in response.json()["detail"]


def test_metrics_label_requests_by_route_template_never_raw_path(client: TestClient):
    client.get("/auth/login/no-such-provider-4711")
    client.get("/healthz")
    body = client.get("/metrics").text
    assert re.search(
        r'http_requests_total\{handler="/auth/login/\{provider\}",method="GET",status="303"\}', body
    )
    assert 'http_request_duration_seconds_bucket{handler="/healthz"' in body
    assert "no-such-provider-4711" not in body
    assert 'habit_wizard_sign_ins_total{outcome="unknown_provider"}' in body


def test_metrics_pass_promtool_check(client: TestClient, tmp_path: Path):
    promtool = require_executable("promtool")
    client.get("/healthz")
    exposition = client.get("/metrics").content
    result = subprocess.run([promtool, "check", "metrics"], input=exposition, capture_output=True, timeout=60)
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()


def test_metrics_need_the_bearer_token_in_production(monkeypatch: pytest.MonkeyPatch, database_url: str):
    with _client(monkeypatch, PRODUCTION_ENV) as client:
        assert client.get("/metrics").status_code == 401
        wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        right = client.get("/metrics", headers={"Authorization": "Bearer metrics-token-for-tests"})
    assert right.status_code == 200
    assert "http_requests_total" in right.text


def _sign_in_count(client: TestClient, outcome: str) -> float:
    match = re.search(
        rf'habit_wizard_sign_ins_total\{{outcome="{outcome}"\}} (\S+)', client.get("/metrics").text
    )
    assert match, f"no sign-in counter for {outcome}"
    return float(match.group(1))


def test_callback_with_provider_error_lands_on_sign_in_without_session(client: TestClient):
    denied_before = _sign_in_count(client, "denied")
    response = client.get("/auth/callback/dev", params={"error": "access_denied", "state": "x"})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin?error=")
    assert "hw_session" not in response.headers.get("set-cookie", "")
    assert _sign_in_count(client, "denied") == denied_before + 1


@pytest.mark.parametrize("params", [{"code": "abc", "state": "forged"}, {"code": "abc"}])
def test_callback_with_forged_or_missing_state_creates_no_session(client: TestClient, params: dict[str, str]):
    invalid_before = _sign_in_count(client, "invalid_state")
    response = client.get("/auth/callback/dev", params=params)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin?error=")
    assert "hw_session" not in response.headers.get("set-cookie", "")
    assert "Traceback" not in response.text
    assert _sign_in_count(client, "invalid_state") == invalid_before + 1


def test_logout_refuses_a_foreign_origin(client: TestClient):
    response = client.post("/auth/logout", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403


def test_logout_clears_the_cookie_and_returns_to_sign_in(client: TestClient):
    response = client.post("/auth/logout", headers={"Origin": "http://localhost:3000"})
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?signed_out=1"
    assert 'hw_session=""' in response.headers["set-cookie"]
