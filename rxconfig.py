"""Reflex configuration: everything comes from onestop.settings (the environment)."""

import os

import reflex as rx
from reflex_base.constants import StateManagerMode
from reflex_base.plugins.sitemap import SitemapPlugin

from onestop.settings import get_settings
from onestop.ui.radix_css import LeanRadixThemesPlugin
from onestop.ui.shells import DynamicShellsPlugin
from onestop.ui.theme import THEME

_settings = get_settings()
_settings.ensure_dirs()

_extra = {}
if _settings.redis_url:
    _extra["redis_url"] = _settings.redis_url
elif _settings.workers <= 1:
    # One worker, no Redis: the tabs' states live in this process's memory. Reflex's default here is its disk
    # manager: the same in-memory states plus pickled copies written behind every event (debounced 2 s) and, each
    # time it writes, a stat() of every state file of the last hour (one per tab and substate: 4,000 after six
    # bench runs of 200 tabs) — 31 % of the worker's GIL time with 200 officers clicking, so every tab's event
    # waited behind it (bench/README.md "Reflex's state manager", issue 11). What the disk copies bought: open tabs keep their
    # state across a restart. In memory, a restart resets an open tab to what its page load gives: the socket
    # reconnects and rehydrates, the cookie signs the person in again and the page's on_load re-reads (the inbox
    # opens on its first tab, unsent form input is lost). REFLEX_STATE_MANAGER_MODE=disk still overrides this.
    _extra["state_manager_mode"] = StateManagerMode.MEMORY
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
    # Behind nginx every socket comes from 127.0.0.1: the sign-in throttle's per-address limit needs the client
    # address from X-Forwarded-For, trusted only for the configured number of proxies.
    trusted_proxy_hops=_settings.trusted_proxy_hops,
    telemetry_enabled=False,
    # Radix Themes made explicit (Reflex 0.10: App(theme=...) is deprecated); the theme lives in onestop.ui.theme.
    # The lean variant links one generated stylesheet with only the colour scales, components and utilities the
    # app uses (page weight, see onestop/ui/radix_css.py).
    # DynamicShellsPlugin: dynamic routes (/apply/[code]) get a prerendered shell too (onestop/ui/shells.py).
    plugins=[LeanRadixThemesPlugin(theme=THEME), DynamicShellsPlugin()],
    # Every page imports only the Radix/lucide components it renders; without this the root module imports the
    # whole @radix-ui/themes namespace (for rx.dynamic components, which this app does not use) on every page.
    frontend_lazy_bundled_libraries=True,
    disable_plugins=[SitemapPlugin],
    # Brotli sidecars next to gzip ones: every browser on HTTPS accepts `br`: 12-35 % fewer bytes than gzip -9 for
    # the same JS/CSS on a slow link; gzip stays for clients that do not (served per Accept-Encoding by Reflex).
    frontend_compression_formats=["brotli", "gzip"],
    **_extra,
)
