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


def _client(port: int, name: str) -> dict[str, object]:
    return {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [f"http://localhost:{port}/auth/callback/{name}"],
        "post_logout_redirect_uris": [f"http://localhost:{port}/signin"],
    }


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    """The app configured with two real providers (the development provider is then off)."""
    port = free_port()
    with (
        start_oidc_provider([_client(port, "idp")]) as idp,
        start_oidc_provider([_client(port, "second")]) as second,
    ):
        env = {"OAUTH_PROVIDERS": "idp,second"}
        for name, provider, label in (("IDP", idp, "Example ID"), ("SECOND", second, "Second ID")):
            env[f"OAUTH_{name}_ISSUER"] = provider.issuer
            env[f"OAUTH_{name}_CLIENT_ID"] = CLIENT_ID
            env[f"OAUTH_{name}_CLIENT_SECRET"] = CLIENT_SECRET
            env[f"OAUTH_{name}_DISPLAY_NAME"] = label
        workdir: Path = tmp_path_factory.mktemp("idp-app")
        with running_app(workdir, extra_env=env, port=port) as app:
            yield app


def provider_login(page: Page, login: str) -> None:
    """oidc-provider's development login form (any login and password), then its consent form."""
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any-password")
    page.locator("button[type=submit]").click()
    page.locator("button[type=submit]").click()


def test_full_flow_through_independent_provider(page: Page, live_app: LiveApp, console_errors: list[str]):
    page.goto(f"{live_app.base_url}/")
    expect(page).to_have_url(re.compile(r"/signin"))
    expect(page.get_by_role("link", name="Sign in with Development sign-in")).to_have_count(0)
    page.get_by_role("link", name="Sign in with Example ID").click()

    provider_login(page, "grace")

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


def test_link_a_second_provider_then_sign_in_with_it(
    page: Page, live_app: LiveApp, console_errors: list[str]
):
    page.goto(f"{live_app.base_url}/signin")
    page.get_by_role("link", name="Sign in with Example ID").click()
    provider_login(page, "linus")
    expect(page.locator("#display-name")).to_have_text("User linus")
    page.get_by_label("New habit name").fill("Linus's habit")
    page.get_by_role("button", name="Add habit").click()

    page.get_by_role("link", name="Settings").click()
    expect(page.locator("#linked-providers")).to_have_text("Example ID")
    page.get_by_role("link", name="Link Second ID").click()
    provider_login(page, "linus-elsewhere")
    expect(page).to_have_url(re.compile(r"/settings"))
    expect(page.locator("#linked-providers")).to_contain_text("Second ID")
    page.locator("#sign-out").click()
    # The provider may ask to confirm its own sign-out, or (its session already gone) skip that.
    page.wait_for_url(re.compile(r"/signin|/session/end"))
    if "/session/end" in page.url:
        page.get_by_role("button", name="Yes, sign me out").click()
    expect(page.locator("#signed-out")).to_be_visible()

    # The second provider's identity now opens the same account.
    page.get_by_role("link", name="Sign in with Second ID").click()
    provider_login(page, "linus-elsewhere")
    expect(page.locator("#display-name")).to_have_text("User linus")
    expect(page.get_by_role("checkbox", name="Done today: Linus's habit")).to_be_visible()
    assert console_errors == []


def test_session_list_and_revoke_with_a_real_provider(browser, live_app: LiveApp):
    contexts = [browser.new_context(), browser.new_context()]
    first, second = (context.new_page() for context in contexts)
    try:
        for page in (first, second):
            page.goto(f"{live_app.base_url}/signin")
            page.get_by_role("link", name="Sign in with Example ID").click()
            provider_login(page, "rosa")
            expect(page.locator("#display-name")).to_have_text("User rosa")
        first.get_by_role("link", name="Settings").click()
        sessions = first.locator(".session-row")
        expect(sessions).to_have_count(2)
        sessions.filter(has_not_text="This browser").get_by_role("button", name=re.compile("^Revoke")).click()
        expect(sessions).to_have_count(1)

        second.get_by_label("New habit name").fill("After revoking")
        second.get_by_role("button", name="Add habit").click()
        expect(second).to_have_url(re.compile(r"/signin"))
        expect(second.get_by_role("alert")).to_contain_text("Your session has ended")
    finally:
        for context in contexts:
            context.close()
