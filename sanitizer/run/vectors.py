"""A vector source's part of a run: open, plan, then mask → re-embed → load into the shadow.

Everything is opened and checked (rules, dimensions) before anything is written; the shadow
collections are swapped in with the other targets only after the whole run verified, and
discarded on any failure, so SQL, object and vector staging change together. Stored vectors
are never copied: each one is computed from the sanitized document (docs/design.md,
guarantee 8).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from sanitizer.config.rules import SourceRules
from sanitizer.config.settings import VECTOR_KINDS, EmbeddingSettings, Endpoint, NlpSettings
from sanitizer.config.subset_follow import VectorFollow
from sanitizer.engine import LOCAL
from sanitizer.errors import ConfigError
from sanitizer.extract.vectors import open_source
from sanitizer.extract.vectors.base import RecordBatch
from sanitizer.load.vectors import open_vector_target
from sanitizer.load.vectors.base import DIMENSION_KEY, METRIC_KEY, MODEL_KEY, RUN_KEY
from sanitizer.mask.embed import Embedder, load_embedder
from sanitizer.mask.parallel import worker_count
from sanitizer.mask.plans import CollectionPlan
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.mask.vectors import RecordMasker
from sanitizer.plan.vectors import build_collection_plans, check_follow, kept_records
from sanitizer.receipt import CollectionReceipt, FieldReceipt
from sanitizer.run.context import RunContext
from sanitizer.run.overlap import Background, ahead
from sanitizer.run.vector_pool import VectorPool
from sanitizer.verify.checks import check_reembedded

log = logging.getLogger("sanitizer")

RECORDS_PER_READ = 512  # bounded memory while embedding


class VectorPart:
    """One vector source, its staging target and the plan for each collection."""

    kind = "vectors"  # the run's order of parts goes by kind (run/snapshot.py)

    def __init__(self, name: str, source: Endpoint, target: Endpoint) -> None:
        self.name = name
        self.endpoints = (source, target)
        self.plans: dict[str, CollectionPlan] = {}
        self.follow: VectorFollow | None = None  # subset: records follow kept SQL rows
        self.model: Background[Embedder] | None = None  # the model, loading while we plan
        self.warming: Background[None] | None = None  # detection, loading while we plan
        self.pool: VectorPool | None = None  # local workers, started while we plan

    def open(self, ctx: RunContext) -> None:
        """Nothing yet: both sides are opened when the plan is made."""

    def plan_run(self, ctx: RunContext, rules: SourceRules | None) -> None:
        """Connect both sides (closed when the run ends) and check the rules against every
        collection; nothing is written."""
        source, target = self.endpoints
        refuse_same_store(source, target)
        self.source = open_source(self.name, source.kind, source.url)
        ctx.stack.callback(self.source.close)
        self.target = open_vector_target(self.name, target.kind, target.url)
        ctx.stack.callback(self.target.close)
        collections = self.source.collections()
        self.plans = build_collection_plans(rules or SourceRules(self.name), collections)
        follow = ctx.settings.follows.get(self.name)
        if isinstance(follow, VectorFollow):
            assert ctx.kept is not None  # the SQL parts were planned first
            check_follow(follow, collections, ctx.kept)
            self.follow = follow
        self.target.managed = list(self.plans)  # the staging collections a run replaces
        ctx.receipt.sources[self.name] = {"kind": source.kind, "url": source.url}
        ctx.receipt.targets[self.name] = target.url
        self._load_ahead(ctx)

    def _load_ahead(self, ctx: RunContext) -> None:
        """Start loading the embedding model, and detection when the run is all vectors,
        while the run claims its targets and opens the collections (docs/operations.md,
        "Vector runs"): in the workers that will mask and embed, when the run detects on more
        than one core; else on threads of this process. The model is the one
        :func:`prepare_embedder` would load; detection is the analyzer the first masked batch
        would build."""
        settings = ctx.settings
        if settings.engine.kind != "local":
            return  # the cluster's actors load them (docs/engine.md)
        if not self.kept() or not _plans_last(self.name, settings.sources):
            return
        # only when nothing else in this process detects meanwhile: one analyzer is built,
        # and spaCy's pipeline is never used by two threads at once (mask.objects.NLP_LOCK)
        alone = all(source.kind in VECTOR_KINDS for source in settings.sources.values())
        if alone and self._workers(ctx) > 1:
            # no SQL source: no known values for detect (run.snapshot._known_values)
            self.pool = self._start_pool(ctx, ctx.stack, {})
            self.model = Background(self.pool.embedder, "load-model")
            return
        if settings.embeddings.url is None:  # a local model (an endpoint is asked per batch)
            self.model = Background(lambda: load_embedder(settings.embeddings), "load-model")
        if self._detects() and alone and not ctx.dry_run:
            model = self.model
            self.warming = Background(lambda: warm_detection(settings.nlp, model), "load-detection")

    def _detects(self) -> bool:
        return any(
            field_plan.operator.uses_nlp
            for plan in self.kept()
            for field_plan in (plan.document, *plan.metadata.values())
            if field_plan is not None
        )

    def _workers(self, ctx: RunContext) -> int:
        """Local processes that mask and embed, or 0: records are masked on a thread of this
        process and embedded here. Workers when a rule detects (it costs as much CPU as the
        embedding, and in one process the two contend for the GIL), the model is local, and
        ``workers`` (auto: one per core) is more than 1."""
        settings = ctx.settings
        if ctx.dry_run or settings.engine.kind != "local" or settings.embeddings.url:
            return 0
        workers = worker_count(settings.workers, uses_nlp=True)
        return workers if workers > 1 and self._detects() else 0

    def _start_pool(
        self, ctx: RunContext, stack: ExitStack, known: dict[str, list[str]]
    ) -> VectorPool:
        settings = ctx.settings
        init = (ctx.keyring, settings.nlp, settings.embeddings, known)
        pool = VectorPool(LOCAL, self._workers(ctx), init, local=True)
        return stack.enter_context(pool)

    def uses_nlp(self) -> bool:
        return False  # records are masked here, not by the SQL pool

    def kept(self) -> list[CollectionPlan]:
        return [plan for plan in self.plans.values() if not plan.drop]

    def record_plan(self, ctx: RunContext) -> None:
        """A dry run's receipt: the operator each field would get, and how many records
        of each followed collection the subset keeps (their metadata is read, nothing else
        is done with them)."""
        for name, plan in self.plans.items():
            if not plan.drop:
                self._count_followed(ctx, name, plan)
            masker = RecordMasker(plan, Keyring(b"dry-run-only-not-a-key"), None)
            ctx.receipt.collections[f"{self.name}.{name}"] = CollectionReceipt(
                dropped=plan.drop,
                fields={
                    n: FieldReceipt(s.operator, s.origin, 0, 0) for n, s in masker.stats.items()
                },
            )

    def _count_followed(self, ctx: RunContext, name: str, plan: CollectionPlan) -> None:
        if self.follow is None or name not in self.follow.links:
            return
        production = kept = 0
        for read in self.source.batches(plan.collection, RECORDS_PER_READ):
            production += len(read)
            kept += len(kept_records(read, self.follow, name, ctx.kept))
        self._record_subset(ctx, name, production, kept)

    def _record_subset(self, ctx: RunContext, name: str, production: int, kept: int) -> None:
        subset = ctx.receipt.sources[self.name].setdefault("subset", {})
        subset[name] = {"production": production, "kept": kept}

    def load(self, ctx: RunContext) -> None:
        """Mask, re-embed and write every kept collection into the target's shadow."""
        self.target.prepare(ctx.run_id, list(self.plans))
        with ExitStack() as stack:
            pool = self._pool(ctx, stack)
            for name, plan in self.plans.items():
                key = f"{self.name}.{name}"
                if plan.drop or ctx.embedder is None:
                    rows = plan.collection.count
                    ctx.receipt.collections[key] = CollectionReceipt(rows_in=rows, dropped=True)
                    continue
                receipt = self._load_collection(ctx, name, plan, ctx.embedder, pool)
                ctx.receipt.collections[key] = receipt
                self._log_loaded(ctx, key, pool.workers if pool is not None else 0)

    def _pool(self, ctx: RunContext, stack: ExitStack) -> VectorPool | None:
        """Workers that mask and re-embed: on a cluster, actors (docs/engine.md); here,
        processes when the run detects on more than one core (started while the run planned,
        or now); else none: the records are masked and embedded in this process. The pool is
        closed when the collections are loaded (its workers hold a model each)."""
        live = [p for p in self.plans.values() if not p.drop]
        if not live or ctx.embedder is None:
            return None
        settings = ctx.settings
        if ctx.engine.actors:
            init = (ctx.keyring, settings.nlp, settings.embeddings, ctx.known)
            return stack.enter_context(VectorPool(ctx.engine, ctx.engine.actors, init))
        if self.pool is not None:
            stack.callback(self.pool.close)
            return self.pool
        return self._start_pool(ctx, stack, ctx.known) if self._workers(ctx) > 1 else None

    def _log_loaded(self, ctx: RunContext, key: str, workers: int) -> None:
        """``workers``: the processes or actors that masked and embedded (0: this one)."""
        log.info(
            "collection masked and re-embedded",
            extra={
                "run_id": ctx.run_id,
                "collection": key,
                "records": ctx.receipt.collections[key].rows_in,
                "workers": workers,
            },
        )

    def _load_collection(
        self,
        ctx: RunContext,
        name: str,
        plan: CollectionPlan,
        embedder: Embedder,
        pool: VectorPool | None = None,
    ) -> CollectionReceipt:
        key, info = f"{self.name}.{name}", plan.collection
        stamp = {
            MODEL_KEY: embedder.name,
            DIMENSION_KEY: str(embedder.dimension),
            METRIC_KEY: info.metric,
            RUN_KEY: ctx.run_id,
        }
        self.target.create(info, embedder.dimension, stamp)
        masker = RecordMasker(plan, ctx.keyring, ctx.settings.nlp)
        counts = CollectionReceipt(
            embedding_model=embedder.name, dimension=embedder.dimension, metric=info.metric
        )
        copied, production = 0, [0]
        assert ctx.fidelity is not None
        document = plan.document
        document_rule = document.operator.label() if document is not None else "keep"
        profile = ctx.fidelity.collection(self.name, name, document_rule)
        if pool is not None:
            done = pool.run(plan, masker, self._kept(ctx, name, counts, profile, production))
        else:
            done = self._masked_here(ctx, name, masker, embedder, counts, profile, production)
        for batch, masked, vectors in done:
            profile.observe("staging", masked.documents, masked.metadatas, vectors)
            copied += copied_vectors(batch, masked, vectors)
            self.target.write(name, masked, vectors)
            ctx.advance(key, len(batch))
        check_reembedded(key, copied)
        if self.follow is not None and name in self.follow.links:
            self._record_subset(ctx, name, production[0], counts.rows_in)
        counts.fields = FieldReceipt.of_all(masker.stats)
        counts.rows_out = self.target.count(name)
        return counts

    def _kept(
        self,
        ctx: RunContext,
        name: str,
        counts: CollectionReceipt,
        profile: Any,
        production: list[int],
    ) -> Iterator[RecordBatch]:
        """The collection's kept records, batch by batch, counted and profiled as read."""
        for read, batch in self._reads(ctx, name):
            self._counted(ctx, name, read, batch, counts, profile, production)
            if len(batch):
                yield batch

    def _masked_here(
        self,
        ctx: RunContext,
        name: str,
        masker: RecordMasker,
        embedder: Embedder,
        counts: CollectionReceipt,
        profile: Any,
        production: list[int],
    ) -> Iterator[tuple[RecordBatch, RecordBatch, np.ndarray]]:
        """(kept, masked, vectors) batch after batch, masked in this process on a thread one
        batch ahead, so detection masks the next batch while this one embeds; counted and
        profiled here, in the run's thread."""
        for read, batch, masked in ahead(self._masked(ctx, name, masker)):
            self._counted(ctx, name, read, batch, counts, profile, production)
            if len(batch):
                yield batch, masked, embedder.embed([doc or "" for doc in masked.documents])

    def _counted(
        self,
        ctx: RunContext,
        name: str,
        read: int,
        batch: RecordBatch,
        counts: CollectionReceipt,
        profile: Any,
        production: list[int],
    ) -> None:
        production[0] += read
        ctx.advance(f"{self.name}.{name}", read - len(batch))
        if len(batch):
            counts.rows_in += len(batch)
            profile.observe("production", batch.documents, batch.metadatas, batch.vectors)

    def _reads(self, ctx: RunContext, name: str) -> Iterator[tuple[int, RecordBatch]]:
        """(records read, records kept) batch after batch."""
        size = min(ctx.settings.batch_size, RECORDS_PER_READ)
        for read in self.source.batches(self.plans[name].collection, size):
            yield len(read), kept_records(read, self.follow, name, ctx.kept)

    def _masked(
        self, ctx: RunContext, name: str, masker: RecordMasker
    ) -> Iterator[tuple[int, RecordBatch, RecordBatch]]:
        """(records read, records kept, kept records masked), batch after batch: runs on a
        thread one batch ahead (see _masked_here)."""
        if self.warming is not None:
            self.warming.result()  # detection is loaded (or its error is raised) first
        empty = RecordBatch(ids=[], documents=[], metadatas=[])
        for read, batch in self._reads(ctx, name):
            yield read, batch, masker.mask(batch) if len(batch) else empty


def _plans_last(name: str, sources: dict[str, Endpoint]) -> bool:
    """Whether ``name`` is the run's only vector source and the last store planned (SQL
    sources plan first): then nothing else in this process imports PyTorch or spaCy while its
    model loads, and no other part loads a model or detection beside it."""
    stores = [n for n, s in sources.items() if s.kind == "objects" or s.kind in VECTOR_KINDS]
    vectors = [n for n in stores if sources[n].kind in VECTOR_KINDS]
    return stores[-1:] == [name] and vectors == [name]


def warm_detection(nlp: NlpSettings, model: Background[Embedder] | None = None) -> None:
    """Build the detection analyzer and run it once over a short sample (first-use caches),
    as the workers' forkserver does (:mod:`sanitizer.mask.warm`); the analyzer is cached per
    process, so the first batch finds it ready. Results cannot change: the same analyzer.

    After ``model`` has loaded, never beside it: spaCy's thinc imports PyTorch too, and two
    threads importing PyTorch at once can see it half-initialized (an ImportError)."""
    if model is not None:
        with contextlib.suppress(Exception):  # its error is raised where the model is needed
            model.result()
    from sanitizer.mask.text.detector import find_all
    from sanitizer.mask.warm import SAMPLE

    find_all([SAMPLE], None, nlp)


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


def prepare_embedder(parts: list[VectorPart], settings: EmbeddingSettings) -> Embedder | None:
    """Load the model and refuse any collection whose dimension differs from it."""
    kept = [(part, plan) for part in parts for plan in part.kept()]
    if not kept:
        return None
    loading = next((part.model for part in parts if part.model is not None), None)
    embedder = loading.result() if loading is not None else load_embedder(settings)
    problems = []
    for part, plan in kept:
        info = plan.collection
        live = part.target.live_dimension(info.name)
        for side, dimension in (("source", info.dimension), ("staging", live)):
            if dimension is not None and dimension != embedder.dimension:
                problems.append(f"{part.name}.{info.name} ({side}: {dimension})")
    if problems:
        raise ConfigError(
            f"{settings.where or 'sanitize.yaml'}: the embedding model {embedder.name!r} makes "
            f"{embedder.dimension}-dimensional vectors, but these collections hold another "
            f"dimension: {', '.join(problems)}.",
            hint="set embeddings.model (or embeddings.url) in sanitize.yaml to a model of that "
            "dimension — ideally the one production uses — so staging queries behave alike.",
        )
    return embedder


def copied_vectors(source: RecordBatch, masked: RecordBatch, vectors: np.ndarray) -> int:
    """Changed documents whose new vector equals the production one (must be none)."""
    if source.vectors is None:
        return 0
    count = 0
    for i, (before, after) in enumerate(zip(source.documents, masked.documents, strict=True)):
        old = source.vectors[i]
        if before != after and old is not None and len(old) == vectors.shape[1]:
            count += bool(np.allclose(np.asarray(old, dtype=np.float32), vectors[i]))
    return count
