"""The store adapters on their own: what a source reports, and shadow → swap / discard."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import memory_corpus as vc

from sanitizer.config.settings import Endpoint
from sanitizer.errors import ConfigError
from sanitizer.extract.vectors import open_source
from sanitizer.extract.vectors.base import RecordBatch
from sanitizer.load.vectors import open_vector_target
from sanitizer.run.vectors import refuse_same_store


def test_lancedb_source_reports_its_tables_and_reads_in_batches(tmp_path):
    vc.write_lance(tmp_path / "prod", "memories", vc.records(), dimension=8)
    source = open_source("memory", "lancedb", str(tmp_path / "prod"))
    [info] = source.collections()
    assert (info.name, info.count, info.dimension, info.metric) == ("memories", 12, 8, "l2")
    # the metadata struct's fields are keys, like the flat columns
    assert set(info.metadata_keys) == {
        "customer_email",
        "customer_name",
        "ticket_id",
        "tags",
        "context",
    }
    batches = list(source.batches(info, 5))
    assert [len(b) for b in batches] == [5, 5, 2]
    first = batches[0]
    assert first.ids[0] == "m-0-0" and first.metadatas[0]["ticket_id"] == 100
    assert len(first.vectors[0]) == 8


def test_chroma_source_finds_every_metadata_key_before_reading(chroma_url):
    import chromadb

    client = chromadb.HttpClient(host="127.0.0.1", port=int(chroma_url.rsplit(":", 1)[1]))
    rows = vc.records()
    rows[7]["rare_key"] = "only here"
    vc.write_chroma(client, "store-test", rows, dimension=4)
    try:
        source = open_source("memory", "chroma", chroma_url)
        info = next(i for i in source.collections() if i.name == "store-test")
        assert "rare_key" in info.metadata_keys
        assert (info.count, info.dimension, info.metric) == (12, 4, "cosine")
        assert sum(len(b) for b in source.batches(info, 5)) == 12
    finally:
        client.delete_collection("store-test")


def masked(batch: RecordBatch) -> RecordBatch:
    return RecordBatch(batch.ids, batch.documents, batch.metadatas)


@pytest.mark.parametrize("kind", ["lancedb", "chroma"])
def test_shadows_swap_in_whole_or_are_discarded(tmp_path, kind):
    prod = tmp_path / "prod"
    if kind == "lancedb":
        vc.write_lance(prod, "memories", vc.records(), dimension=4)
    else:
        import chromadb

        vc.write_chroma(chromadb.PersistentClient(path=str(prod)), "memories", vc.records(), 4)
    source = open_source("memory", kind, str(prod))
    [info] = source.collections()
    [batch] = list(source.batches(info, 100))
    staging = str(tmp_path / "staging")
    vectors = np.ones((12, 4), dtype=np.float32)

    def load(run_id: str, scale: float):
        target = open_vector_target("memory", kind, staging)
        target.prepare(run_id, ["memories"])
        target.create(info, 4, {"sanitizer.embedding_model": "test"})
        with pytest.raises(ValueError, match="source vectors"):
            target.write("memories", batch, vectors)  # the guard: never a source vector
        target.write("memories", masked(batch), vectors * scale)
        assert target.count("memories") == 12
        return target

    load("run1", 1.0).swap()
    load("run2", 2.0).discard()  # a failed run: staging keeps run1's vectors
    again = open_source("memory", kind, staging)
    [live] = again.collections()
    [rows] = list(again.batches(live, 100))
    assert rows.ids == batch.ids
    np.testing.assert_allclose(np.asarray(rows.vectors, dtype=np.float32), vectors)
    assert open_vector_target("memory", kind, staging).live_dimension("memories") == 4
    leftovers = [p.name for p in tmp_path.iterdir() if "__sz_" in p.name]
    assert leftovers == []


def test_a_target_that_is_its_source_is_refused(tmp_path):
    prod = Endpoint("memory", "chroma", "http://localhost:8000", where="sanitize.yaml:9")
    same = Endpoint("memory", "chroma", "http://127.0.0.1:8000/", where="sanitize.yaml:12")
    with pytest.raises(ConfigError, match="is the same vector store as its source"):
        refuse_same_store(prod, same)
    folder = Endpoint("memory", "lancedb", str(tmp_path / "a"), where="sanitize.yaml:9")
    with pytest.raises(ConfigError):
        refuse_same_store(folder, Endpoint("memory", "lancedb", str(tmp_path / "b/../a"), "x"))
    refuse_same_store(folder, Endpoint("memory", "lancedb", str(tmp_path / "b"), "x"))


def test_chroma_targets_store_a_nulled_metadata_value_as_an_absent_key(tmp_path):
    import chromadb

    vc.write_chroma(chromadb.PersistentClient(path=str(tmp_path / "p")), "mem", vc.records(), 4)
    source = open_source("memory", "chroma", str(tmp_path / "p"))
    [info] = source.collections()
    target = open_vector_target("memory", "chroma", str(tmp_path / "s"))
    target.prepare("run1", ["mem"])
    target.create(info, 4, {"sanitizer.embedding_model": "test"})
    batch = RecordBatch(["a", "b"], ["x", None], [{"email": None, "n": 1}, {"email": None}])
    target.write("mem", batch, np.zeros((2, 4), dtype=np.float32))
    target.swap()
    page = chromadb.PersistentClient(path=str(tmp_path / "s")).get_collection("mem").get()
    assert page["metadatas"] == [{"n": 1}, None]
