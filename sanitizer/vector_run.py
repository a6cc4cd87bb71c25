"""A vector source's part of a run: open and plan, then mask → re-embed → load into shadows.

The pipeline calls these steps in the same order as for SQL sources — everything is opened and
checked (rules, dimensions) before anything is written, shadows are swapped in only after the
whole run verified, and discarded on any failure — so SQL and vector targets change together.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from sanitizer.config.rules import SourceRules
from sanitizer.config.settings import VECTOR_KINDS, EmbeddingSettings, Endpoint, Settings
from sanitizer.embed import Embedder, load_embedder
from sanitizer.errors import ConfigError, LeakError
from sanitizer.extract.vectors import open_source
from sanitizer.extract.vectors.base import RecordBatch, VectorSource
from sanitizer.load.vectors import open_vector_target
from sanitizer.load.vectors.base import DIMENSION_KEY, METRIC_KEY, MODEL_KEY, RUN_KEY, VectorTarget
from sanitizer.mask.plans import CollectionPlan
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.mask.vectors import RecordMasker
from sanitizer.plan.vectors import build_collection_plans
from sanitizer.receipt import CollectionReceipt, FieldReceipt, Receipt

log = logging.getLogger("sanitizer")

MAX_BATCH = 512  # records per read: bounded memory while embedding

Progress = Callable[[str, int], None]


@dataclass
class VectorRun:
    """One vector source, its staging target and the plan for each collection."""

    name: str
    source: VectorSource
    target: VectorTarget
    plans: dict[str, CollectionPlan]


def open_vector_run(
    name: str, source: Endpoint, target: Endpoint, rules: SourceRules | None, stack: ExitStack
) -> VectorRun:
    """Connect both sides and check the rules against every collection; nothing is written."""
    refuse_same_store(source, target)
    reader = open_source(name, source.kind, source.url)
    stack.callback(reader.close)
    writer = open_vector_target(name, target.kind, target.url)
    stack.callback(writer.close)
    plans = build_collection_plans(rules or SourceRules(name), reader.collections())
    writer.managed = list(plans)  # the staging collections a run replaces
    return VectorRun(name, reader, writer, plans)


def check_rule_sections(sources: dict[str, Endpoint], rules: dict[str, SourceRules]) -> None:
    """tables: rules belong to SQL sources, vectors: rules to vector sources."""
    for name, written in rules.items():
        kind = sources[name].kind
        if kind in VECTOR_KINDS and written.tables:
            first = next(iter(written.tables.values()))
            raise ConfigError(
                f"{first.where}: source {name!r} is a {kind} vector index, so it takes "
                "vectors: rules, not tables:.",
                hint="move these rules under vectors: COLLECTION: {document: ..., metadata: ...}.",
            )
        if kind not in VECTOR_KINDS and written.vectors:
            first_collection = next(iter(written.vectors.values()))
            raise ConfigError(
                f"{first_collection.where}: source {name!r} is a {kind} database, so it takes "
                "tables: rules, not vectors:.",
                hint="put vectors: rules in a file whose source: is a lancedb or chroma source.",
            )


def refuse_same_store(source: Endpoint, target: Endpoint) -> None:
    """A staging target that is the production store would overwrite production."""
    if _store_identity(source.url) == _store_identity(target.url):
        raise ConfigError(
            f"{target.where}: target {target.name!r} ({target.url}) is the same vector store "
            "as its source.",
            hint="point the target at a separate staging directory or server.",
        )


def _store_identity(url: str) -> tuple[str, ...]:
    if url.startswith(("http://", "https://")):
        parsed = urlparse(url)
        host = parsed.hostname or ""
        host = "localhost" if host in ("127.0.0.1", "::1", "localhost") else host
        return ("http", host, str(parsed.port or 8000), parsed.path.rstrip("/"))
    if "://" in url:
        return ("uri", url.rstrip("/"))
    return ("path", str(Path(url).resolve()))


def prepare_embedder(runs: list[VectorRun], settings: EmbeddingSettings) -> Embedder | None:
    """Load the model and refuse any collection whose dimension differs from it."""
    kept = [(run, plan) for run in runs for plan in run.plans.values() if not plan.drop]
    if not kept:
        return None
    embedder = load_embedder(settings)
    problems = []
    for run, plan in kept:
        info = plan.collection
        live = run.target.live_dimension(info.name)
        for side, dimension in (("source", info.dimension), ("staging", live)):
            if dimension is not None and dimension != embedder.dimension:
                problems.append(f"{run.name}.{info.name} ({side}: {dimension})")
    if problems:
        raise ConfigError(
            f"{settings.where or 'sanitize.yaml'}: the embedding model {embedder.name!r} makes "
            f"{embedder.dimension}-dimensional vectors, but these collections hold another "
            f"dimension: {', '.join(problems)}.",
            hint="set embeddings.model (or embeddings.url) in sanitize.yaml to a model of that "
            "dimension — ideally the one production uses — so staging queries behave alike.",
        )
    return embedder


def planned(run: VectorRun) -> dict[str, CollectionReceipt]:
    """Receipts of a dry run: the operator each field would get."""
    out = {}
    for name, plan in run.plans.items():
        masker = RecordMasker(plan, Keyring(b"dry-run-only-not-a-key"), None)
        out[f"{run.name}.{name}"] = CollectionReceipt(
            dropped=plan.drop,
            fields={n: FieldReceipt(s.operator, s.origin, 0, 0) for n, s in masker.stats.items()},
        )
    return out


def load_vector_run(
    run: VectorRun,
    settings: Settings,
    keyring: Keyring,
    embedder: Embedder | None,
    receipt: Receipt,
    progress: Progress | None = None,
) -> None:
    """Mask, re-embed and write every kept collection into the target's shadow."""
    run.target.prepare(receipt.run_id, list(run.plans))
    batch_size = min(settings.batch_size, MAX_BATCH)
    for name, plan in run.plans.items():
        key = f"{run.name}.{name}"
        info = plan.collection
        if plan.drop or embedder is None:
            receipt.collections[key] = CollectionReceipt(rows_in=info.count, dropped=True)
            continue
        stamp = {
            MODEL_KEY: embedder.name,
            DIMENSION_KEY: str(embedder.dimension),
            METRIC_KEY: info.metric,
            RUN_KEY: receipt.run_id,
        }
        run.target.create(info, embedder.dimension, stamp)
        masker = RecordMasker(plan, keyring, settings.nlp)
        collection = CollectionReceipt(
            embedding_model=embedder.name, dimension=embedder.dimension, metric=info.metric
        )
        copied = 0
        for batch in run.source.batches(info, batch_size):
            collection.rows_in += len(batch)
            masked = masker.mask(batch)
            vectors = embedder.embed([doc or "" for doc in masked.documents])
            copied += _copied_vectors(batch, masked, vectors)
            run.target.write(name, masked, vectors)
            if progress:
                progress(key, len(batch))
        if copied:
            raise LeakError(
                f"{key}: {copied} staging vectors equal their production vectors although the "
                "document changed.",
                hint="the staging copy was discarded; report this as a bug.",
            )
        collection.fields = {
            field: FieldReceipt(
                s.operator,
                s.origin,
                s.masked,
                s.unchanged,
                {k.split(":", 1)[1]: v for k, v in s.details.items() if k.startswith("entity:")},
            )
            for field, s in masker.stats.items()
        }
        collection.rows_out = run.target.count(name)
        receipt.collections[key] = collection
        log.info(
            "collection masked and re-embedded",
            extra={"run_id": receipt.run_id, "collection": key, "records": collection.rows_in},
        )


def _copied_vectors(source: RecordBatch, masked: RecordBatch, vectors: np.ndarray) -> int:
    """Changed documents whose new vector equals the production one (must be none)."""
    if source.vectors is None:
        return 0
    count = 0
    for i, (before, after) in enumerate(zip(source.documents, masked.documents, strict=True)):
        old = source.vectors[i]
        if before != after and old is not None and len(old) == vectors.shape[1]:
            count += bool(np.allclose(np.asarray(old, dtype=np.float32), vectors[i]))
    return count
