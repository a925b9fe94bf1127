"""The virtual assistant's chat panel, on every page a visitor or citizen sees.

Why a floating panel: people ask while they read a procedure or fill a form, so the
chat opens over the page (a bottom sheet on a 360 px phone, a card at the corner on
wider screens) and closes without losing their place. Answers come from
`onestop.read.assistant` (catalog facts only, `known: false` with the hotline otherwise),
off the event loop; each answer lists the matching procedures as links to apply.
"""

from __future__ import annotations

import reflex as rx

from onestop.ui.i18n import LangState, tr
from onestop.ui.offload import off_loop
from onestop.ui.theme import TAP

MAX_MESSAGES = 40
#: Room kept free under the last line of a page where the launcher floats (16 px + 48 px + a margin).
LAUNCHER_CLEARANCE = "88px"
MAX_QUESTION = 300


def _ask(question: str, lang: str) -> dict[str, object]:
    from onestop.db import new_session
    from onestop.read import assistant

    with new_session() as session:
        return assistant.answer(session, question, lang).as_dict()


class AssistantState(rx.State):
    """Open/closed, the conversation (kept only in this tab), and the question being typed."""

    open: bool = False
    busy: bool = False
    question: str = ""
    # kind: "me" (question), "bot" (answer), "unknown" (declined), "link" (a procedure to apply for)
    messages: list[dict[str, str]] = []

    @rx.event
    def toggle(self) -> None:
        self.open = not self.open

    @rx.event
    def set_question(self, value: str) -> None:
        self.question = value[:MAX_QUESTION]

    @rx.event
    async def ask(self, form: dict | None = None):  # noqa: ANN201 - Reflex event return
        text = str((form or {}).get("question") or self.question)
        async for update in self._run(text):
            yield update

    @rx.event
    async def ask_example(self, text: str):  # noqa: ANN201
        async for update in self._run(text):
            yield update

    async def _run(self, raw: str):  # noqa: ANN202 - async generator of Reflex updates
        text = " ".join(raw.split())[:MAX_QUESTION]
        if not text or self.busy:
            return
        lang = (await self.get_state(LangState)).ui_lang
        self.messages = [*self.messages, {"kind": "me", "text": text, "url": ""}][-MAX_MESSAGES:]
        self.question = ""
        self.busy = True
        yield
        try:
            body = await off_loop(_ask, text, lang)
        except Exception:  # noqa: BLE001 - the person gets a message, the log gets the trace
            import logging

            logging.getLogger(__name__).exception("assistant failed")
            body = {"known": False, "answer": "", "procedures": []}
        new = [{"kind": "bot" if body["known"] else "unknown", "text": str(body["answer"]), "url": ""}]
        new += [{"kind": "link", "text": f"{p['name']} ({p['code']})", "url": p["url"]} for p in body["procedures"]]
        self.messages = [*self.messages, *new][-MAX_MESSAGES:]
        self.busy = False
        yield rx.scroll_to("assistant-end")

    @rx.event
    def clear(self) -> None:
        self.messages = []


def _bubble(m: rx.Var) -> rx.Component:
    kind = m["kind"].to(str)
    return rx.match(
        kind,
        ("me", rx.box(rx.text(m["text"].to(str), size="3"), align_self="flex-end", max_width="85%",
                      background="var(--accent-9)", color="white", padding="8px 12px", border_radius="14px 14px 2px 14px")),
        ("link", rx.link(rx.hstack(rx.icon("file-pen-line", size=18), rx.text(m["text"].to(str), size="3"),
                                   spacing="2", align="center"),
                         href=m["url"].to(str), padding="10px 12px", min_height=TAP, display="flex", align_items="center",
                         border="1px solid var(--accent-7)", border_radius="10px", background="var(--accent-2)",
                         class_name="assistant-link")),
        rx.box(
            rx.cond(kind == "unknown", rx.text(tr("assistant.not_known"), size="2", weight="bold", color="var(--amber-11)")),
            rx.text(m["text"].to(str), size="3", white_space="pre-wrap"),
            align_self="flex-start", max_width="92%", background="var(--gray-3)", padding="8px 12px",
            border_radius="14px 14px 14px 2px", class_name="assistant-answer",
        ),
    )  # fmt: skip


def _examples() -> rx.Component:
    def chip(key: str) -> rx.Component:
        return rx.button(
            tr(key),
            variant="soft",
            size="2",
            min_height="44px",
            white_space="normal",
            text_align="left",
            height="auto",
            padding_y="8px",
            on_click=AssistantState.ask_example(tr(key)),
        )

    return rx.vstack(
        rx.text(tr("assistant.intro"), size="3"),
        chip("assistant.example1"), chip("assistant.example2"), chip("assistant.example3"),
        spacing="2", align="start",
    )  # fmt: skip


def _panel() -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.icon("bot", size=22),
            rx.vstack(rx.text(tr("assistant.title"), size="4", weight="bold", line_height="1.1"),
                      rx.text(tr("assistant.subtitle"), size="1", color_scheme="gray"), spacing="0"),
            rx.spacer(),
            rx.icon_button(rx.icon("x", size=22), on_click=AssistantState.toggle, variant="ghost", size="3",
                           aria_label=tr("assistant.close"), width="44px", height="44px"),
            align="center", padding="8px 8px 8px 14px", border_bottom="1px solid var(--gray-5)",
        ),
        rx.vstack(
            rx.cond(AssistantState.messages.length() == 0, _examples()),
            rx.foreach(AssistantState.messages, _bubble),
            rx.cond(AssistantState.busy, rx.hstack(rx.spinner(size="2"), rx.text(tr("assistant.thinking"), size="2"))),
            rx.box(id="assistant-end"),
            spacing="2", padding="12px", overflow_y="auto", flex="1", align="stretch",
            aria_live="polite", role="log",
        ),
        rx.form(
            rx.hstack(
                rx.input(name="question", value=AssistantState.question, on_change=AssistantState.set_question,
                         placeholder=tr("assistant.placeholder"), aria_label=tr("assistant.placeholder"),
                         max_length=MAX_QUESTION, size="3", flex="1", min_height=TAP, id="assistant-question",
                         auto_complete="off"),
                rx.icon_button(rx.icon("send", size=20), type="submit", size="3", width=TAP, height=TAP,
                               aria_label=tr("assistant.send"), disabled=AssistantState.busy),
                spacing="2", width="100%",
            ),
            on_submit=AssistantState.ask, reset_on_submit=False, padding="10px 12px",
            border_top="1px solid var(--gray-5)",
        ),
        id="assistant-panel", role="dialog", aria_label=tr("assistant.title"),
        position="fixed", z_index="30", display="flex", flex_direction="column",
        background="var(--color-panel-solid)", box_shadow="0 8px 32px rgba(0,0,0,0.25)",
        bottom=rx.breakpoints(initial="0", sm="20px"), right=rx.breakpoints(initial="0", sm="20px"),
        left=rx.breakpoints(initial="0", sm="auto"),
        width=rx.breakpoints(initial="100%", sm="400px"),
        height=rx.breakpoints(initial="82vh", sm="min(640px, 80vh)"),
        border_radius=rx.breakpoints(initial="16px 16px 0 0", sm="16px"),
    )  # fmt: skip


def assistant_panel() -> rx.Component:
    """The launcher button and, when open, the chat panel."""
    return rx.fragment(
        rx.cond(
            AssistantState.open,
            _panel(),
            # A round icon on phones (the label would cover a line of text at 360 px), icon and label from 520 px;
            # the accessible name is the label either way. The shell keeps LAUNCHER_CLEARANCE free below the page.
            rx.button(rx.icon("message-circle-question", size=24),
                      rx.text(tr("assistant.open"), as_="span", display=rx.breakpoints(initial="none", xs="inline")),
                      on_click=AssistantState.toggle, aria_label=tr("assistant.open"), title=tr("assistant.open"),
                      id="assistant-open", size="3", min_height=TAP, min_width=TAP, radius="full", position="fixed",
                      z_index="30", bottom="16px", right="16px", box_shadow="0 4px 16px rgba(0,0,0,0.25)",
                      padding_x=rx.breakpoints(initial="0", xs="var(--space-4)")),
        ),
    )  # fmt: skip
