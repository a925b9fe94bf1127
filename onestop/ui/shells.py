"""Prerendered shells for dynamic routes: a shared `/apply/<code>` link paints words before any JavaScript.

Why (issue 11, `bench/slow_link.py`): `reflex run --env prod` prerenders only static routes. A dynamic one such as
`/apply/[code]` was served from React Router's SPA fallback, an HTML page with an empty body, so on a 400 kbit/s
link the first text waited for ~250 KiB of JavaScript (≈ 5 s on its own), the websocket, the load event and,
for a visitor, a client redirect to `/login` and that page's own load: 8.4–10.5 s.

How:
- `DynamicShellsPlugin` (in `rxconfig.py`) makes React Router prerender one concrete path per dynamic route,
  with a placeholder segment (`/apply/_`), next to the static routes. The prerendered HTML is the route's own
  component tree with every state var at its default — the same as every other prerendered page, so nothing
  private can be in it (docs/architecture.md) — plus the module preloads of that route's chunks.
- `ShellRoutes` (an ASGI wrapper around the backend) serves that file for any `/apply/<code>` request. The
  component tree does not depend on the code (the code reaches the page only through state, after hydration),
  so React hydrates the shell at the real URL without a mismatch, and the page's load event then fills it in.

A route's default render must therefore say something useful on its own (`ui/citizen/apply.py`: the page's
title and what is needed to file); a new dynamic route gets a shell by adding it to `SHELLS`.

The same plugin groups the lucide icons into one chunk (`with_icon_group`): with 400 ms per round trip the
apply page's 41 requests (15 of them one 0.6 KiB icon each) cost ~1.5 s beyond the transfer itself; grouped,
it makes 27 requests and `/` 19 instead of 34, for the same brotli bytes (237 KiB on `/`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from reflex.plugins import Plugin
from reflex_base import constants
from starlette.types import ASGIApp, Receive, Scope, Send

#: The placeholder value of the dynamic segment in the prerendered shell's path. Not a procedure code.
PLACEHOLDER = "_"
#: URL prefix of a dynamic route (its one dynamic segment follows) → the prerendered path served for it.
SHELLS: dict[str, str] = {"/apply/": f"/apply/{PLACEHOLDER}"}
#: One path segment as the route arguments allow it (`ui/components/route_args`); anything else falls through.
_SEGMENT = re.compile(r"[A-Za-z0-9._\-]{1,40}/?")
_PRERENDER_ALL = '"prerender": true'


def with_shells(config_js: str) -> str:
    """`react-router.config.js` with the shells' paths prerendered beside every static route (prod only:
    the dev server has no prerender setting and is left alone)."""
    if _PRERENDER_ALL not in config_js:
        return config_js
    extra = json.dumps(sorted(SHELLS.values()))
    return config_js.replace(
        _PRERENDER_ALL, f'"prerender": async ({{ getStaticPaths }}) => [...getStaticPaths(), ...{extra}]'
    )


_GROUPS = "groups: ["
#: Every lucide icon the app uses in one chunk, instead of one sub-kilobyte chunk (and one request) per icon.
ICON_GROUP = '{ test: /lucide-react[\\/]dist[\\/]esm[\\/]icons[\\/]/, name: "icons" },'


def with_icon_group(vite_js: str) -> str:
    """`vite.config.js` with the icons grouped: on a 400 ms link each request costs a round trip, and the apply
    page loaded ~15 icons as separate 0.6 KiB chunks before it could hydrate."""
    if _GROUPS not in vite_js or ICON_GROUP in vite_js:
        return vite_js
    return vite_js.replace(_GROUPS, _GROUPS + "\n            " + ICON_GROUP, 1)


class DynamicShellsPlugin(Plugin):
    """Adds the shells' placeholder paths to React Router's prerender list (see module docstring)."""

    def pre_compile(self, **context: Any) -> None:
        context["add_modify_task"](constants.ReactRouter.CONFIG_FILE, with_shells)
        context["add_modify_task"](constants.ReactRouter.VITE_CONFIG_FILE, with_icon_group)


def shell_file(path: str) -> str | None:
    """The prerendered path to serve for a request path, or None when it is not a shell's dynamic route."""
    for prefix, shell in SHELLS.items():
        if path.startswith(prefix) and _SEGMENT.fullmatch(path[len(prefix) :]):
            return shell + ".html"
    return None


def _static_dir() -> Path:
    from reflex.utils import prerequisites  # noqa: PLC0415 - the web dir is known only once the app runs

    return prerequisites.get_web_dir() / constants.Dirs.STATIC


class ShellRoutes:
    """Serve a dynamic route's prerendered shell (with its compressed sidecars) instead of the empty SPA fallback.

    Only GET/HEAD of one well-formed segment, and only when the build produced the shell (prod); the real URL
    stays in the address bar, and React Router routes the page by it after hydration."""

    def __init__(self, app: ASGIApp, static_dir: Path | None = None) -> None:
        self.app = app
        self._static_dir = static_dir
        self._exists: dict[str, bool] = {}

    def _built(self, shell: str) -> bool:
        if shell not in self._exists:
            root = self._static_dir or _static_dir()
            self._exists[shell] = (root / shell.lstrip("/")).is_file()
        return self._exists[shell]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD"):
            shell = shell_file(str(scope.get("path", "")))
            if shell is not None and self._built(shell):
                scope = {**scope, "path": shell, "raw_path": shell.encode()}
        await self.app(scope, receive, send)
