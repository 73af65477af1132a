"""The identity key: encrypting names and contact details at rest, outside the database.

Identities are encrypted with Fernet (AES-128-CBC with HMAC-SHA256, from PyCA's
``cryptography``) under keys that never enter the database:

1. ``MENTORWIJS_IDENTITY_KEY``: one or more Fernet keys, comma-separated, newest first; or
2. the key file ``MENTORWIJS_IDENTITY_KEY_FILE`` (default ``DATA_DIR/identity.key``), one key
   a line, newest first, created on first use with permissions 0600.

The newest key encrypts; every listed key decrypts (``MultiFernet``), so a key can be
rotated: put a new key first, run ``mentorwijs manage rotate_identity_key`` to re-encrypt
everything under it, then drop the old key once no backup needs it (docs/security.md).

Exact lookups (the import finds a person by name or e-mail address) use a digest: HMAC-SHA256
of the case-folded value under a lookup key derived from the newest key with HKDF, so the
database holds no value that can be read back, only compared.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from mentorwijs.web.errors import IdentityKeyError

ENV = "MENTORWIJS_IDENTITY_KEY"


@dataclass(frozen=True)
class IdentityKeys:
    """The keys in force: where they come from, the Fernet of each, the lookup key."""

    source: str
    keys: tuple[bytes, ...]

    @property
    def fernet(self) -> MultiFernet:
        return MultiFernet([Fernet(k) for k in self.keys])

    @property
    def lookup_key(self) -> bytes:
        return HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"mentorwijs identity lookup"
        ).derive(base64.urlsafe_b64decode(self.keys[0]))


def _parse(text: str, source: str) -> tuple[bytes, ...]:
    keys = tuple(part.strip().encode() for part in text.replace(",", "\n").split() if part)
    if not keys:
        raise IdentityKeyError(source, "it holds no key")
    for key in keys:
        try:
            Fernet(key)
        except (ValueError, TypeError) as exc:
            raise IdentityKeyError(source, "a key is not a Fernet key (32 bytes, base64)") from exc
    return keys


def key_file() -> Path:
    """Where the key file is (whether or not it exists yet)."""
    return Path(settings.MENTORWIJS_IDENTITY_KEY_FILE)


def key_file_write(path: Path, keys: tuple[bytes, ...]) -> None:
    """Write ``keys`` (newest first) to ``path`` atomically, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".identity-key-")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(b"\n".join(keys) + b"\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _create(path: Path) -> None:
    """Create the key file with a fresh key unless another process just did."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".identity-key-")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(Fernet.generate_key() + b"\n")
        with contextlib.suppress(FileExistsError):  # another process made it first
            os.link(tmp, path)  # atomic; fails when the file exists
    finally:
        Path(tmp).unlink(missing_ok=True)


@lru_cache(maxsize=1)
def identity_keys() -> IdentityKeys:
    """The keys in force (read once per process; ``identity_keys.cache_clear()`` re-reads)."""
    from_env = os.environ.get(ENV, "").strip()
    if from_env:
        return IdentityKeys(source=ENV, keys=_parse(from_env, ENV))
    path = key_file()
    if not path.exists():
        _create(path)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise IdentityKeyError(str(path), f"its permissions are {mode:o}; run chmod 600 on it")
    return IdentityKeys(source=str(path), keys=_parse(path.read_text(), str(path)))


def encrypt(text: str) -> str:
    """``text`` encrypted under the newest key, as a Fernet token (text)."""
    return identity_keys().fernet.encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The text of a token made by :func:`encrypt` under any key in force.

    Raises
    ------
    IdentityKeyError
        No key in force opens the token (a wrong or missing key, or a damaged value).
    """
    try:
        return identity_keys().fernet.decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as exc:
        raise IdentityKeyError(identity_keys().source, "it does not open a stored value") from exc


def rotate(token: str) -> str:
    """The same value re-encrypted under the newest key."""
    return identity_keys().fernet.rotate(token.encode("ascii")).decode("ascii")


def lookup_digest(value: str) -> str:
    """HMAC-SHA256 (hex) of the case-folded, trimmed value; '' for an empty value."""
    norm = " ".join(value.split()).casefold()
    if not norm:
        return ""
    return hmac.new(identity_keys().lookup_key, norm.encode("utf-8"), hashlib.sha256).hexdigest()


def audit_mask(value: str) -> str:
    """django-auditlog's mask for identity fields: the value before/after, encrypted."""
    return encrypt(value)


def audit_unmask(value: str) -> str:
    """The clear text of an identity value in the audit trail ('' when it was erased)."""
    if not value.startswith("gAAAA"):
        return value  # an erased or pre-encryption entry
    return decrypt(value)
