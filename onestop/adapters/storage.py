"""Private file storage, content-addressed by SHA-256.

Why content-addressed: the field app uploads photos by hash before the dossier
that references them (idempotent, resumable), and the same file reused from the
document wallet is stored once. Files never live under Reflex's public upload
folder; they are served only through an authorised route.

Two implementations keep the same keys: the local disk (the embedded default)
and an S3-compatible object store (`ONESTOP_STORAGE_URL=s3://bucket[/prefix]
?endpoint=http://host:9000&region=…`), which several hosts can share. The S3
credentials come from boto3's usual sources (AWS_ACCESS_KEY_ID … or a role).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit


class FileStorage(Protocol):
    def put(self, data: bytes) -> tuple[str, str]:
        """Store bytes; return (sha256, storage key)."""

    def get(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...


class LocalFileStorage:
    """Files under a private directory, fanned out by hash prefix (an S3 adapter would keep the same keys)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @staticmethod
    def key_for(sha256: str) -> str:
        return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def _path(self, key: str) -> Path:
        if ".." in key or key.startswith("/"):
            raise ValueError("bad storage key")
        return self.root / key

    def put(self, data: bytes) -> tuple[str, str]:
        sha = hashlib.sha256(data).hexdigest()
        key = self.key_for(sha)
        path = self._path(key)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename, so a crash never leaves a half file under the final name.
            fd, tmp = tempfile.mkstemp(dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        return sha, key

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).exists()


def _check_key(key: str) -> str:
    if not key or ".." in key or key.startswith("/"):
        raise ValueError("bad storage key")
    return key


class S3FileStorage:
    """Files in an S3-compatible bucket under the same content-addressed keys as the local disk.

    Why a HEAD before the PUT: content addressing makes a second upload of the same bytes a no-op, which is
    what the field app's resumable sync relies on; it also saves the bandwidth of re-sending a large scan.
    """

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    key_for = staticmethod(LocalFileStorage.key_for)

    def _object(self, key: str) -> str:
        return self.prefix + _check_key(key)

    def put(self, data: bytes) -> tuple[str, str]:
        sha = hashlib.sha256(data).hexdigest()
        key = self.key_for(sha)
        if not self.exists(key):
            self.client.put_object(
                Bucket=self.bucket, Key=self._object(key), Body=data, ContentType="application/octet-stream"
            )
        return sha, key

    def get(self, key: str) -> bytes:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._object(key))
        except self.client.exceptions.NoSuchKey as exc:
            raise FileNotFoundError(key) from exc
        return response["Body"].read()

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._object(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True


def parse_storage_url(url: str) -> tuple[str, str, str, str]:
    """``s3://bucket/prefix?endpoint=http://127.0.0.1:9000&region=ap-southeast-1`` → (bucket, prefix,
    endpoint, region). ValueError with a clear message for anything else."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"ONESTOP_STORAGE_URL must look like s3://bucket?endpoint=http://host:9000, got {url!r}")
    query = parse_qs(parts.query)
    endpoint = (query.get("endpoint") or [""])[0]
    if endpoint and urlsplit(endpoint).scheme not in ("http", "https"):
        raise ValueError(f"the storage endpoint must be an http(s) address, got {endpoint!r}")
    region = (query.get("region") or ["us-east-1"])[0]
    return parts.netloc, parts.path.strip("/"), endpoint, region


@lru_cache(maxsize=4)
def _s3_storage(url: str) -> S3FileStorage:
    import boto3
    from botocore.config import Config

    bucket, prefix, endpoint, region = parse_storage_url(url)
    client = boto3.client(
        "s3",
        endpoint_url=endpoint or None,
        region_name=region,
        config=Config(retries={"max_attempts": 3, "mode": "standard"}, s3={"addressing_style": "path"}),
    )
    return S3FileStorage(client, bucket, prefix)


def default_storage() -> FileStorage:
    """The store the settings name: S3-compatible when ONESTOP_STORAGE_URL is set, else the local disk."""
    from onestop.settings import get_settings

    settings = get_settings()
    if settings.storage_url:
        return _s3_storage(settings.storage_url)
    return LocalFileStorage(settings.storage_dir)
