"""Planning files and memories that follow a subset: column checks, the kept keys and records,
and the counts the receipt shows (docs/subsetting_follow.md)."""

from __future__ import annotations

import pytest

from sanitizer.config.subset_follow import parse_object_follow, parse_vector_follow
from sanitizer.config.yamlfile import Location, parse_yaml
from sanitizer.errors import ConfigError
from sanitizer.extract.objects import ObjectInfo
from sanitizer.extract.vectors.base import CollectionInfo, RecordBatch
from sanitizer.plan.objects import follow_subset
from sanitizer.plan.subset_follow import ColumnRef, KeptSource, kept_values_of
from sanitizer.plan.vectors import check_follow, kept_records
from sanitizer.schema import ColumnInfo, TableInfo

HERE = Location("sanitize.yaml", 12)
TABLES = [
    TableInfo("tickets", {"id": ColumnInfo("id", "integer", "INTEGER")}, aliases=("main.tickets",)),
    TableInfo("contacts", {"email": ColumnInfo("email", "string", "TEXT")}),
]
KINDS = {"app": "sql", "files": "objects", "memory": "lancedb"}


class Database:
    """A SQL source's kept values, counting how often each column is asked for."""

    def __init__(self) -> None:
        self.asked: list[ColumnRef] = []
        self.values = {"tickets.id": {"1", "2"}, "contacts.email": {"ann@corp.com"}}

    def kept_values(self, ref: ColumnRef) -> frozenset[str]:
        self.asked.append(ref)
        return frozenset(self.values[f"{ref.table}.{ref.column}"])


def kept_values(database: Database):
    return kept_values_of({"app": KeptSource(TABLES, database.kept_values)}, KINDS)


def test_each_column_is_read_once_and_aliases_resolve() -> None:
    database = Database()
    kept = kept_values(database)
    assert kept(ColumnRef.parse("app.tickets.id", HERE)) == {"1", "2"}
    assert kept(ColumnRef.parse("app.main.tickets.id", HERE)) == {"1", "2"}
    assert kept(ColumnRef.parse("app.tickets.id", HERE)) == {"1", "2"}
    assert [str(r) for r in database.asked] == ["app.tickets.id"]  # alias → the rule name


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("ap.tickets.id", "which sanitize.yaml does not define.*did you mean 'app'"),
        ("files.tickets.id", "is a objects source; files and memories follow rows of a sql"),
        ("app.ticket.id", "table 'ticket'.*did you mean 'tickets'"),
        ("app.tickets.idd", "column 'idd'.*did you mean 'id'"),
    ],
)
def test_a_wrong_reference_names_the_subset_line(text: str, fragment: str) -> None:
    kept = kept_values(Database())
    with pytest.raises(ConfigError, match=f"(?s)sanitize.yaml:12: .*{fragment}"):
        kept(ColumnRef.parse(text, HERE))


def test_objects_left_out_and_counted_per_pattern() -> None:
    node = parse_yaml(
        '"tickets/{id}/**": app.tickets.id\n"users/{email}/*": app.contacts.email\n', "s"
    )
    follow = parse_object_follow("files", node, HERE)
    listed = [
        ObjectInfo(key, 10)
        for key in (
            "tickets/1/a.json",
            "tickets/2/b/c.txt",
            "tickets/3/a.json",
            "users/ann@corp.com/x.png",
            "users/bob@corp.com/x.png",
            "readme.md",
        )
    ]
    chosen, counts = follow_subset(follow, listed, kept_values(Database()))
    assert [i.key for i in chosen] == [
        "tickets/1/a.json",
        "tickets/2/b/c.txt",
        "users/ann@corp.com/x.png",
        "readme.md",
    ]
    assert counts.as_receipt() == {
        "production": 6,
        "kept": 4,
        "patterns": {
            "tickets/{id}/**": {"matched": 3, "kept": 2},
            "users/{email}/*": {"matched": 2, "kept": 1},
        },
    }


def test_a_wrong_column_fails_even_when_no_key_matches() -> None:
    follow = parse_object_follow("files", parse_yaml('"t/{id}/**": app.tickets.nope\n', "s"), HERE)
    with pytest.raises(ConfigError, match="column 'nope'"):
        follow_subset(follow, [], kept_values(Database()))


def _collection(name: str, keys: tuple[str, ...]) -> CollectionInfo:
    return CollectionInfo(name, 3, 384, "cosine", keys)


def test_records_follow_and_vectors_stay_aligned() -> None:
    node = parse_yaml("mem: {metadata: customer_email, to: app.contacts.email}\n", "s")
    follow = parse_vector_follow("memory", node, HERE)
    batch = RecordBatch(
        ids=["a", "b", "c"],
        documents=["one", "two", "three"],
        metadatas=[{"customer_email": "bob@x.org"}, {"customer_email": "ann@corp.com"}, {}],
        vectors=[[0.1], [0.2], [0.3]],
    )
    kept = kept_values(Database())
    out = kept_records(batch, follow, "mem", kept)
    assert (out.ids, out.documents, out.vectors) == (["b"], ["two"], [[0.2]])
    assert kept_records(batch, follow, "other", kept) is batch  # not named: whole


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("memz: {metadata: customer_email, to: app.contacts.email}\n", "collection 'memz'"),
        ("mem: {metadata: email, to: app.contacts.email}\n", "metadata key 'email'"),
        ("mem: {metadata: customer_email, to: app.contact.email}\n", "table 'contact'"),
    ],
)
def test_vector_links_are_checked_against_the_source(text: str, fragment: str) -> None:
    follow = parse_vector_follow("memory", parse_yaml(text, "s"), HERE)
    collections = [_collection("mem", ("customer_email", "ticket_id"))]
    with pytest.raises(ConfigError, match=fragment):
        check_follow(follow, collections, kept_values(Database()))
