"""Delivery of the web app's bytes: hashed assets cached for a year, text compressed, binaries left alone."""

from __future__ import annotations

import gzip

import pytest
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from onestop.api.web_delivery import IMMUTABLE, NoPathsend, deliver

JS = b"export const x = 1;\n" * 200


def _js(_request) -> Response:  # noqa: ANN001
    return Response(JS, media_type="text/javascript")


def _pdf(_request) -> Response:  # noqa: ANN001
    return Response(b"%PDF-1.7\n" + b"0" * 4000, media_type="application/pdf")


def _missing(_request) -> Response:  # noqa: ANN001
    return Response("nope", status_code=404)


@pytest.fixture
def client() -> TestClient:
    app = Starlette(
        routes=[
            Route("/assets/app-abc123.js", _js),
            Route("/field/js/app.js", _js),
            Route("/api/v1/doc.pdf", _pdf),
            Route("/assets/missing.js", _missing),
        ]
    )
    return TestClient(deliver(app))


def test_hashed_assets_are_immutable_and_gzipped(client: TestClient) -> None:
    res = client.get("/assets/app-abc123.js", headers={"Accept-Encoding": "gzip"})
    assert res.headers["cache-control"] == IMMUTABLE
    assert res.headers["content-encoding"] == "gzip"
    assert res.content == JS  # httpx decodes; the wire was gzip


def test_other_paths_get_no_year_long_cache(client: TestClient) -> None:
    res = client.get("/field/js/app.js", headers={"Accept-Encoding": "gzip"})
    assert "cache-control" not in res.headers
    assert res.headers["content-encoding"] == "gzip"
    assert client.get("/assets/missing.js").headers.get("cache-control") is None


def test_pdfs_are_not_recompressed(client: TestClient) -> None:
    res = client.get("/api/v1/doc.pdf", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in res.headers


def test_no_gzip_when_the_browser_does_not_ask(client: TestClient) -> None:
    res = client.get("/assets/app-abc123.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in res.headers
    assert gzip.compress(res.content)  # plain body came through


@pytest.mark.anyio
async def test_pathsend_is_withdrawn_only_for_the_field_app() -> None:
    seen: dict[str, bool] = {}

    async def app(scope, receive, send) -> None:  # noqa: ANN001
        seen[scope["path"]] = "http.response.pathsend" in scope["extensions"]

    wrapped = NoPathsend(app)
    for path in ("/field/js/app.js", "/api/v1/attachments/1"):
        await wrapped({"type": "http", "path": path, "extensions": {"http.response.pathsend": {}}}, None, None)
    assert seen == {"/field/js/app.js": False, "/api/v1/attachments/1": True}
