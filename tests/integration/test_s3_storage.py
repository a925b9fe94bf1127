"""The S3-compatible file store against a real S3 protocol server (moto in server mode, started here).

Why a server and not moto's in-process mock: the adapter is built from ONESTOP_STORAGE_URL exactly as the app
builds it (endpoint, path-style addressing, HTTP), so what passes here is what a MinIO or cloud bucket sees.
"""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Iterator

import boto3
import pytest

from onestop.adapters import storage as storage_mod
from onestop.adapters.storage import LocalFileStorage, S3FileStorage, default_storage, parse_storage_url
from onestop.demo.scans import demo_scan_pdf
from onestop.services.uploads import read_attachment, store_upload
from onestop.settings import reset_settings_cache
from tests.integration.helpers import actor


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture()
def bucket_url(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Iterator[str]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "onestop-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "onestop-test-secret")
    name = f"onestop-{request.node.name.replace('_', '-')[:40].strip('-')}"
    boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1").create_bucket(Bucket=name)
    url = f"s3://{name}/files?endpoint={s3_endpoint}"
    storage_mod._s3_storage.cache_clear()
    yield url
    storage_mod._s3_storage.cache_clear()


def test_put_get_exists_keep_the_local_keys_and_are_idempotent(bucket_url: str) -> None:
    store = storage_mod._s3_storage(bucket_url)
    data = b"%PDF-1.4 mot cua\n" * 100
    sha, key = store.put(data)
    assert sha == hashlib.sha256(data).hexdigest() and key == LocalFileStorage.key_for(sha)
    assert store.exists(key) and store.get(key) == data
    assert store.put(data) == (sha, key)  # same bytes: same key, no second object
    objects = store.client.list_objects_v2(Bucket=store.bucket)["Contents"]
    assert [o["Key"] for o in objects] == [f"files/{key}"]
    missing = LocalFileStorage.key_for("0" * 64)
    assert not store.exists(missing)
    with pytest.raises(FileNotFoundError):
        store.get(missing)
    with pytest.raises(ValueError):
        store.get("../etc/passwd")


def test_the_storage_url_is_checked_with_a_clear_message() -> None:
    assert parse_storage_url("s3://docs/p1?endpoint=http://127.0.0.1:9000&region=ap-southeast-1") == (
        "docs",
        "p1",
        "http://127.0.0.1:9000",
        "ap-southeast-1",
    )
    assert parse_storage_url("s3://docs") == ("docs", "", "", "us-east-1")
    for bad in ("http://docs", "s3://", "s3://docs?endpoint=ftp://x"):
        with pytest.raises(ValueError, match="s3://|endpoint"):
            parse_storage_url(bad)


def test_uploads_go_to_the_bucket_the_setting_names(session, bucket_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONESTOP_STORAGE_URL", bucket_url)
    reset_settings_cache()
    try:
        store = default_storage()
        assert isinstance(store, S3FileStorage)
        citizen = actor(session, "citizen")
        pdf = demo_scan_pdf("original_scan")
        att = store_upload(
            session,
            citizen,
            procedure_code="2.000815",
            document_code="original_scan",
            filename="ban chinh.pdf",
            data=pdf,
        )
        assert store.exists(att.storage_key)
        assert read_attachment(session, citizen, att.id)[1] == pdf
    finally:
        monkeypatch.delenv("ONESTOP_STORAGE_URL")
        reset_settings_cache()
    assert isinstance(default_storage(), LocalFileStorage)
