"""Browser tests: Debian's Chromium driven by Playwright against the running app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from tests.support.live_app import LiveApp, running_app
from tests.support.parts import CHROMIUM_ARGS, require_chromium


# Module scope: one build per test module (each live app compiles into its own `.web`).
@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    with running_app(tmp_path_factory.mktemp("live-app")) as app:
        yield app


# Module scope: Playwright's sync API holds an event loop that must not outlive the e2e modules.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def console_errors() -> list[str]:
    return []


@pytest.fixture
def page(browser: Browser, live_app: LiveApp, console_errors: list[str]) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()

    # Only our own pages count: the identity provider's pages are not ours to judge.
    def record(message: ConsoleMessage) -> None:
        if message.type == "error" and page.url.startswith(live_app.base_url):
            console_errors.append(f"{message.text} at {message.location.get('url')}")

    page.on("console", record)
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    yield page
    context.close()
