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
if _settings.workers > 0:
    # Reflex 0.10 serves with Granian and reads GRANIAN_WORKERS when it starts the workers (this process).
    os.environ.setdefault("GRANIAN_WORKERS", str(_settings.workers))

config = rx.Config(
    app_name="onestop",
    db_url=_settings.database_url,
    show_built_with_reflex=False,
    frontend_port=int(os.environ.get("ONESTOP_PORT", _settings.port)),
    backend_port=int(os.environ.get("ONESTOP_PORT", _settings.port)),
    backend_host=_settings.bind_host,
    telemetry_enabled=False,
    plugins=[],
    disable_plugins=[SitemapPlugin],
    state_auto_setters=False,
    **_extra,
)
