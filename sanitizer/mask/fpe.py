"""Format-preserving, keyed, *bijective* scrambling of a string's letters and digits.

Digits stay digits, ASCII letters stay letters of the same case, everything else (spaces,
punctuation, accents' base positions) is kept. The letters and digits are read as one number in
a mixed radix and permuted with a keyed Feistel network plus cycle walking, so two different
inputs of the same shape can never produce the same output: ``unique: true`` holds by
construction, without any state.
"""

from __future__ import annotations

import hashlib
import string

_CLASSES = (
    (string.digits, 10),
    (string.ascii_uppercase, 26),
    (string.ascii_lowercase, 26),
)
_ROUNDS = 8


def _class_of(ch: str) -> int | None:
    if "0" <= ch <= "9":
        return 0
    if "A" <= ch <= "Z":
        return 1
    if "a" <= ch <= "z":
        return 2
    if ch.isalpha():  # non-ASCII letter: becomes an ASCII letter of the same case
        return 1 if ch.isupper() else 2
    if ch.isdigit():  # non-ASCII digit
        return 0
    return None


def _round(key: bytes, tweak: bytes, index: int, half: int, bits: int) -> int:
    message = tweak + index.to_bytes(1, "big") + half.to_bytes((bits + 7) // 8 + 1, "big")
    digest = hashlib.blake2b(message, key=key, digest_size=16).digest()
    block = 1
    while len(digest) * 8 < bits:  # a long half needs as many keyed bits, or its top passes
        counter = block.to_bytes(4, "big")  # through every round unchanged
        digest += hashlib.blake2b(message + counter, key=key, digest_size=64).digest()
        block += 1
    return int.from_bytes(digest, "big") & ((1 << bits) - 1)


def _permute(number: int, domain: int, key: bytes, tweak: bytes) -> int:
    """A keyed permutation of range(domain) (balanced Feistel with cycle walking)."""
    if domain <= 1:
        return number
    bits = max(2, (domain - 1).bit_length())
    bits += bits % 2
    half_bits = bits // 2
    mask = (1 << half_bits) - 1
    value = number
    while True:
        left, right = value >> half_bits, value & mask
        for index in range(_ROUNDS):
            left, right = right, left ^ _round(key, tweak, index, right, half_bits)
        value = (left << half_bits) | right
        if value < domain:
            return value


def scramble(text: str, key: bytes, tweak: str = "") -> str:
    """Scramble ``text``'s letters and digits, keeping every other character and the case."""
    positions: list[tuple[int, int]] = []
    number, domain = 0, 1
    for pos, ch in enumerate(text):
        cls = _class_of(ch)
        if cls is None:
            continue
        alphabet, radix = _CLASSES[cls]
        digit = alphabet.find(ch)
        if digit < 0:  # a non-ASCII letter or digit: fold onto the class by code point
            digit = ord(ch) % radix
        positions.append((pos, cls))
        number = number * radix + digit
        domain *= radix
    if not positions:
        return text
    shape = "".join(str(cls) for _, cls in positions)
    permuted = _permute(number, domain, key, f"{tweak}\x00{shape}".encode())
    chars = list(text)
    for pos, cls in reversed(positions):
        alphabet, radix = _CLASSES[cls]
        permuted, digit = divmod(permuted, radix)
        chars[pos] = alphabet[digit]
    return "".join(chars)
