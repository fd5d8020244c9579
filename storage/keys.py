"""Object keys a person can read: organisation / participant / kind / document id / version / file.

    acme-wdb/P-000123/plan/PLAN-2026-0042/v3/plan.pdf

Every part is checked before it goes near a path or a bucket: only `[A-Za-z0-9][A-Za-z0-9_.-]{0,63}`
(ASCII, so no unicode slashes or look-alikes), never `..`, never NUL, a slash or an absolute path.
Anything else raises InvalidKey, so a key can never name a place outside the storage root.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storage.errors import InvalidKey

PART_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
VERSION_PATTERN = re.compile(r"v([1-9][0-9]{0,5})")
MAX_VERSION = 999_999
KEY_PARTS = ("org", "participant", "kind", "doc_id", "version", "filename")


def validate_part(name: str, value: object) -> str:
    """`value` if it is a safe key part, else InvalidKey (the message shows the value's length, not it)."""
    if not isinstance(value, str):
        raise InvalidKey(f"key part {name} must be a string, not {type(value).__name__}")
    if PART_PATTERN.fullmatch(value) is None or ".." in value:
        raise InvalidKey(
            f"key part {name} ({len(value)} characters) must match [A-Za-z0-9][A-Za-z0-9_.-]{{0,63}}"
            " and contain no '..'"
        )
    return value


def validate_version(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_VERSION:
        raise InvalidKey(f"key version must be an integer from 1 to {MAX_VERSION}")
    return value


@dataclass(frozen=True, slots=True)
class ObjectKey:
    """Where one file of one document version lives; validated on construction, immutable after."""

    org: str
    participant: str
    kind: str
    doc_id: str
    version: int
    filename: str

    def __post_init__(self) -> None:
        for name in ("org", "participant", "kind", "doc_id", "filename"):
            validate_part(name, getattr(self, name))
        validate_version(self.version)

    @property
    def path(self) -> str:
        """The key as a relative, slash-separated path (the same string on every backend)."""
        return f"{self.org}/{self.participant}/{self.kind}/{self.doc_id}/v{self.version}/{self.filename}"

    def __str__(self) -> str:
        return self.path

    @classmethod
    def parse(cls, path: str) -> ObjectKey:
        """The key for `path` (as produced by `.path`), or InvalidKey."""
        if not isinstance(path, str):
            raise InvalidKey("a key path must be a string")
        parts = path.split("/")
        if len(parts) != len(KEY_PARTS):
            raise InvalidKey(f"a key path has {len(KEY_PARTS)} slash-separated parts, not {len(parts)}")
        org, participant, kind, doc_id, version, filename = parts
        match = VERSION_PATTERN.fullmatch(version)
        if match is None:
            raise InvalidKey("the version part of a key path is 'v' and a number from 1")
        return cls(org, participant, kind, doc_id, int(match.group(1)), filename)


def key_prefix(
    org: str,
    participant: str | None = None,
    kind: str | None = None,
    doc_id: str | None = None,
    version: int | None = None,
) -> str:
    """A listing prefix ending in '/', from the leading parts of a key (each validated)."""
    values: list[str] = [validate_part("org", org)]
    given: list[tuple[str, object]] = [("participant", participant), ("kind", kind), ("doc_id", doc_id)]
    given.append(("version", version))
    for name, value in given:
        if value is None:
            continue
        if len(values) != KEY_PARTS.index(name):
            raise InvalidKey(f"key prefix part {name} given without the parts before it")
        values.append(f"v{validate_version(value)}" if name == "version" else validate_part(name, value))
    return "/".join(values) + "/"


def validate_prefix(prefix: str) -> str:
    """`prefix` if it is '' or whole leading key parts followed by '/', else InvalidKey."""
    if not isinstance(prefix, str):
        raise InvalidKey("a key prefix must be a string")
    if prefix == "":
        return prefix
    if not prefix.endswith("/"):
        raise InvalidKey("a key prefix ends with '/' (whole key parts only)")
    parts = prefix[:-1].split("/")
    if len(parts) >= len(KEY_PARTS):
        raise InvalidKey("a key prefix has fewer parts than a key")
    for name, value in zip(KEY_PARTS, parts, strict=False):
        if name == "version":
            if VERSION_PATTERN.fullmatch(value) is None:
                raise InvalidKey("the version part of a key prefix is 'v' and a number from 1")
        else:
            validate_part(name, value)
    return prefix
