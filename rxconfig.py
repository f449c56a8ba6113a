"""Reflex configuration. Every value comes from the one Settings object in app/config.py."""

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from app.config import get_settings

_settings = get_settings()

config = rx.Config(
    app_name="app",
    telemetry_enabled=False,
    frontend_port=_settings.port,
    backend_port=_settings.port,
    # Pages, websocket and HTTP routes share one origin (single-port prod mode).
    api_url=_settings.app_base_url,
    deploy_url=_settings.app_base_url,
    cors_allowed_origins=_settings.allowed_origins,
    redis_url=_settings.redis_url,
    show_built_with_reflex=False,
    disable_plugins=[SitemapPlugin],
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="violet", radius="medium"))],
)
