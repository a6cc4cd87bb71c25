"""Helpers for handler tests: a rule from YAML text, a context, and bytes in → bytes out."""

from __future__ import annotations

import io

from sanitizer.config.object_rules import ObjectRule
from sanitizer.config.settings import NlpSettings
from sanitizer.mask.engine import UniqueLedger
from sanitizer.mask.objects import ObjectContext
from sanitizer.mask.objects.handlers import HANDLERS
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.plan.rules import rules_from_texts

KEY = b"unit-test-key-0123456789abcdef"


def rule(glob: str, spec: str) -> ObjectRule:
    """One ``objects:`` rule parsed exactly as from a rule file."""
    text = f"source: files\nobjects:\n  {glob!r}: {spec}\n"
    return rules_from_texts({"files.yaml": text}, ["files"])["files"].objects[0]


def context() -> ObjectContext:
    return ObjectContext(Keyring(KEY), NlpSettings(), UniqueLedger())


def mask(object_rule: ObjectRule, key: str, data: bytes, ctx: ObjectContext | None = None) -> bytes:
    """Run the handler the rule picks for ``key`` over ``data``."""
    sink = io.BytesIO()
    handler = HANDLERS[object_rule.format_for(key)]
    handler(object_rule, io.BufferedReader(io.BytesIO(data)), sink, ctx or context())
    return sink.getvalue()
