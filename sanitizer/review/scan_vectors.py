"""``sanitize scan`` of a vector source: per collection, a sample of records → a ``document:``
rule and one rule per metadata key, by the same evidence as SQL columns.

A metadata key holding documents (a struct, a dict, a JSON string) gets a ``json:`` rule path
by path; a collection without document text can only be dropped (its vectors could not be
re-embedded from sanitized text).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sanitizer.config.settings import Endpoint, Settings
from sanitizer.extract.vectors.base import CollectionInfo, RecordBatch
from sanitizer.review.fields import (
    FREE_TEXT_CHARS,
    MATCH_SHARE,
    Field,
    count_findings,
    propose_fields,
)
from sanitizer.review.proposals import CollectionProposal, Paths, Proposal
from sanitizer.review.scan_json import json_fields, keys_evidence, parse_document


def propose_collections(
    settings: Settings, endpoint: Endpoint, rows: int
) -> list[CollectionProposal]:
    """A proposal for every collection of the vector source, from its first ``rows`` records."""
    from sanitizer.extract.vectors import open_source

    source = open_source(endpoint.name, endpoint.kind, endpoint.url)
    try:
        return [
            propose_collection(c, _sample(source, c, rows), settings) for c in source.collections()
        ]
    finally:
        source.close()


def _sample(source: Any, collection: CollectionInfo, rows: int) -> RecordBatch:
    batches = source.batches(collection, rows)
    try:
        return next(batches, None) or RecordBatch([], [], [])
    finally:
        batches.close()


def propose_collection(
    collection: CollectionInfo, sample: RecordBatch, settings: Settings
) -> CollectionProposal:
    n = len(sample)
    evidence = f"{n} of {collection.count} records sampled"
    if not collection.has_documents:
        return CollectionProposal(
            collection.name,
            f"{evidence}; no document text, so its vectors cannot be re-embedded from "
            "sanitized text",
            drop=True,
        )
    proposal = CollectionProposal(collection.name, evidence)
    proposal.document = propose_document(collection.name, sample.documents, settings)
    keys = list(collection.metadata_keys)
    keys += sorted({k for m in sample.metadatas for k in m} - set(keys))
    values = {k: [m.get(k) for m in sample.metadatas] for k in keys}
    nested = [k for k in keys if _holds_documents(values[k])]
    plain = [
        Field(name=k, values=_flat(values[k]), parent=collection.name)
        for k in keys
        if k not in nested
    ]
    by_key = {p.column: p for p in propose_fields(plain, settings)}
    for key in nested:
        by_key[key] = propose_documents(collection.name, key, values[key], settings)
    proposal.metadata = [by_key[k] for k in keys]
    return proposal


def propose_document(name: str, documents: list[Any], settings: Settings) -> Proposal:
    """``detect`` when Presidio finds anything or the text is free text, else ``keep``."""
    texts = [d for d in documents if isinstance(d, str) and d.strip()]
    n = len(texts)
    if not n:
        return Proposal(name, "document", "detect", "no sampled documents; detect to be safe")
    found = count_findings({"document": texts}, settings).get("document", {})
    anywhere = found.get("any", Counter())
    if anywhere:
        counts = ", ".join(f"{c}/{n} sampled documents contain {e}" for e, c in _top(anywhere))
        return Proposal(name, "document", "detect", counts)
    average = sum(len(t) for t in texts) / n
    if average >= FREE_TEXT_CHARS:
        return Proposal(name, "document", "detect", f"free text (average {average:.0f} characters)")
    return Proposal(name, "document", "keep", f"0/{n} sampled documents matched any entity")


def propose_documents(parent: str, key: str, values: list[Any], settings: Settings) -> Proposal:
    """A metadata key whose values are documents: a ``json:`` rule from their leaf paths."""
    documents = [d for d in (parse_document(v) for v in values) if d is not None]
    fields, keyed = json_fields(documents, settings)
    present = sum(v is not None for v in values)
    evidence = f"{len(documents)}/{present} sampled values are JSON documents"
    if keyed and all(isinstance(v, str) for v in values if v is not None):
        return Proposal(parent, key, "detect", f"{evidence}; {keys_evidence(keyed, documents)}")
    if keyed:  # structs: detect cannot take them, and json: would leave the keys as they are
        return Proposal(
            parent,
            key,
            "null",
            f"{evidence}; {keyed}/{len(documents)} have keys holding personal data, which "
            "json: rules cannot mask: null (or list the safe paths under json: by hand)",
        )
    paths = propose_fields(fields, settings)
    for p in paths:
        p.table = f"{parent}.{key}"
    return Proposal(parent, key, Paths(paths), evidence)


def _holds_documents(values: list[Any]) -> bool:
    present = [v for v in values if v is not None]
    documents = sum(parse_document(v) is not None and not isinstance(v, list) for v in present)
    return bool(present) and documents / len(present) >= max(MATCH_SHARE, 0.5)


def _flat(values: list[Any]) -> list[Any]:
    """List values are masked element by element, so their elements are the sample."""
    out: list[Any] = []
    for v in values:
        out.extend(v if isinstance(v, list | tuple) else [v])
    return out


def _top(counts: Counter) -> list[tuple[str, int]]:
    return counts.most_common(4)
