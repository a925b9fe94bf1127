"""`GET /api/v1/assistant?q=...&lang=vi|en`: the virtual assistant as JSON, for the portal's chat and others.

Answer shape: ``{"known": bool, "answer": str, "procedures": [{"code", "name", "url"}]}``, best match
first; ``known`` is false (with the hotline and its hours) whenever the catalog does not hold the answer.
Public and read-only; the question is length-limited and never stored.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from onestop.api.responses import NO_STORE
from onestop.db import new_session
from onestop.read import assistant as read_assistant

MAX_QUESTION = 300


def _answer(question: str, lang: str) -> dict[str, object]:
    with new_session() as session:
        return read_assistant.answer(session, question, lang).as_dict()


async def assistant(request: Request) -> JSONResponse:
    question = request.query_params.get("q", "")
    lang = request.query_params.get("lang", "vi")
    if lang not in ("vi", "en"):
        return JSONResponse({"error": "lang must be vi or en", "error_vi": "lang phải là vi hoặc en"}, status_code=422)
    if len(question) > MAX_QUESTION:
        return JSONResponse(
            {"error": f"the question is longer than {MAX_QUESTION} characters",
             "error_vi": f"Câu hỏi dài quá {MAX_QUESTION} ký tự"}, status_code=422)  # fmt: skip
    body = await run_in_threadpool(_answer, question, lang)
    return JSONResponse(body, headers=NO_STORE)


def routes() -> list[BaseRoute]:
    return [Route("/api/v1/assistant", assistant, methods=["GET"])]
