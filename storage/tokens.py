"""Signed, expiring download tokens for the local backend (S3 uses presigned URLs instead).

A token is `payload.mac`, both base64url without padding: the payload is compact JSON naming the key, the
SHA-256 the bytes must have and the expiry (Unix seconds); the MAC is HMAC-SHA256 over a domain tag and the
payload with the application's secret key. The download route verifies the token, then reads the object
through Storage.get with the SHA-256 from the token, so a token can only ever serve the bytes it was
issued for.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime

from storage.base import check_aware, check_expires_in, check_sha256_hex
from storage.errors import DownloadTokenExpired, InvalidDownloadToken, InvalidKey
from storage.keys import ObjectKey

MAC_DOMAIN = b"docgen.storage.download.v1\x00"
MIN_SECRET_BYTES = 16
MAX_TOKEN_CHARS = 1024


@dataclass(frozen=True, slots=True)
class DownloadGrant:
    """What a valid token allows: reading `key` if its bytes hash to `sha256`, until `expires_at`."""

    key: ObjectKey
    sha256: str
    expires_at: datetime


def secret_bytes(secret_key: str | bytes) -> bytes:
    raw = secret_key.encode() if isinstance(secret_key, str) else bytes(secret_key)
    if len(raw) < MIN_SECRET_BYTES:
        raise ValueError(f"the download secret key must be at least {MIN_SECRET_BYTES} bytes")
    return raw


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, payload: str) -> bytes:
    return hmac.new(secret, MAC_DOMAIN + payload.encode("ascii"), hashlib.sha256).digest()


def sign_download_token(
    key: ObjectKey,
    sha256: str,
    *,
    secret_key: str | bytes,
    expires_in: int,
    now: datetime | None = None,
) -> str:
    """A token for `key` valid for `expires_in` seconds from `now` (default: the current time)."""
    check_sha256_hex(sha256)
    check_expires_in(expires_in)
    issued = check_aware(now, "now") if now is not None else datetime.now(UTC)
    expires = math.ceil(issued.timestamp()) + expires_in
    body = json.dumps({"k": key.path, "h": sha256, "e": expires}, separators=(",", ":"), sort_keys=True)
    payload = _b64(body.encode("ascii"))
    return f"{payload}.{_b64(_mac(secret_bytes(secret_key), payload))}"


def verify_download_token(
    token: str, *, secret_key: str | bytes, now: datetime | None = None
) -> DownloadGrant:
    """The grant in `token`, or InvalidDownloadToken (DownloadTokenExpired once it has expired)."""
    secret = secret_bytes(secret_key)
    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS or token.count(".") != 1:
        raise InvalidDownloadToken("malformed download token")
    payload, mac_text = token.split(".")
    try:
        mac = _unb64(mac_text)
        # The MAC is checked before the payload is even decoded: nothing unauthenticated is parsed. Only the
        # canonical text of the MAC is accepted: spare bits in its last character would let other strings pass.
        if _b64(mac) != mac_text or not hmac.compare_digest(mac, _mac(secret, payload)):
            raise InvalidDownloadToken("download token signature does not verify")
        claims = json.loads(_unb64(payload))
        key = ObjectKey.parse(claims["k"])
        sha256 = check_sha256_hex(claims["h"])
        expires = claims["e"]
        if isinstance(expires, bool) or not isinstance(expires, int):
            raise InvalidDownloadToken("malformed download token")
    except (binascii.Error, UnicodeError, ValueError, KeyError, TypeError, InvalidKey) as exc:
        raise InvalidDownloadToken("malformed download token") from exc
    current = check_aware(now, "now") if now is not None else datetime.now(UTC)
    if current.timestamp() >= expires:
        raise DownloadTokenExpired("download token has expired", key=key.path)
    return DownloadGrant(key=key, sha256=sha256, expires_at=datetime.fromtimestamp(expires, UTC))
