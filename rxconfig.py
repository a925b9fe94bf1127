"""Reflex configuration: everything comes from onestop.settings (the environment)."""

import os

import reflex as rx
from reflex_base.plugins.sitemap import SitemapPlugin

from onestop.settings import get_settings

_settings = get_settings()
_settings.ensure_dirs()

_extra = {}
if _settings.redis_url:
    _extra["redis_url"] = _settings.redis_url

config = rx.Config(
    app_name="onestop",
    db_url=_settings.database_url,
    show_built_with_reflex=False,
    frontend_port=int(os.environ.get("ONESTOP_PORT", _settings.port)),
    backend_port=int(os.environ.get("ONESTOP_PORT", _settings.port)),
    telemetry_enabled=False,
    plugins=[],
    disable_plugins=[SitemapPlugin],
    state_auto_setters=False,
    **_extra,
)
