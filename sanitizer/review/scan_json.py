"""JSON documents → one field per leaf path, for ``json:`` proposals (objects and metadata).

Array positions become ``[*]``, and an object key that does not read as a field name, that
Presidio finds an email, phone… in (``{"jane@corp.com": {...}}``), or that belongs to a mapping
keyed by values (many keys, each in one sampled document) becomes ``*``, so a proposed path
never carries a value.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from sanitizer.config.settings import Settings
from sanitizer.review.fields import Field

FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]{0,63}")
RARE_FROM = 3  # documents sampled from which keys only one of them has can read as values
MANY_KEYS = 8  # ... when an object has this many distinct keys, most of them that rare
Token = tuple[str, bool]  # (key, is an array position)


def parse_document(value: Any) -> Any:
    """A dict or list as it is, or parsed from a JSON string; None when it is neither."""
    if isinstance(value, dict | list):
        return value
    if isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
        try:
            parsed = json.loads(value)
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict | list) else None
    return None


def leaves(value: Any, path: tuple[Token, ...] = ()) -> Iterator[tuple[tuple[Token, ...], Any]]:
    """Every scalar in a document with its path of keys and array positions."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, (str(key), False)))
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item, (*path, ("", True)))
    else:
        yield path, value


def json_fields(documents: list[Any], settings: Settings) -> tuple[list[Field], int]:
    """One :class:`Field` per generalised leaf path, in first-seen order; and how many
    documents have a key that holds personal data (``json:`` rules mask values, not keys)."""
    per_document = [list(leaves(doc)) for doc in documents]
    names = {key for found in per_document for path, _ in found for key, _ in path}
    personal = personal_words(sorted(k for k in names if FIELD_NAME.fullmatch(k)), settings)
    personal |= {k for k in names if "@" in k}  # an address, however it is written
    keyed = sum(any(k in personal for path, _ in found for k, _ in path) for found in per_document)
    unsafe = set(personal)
    if len(documents) >= RARE_FROM:
        unsafe |= value_keys(per_document)
    fields: dict[str, Field] = {}
    for path, value in (leaf for found in per_document for leaf in found):
        text, word, parent = path_text(path, unsafe)
        field = fields.setdefault(text, Field(name=text, values=[], word=word, parent=parent))
        field.values.append(value)
    # a wildcard path goes after the named ones: the json operator tries paths in order
    return sorted(fields.values(), key=lambda f: ".*" in f.name), keyed


def keys_evidence(keyed: int, documents: list[Any]) -> str:
    return (
        f"{keyed}/{len(documents)} sampled documents have keys holding personal data, which "
        "json: rules cannot mask (they rewrite values): detect masks the text as a whole"
    )


def value_keys(per_document: list[list[tuple[tuple[Token, ...], Any]]]) -> set[str]:
    """Keys of mappings keyed by values: an object with many keys, most of them in one
    sampled document only (``{"u-8812": {...}, "u-9133": {...}}``). An optional field, seen
    in few documents beside a handful of siblings, stays named."""
    documents: dict[tuple[tuple[Token, ...], str], int] = Counter()
    for found in per_document:
        seen = {
            (path[:i], key) for path, _ in found for i, (key, position) in enumerate(path)
            if not position
        }  # fmt: skip
        documents.update(seen)
    children: dict[tuple[Token, ...], list[str]] = {}
    for (parent, key), count in documents.items():
        children.setdefault(parent, []).append(key if count == 1 else "")
    out: set[str] = set()
    for keys in children.values():
        rare = [k for k in keys if k]
        if len(keys) >= MANY_KEYS and len(rare) * 2 > len(keys):
            out.update(rare)
    return out


def path_text(path: tuple[Token, ...], unsafe: set[str]) -> tuple[str, str | None, str]:
    """(``$.a[*].b``, the last readable key, the key before it) for one leaf path."""
    parts, names = ["$"], []
    for key, position in path:
        if position:
            parts.append("[*]")
        elif FIELD_NAME.fullmatch(key) and key not in unsafe:
            parts.append(f".{key}")
            names.append(key)
        else:
            parts.append(".*")
    word = names[-1] if names else None
    parent = names[-2] if len(names) > 1 else ""
    return "".join(parts), word, parent


def personal_words(words: list[str], settings: Settings, any_case: bool = False) -> set[str]:
    """The names (field names, folder names) in which Presidio finds personal data.

    spaCy reads a lone lowercase field name like ``sku`` as a PERSON, so unless ``any_case``
    a PERSON finding counts only in a capitalised word (``Maria``, ``Maria Gonzalez``);
    pattern findings (emails, phones…) always count.
    """
    from sanitizer.mask.text.detector import entities_for, find_all

    if not words:
        return set()
    entities = [e for e in entities_for(None, settings.nlp) if e != "URL"]
    findings = find_all([as_words(w) for w in words], entities, settings.nlp)
    return {
        word
        for word, found in zip(words, findings, strict=True)
        if any(any_case or f.entity != "PERSON" or word[:1].isupper() for f in found)
    }


def as_words(name: str) -> str:
    """``jane_doe-2024`` → ``jane doe 2024``: NER reads words, not snake_case. Names with
    ``@``, dots or ``+`` (emails, domains, phone numbers) go to the recognizers as they are."""
    if any(c in name for c in "@.+ "):
        return name
    return re.sub(r"[_-]", " ", name)
