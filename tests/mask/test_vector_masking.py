"""Vector plans (fail closed) and record masking with the SQL operators and keyring."""

from __future__ import annotations

import json
import textwrap

import polars as pl
import pytest

from sanitizer.config.rules import SourceRules
from sanitizer.config.settings import NlpSettings
from sanitizer.errors import ConfigError, MaskingError
from sanitizer.extract.vectors.base import CollectionInfo, RecordBatch
from sanitizer.mask.operators import parse_rule
from sanitizer.mask.operators.base import MaskContext, mask_series
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.mask.vectors import RecordMasker
from sanitizer.plan.rules import rules_from_texts
from sanitizer.plan.vectors import build_collection_plans
from sanitizer.schema import ColumnInfo

KEY = b"vector-masking-test-key-0123456789"


def rules(text: str) -> SourceRules:
    return rules_from_texts({"rules/memory.yaml": textwrap.dedent(text)}, ["memory"])["memory"]


def info(keys: tuple[str, ...], name: str = "mem") -> CollectionInfo:
    return CollectionInfo(name=name, count=3, dimension=384, metric="cosine", metadata_keys=keys)


def test_an_unruled_metadata_key_fails_with_a_paste_ready_snippet():
    written = rules(
        """\
        source: memory
        vectors:
          mem:
            document: detect
            metadata:
              email: {fake: email}
        """
    )
    with pytest.raises(ConfigError) as caught:
        build_collection_plans(written, [info(("email", "phone"))])
    message = str(caught.value)
    assert message.startswith("rules/memory.yaml:3: 1 field of vector source 'memory'")
    assert "mem.metadata.phone" in message
    assert "vectors:\n  mem:\n    metadata:\n      phone: keep    # TODO" in message


def test_a_collection_with_no_rules_at_all_fails_naming_document_and_keys():
    with pytest.raises(ConfigError) as caught:
        build_collection_plans(rules("source: memory\n"), [info(("a",), name="notes")])
    message = str(caught.value)
    assert "notes.document, notes.metadata.a" in message
    assert "  notes:\n    document: detect" in message


def test_defaults_unknown_covers_unruled_fields():
    written = rules("source: memory\ndefaults: {unknown: redact}\n")
    plan = build_collection_plans(written, [info(("a",))])["mem"]
    assert plan.document.origin == plan.metadata["a"].origin == "default"


def test_rules_for_a_collection_the_source_lacks_are_an_error():
    written = rules("source: memory\nvectors:\n  memroy: drop\n")
    with pytest.raises(ConfigError, match="collection 'memroy' is not in source"):
        build_collection_plans(written, [])


def masker(text: str, keys: tuple[str, ...]) -> RecordMasker:
    plan = build_collection_plans(rules(text), [info(keys)])["mem"]
    return RecordMasker(plan, Keyring(KEY), NlpSettings())


RULES = """\
source: memory
vectors:
  mem:
    document: redact
    metadata:
      email: {fake: email}
      ids: keep
      tags: {fake: name}
      nested: {json: {"$.email": {fake: email}, "$.**": keep}}
      mixed: {format: preserve}
"""


def test_records_are_masked_field_by_field_and_lose_their_vectors():
    batch = RecordBatch(
        ids=["a", "b", "c"],
        documents=["secret text", None, ""],
        metadatas=[
            {"email": "ann@corp.com", "ids": 1, "tags": ["Ann Lee", "Bo Chan"], "mixed": "x12345"},
            {"email": None, "nested": {"email": "bo@corp.com", "n": 2}, "mixed": 987654},
            {},
        ],
        vectors=[[0.1], [0.2], [0.3]],
    )
    m = masker(RULES, ("email", "ids", "tags", "nested", "mixed"))
    out = m.mask(batch)
    assert out.vectors is None and out.ids == batch.ids
    assert out.documents[0] != "secret text" and out.documents[1] is None
    assert out.documents[2] == ""  # empty stays empty
    assert [set(meta) for meta in out.metadatas] == [set(meta) for meta in batch.metadatas]
    first, second = out.metadatas[0], out.metadatas[1]
    assert first["email"] != "ann@corp.com" and first["ids"] == 1
    assert len(first["tags"]) == 2 and "Ann Lee" not in first["tags"]
    assert second["email"] is None
    assert second["nested"]["email"] != "bo@corp.com" and second["nested"]["n"] == 2
    assert first["mixed"] != "x12345" and second["mixed"] != 987654  # text and number alike
    assert isinstance(second["mixed"], int)
    assert batch.metadatas[0]["email"] == "ann@corp.com"  # the input is not modified
    assert m.stats["metadata.email"].masked == 1
    assert m.stats["metadata.email"].unchanged == 0


def test_an_email_gets_the_same_fake_as_in_a_sql_column():
    m = masker(RULES, ("email",))
    out = m.mask(RecordBatch(["a"], [None], [{"email": "ann@corp.com"}]))
    op = parse_rule({"fake": "email"}, None)
    column = ColumnInfo(name="email", kind="string", sql_type="VARCHAR(254)")
    sql = mask_series(op, pl.Series("email", ["ann@corp.com"]), MaskContext(Keyring(KEY), column))
    assert out.metadatas[0]["email"] == sql[0]


def test_a_nested_value_under_a_flat_rule_is_a_clear_error():
    text = RULES.replace(
        'nested: {json: {"$.email": {fake: email}, "$.**": keep}}', "nested: redact"
    )
    m = masker(text, ("nested",))
    with pytest.raises(MaskingError, match=r"mem\.metadata\.nested holds nested values"):
        m.mask(RecordBatch(["a"], [None], [{"nested": {"email": "bo@corp.com"}}]))


def test_a_rule_that_cannot_take_a_values_kind_is_a_clear_error():
    m = masker(RULES, ("email",))
    with pytest.raises(MaskingError, match="fake: email cannot mask integer values"):
        m.mask(RecordBatch(["a"], [None], [{"email": 42}]))


def test_a_collection_without_document_text_must_be_dropped():
    vectors_only = CollectionInfo(
        name="emb", count=3, dimension=384, metric="l2", metadata_keys=(), has_documents=False
    )
    with pytest.raises(ConfigError, match="has no document text, so its vectors cannot be"):
        build_collection_plans(rules("source: memory\nvectors:\n  emb: {}\n"), [vectors_only])
    dropped = build_collection_plans(
        rules("source: memory\nvectors:\n  emb: drop\n"), [vectors_only]
    )
    assert dropped["emb"].drop


def test_a_masked_metadata_value_detection_missed_is_replaced_in_the_documents():
    text = """\
    source: memory
    vectors:
      mem:
        document: {detect: [EMAIL_ADDRESS]}
        metadata:
          name: {fake: name}
          context: {json: {"$.callback": {fake: phone}, "$.**": keep}}
          kind: keep
    """
    m = masker(text, ("name", "context", "kind"))
    batch = RecordBatch(
        ids=["a", "b"],
        documents=[
            "山口 さゆり asked for a callback on +74(9)7524288909 (chat).",
            "Follow-up for 山口 さゆり.",  # another record of the batch mentions her too
        ],
        metadatas=[
            {"name": "山口 さゆり", "context": '{"callback": "+74(9)7524288909"}', "kind": "chat"},
            {"name": "Bo Chan", "kind": "chat"},
        ],
    )
    out = m.mask(batch)
    fake_name = out.metadatas[0]["name"]
    fake_phone = json.loads(out.metadatas[0]["context"])["callback"]
    assert out.documents[0] == f"{fake_name} asked for a callback on {fake_phone} (chat)."
    assert out.documents[1] == f"Follow-up for {fake_name}."
    assert m.stats["document"].details["metadata_values_in_text"] == 3


def test_rules_are_checked_against_the_kinds_each_key_holds_before_writing():
    written = rules(
        """\
        source: memory
        vectors:
          mem:
            document: keep
            metadata:
              profile: redact
              tags: {fake: name}
              n: {fake: email}
        """
    )
    collection = CollectionInfo(
        name="mem",
        count=1,
        dimension=384,
        metric="l2",
        metadata_keys=("profile", "tags", "n"),
        key_kinds={
            "profile": frozenset({"json"}),
            "tags": frozenset({"string"}),
            "n": frozenset({"integer", "string"}),
        },
    )
    with pytest.raises(ConfigError) as caught:
        build_collection_plans(written, [collection])
    message = str(caught.value)
    assert "rules/memory.yaml:6: mem.metadata.profile holds nested values (objects)" in message
    assert "rules/memory.yaml:8: mem.metadata.n holds integer values" in message
    assert "metadata.tags" not in message
