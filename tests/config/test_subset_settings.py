"""The ``subset:`` section of sanitize.yaml: its shape, with errors naming file and line."""

from __future__ import annotations

import pytest
from test_settings import KEY, VALID, settings_error, write

from sanitizer.config.settings import load_settings
from sanitizer.config.subset_settings import SubsetSettings

DESIGN = """\
subset:
  app:
    roots:
      - {table: tickets, where: "created_at >= '2026-01-01'"}
      - {table: accounts, percent: 2}
      - {table: tenants, where: "id in (1, 2, 3)", limit: 1000}
    follow: [messages.ticket_id]
    passthrough: [plans, countries]
    exclude: [audit_log]
    references:
      - {from: events.ticket_id, to: tickets.id}
      - {from: events.payload, path: "$.ticket.id", to: tickets.id}
      - {from: comments.subject_id, to: tickets.id, when: "subject_type = 'ticket'"}
"""


def load(tmp_path, text: str):
    return load_settings(write(tmp_path, text), {"SANITIZE_KEY": KEY})


def test_absent_means_no_subset(tmp_path):
    assert load(tmp_path, VALID).subset == SubsetSettings()


def test_the_design_shape(tmp_path):
    subset = load(tmp_path, VALID + DESIGN).subset.sql["app"]
    assert [(r.table, r.where_sql, r.percent, r.limit) for r in subset.roots] == [
        ("tickets", "created_at >= '2026-01-01'", None, None),
        ("accounts", None, 2.0, None),
        ("tenants", "id in (1, 2, 3)", None, 1000),
    ]
    assert [str(f) for f in subset.follow] == ["messages.ticket_id"]
    assert [t.table for t in subset.passthrough] == ["plans", "countries"]
    assert [t.table for t in subset.exclude] == ["audit_log"]
    refs = [(str(r.source), r.path, str(r.target), r.when) for r in subset.references]
    assert refs == [
        ("events.ticket_id", None, "tickets.id", None),
        ("events.payload", "$.ticket.id", "tickets.id", None),
        ("comments.subject_id", None, "tickets.id", "subject_type = 'ticket'"),
    ]
    assert subset.roots[1].where.line == VALID.count("\n") + 5


def test_object_and_vector_entries_stay_raw_for_their_parser(tmp_path):
    text = VALID.replace(
        "sources:\n", "sources:\n  files: {kind: objects, url: prod/files}\n"
    ).replace("targets:\n", "targets:\n  files: {kind: objects, url: staging/files}\n")
    text += DESIGN + '  files:\n    "tickets/{id}/**": app.tickets.id\n'
    subset = load(tmp_path, text).subset
    assert subset.follow_raw == {"files": {"tickets/{id}/**": "app.tickets.id"}}


def test_a_follow_edge_with_a_per_parent_limit(tmp_path):
    text = DESIGN.replace(
        "follow: [messages.ticket_id]",
        "follow: [messages.ticket_id, {edge: attachments.message_id, limit: 3}]",
    )
    follow = load(tmp_path, VALID + text).subset.sql["app"].follow
    assert [(str(f), f.limit) for f in follow] == [
        ("messages.ticket_id", None),
        ("attachments.message_id", 3),
    ]


@pytest.mark.parametrize(
    ("fragment", "message"),
    [
        ("  nope: {roots: []}\n", "subset names source 'nope'"),
        ("  app: {roots: []}\n", "has no roots"),
        ("  app: {roots: [{table: t}]}\n", "neither where, percent nor limit"),
        ("  app: {roots: [{table: t, percent: 0}]}\n", "percent must be a number above 0"),
        ("  app: {roots: [{table: t, percent: 101}]}\n", "percent must be a number above 0"),
        ("  app: {roots: [{table: t, percent: yes}]}\n", "percent must be a number above 0"),
        ("  app: {roots: [{table: t, limit: -1}]}\n", "limit must be a positive whole"),
        ("  app: {roots: [{table: t, where: ''}]}\n", "where must be a SQL condition"),
        ("  app: {roots: [{table: t, wher: x}]}\n", "did you mean 'where'"),
        ("  app: {roots: [{table: t, limit: 1}], folow: []}\n", "did you mean 'follow'"),
        ("  app: {roots: [{table: t, limit: 1}], follow: [ticket_id]}\n", "is not TABLE.COLUMN"),
        ("  app: {roots: [{table: t, limit: 1}], follow: x.y}\n", "must be a list"),
        (
            "  app: {roots: [{table: t, limit: 1}], follow: [{edge: m.t_id, limit: 0}]}\n",
            "follow m.t_id: limit must be a positive whole number of rows per parent",
        ),
        (
            "  app: {roots: [{table: t, limit: 1}], follow: [{limit: 3}]}\n",
            "needs edge: CHILD.FK_COLUMN",
        ),
        (
            "  app: {roots: [{table: t, limit: 1}], follow: [{edge: m.t_id, limt: 3}]}\n",
            "did you mean 'limit'",
        ),
        (
            "  app: {roots: [{table: t, limit: 1}], passthrough: [p], exclude: [p]}\n",
            "table 'p' is both passthrough and exclude",
        ),
        (
            "  app: {roots: [{table: t, limit: 1}], exclude: [t]}\n",
            "table 't' is both a root and exclude",
        ),
        (
            "  app: {roots: [{table: t, limit: 1}], references: [{from: a.b}]}\n",
            "a reference needs to:",
        ),
        (
            "  app: {roots: [{table: t, limit: 1}], "
            "references: [{from: a.b, to: t.id, path: ticket.id}]}\n",
            "path must be a JSON path",
        ),
    ],
)
def test_mistakes_are_located(tmp_path, fragment: str, message: str):
    error = settings_error(tmp_path, VALID + "subset:\n" + fragment)
    assert message in error
    assert "sanitize.yaml:" in error
