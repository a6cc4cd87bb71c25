"""``sanitize scan --write`` then ``sanitize snapshot --init`` on a PostgreSQL production where
a column scan would keep holds the values of a column it masks: copied tax ids in
``invoice.buyer_ref``, customers' names inside ``record.title`` ("The Best Of …"). Kept, they
would reach staging and the leak check would fail the run; scan proposes them masked and the
snapshot passes. Built by the test on the real server (loopback)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from helpers.review_project import sanitize

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PROD = f"scanov_prod_{os.getpid()}"
STAGING = f"scanov_staging_{os.getpid()}"
KEY = "scan-overlap-key-0123456789abcdef"
NAMES = [
    "Zelda Quuxington",
    "Thaddeus Okonkwo-Brandt",
    "Marisol Ekwueme-Lindqvist",
    "Bartholomew Vantongeren",
    "Ottilie Szczepanowska",
    "Evander Rauhmeier",
]
TAX_IDS = ["K7Q2-M9X4-R8T6", "P3W8-Z5N1-C4V7", "H6J9-B2D5-F1G8", "L4S7-T3Y6-U9E2"]
TAX_IDS += ["A1B2-C3D4-E5F6", "G7H8-J9K1-L2M3"]
PLAIN_TITLES = [
    "Greatest Hits",
    "Acoustic Sessions",
    "Night Drive",
    "Blue Rooms",
    "Second Winter",
    "Paper Boats",
    "Slow Rivers",
    "Glass Houses",
    "Quiet Engines",
    "Long Summer",
    "Open Roads",
    "Static Lights",
    "Small Hours",
    "Iron Gardens",
    "Velvet Noise",
    "Last Orders",
    "Early Birds",
]
# record_id → title naming a customer: inside a longer title, or the whole title
NAMED_TITLES = {
    101: f"The Best Of {NAMES[0]}",
    102: f"{NAMES[1]} Live",
    103: NAMES[2],
}
COPIED = {1: 0, 2: 1, 3: 2}  # invoice_id → customer index whose tax id it copies


def _fill(conn: sa.Connection) -> None:
    conn.exec_driver_sql(
        "CREATE TABLE customer (customer_id int PRIMARY KEY, full_name text NOT NULL, "
        "tax_id text UNIQUE)"
    )
    conn.exec_driver_sql(
        "CREATE TABLE invoice (invoice_id int PRIMARY KEY, "
        "customer_id int REFERENCES customer, buyer_ref text NOT NULL)"
    )
    conn.exec_driver_sql("CREATE TABLE record (record_id int PRIMARY KEY, title text NOT NULL)")
    for i, (name, tax) in enumerate(zip(NAMES, TAX_IDS, strict=True)):
        conn.exec_driver_sql("INSERT INTO customer VALUES (%s, %s, %s)", (i, name, tax))
    for invoice in range(1, 13):
        ref = TAX_IDS[COPIED[invoice]] if invoice in COPIED else f"PO-ORDER-{invoice:04d}"
        conn.exec_driver_sql(
            "INSERT INTO invoice VALUES (%s, %s, %s)", (invoice, invoice % len(NAMES), ref)
        )
    titles = dict(enumerate(PLAIN_TITLES)) | NAMED_TITLES
    for record, title in titles.items():
        conn.exec_driver_sql("INSERT INTO record VALUES (%s, %s)", (record, title))


@pytest.fixture(scope="module")
def databases() -> Iterator[tuple[str, str]]:
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in (PROD, STAGING):
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
    base = PG_ADMIN.rsplit("/", 1)[0]
    engine = sa.create_engine(f"{base}/{PROD}")
    with engine.begin() as conn:
        _fill(conn)
    engine.dispose()
    yield f"{base}/{PROD}", f"{base}/{STAGING}"
    with admin.connect() as conn:
        for name in (PROD, STAGING):
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.dispose()


def _rows(url: str, sql: str) -> dict:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return dict(conn.exec_driver_sql(sql).all())
    finally:
        engine.dispose()


def test_kept_columns_holding_masked_values_are_masked_and_the_snapshot_passes(
    project: Path, databases: tuple[str, str]
) -> None:
    prod, staging = databases
    env = {"PROD_URL": prod, "STAGING_URL": staging, "SANITIZE_KEY": KEY}
    (project / "rules" / "app.yaml").unlink()
    result = sanitize(project, "scan", "app", "--write", **env)
    assert result.code == 0, result.stderr
    text = (project / "rules" / "app.yaml").read_text()
    for secret in [*NAMES, *TAX_IDS, "Quuxington"]:
        assert secret not in text + result.stdout + result.stderr  # evidence is counts only
    tables = yaml.safe_load(text)["tables"]
    assert tables["customer"]["full_name"] == {"fake": "name"}
    assert tables["customer"]["tax_id"] == {"format": "preserve"}
    # copies of tax ids: the tax id's own rule, so a copy and its original get the same fake
    assert tables["invoice"]["buyer_ref"] == {"format": "preserve"}
    line = next(line for line in text.splitlines() if "buyer_ref:" in line)
    assert "3/12 sampled values hold values of masked columns (customer.tax_id 3)" in line
    assert "masked like customer.tax_id" in line
    # names inside titles: detect replaces them with the name's fake, keeps the rest
    assert tables["record"]["title"] == "detect"
    line = next(line for line in text.splitlines() if "title:" in line)
    assert "3/20 sampled values hold values of masked columns inside longer text" in line
    assert "customer.full_name 3" in line

    result = sanitize(project, "snapshot", "--init", **env)
    assert result.code == 0, result.stderr
    assert "verification: passed" in result.stdout + result.stderr

    names = _rows(staging, "SELECT customer_id, full_name FROM customer")
    taxes = _rows(staging, "SELECT customer_id, tax_id FROM customer")
    refs = _rows(staging, "SELECT invoice_id, buyer_ref FROM invoice")
    titles = _rows(staging, "SELECT record_id, title FROM record")
    for invoice, customer in COPIED.items():
        assert refs[invoice] == taxes[customer] != TAX_IDS[customer]  # consistent pseudonyms
    assert titles[101] == f"The Best Of {names[0]}"
    assert NAMES[1] not in titles[102]  # Presidio's longer PERSON finding wins there
    assert titles[103] == names[2]
    assert not {NAMES[i] for i in range(3)} & set(names.values())


def test_keeping_those_columns_fails_the_leak_check(
    project: Path, databases: tuple[str, str]
) -> None:
    """The data above does reach the leak check when kept: the proposals are what passes."""
    prod, staging = databases
    env = {"PROD_URL": prod, "STAGING_URL": staging, "SANITIZE_KEY": KEY}
    (project / "rules" / "app.yaml").unlink()
    assert sanitize(project, "scan", "app", "--write", **env).code == 0
    path = project / "rules" / "app.yaml"
    lines = [
        line.split(":")[0] + ": keep" if "buyer_ref:" in line or "title:" in line else line
        for line in path.read_text().splitlines()
    ]
    path.write_text("\n".join(lines) + "\n")
    result = sanitize(project, "snapshot", "--init", **env)
    assert result.code == 5, result.stderr
    assert "app.invoice.buyer_ref" in result.stderr
    assert "app.record.title" in result.stderr


def test_each_column_is_read_up_to_the_bound_and_unique_copies_stay_unique(tmp_path: Path) -> None:
    """The comparison reads at most ``rows`` rows of each column; a unique kept column that
    copies masked values gets a rule that keeps them distinct (never ``detect``)."""
    from sanitizer.extract.sql import SqlSource
    from sanitizer.review.proposals import Proposal
    from sanitizer.review.scan_overlap import mask_shared

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'prod.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE person (id int PRIMARY KEY, full_name text)")
        conn.exec_driver_sql("CREATE TABLE visit (id int PRIMARY KEY, guest text)")
        conn.exec_driver_sql("CREATE TABLE badge (id int PRIMARY KEY, label text UNIQUE)")
        for i, name in enumerate(NAMES):
            conn.exec_driver_sql("INSERT INTO person VALUES (?, ?)", (i, name))
            conn.exec_driver_sql("INSERT INTO badge VALUES (?, ?)", (i, name))
        for i in range(40):  # the copied names only from the 35th row on
            guest = NAMES[i - 34] if i >= 34 else f"Walk-in visitor {i:03d}"
            conn.exec_driver_sql("INSERT INTO visit VALUES (?, ?)", (i, guest))
    engine.dispose()
    proposals = [
        Proposal("person", "full_name", {"fake": "name"}, "the name suggests it"),
        Proposal("visit", "guest", "keep", "0/40 sampled values matched any entity"),
    ]
    badge = [Proposal("badge", "label", "keep", "0/6 sampled values matched any entity")]
    with SqlSource("app", f"sqlite:///{tmp_path / 'prod.db'}").snapshot() as sql:
        tables = sql.reflect()
        assert mask_shared(sql, tables, proposals, set(), rows=30) == proposals
        out = mask_shared(sql, tables, proposals + badge, set(), rows=100)
    assert out[0] == proposals[0]
    assert out[1].rule == {"fake": "name"}
    assert out[1].evidence.startswith("6/40 sampled values hold values of masked columns")
    assert out[2].rule == {"format": "preserve"}  # fake: name cannot promise distinct values
