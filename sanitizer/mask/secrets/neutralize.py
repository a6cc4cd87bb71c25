"""A credential → a keyed, deterministic value of the same format that cannot work.

- A token keeps its known prefix (``ghp_``, ``xoxb-``, ``AKIA``; ``sk_live_`` becomes
  ``sk_test_``), its length, its separators and the class of every other character (hex stays
  hex); the rest is drawn from the key, and its last characters carry the mark
  (marker.py) so the detector knows it for what it is.
- A JWT keeps its header fields and claim names; claim strings are scrambled in shape, numbers
  (``exp``, ``iat``) kept, and it is signed with HMAC by a staging key derived from the pseudonym
  key: it parses, and nothing production trusts verifies it.
- A PEM private key becomes a structurally valid key of the same header from a keyed seed:
  Ed25519 (PKCS#8 ``PRIVATE KEY``, ``OPENSSH PRIVATE KEY``), P-256 (``EC PRIVATE KEY``), RSA of
  the original's size (``RSA PRIVATE KEY``), generated deterministically from the seed; DSA
  (``DSA PRIVATE KEY``) on the original's public domain parameters with a keyed private value;
  an ``ENCRYPTED PRIVATE KEY`` keeps its algorithm and parameters with keyed encrypted bytes.
- A URL goes through :func:`sanitizer.mask.secrets.urls.sandbox_url`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import re
from functools import lru_cache
from typing import Any

from sanitizer.mask.pseudonyms import Keyring
from sanitizer.mask.secrets import marker
from sanitizer.mask.secrets.marker import PEM
from sanitizer.mask.secrets.tokens import KeyLike, keyring_of, neutralize_token, scramble
from sanitizer.mask.secrets.urls import sandbox_url

HOST_PATH = re.compile(r"([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})(?::\d+)?/")


def host_and_path(text: str) -> bool:
    """``hooks.slack.com/services/…``: a host name under a public suffix, then a path."""
    match = HOST_PATH.match(text)
    if not match:
        return False
    from sanitizer.mask.text.offline import offline_extractor

    parts = offline_extractor()(match.group(1))
    return bool(parts.suffix and parts.domain)


def neutralize_secret(value: str, key: KeyLike, *, attempt: int = 0) -> str:
    """``value`` (a credential) → its keyed stand-in of the same shape; see the module doc.

    ``attempt`` > 0 draws another stand-in (a ``unique`` column's re-draw after a collision).
    """
    if not isinstance(value, str):
        raise TypeError("neutralize_secret takes text")
    text = value.strip()
    if not text:
        return value
    lead = value[: len(value) - len(value.lstrip())]
    trail = value[len(value.rstrip()) :]
    keyring = keyring_of(key)
    out = _neutralize(text, keyring, attempt)
    return f"{lead}{out}{trail}"


def _neutralize(text: str, keyring: Keyring, attempt: int = 0) -> str:
    if "-----BEGIN" in text and PEM.search(text.replace("\\n", "\n")):
        return neutralize_pem(text, keyring, attempt)
    if text.startswith("ey") and text.count(".") == 2:
        jwt = neutralize_jwt(text, keyring)
        if jwt is not None:
            return jwt
    if ("://" in text or host_and_path(text)) and " " not in text:
        return sandbox_url(text, keyring, None)  # hooks.slack.com/services/…: a URL too
    return neutralize_token(text, keyring, attempt=attempt)


# -- JWT ----------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def neutralize_jwt(text: str, keyring: Keyring) -> str | None:
    """A JWT re-made: same header fields (alg → HS of the same size), claims' shape, keyed
    HMAC signature, ``kid`` carrying the mark; None when ``text`` is not a JSON JWT."""
    head, body, _ = text.split(".")
    try:
        header = json.loads(marker.b64url_decode(head))
        claims = json.loads(marker.b64url_decode(body))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    if not isinstance(header, dict) or "alg" not in header:
        return None
    size = re.search(r"(256|384|512)$", str(header["alg"]))
    bits = size.group(1) if size else "256"
    payload = _b64(json.dumps(_claims(claims, keyring), separators=(",", ":")).encode())
    new_header = {k: v for k, v in header.items() if k not in ("jku", "x5u", "x5c", "jwk", "x5t")}
    new_header["alg"] = "none" if header["alg"] == "none" else f"HS{bits}"
    new_header["kid"] = marker.jwt_kid(payload)
    signing = f"{_b64(json.dumps(new_header, separators=(',', ':')).encode())}.{payload}"
    if new_header["alg"] == "none":
        return signing + "."
    digest = getattr(hashlib, f"sha{bits}")
    signature = hmac.new(keyring.subkey("jwt-staging"), signing.encode(), digest).digest()
    return f"{signing}.{_b64(signature)}"


def _claims(value: Any, keyring: Keyring) -> Any:
    if isinstance(value, dict):
        return {k: _claims(v, keyring) for k, v in value.items()}
    if isinstance(value, list):
        return [_claims(v, keyring) for v in value]
    if isinstance(value, str) and value:
        if "://" in value:
            return sandbox_url(value, keyring, None)
        return scramble(value, keyring.digest("jwt-claim", value), mark=False)
    return value


# -- PEM private keys ---------------------------------------------------------------------


def neutralize_pem(text: str, keyring: Keyring, attempt: int = 0) -> str:
    """Every PEM block in ``text`` → a keyed key of the same header (newline style kept)."""
    literal = "\n" not in text and "\\n" in text
    work = text.replace("\\n", "\n") if literal else text
    crlf = "\r\n" in work

    def replace(match: re.Match[str]) -> str:
        label = match.group(1)
        block = _pem_block(label, match.group(0), keyring, attempt)
        return block.replace("\n", "\r\n") if crlf else block

    out = PEM.sub(replace, work.replace("\r\n", "\n"))
    out = out.rstrip("\n") if not work.endswith("\n") else out
    return out.replace("\n", "\\n") if literal else out


def _seed(block: str, keyring: Keyring, attempt: int) -> bytes:
    seed = keyring.digest("private_key", "".join(block.split()), attempt)[:24]
    return seed + marker.seed_check(seed)


def _pem_block(label: str, block: str, keyring: Keyring, attempt: int) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    seed = _seed(block, keyring, attempt)
    none = serialization.NoEncryption()
    pem = serialization.Encoding.PEM
    if label == "EC PRIVATE KEY":
        head = b"\x00" + seed[1:24]  # below the curve's order
        scalar = int.from_bytes(head + marker.seed_check(head), "big")
        key = ec.derive_private_key(scalar, ec.SECP256R1())
        return key.private_bytes(pem, serialization.PrivateFormat.TraditionalOpenSSL, none).decode()
    if label == "RSA PRIVATE KEY":
        rsa_key = _rsa_key(seed, _rsa_bits(block))
        fmt = serialization.PrivateFormat.TraditionalOpenSSL
        return rsa_key.private_bytes(pem, fmt, none).decode()
    if label == "OPENSSH PRIVATE KEY":
        return _openssh_ed25519(seed)
    if label == "DSA PRIVATE KEY":
        dsa_block = _dsa_key(block, seed)
        if dsa_block is not None:
            return dsa_block
    if label == "ENCRYPTED PRIVATE KEY":
        encrypted = _encrypted_pkcs8(block, seed)
        if encrypted is not None:
            return encrypted
    if label.endswith("PRIVATE KEY"):  # PKCS#8, or one not read above: an Ed25519 PKCS#8
        key = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
        return key.private_bytes(pem, serialization.PrivateFormat.PKCS8, none).decode()
    body = "".join(PEM.match(block).group(2).split())  # type: ignore[union-attr]
    lines = block.split("\n")
    width = max((len(x) for x in lines[1:-1]), default=64) or 64
    new = neutralize_token(body, keyring, "private_key", attempt)
    wrapped = "\n".join(new[i : i + width] for i in range(0, len(new), width))
    return f"-----BEGIN {label}-----\n{wrapped}\n-----END {label}-----"


def _dsa_key(block: str, seed: bytes) -> str | None:
    """A DSA key on the original's public domain parameters (p, q, g) with a keyed private
    value carrying the mark (marker.dsa_mark_ok); None when the block is not a DSA key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import dsa

    try:
        key = serialization.load_pem_private_key(block.encode(), password=None)
    except (ValueError, TypeError):
        return None
    if not isinstance(key, dsa.DSAPrivateKey):
        return None
    params = key.private_numbers().public_numbers.parameter_numbers
    size = marker.dsa_value_bytes(params.q)
    head = _stream(seed, b"dsa", size - 8)
    x = int.from_bytes(head + marker.seed_check(head), "big") or 1
    public = dsa.DSAPublicNumbers(pow(params.g, x, params.p), params)
    new = dsa.DSAPrivateNumbers(x, public).private_key()
    fmt = serialization.PrivateFormat.TraditionalOpenSSL
    none = serialization.NoEncryption()
    return new.private_bytes(serialization.Encoding.PEM, fmt, none).decode()


def _encrypted_pkcs8(block: str, seed: bytes) -> str | None:
    """An encrypted PKCS#8 key with the same algorithm and parameters and keyed encrypted
    bytes (the mark in their last 8): structurally the same, and no password opens it."""
    body = "".join(PEM.match(block).group(2).split())  # type: ignore[union-attr]
    try:
        der = bytearray(base64.b64decode(body, validate=True))
    except (binascii.Error, ValueError):
        return None
    span = marker.encrypted_data_span(bytes(der))
    if span is None:
        return None
    start, end = span
    head = _stream(seed, b"encrypted", end - start - 8)
    der[start:end] = head + marker.seed_check(head)
    text = base64.b64encode(bytes(der)).decode()
    lines = "\n".join(text[i : i + 64] for i in range(0, len(text), 64))
    return f"-----BEGIN ENCRYPTED PRIVATE KEY-----\n{lines}\n-----END ENCRYPTED PRIVATE KEY-----\n"


def _openssh_ed25519(seed: bytes) -> str:
    """OpenSSH's own key format, written out so that it is deterministic (the library draws a
    random check number)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    key = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
    public = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )

    def string(data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + data

    public_blob = string(b"ssh-ed25519") + string(public)
    check = hashlib.blake2b(seed, digest_size=4).digest()
    private = check + check + public_blob + string(seed + public) + string(b"staging")
    private += bytes(range(1, 1 + (-len(private) % 8)))
    blob = (
        b"openssh-key-v1\x00"
        + string(b"none")
        + string(b"none")
        + string(b"")
        + (1).to_bytes(4, "big")
        + string(public_blob)
        + string(private)
    )
    text = base64.b64encode(blob).decode()
    lines = "\n".join(text[i : i + 70] for i in range(0, len(text), 70))
    return f"-----BEGIN OPENSSH PRIVATE KEY-----\n{lines}\n-----END OPENSSH PRIVATE KEY-----\n"


def _rsa_bits(block: str) -> int:
    body = "".join(PEM.match(block).group(2).split())  # type: ignore[union-attr]
    size = len(body) * 3 // 4  # DER bytes: about 4.6 × the modulus bytes
    for bits in (1024, 2048, 3072, 4096):
        if size < bits // 8 * 5.2:
            return bits
    return 4096


_SMALL_PRIMES = [p for p in range(3, 2000) if all(p % d for d in range(2, math.isqrt(p) + 1))]


def _stream(seed: bytes, label: bytes, size: int) -> bytes:
    return hashlib.shake_256(seed + label).digest(size)


def _probable_prime(n: int, seed: bytes) -> bool:
    if any(n % p == 0 for p in _SMALL_PRIMES):
        return n in _SMALL_PRIMES
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    witnesses = _stream(seed, n.to_bytes((n.bit_length() + 7) // 8, "big")[:16], 16 * 8)
    for i in range(16):
        a = 2 + int.from_bytes(witnesses[i * 8 : i * 8 + 8], "big") % (n - 3)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(seed: bytes, label: bytes, bits: int, mark: int | None = None) -> int:
    """A prime of exactly ``bits`` bits drawn from the seed; with ``mark``, the 64 bits under
    its top two are the mark (only the low bits move during the search)."""
    start = int.from_bytes(_stream(seed, label, bits // 8), "big")
    start |= (3 << (bits - 2)) | 1
    if mark is not None:
        window = (2**64 - 1) << (bits - 66)
        start = (start & ~window) | (mark << (bits - 66))
    n = start
    while not _probable_prime(n, seed) or (n - 1) % 65537 == 0:
        n += 2
    return n


@lru_cache(maxsize=32)
def _rsa_key(seed: bytes, bits: int) -> Any:
    """An RSA key of ``bits`` from the seed: p drawn, q carrying the mark of p (marker.py)."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    p = _prime(seed, b"p", bits // 2)
    check = marker.seed_check(p.to_bytes((p.bit_length() + 7) // 8, "big"))
    q = _prime(seed, b"q", bits - bits // 2, int.from_bytes(check, "big"))
    e = 65537
    d = pow(e, -1, (p - 1) * (q - 1) // math.gcd(p - 1, q - 1))
    numbers = rsa.RSAPrivateNumbers(
        p=p,
        q=q,
        d=d,
        dmp1=rsa.rsa_crt_dmp1(d, p),
        dmq1=rsa.rsa_crt_dmq1(d, q),
        iqmp=rsa.rsa_crt_iqmp(p, q),
        public_numbers=rsa.RSAPublicNumbers(e, p * q),
    )
    return numbers.private_key()
