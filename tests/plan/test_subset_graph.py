"""The subset config against a schema (live or the committed snapshot): located errors for
unknown names, follow edges that are not keys, tables without keys, keys into excluded
tables — and the edges the closure walks."""

from __future__ import annotations

import pytest

from sanitizer.config.subset_settings import subset_settings
from sanitizer.config.yamlfile import Location, parse_yaml
from sanitizer.errors import ConfigErrors
from sanitizer.plan.subset_graph import build_graph, reachable
from sanitizer.schema import ColumnInfo, ForeignKey, TableInfo


def table(name: str, cols: str, pk: tuple[str, ...] = ("id",), fks=(), notnull=()) -> TableInfo:
    columns = {
        c: ColumnInfo(c, "json" if c == "payload" else "integer", "INT", nullable=c not in notnull)
        for c in cols.split()
    }
    return TableInfo(
        name, columns, primary_key=pk, foreign_keys=list(fks), aliases=(f"public.{name}",)
    )


SCHEMA = [
    table("tenants", "id owner_id", fks=[ForeignKey(("owner_id",), "users", ("id",))]),
    table("users", "id tenant_id", fks=[ForeignKey(("tenant_id",), "tenants", ("id",))]),
    table(
        "tickets",
        "id user_id audit_id",
        fks=[
            ForeignKey(("user_id",), "users", ("id",)),
            ForeignKey(("audit_id",), "audit", ("id",)),
        ],
    ),
    table("messages", "id ticket_id", fks=[ForeignKey(("ticket_id",), "tickets", ("id",))]),
    table("events", "id ticket_ref payload"),
    table("audit", "id"),
    table("loose", "a b", pk=()),
]


def graph(body: str, schema=SCHEMA):
    raw = parse_yaml("subset:\n  app:\n" + body, "sanitize.yaml")
    settings = subset_settings(raw["subset"], Location("sanitize.yaml", 1), {"app": "sql"})
    return build_graph(settings.sql["app"], schema)


def errors(body: str, schema=SCHEMA) -> str:
    with pytest.raises(ConfigErrors) as caught:
        graph(body, schema)
    return str(caught.value)


def test_edges_roles_and_what_is_reachable():
    g = graph(
        "    roots: [{table: public.tickets, where: 'id < 5'}]\n"
        "    follow: [messages.ticket_id, events.ticket_ref]\n"
        "    exclude: [audit]\n"
        "    references: [{from: events.ticket_ref, to: tickets.id},"
        " {from: events.payload, path: '$.user.id', to: users.id}]\n"
    )
    assert set(g.roots) == {"tickets"}
    assert [e.label() for e in g.follow] == ["messages.ticket_id", "events.ticket_ref"]
    assert [e.label() for e in g.up("tickets")] == ["tickets.user_id"]  # not into audit
    assert g.nulled == {"tickets": {"audit_id"}}  # nullable key into an excluded table
    assert reachable(g) == {"tickets", "users", "tenants", "messages", "events"}


def test_a_limited_follow_edge_carries_its_limit():
    g = graph(
        "    roots: [{table: tickets, where: 'id < 5'}]\n"
        "    follow: [{edge: messages.ticket_id, limit: 2}]\n"
    )
    assert [(e.parent, e.limit) for e in g.follow] == [("tickets", 2)]
    assert g.follow[0].label() == "messages.ticket_id (at most 2 per parent)"
    assert [e.limit for e in g.edges] == [None] * len(g.edges)  # upward: every parent


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("    roots: [{table: tickits, limit: 1}]\n", "table 'tickits' is not in source 'app'"),
        (
            "    roots: [{table: tickets, limit: 1}]\n    follow: [messages.tickt_id]\n",
            "column messages.tickt_id is unknown",
        ),
        (
            "    roots: [{table: tickets, limit: 1}]\n    follow: [events.ticket_ref]\n",
            "events.ticket_ref is not a foreign key or a declared reference",
        ),
        (
            "    roots: [{table: tickets, limit: 1}]\n"
            "    follow: [{edge: messages.tickt_id, limit: 2}]\n",
            "column messages.tickt_id is unknown",
        ),
        (
            "    roots: [{table: tickets, limit: 1}]\n"
            "    references: [{from: events.ticket_ref, to: tickets.nope}]\n",
            "column tickets.nope is unknown",
        ),
        (
            "    roots: [{table: tickets, limit: 1}]\n"
            "    references: [{from: events.ticket_ref, path: '$.a', to: tickets.id}]\n",
            "holds integer values, not JSON",
        ),
        ("    roots: [{table: loose, limit: 1}]\n", "table 'loose' has no primary key"),
        (
            "    roots: [{table: tickets, limit: 1}]\n    exclude: [users]\n",
            "points into users, which is excluded, and it is NOT NULL",
        ),
    ],
)
def test_mistakes_name_the_line_and_the_fix(body: str, message: str):
    schema = [
        t
        if t.name != "tickets"
        else table("tickets", "id user_id audit_id", fks=t.foreign_keys, notnull=("user_id",))
        for t in SCHEMA
    ]
    text = errors(body, schema)
    assert message in text
    assert "sanitize.yaml:" in text
    assert "fix:" in text


def test_a_table_without_a_key_may_be_copied_whole():
    g = graph("    roots: [{table: tickets, limit: 1}]\n    passthrough: [loose]\n")
    assert g.passthrough == {"loose"}
