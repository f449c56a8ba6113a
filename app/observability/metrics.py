"""Prometheus metrics: HTTP by route template, sign-in outcomes, checkpoint builds, exposition."""

from __future__ import annotations

import os
from enum import StrEnum

from fastapi import FastAPI
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client import REGISTRY as DEFAULT_REGISTRY
from prometheus_fastapi_instrumentator import Instrumentator, metrics

from app.observability import metric_names


class SignInOutcome(StrEnum):
    """The only values the sign-in counter's `outcome` label takes."""

    SUCCESS = "success"
    DENIED = "denied"
    INVALID_STATE = "invalid_state"
    PROVIDER_ERROR = "provider_error"
    UNKNOWN_PROVIDER = "unknown_provider"
    ACCOUNT_DISABLED = "account_disabled"
    ISSUER_MISMATCH = "issuer_mismatch"
    INVALID_TOKEN = "invalid_token"  # noqa: S105 (a label value, not a secret)
    LINK_REFUSED = "link_refused"


SIGN_INS = Counter(
    metric_names.SIGN_INS_TOTAL,
    "Sign-in attempts that reached the callback, by outcome.",
    ["outcome"],
)
for _outcome in SignInOutcome:
    SIGN_INS.labels(outcome=_outcome.value)  # export zeros so rates work from the start


class CheckpointReason(StrEnum):
    """Why a habit's progress checkpoint was built (app/services/habit_progress.py)."""

    FIRST = "first"  # the habit had none (new habit, import, first visit)
    REBUILT = "rebuilt"  # an old day, the schedule, the target or the time zone changed
    MOVED_FORWARD = "moved_forward"  # it had fallen a few weeks behind today


CHECKPOINTS_BUILT = Counter(
    metric_names.PROGRESS_CHECKPOINTS_BUILT_TOTAL,
    "Progress checkpoints built, by reason; rebuilt ones re-read a habit's whole history.",
    ["reason"],
)
for _reason in CheckpointReason:
    CHECKPOINTS_BUILT.labels(reason=_reason.value)


HTTP_REQUESTS = Counter(
    metric_names.HTTP_REQUESTS_TOTAL,
    "HTTP requests by route template, method and status code.",
    ["handler", "method", "status"],
)
HTTP_REQUEST_DURATION = Histogram(
    metric_names.HTTP_REQUEST_DURATION_SECONDS,
    "HTTP request duration in seconds by route template and method.",
    ["handler", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def _record(info: metrics.Info) -> None:
    HTTP_REQUESTS.labels(info.modified_handler, info.method, info.modified_status).inc()
    HTTP_REQUEST_DURATION.labels(info.modified_handler, info.method).observe(info.modified_duration)


def instrument(app: FastAPI) -> None:
    """Count and time every HTTP request, labelled by route template, never the raw path.

    Paths that match no route of ours (the compiled frontend, Reflex internals) share the
    single label value "none", which keeps the label set bounded. The metric objects live
    in this module, so building several apps in one process (tests) shares them.
    """
    instrumentator = Instrumentator(
        should_group_status_codes=False,
        should_group_untemplated=True,
        excluded_handlers=["/metrics"],
    )
    instrumentator.add(_record)
    instrumentator.instrument(app)


def render_metrics() -> tuple[bytes, str]:
    """The exposition text; merges worker files when running several worker processes."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(DEFAULT_REGISTRY), CONTENT_TYPE_LATEST
