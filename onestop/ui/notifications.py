"""The notification centre in the header: a bell with the unread count, the latest notices, push on/off.

Why this shape:
- Private rows come from state after a token check (pages are prerendered),
  loaded when the bell mounts, when the service worker reports a push, and
  once a minute — through one hidden button, so plain JavaScript (the worker's
  message, a timer) can trigger a Reflex event without a custom component.
- Turning push on is browser work (permission, service worker, PushManager);
  it runs as one script whose result ("on", "denied", …) comes back to the
  state through the `call_script` callback. The subscription itself is sent to
  /api/v1/push/subscribe by the page with the session cookie, so the server
  ties the device to the signed-in person.
"""

from __future__ import annotations

import reflex as rx

from onestop.db import new_session, transaction
from onestop.services import alerts, auth
from onestop.ui.components.queue_widgets import hidden_trigger
from onestop.ui.components.styles import COLUMN, LINE, TAP_BUTTON, spaced, top_aligned
from onestop.ui.i18n import tr
from onestop.ui.offload import off_loop
from onestop.ui.session import SessionState
from onestop.ui.widgets import dot

REFRESH_BUTTON_ID = "onestop-bell-refresh"
LIST_SIZE = 15

_B64_KEY = """
const b64 = (s) => { const p = '='.repeat((4 - s.length % 4) % 4);
  const raw = atob((s + p).replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0)); };
"""

#: Ask permission, register /sw.js, subscribe with our VAPID key, hand the subscription to the server.
SUBSCRIBE_JS = """(async () => {
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return 'unsupported';
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return 'denied';
  const reg = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  await navigator.serviceWorker.ready;
  __B64__
  const { publicKey } = await (await fetch('/api/v1/push/key', { credentials: 'same-origin' })).json();
  const options = { userVisibleOnly: true, applicationServerKey: b64(publicKey) };
  let sub = await reg.pushManager.getSubscription();
  if (!sub) {
    sub = await reg.pushManager.subscribe(options);
  }
  const res = await fetch('/api/v1/push/subscribe', { method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(sub.toJSON()) });
  return res.ok ? 'on' : 'failed';
})().catch((e) => { console.warn('push subscribe failed', e); return 'failed'; })""".replace("__B64__", _B64_KEY)

UNSUBSCRIBE_JS = """(async () => {
  if (!('serviceWorker' in navigator)) return 'unsupported';
  const reg = await navigator.serviceWorker.getRegistration('/');
  const sub = reg && await reg.pushManager.getSubscription();
  if (sub) {
    await fetch('/api/v1/push/unsubscribe', { method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ endpoint: sub.endpoint }) });
    await sub.unsubscribe();
  }
  return 'off';
})().catch((e) => { console.warn('push unsubscribe failed', e); return 'failed'; })"""

#: On mount: report this device's push state, and wire the worker's messages and a timer to the bell.
STATUS_JS = """(async () => {
  const refresh = () => { const b = document.getElementById('__ID__'); if (b) b.click(); };
  if (!window.__onestopBell) {
    window.__onestopBell = true;
    setInterval(refresh, 60000);
    if ('serviceWorker' in navigator) {
      navigator.serviceWorker.addEventListener('message', (e) => {
        if (e.data && e.data.type === 'onestop-push') refresh();
      });
    }
  }
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  const reg = await navigator.serviceWorker.getRegistration('/');
  const sub = reg && await reg.pushManager.getSubscription();
  return sub ? 'on' : 'off';
})().catch(() => 'off')""".replace("__ID__", REFRESH_BUTTON_ID)


def _load(token: str, limit: int) -> tuple[int, list[dict[str, str]]] | None:
    with new_session() as db:
        user = auth.user_for_token(db, token)
        if user is None:
            return None
        items = alerts.latest(db, user.id, limit)
        rows = [
            {
                "id": str(i.id),
                "title": i.title,
                "body": i.body,
                "url": i.url or "/",
                "time": i.created_at.strftime("%H:%M %d/%m"),
                "read": "1" if i.read else "",
            }
            for i in items
        ]
        return alerts.unread_count(db, user.id), rows


def _mark(token: str, ids: list[int] | None) -> None:
    with transaction() as db:
        user = auth.user_for_token(db, token)
        if user is not None:
            alerts.mark_read(db, user.id, ids)


class NotificationState(rx.State):
    """The bell: unread count, latest notices, and this device's push state."""

    unread: int = 0
    items: list[dict[str, str]] = []
    #: "" unknown yet · on · off · denied · unsupported · failed
    push: str = ""
    busy: bool = False

    @rx.var
    def badge(self) -> str:
        return "99+" if self.unread > 99 else str(self.unread)

    async def _token(self) -> str:
        session = await self.get_state(SessionState)
        return session.token or ""

    @rx.event
    async def refresh(self) -> None:
        token = await self._token()
        loaded = await off_loop(_load, token, LIST_SIZE) if token else None
        if loaded is None:
            self.unread, self.items = 0, []
            return
        self.unread, self.items = loaded

    @rx.event
    async def mark_all_read(self) -> None:
        token = await self._token()
        if token:
            await off_loop(_mark, token, None)
        await self.refresh()

    @rx.event
    async def open_item(self, item_id: str, url: str):  # noqa: ANN201 - Reflex event return
        token = await self._token()
        if token and item_id.isdigit():
            await off_loop(_mark, token, [int(item_id)])
        await self.refresh()
        return rx.redirect(url if url.startswith("/") and not url.startswith("//") else "/")

    @rx.event
    def check_push(self):  # noqa: ANN201
        return rx.call_script(STATUS_JS, callback=NotificationState.set_push)

    @rx.event
    def enable_push(self):  # noqa: ANN201
        self.busy = True
        return rx.call_script(SUBSCRIBE_JS, callback=NotificationState.set_push)

    @rx.event
    def disable_push(self):  # noqa: ANN201
        self.busy = True
        return rx.call_script(UNSUBSCRIBE_JS, callback=NotificationState.set_push)

    @rx.event
    def set_push(self, value: str) -> None:
        self.busy = False
        self.push = value if value in ("on", "off", "denied", "unsupported", "failed") else "failed"


def _item(item: rx.Var) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.cond(
                item["read"] == "",
                dot("10px", "8px"),
                rx.box(width="10px", flex_shrink="0"),
            ),
            rx.vstack(
                rx.text(item["title"], size="3", weight=rx.cond(item["read"] == "", "bold", "regular")),
                rx.text(item["body"], size="2", color_scheme="gray"),
                rx.text(item["time"], size="1", color_scheme="gray"),
                **top_aligned("1"),
            ),
            **top_aligned("2"),
        ),
        on_click=NotificationState.open_item(item["id"], item["url"]),
        cursor="pointer",
        padding="10px 12px",
        border_radius="8px",
        _hover={"background": "var(--accent-3)"},
        role="link",
        tab_index=0,
        class_name="onestop-notification",
    )


def _push_button(icon: str, key: str, handler: rx.EventHandler, ident: str, **look: str) -> rx.Component:
    """Turn this device's push notices on or off (busy while the browser asks the person)."""
    return rx.button(
        rx.icon(icon, size=18),
        tr(key),
        on_click=handler,
        **look,
        **TAP_BUTTON,
        width="100%",
        loading=NotificationState.busy,
        id=ident,
    )


def _push_controls() -> rx.Component:
    return rx.vstack(
        rx.match(
            NotificationState.push,
            ("on", rx.text(tr("notif.push_on"), size="2", color_scheme="green")),
            ("denied", rx.text(tr("notif.push_denied"), size="2", color_scheme="red")),
            ("unsupported", rx.text(tr("notif.push_unsupported"), size="2", color_scheme="gray")),
            ("failed", rx.text(tr("notif.push_failed"), size="2", color_scheme="red")),
            rx.fragment(),
        ),
        rx.cond(
            NotificationState.push == "on",
            _push_button(
                "bell-off",
                "notif.push_disable",
                NotificationState.disable_push,
                "push-disable",
                variant="soft",
                color_scheme="gray",
            ),
            rx.cond(
                NotificationState.push != "unsupported",
                _push_button("bell-ring", "notif.push_enable", NotificationState.enable_push, "push-enable"),
            ),
        ),
        **spaced("2"),
    )


#: The unread count: a red bubble on the bell's top-right corner (the bell is `position: relative`).
_ON_THE_CORNER = {"color_scheme": "red", "variant": "solid", "position": "absolute", "top": "-6px", "right": "-6px"}


def notification_bell() -> rx.Component:
    """The header's bell for a signed-in person (nothing for visitors)."""
    return rx.cond(
        SessionState.signed_in,
        rx.box(
            hidden_trigger(NotificationState.refresh, REFRESH_BUTTON_ID),
            rx.popover.root(
                rx.popover.trigger(
                    # The button itself is the trigger (a wrapping div would carry aria-expanded, which axe
                    # rejects on a div); the count sits inside it, the name stays "Thông báo".
                    rx.icon_button(
                        rx.icon("bell", size=24),
                        rx.cond(
                            NotificationState.unread > 0,
                            rx.badge(NotificationState.badge, **_ON_THE_CORNER, radius="full", id="notification-count"),
                        ),
                        variant="soft",
                        size="3",
                        aria_label=tr("notif.bell"),
                        id="notification-bell",
                        position="relative",
                        overflow="visible",
                    ),
                ),
                rx.popover.content(
                    rx.vstack(
                        rx.hstack(
                            rx.heading(tr("notif.bell"), as_="h2", size="4"),
                            rx.cond(
                                NotificationState.unread > 0,
                                rx.text(
                                    NotificationState.badge, " ", tr("notif.unread"), size="2", color_scheme="gray"
                                ),
                            ),
                            rx.spacer(),
                            rx.cond(
                                NotificationState.unread > 0,
                                rx.button(
                                    tr("notif.mark_all_read"),
                                    on_click=NotificationState.mark_all_read,
                                    variant="ghost",
                                    size="2",
                                ),
                            ),
                            **LINE,
                        ),
                        rx.cond(
                            NotificationState.items.length() > 0,
                            rx.vstack(
                                rx.foreach(NotificationState.items, _item),
                                **spaced("1"),
                                max_height="60vh",
                                overflow_y="auto",
                                id="notification-list",
                            ),
                            rx.text(tr("notif.empty"), size="3", color_scheme="gray", padding_y="12px"),
                        ),
                        rx.separator(),
                        _push_controls(),
                        **COLUMN,
                    ),
                    width="min(420px, 92vw)",
                    align="end",
                ),
            ),
            on_mount=[NotificationState.refresh, NotificationState.check_push],
        ),
    )
