"""Private file storage, content-addressed by SHA-256.

Why content-addressed: the field app uploads photos by hash before the dossier
that references them (idempotent, resumable), and the same file reused from the
document wallet is stored once. Files never live under Reflex's public upload
folder; they are served only through an authorised route.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol


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


def default_storage() -> LocalFileStorage:
    from onestop.settings import get_settings

    return LocalFileStorage(get_settings().storage_dir)
