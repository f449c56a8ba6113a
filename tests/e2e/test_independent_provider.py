"""Sign-in through an independent, certified OpenID Provider (npm `oidc-provider`, PKCE required)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.live_app import LiveApp, running_app
from tests.support.oidc_provider import start_oidc_provider
from tests.support.parts import free_port

CLIENT_ID, CLIENT_SECRET = "habit-wizard", "independent-provider-secret"


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    """The app configured with one real provider (the development provider is then off)."""
    port = free_port()
    client = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [f"http://localhost:{port}/auth/callback/idp"],
        "post_logout_redirect_uris": [f"http://localhost:{port}/signin"],
    }
    with start_oidc_provider([client]) as idp:
        env = {
            "OAUTH_PROVIDERS": "idp",
            "OAUTH_IDP_ISSUER": idp.issuer,
            "OAUTH_IDP_CLIENT_ID": CLIENT_ID,
            "OAUTH_IDP_CLIENT_SECRET": CLIENT_SECRET,
            "OAUTH_IDP_DISPLAY_NAME": "Example ID",
        }
        workdir: Path = tmp_path_factory.mktemp("idp-app")
        with running_app(workdir, extra_env=env, port=port) as app:
            yield app


def test_full_flow_through_independent_provider(page: Page, live_app: LiveApp, console_errors: list[str]):
    page.goto(f"{live_app.base_url}/")
    expect(page).to_have_url(re.compile(r"/signin"))
    expect(page.get_by_role("link", name="Sign in with Development sign-in")).to_have_count(0)
    page.get_by_role("link", name="Sign in with Example ID").click()

    # oidc-provider's development login form (any login and password), then its consent form.
    page.locator("input[name=login]").fill("grace")
    page.locator("input[name=password]").fill("any-password")
    page.locator("button[type=submit]").click()
    page.locator("button[type=submit]").click()

    expect(page.locator("#display-name")).to_have_text("User grace")
    page.get_by_label("New habit name").fill("Stretch")
    page.get_by_role("button", name="Add habit").click()
    page.get_by_role("checkbox", name="Done today: Stretch").click()
    expect(page.get_by_role("checkbox", name="Done today: Stretch")).to_be_checked()

    page.reload()
    expect(page.get_by_role("checkbox", name="Done today: Stretch")).to_be_checked()

    # Sign-out ends the provider's session too (RP-initiated logout), which asks to confirm.
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(re.compile(r"/signin/?\?state=signed_out"))
    expect(page.locator("#signed-out")).to_be_visible()
    page.goto(f"{live_app.base_url}/")
    expect(page).to_have_url(re.compile(r"/signin"))
    assert console_errors == []


def test_settings_lists_the_linked_provider(page: Page, live_app: LiveApp, console_errors: list[str]):
    page.goto(f"{live_app.base_url}/signin")
    page.get_by_role("link", name="Sign in with Example ID").click()
    page.locator("input[name=login]").fill("linus")
    page.locator("input[name=password]").fill("any-password")
    page.locator("button[type=submit]").click()
    page.locator("button[type=submit]").click()
    expect(page.locator("#display-name")).to_have_text("User linus")

    page.get_by_role("link", name="Settings").click()
    expect(page.locator("#linked-providers")).to_have_text("Example ID")
    assert console_errors == []
