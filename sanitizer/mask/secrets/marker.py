"""The mark a neutralized value carries, so no detector mistakes it for a live credential.

A neutralized token keeps its shape: prefix, length and the class of every character (digit,
lower, upper; hex stays hex, base32 stays base32). Its last few letters and digits are not
drawn from the key but from an unkeyed hash of the rest of it: anyone can check the mark, the
key is not needed, and a real credential carries it only by chance: 3 to 8 marked characters
by length, odds from about 1 in 10³ for a four-digit value to below 1 in 10⁹ for a token of 32
characters or more. A JWT carries the mark in its ``kid``; an Ed25519 or EC private key in the
last 8 bytes of its seed, an RSA key in 64 bits of its second prime (a hash of the first), a
DSA key in its private value's last 8 bytes, an encrypted PKCS#8 key in the last 8 bytes of
its encrypted data.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from string import ascii_lowercase, ascii_uppercase, digits

TAG = b"sanitizer-neutralized\x00"
JWT_KID_PREFIX = "sanitizer-"
FAMILIES: dict[str, dict[str, str]] = {
    "hex": {"d": digits, "l": "abcdef", "u": "ABCDEF"},
    "base32": {"d": "234567", "l": ascii_lowercase, "u": ascii_uppercase},
    "alnum": {"d": digits, "l": ascii_lowercase, "u": ascii_uppercase},
}
PEM = re.compile(r"-----BEGIN ([A-Z0-9 ]{1,40})-----(.*?)-----END \1-----", re.DOTALL)


def char_class(ch: str) -> str | None:
    """``d`` digit, ``u`` upper, ``l`` any other letter; None: kept as it is."""
    if ch.isdigit():
        return "d"
    if ch.isalpha():
        return "u" if ch.isupper() else "l"
    return None


def families(text: str) -> list[str]:
    """The character families ``text`` fits, narrowest first."""
    letters = {c for c in text if c.isalpha()}
    nums = {c for c in text if c.isdigit()}
    out = []
    if letters <= set("abcdefABCDEF") and nums <= set(digits):
        out.append("hex")
    if nums <= set("234567") and all(c.isascii() for c in letters):
        out.append("base32")
    out.append("alnum")
    return out


def marker_length(classified: int) -> int:
    """How many characters carry the mark, for a value with this many letters and digits."""
    if classified >= 32:
        return 8
    if classified >= 16:
        return 6
    if classified >= 10:
        return 5
    if classified >= 6:
        return 4
    if classified >= 4:
        return 3  # so a short password column's stand-in is known too (find.looks_like_secret)
    return 0


def stamp(chars: list[str], classes: list[str | None], family: str, keep: int = 0) -> None:
    """Write the mark into ``chars`` (in place): the last ``marker_length`` letters and digits
    of the whole value (the verifier cannot tell a prefix), never inside the first ``keep``."""
    slots = [i for i, c in enumerate(classes) if c]
    marked = [i for i in slots[-marker_length(len(slots)) :] if i >= keep] if slots else []
    if not marker_length(len(slots)):
        return
    digest = _digest(chars, marked)
    alphabets = FAMILIES[family]
    for k, i in enumerate(marked):
        alphabet = alphabets[classes[i]]  # type: ignore[index]
        chars[i] = alphabet[digest[k] % len(alphabet)]


def _digest(chars: list[str], marked: list[int]) -> bytes:
    blanked = list(chars)
    for i in marked:
        blanked[i] = "\x00"
    return hashlib.blake2b(
        TAG + "".join(blanked).encode("utf-8", "surrogatepass"), digest_size=16
    ).digest()


def is_marked(text: str) -> bool:
    """Whether a token carries the mark (in any family it fits)."""
    classes = [char_class(c) for c in text]
    slots = [i for i, c in enumerate(classes) if c]
    n = marker_length(len(slots))
    if not n:
        return False
    marked = slots[-n:]
    digest = _digest(list(text), marked)
    for alphabets in FAMILIES.values():  # the family of the part after the prefix
        if all(
            text[i] == alphabets[classes[i]][digest[k] % len(alphabets[classes[i]])]  # type: ignore[index]
            for k, i in enumerate(marked)
        ):
            return True
    return False


def seed_check(seed: bytes) -> bytes:
    """The 8 bytes that follow a key's 24 keyed seed bytes."""
    return hashlib.blake2b(TAG + seed, digest_size=8).digest()


def jwt_kid(payload_segment: str) -> str:
    return (
        JWT_KID_PREFIX + hashlib.blake2b(TAG + payload_segment.encode(), digest_size=8).hexdigest()
    )


def b64url_decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def is_neutralized(value: str) -> bool:
    """Whether ``value`` is something :func:`neutralize_secret` made (a token, JWT or key)."""
    text = value.strip()
    if text.count(".") == 2 and text.startswith("ey"):
        return _jwt_marked(text)
    pem = PEM.search(text.replace("\\n", "\n"))
    if pem:
        return _pem_marked(pem.group(0))
    return is_marked(text)


def _jwt_marked(text: str) -> bool:
    head, payload, _ = text.split(".")
    try:
        header = json.loads(b64url_decode(head))
    except (ValueError, binascii.Error):
        return False
    return isinstance(header, dict) and header.get("kid") == jwt_kid(payload)


def dsa_value_bytes(q: int) -> int:
    """How many bytes a DSA private value is drawn in: strictly below q."""
    return (q.bit_length() - 1) // 8


def dsa_mark_ok(x: int, q: int) -> bool:
    size = dsa_value_bytes(q)
    if x.bit_length() > size * 8:
        return False
    raw = x.to_bytes(size, "big")
    return raw[-8:] == seed_check(raw[:-8])


def _der_item(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the DER item at ``pos``."""
    tag, first = data[pos], data[pos + 1]
    pos += 2
    if first & 0x80:
        count = first & 0x7F
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    else:
        length = first
    if pos + length > len(data):
        raise ValueError("truncated DER")
    return tag, pos, pos + length


def encrypted_data_span(der: bytes) -> tuple[int, int] | None:
    """Where an EncryptedPrivateKeyInfo's encrypted bytes are (SEQUENCE { algorithm
    SEQUENCE, OCTET STRING }), or None when ``der`` is not one."""
    try:
        tag, start, end = _der_item(der, 0)
        if tag != 0x30 or end != len(der):
            return None
        tag, _, algorithm_end = _der_item(der, start)
        if tag != 0x30:
            return None
        tag, data_start, data_end = _der_item(der, algorithm_end)
    except (IndexError, ValueError):
        return None
    if tag != 0x04 or data_end != end or data_end - data_start < 16:
        return None
    return data_start, data_end


def _encrypted_marked(block: str) -> bool:
    body = PEM.search(block)
    try:
        der = base64.b64decode("".join(body.group(2).split()), validate=True)  # type: ignore[union-attr]
    except (binascii.Error, ValueError):
        return False
    span = encrypted_data_span(der)
    if span is None:
        return False
    data = der[span[0] : span[1]]
    return data[-8:] == seed_check(data[:-8])


def _pem_marked(block: str) -> bool:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519

    if "ENCRYPTED PRIVATE KEY" in block:
        return _encrypted_marked(block)

    try:
        if "OPENSSH" in block:
            key = serialization.load_ssh_private_key(block.encode(), password=None)
        else:
            # the numbers are only read: RSA's validation (70 ms a key) is not needed
            key = serialization.load_pem_private_key(
                block.encode(), password=None, unsafe_skip_rsa_key_validation=True
            )
    except (ValueError, TypeError, binascii.Error):
        body = PEM.search(block)
        return bool(body) and is_marked("".join(body.group(2).split()))  # type: ignore[union-attr]
    if isinstance(key, ed25519.Ed25519PrivateKey):
        raw = key.private_bytes_raw()
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        raw = key.private_numbers().private_value.to_bytes(32, "big")[-32:]
    elif isinstance(key, dsa.DSAPrivateKey):
        numbers = key.private_numbers()
        return dsa_mark_ok(numbers.x, numbers.public_numbers.parameter_numbers.q)
    else:
        return _rsa_marked(key)
    return raw[-8:] == seed_check(raw[-32:-8])


def _rsa_marked(key: object) -> bool:
    from cryptography.hazmat.primitives.asymmetric import rsa

    if not isinstance(key, rsa.RSAPrivateKey):
        return False
    numbers = key.private_numbers()
    return rsa_mark_ok(numbers.p, numbers.q)


def rsa_mark_ok(p: int, q: int) -> bool:
    """An RSA key is marked when q's 64 bits under its top two are a hash of p."""
    bits = q.bit_length()
    return (q >> (bits - 66)) & (2**64 - 1) == int.from_bytes(
        seed_check(p.to_bytes((p.bit_length() + 7) // 8, "big")), "big"
    )
