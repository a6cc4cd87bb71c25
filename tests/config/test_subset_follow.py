"""``subset:`` entries of object and vector sources: key patterns, memory links, their errors.

KeptValues here is built from a dict: that is the interface the SQL subset provides
(docs/subsetting_follow.md), so these tests exercise the real matching, not a stand-in.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sanitizer.config.settings import load_settings
from sanitizer.config.subset_follow import (
    ObjectFollow,
    VectorFollow,
    as_texts,
    follow_settings,
    parse_object_follow,
    parse_vector_follow,
)
from sanitizer.config.yamlfile import Location, parse_yaml
from sanitizer.errors import ConfigError
from sanitizer.plan.subset_follow import ColumnRef

KEY = "0123456789abcdef0123456789abcdef"
HERE = Location("sanitize.yaml", 1)
KEPT = {
    ColumnRef("app", "tickets", "id"): frozenset({"1", "42"}),
    ColumnRef("app", "contacts", "email"): frozenset({"ann@corp.com", "x.y+z@b.org"}),
    ColumnRef("app", "tenants", "id"): frozenset({"7"}),
}


def kept(ref: ColumnRef) -> frozenset[str]:
    return KEPT[ref]


def objects(text: str) -> ObjectFollow:
    return parse_object_follow("files", parse_yaml(text, "sanitize.yaml"), HERE)


def memory(text: str) -> VectorFollow:
    return parse_vector_follow("memory", parse_yaml(text, "sanitize.yaml"), HERE)


FOLLOW = """\
"tickets/{id}/**": app.tickets.id
"users/{email}/**": app.contacts.email
"t/{tenant}/tickets/{id}.json": {tenant: app.tenants.id, id: app.tickets.id}
"""


@pytest.mark.parametrize(
    ("key", "keeps"),
    [
        ("tickets/42/body.json", True),
        ("tickets/42/attachments/2024/scan.pdf", True),  # ** spans any depth
        ("tickets/1/a", True),
        ("tickets/43/body.json", False),
        ("tickets/420/body.json", False),  # whole segment, not a prefix
        ("tickets/4/body.json", False),
        ("tickets/42", True),  # a trailing /** takes the folder's own key too
        ("tickets/43", False),
        ("users/ann@corp.com/avatar.png", True),
        ("users/x.y+z@b.org/cv.pdf", True),  # regex characters in the value are literal
        ("users/xay+z@b.org/cv.pdf", False),
        ("users/bob@corp.com/avatar.png", False),
        ("t/7/tickets/42.json", True),  # every placeholder must be kept
        ("t/8/tickets/42.json", False),
        ("t/7/tickets/43.json", False),
        ("t/8/tickets/42.json.bak", True),  # matches no pattern: copied as usual
        ("exports/all.csv", True),  # no pattern matches: copied as usual
        ("ticketsX/42/body.json", True),
        ("Tickets/43/body.json", True),  # keys are case-sensitive, like the stores
    ],
)
def test_object_keys_follow_kept_values(key: str, keeps: bool) -> None:
    assert objects(FOLLOW).keeps(key, kept) is keeps


def test_a_key_must_satisfy_every_pattern_that_matches_it() -> None:
    follow = objects('"t/{tenant}/**": app.tenants.id\n"t/*/tickets/{id}/**": app.tickets.id\n')
    assert follow.keeps("t/7/tickets/42/a.txt", kept)
    assert not follow.keeps("t/7/tickets/43/a.txt", kept)  # tenant kept, ticket not
    assert not follow.keeps("t/8/tickets/42/a.txt", kept)  # ticket kept, tenant not
    matched, keep = follow.judge("t/7/notes.txt", kept)
    assert [p.text for p in matched] == ["t/{tenant}/**"] and keep


@pytest.mark.parametrize(
    ("pattern", "key", "outcome"),
    [
        ("a/**/{id}.json", "a/42.json", "kept"),  # **/ may be no folder at all
        ("a/**/{id}.json", "a/x/y/42.json", "kept"),
        ("a/**/{id}.json", "a/x/43.json", "left out"),
        ("a/*/{id}/*", "a/any/42/f", "kept"),
        ("a/*/{id}/*", "a/any/43/f", "left out"),
        ("a/*/{id}/*", "a/any/42/f/g", "no match"),  # * stays inside one segment
        ("a/*/{id}/*", "a/x/y/42/f", "no match"),
        ("a/ticket-{id}.json", "a/ticket-42.json", "kept"),
        ("a/ticket-{id}.json", "a/ticket-42xjson", "no match"),  # . is a dot
        ("a/(x)[1]?/{id}", "a/(x)[1]?/42", "kept"),  # everything else is itself
        ("a/(x)[1]?/{id}", "a/(x)1/42", "no match"),
        ("a/{id}", "a/4\n2", "left out"),  # a placeholder takes any character but /
        ("{id}/{id}/f", "42/42/f", "kept"),  # a repeated placeholder must repeat its value
        ("{id}/{id}/f", "42/1/f", "no match"),
        ("t/{id}/**", "t/43/x\ny", "left out"),  # ** spans any character, newlines too
    ],
)
def test_pattern_syntax(pattern: str, key: str, outcome: str) -> None:
    matched, keep = objects(f'"{pattern}": app.tickets.id\n').judge(key, kept)
    assert ("no match" if not matched else "kept" if keep else "left out") == outcome


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('"tickets/**": app.tickets.id\n', "no placeholder"),
        ('"t/{tenant}/{id}/**": app.tickets.id\n', "2 placeholders"),
        ('"tickets/{id/**": app.tickets.id\n', "not a {name} placeholder"),
        ('"tickets/{1d}/**": app.tickets.id\n', "not a name"),
        ('"tickets/{}/**": app.tickets.id\n', "not a name"),
        ('"t/{a}{b}": {a: app.tickets.id, b: app.tickets.id}\n', "side by side"),
        ('"tickets/{id}/x**": app.tickets.id\n', "inside a segment"),
        ('"/tickets/{id}": app.tickets.id\n', "no leading /"),
        ('"tickets/{id}/**": tickets.id\n', "not a column reference"),
        ('"tickets/{id}/**": app..id\n', "not a column reference"),
        ('"tickets/{id}/**": 5\n', "needs the SQL column"),
        ('"t/{tenant}/{id}": {tenant: app.tenants.id}\n', "maps no column for id"),
        ('"t/{tenant}/{id}": {tennant: app.tenants.id, id: app.tickets.id}\n', "did you mean"),
        ("[a, b]\n", "must be a mapping"),
        ("{}\n", "names no key pattern"),
    ],
)
def test_object_follow_errors_name_the_line(text: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as caught:
        objects(text)
    assert fragment in str(caught.value)
    assert "sanitize.yaml:1" in str(caught.value)


def test_memories_follow_a_metadata_key() -> None:
    follow = memory("agent_memory: {metadata: customer_email, to: app.contacts.email}\n")
    assert follow.keeps("agent_memory", {"customer_email": "ann@corp.com"}, kept)
    assert not follow.keeps("agent_memory", {"customer_email": "bob@corp.com"}, kept)
    assert not follow.keeps("agent_memory", {}, kept)  # tied to no kept row
    assert not follow.keeps("agent_memory", {"customer_email": None}, kept)
    assert follow.keeps("agent_memory", {"customer_email": ["bob@x.com", "ann@corp.com"]}, kept)
    assert follow.keeps("other", {"customer_email": "bob@corp.com"}, kept)  # not named: whole


def test_numbers_compare_as_the_strings_sql_gives() -> None:
    follow = memory("m: {metadata: ticket_id, to: app.tickets.id}\n")
    assert follow.keeps("m", {"ticket_id": 42}, kept)
    assert follow.keeps("m", {"ticket_id": 42.0}, kept)  # JSON numbers may come back as floats
    assert follow.keeps("m", {"ticket_id": "42"}, kept)
    assert not follow.keeps("m", {"ticket_id": 42.5}, kept)
    assert as_texts({"nested": 1}) == []


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("m: {metadata: customer_email}\n", "needs to:"),
        ("m: {to: app.contacts.email}\n", "needs metadata:"),
        ("m: {metadata: e, to: app.contacts.email, limit: 3}\n", "unknown key 'limit'"),
        ("m: {metadata: e, to: contacts}\n", "not a column reference"),
        ("m: app.contacts.email\n", "must be a mapping"),
    ],
)
def test_vector_follow_errors(text: str, fragment: str) -> None:
    with pytest.raises(ConfigError, match=r"sanitize\.yaml:1") as caught:
        memory(text)
    assert fragment in str(caught.value)


def test_column_refs_keep_a_schema_in_the_table() -> None:
    ref = ColumnRef.parse("app.sales.orders.id", HERE)
    assert (ref.source, ref.table, ref.column) == ("app", "sales.orders", "id")
    assert ref == ColumnRef("app", "sales.orders", "id")  # where is not part of equality


def _settings(tmp_path: Path, subset: str) -> object:
    (tmp_path / "rules").mkdir(exist_ok=True)
    path = tmp_path / "sanitize.yaml"
    path.write_text(
        f"rules: rules/\nkey: {KEY}\n"
        "sources:\n  app: {kind: sql, url: 'sqlite:///p.db'}\n"
        "  files: {kind: objects, url: a}\n  memory: {kind: lancedb, url: m}\n"
        "targets:\n  app: {kind: sql, url: 'sqlite:///s.db'}\n"
        "  files: {kind: objects, url: b}\n  memory: {kind: lancedb, url: n}\n" + subset
    )
    return load_settings(path, environ={})


def test_sanitize_yaml_subset_entries_by_source_kind(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        "subset:\n  app:\n    roots: [{table: tickets, where: 'id < 5'}]\n"
        '  files:\n    "tickets/{id}/**": app.tickets.id\n'
        "  memory:\n    agent_memory: {metadata: customer_email, to: app.contacts.email}\n",
    )
    follows = settings.follows  # type: ignore[attr-defined]
    assert set(follows) == {"files", "memory"}  # the SQL entry is the SQL subset's own
    assert isinstance(follows["files"], ObjectFollow)
    assert follows["files"].patterns[0].where.line == 15
    assert isinstance(follows["memory"], VectorFollow)
    assert follows["memory"].links["agent_memory"].to == ColumnRef("app", "contacts", "email")


def test_a_subset_entry_naming_no_source(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"(?s)sanitize.yaml:12: .*'filez'.*did you mean 'files'"):
        _settings(tmp_path, 'subset:\n  filez:\n    "tickets/{id}/**": app.tickets.id\n')


JSON_FOLLOW = '"exports/*.json": {json: "$.ticket.id", to: app.tickets.id}\n'


@pytest.mark.parametrize(
    ("document", "keeps"),
    [
        ({"ticket": {"id": 42}}, True),
        ({"ticket": {"id": "42"}}, True),
        ({"ticket": {"id": 43}}, False),
        ({"ticket": {}}, False),  # tied to no kept row
        ({"ticket": [{"id": 42}]}, False),  # the path names a key, not a list's elements
        (None, False),  # not JSON
        ([1, 2], False),
    ],
)
def test_objects_can_follow_a_json_field(document: object, keeps: bool) -> None:
    follow = objects(JSON_FOLLOW)
    assert follow.keeps("exports/a.json", kept, lambda key: document) is keeps
    assert follow.keeps("other/a.json", kept, lambda key: document)  # no pattern: copied


def test_json_paths_reach_into_lists() -> None:
    follow = objects('"e/*.json": {json: "$.items[*].ticket", to: app.tickets.id}\n')
    assert follow.keeps("e/x.json", kept, lambda key: {"items": [{"ticket": 9}, {"ticket": 1}]})
    assert not follow.keeps("e/x.json", kept, lambda key: {"items": [{"ticket": 9}]})
    first = objects('"e/*.json": {json: "$[\'a b\'][0]", to: app.tickets.id}\n')
    assert first.keeps("e/x.json", kept, lambda key: {"a b": [42, 9]})
    assert not first.keeps("e/x.json", kept, lambda key: {"a b": [9, 42]})


def test_the_object_is_read_once_and_only_when_a_json_pattern_matches() -> None:
    follow = objects(JSON_FOLLOW + '"exports/{id}.json": app.tickets.id\n')
    reads: list[str] = []

    def read(key: str) -> object:
        reads.append(key)
        return {"ticket": {"id": 1}}

    assert follow.keeps("exports/42.json", kept, read)  # both patterns keep it
    assert not follow.keeps("exports/43.json", kept, read)  # its key ties it to ticket 43
    assert follow.keeps("tickets/42/a.txt", kept, read)
    assert reads == ["exports/42.json", "exports/43.json"]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ('{json: "ticket.id", to: app.tickets.id}', "not a JSON field path"),
        ('{json: "$.ticket..id", to: app.tickets.id}', "not a JSON field path"),
        ('{json: "$", to: app.tickets.id}', "not a JSON field path"),
        ('{json: "$.ticket.id"}', "needs both json: (the field) and to:"),
        ('{json: "$.a", to: app.tickets.id, when: x}', "unknown key 'when'"),
    ],
)
def test_json_follow_errors(value: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as caught:
        objects(f'"exports/*.json": {value}\n')
    assert fragment in str(caught.value)


def test_entries_handed_over_as_a_plain_mapping_keep_their_lines() -> None:
    """The SQL subset's parser may hand the object and vector entries over as they were read."""
    section = parse_yaml('files:\n  "tickets/{id}/**": app.tickets.id\n', "sanitize.yaml")
    kinds = {"app": "sql", "files": "objects"}
    follows = follow_settings(dict(section), HERE, kinds, ("lancedb", "chroma"))
    pattern = follows["files"].patterns[0]  # type: ignore[union-attr]
    assert (pattern.text, pattern.where.line) == ("tickets/{id}/**", 2)
