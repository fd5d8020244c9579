"""What the contract suite needs besides the Storage itself: a way to reach behind the layer's back."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from storage import ObjectKey, Storage

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

TEST_SECRET = b"storage-tests-secret-key-0123456789"


def flip_middle_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]


@dataclass
class Harness:
    """One backend under test: the layer, and raw access to what it stored."""

    kind: Literal["local", "s3"]
    storage: Storage
    root: Path | None = None
    raw: S3Client | None = None
    bucket: str = ""
    prefix: str = ""

    def file_of(self, key: ObjectKey) -> Path:
        assert self.root is not None
        return self.root / key.path

    def object_name(self, key: ObjectKey) -> str:
        return self.prefix + key.path

    def corrupt(self, key: ObjectKey) -> None:
        """Flip one byte of the stored bytes without going through the layer."""
        if self.kind == "local":
            path = self.file_of(key)
            mode = path.stat().st_mode
            os.chmod(path, mode | stat.S_IWUSR)
            data = path.read_bytes()
            path.write_bytes(flip_middle_byte(data))
            os.chmod(path, mode)
            return
        assert self.raw is not None
        name = self.object_name(key)
        current = self.raw.get_object(Bucket=self.bucket, Key=name)
        data = current["Body"].read()
        # A careful attacker copies the metadata (SHA-256 included) onto the damaged bytes.
        self.raw.put_object(
            Bucket=self.bucket,
            Key=name,
            Body=flip_middle_byte(data),
            Metadata=current["Metadata"],
            ContentType=current["ContentType"],
        )
