"""Schema-object inventories (extract/catalog/) on schemas the tests build on the real servers."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers.snapshot_runs import my_url, pg_url

from sanitizer.extract.catalog import counts, read_inventory
from sanitizer.extract.catalog.mysql import table_object

PG_SCHEMA = """
CREATE SCHEMA shop;
COMMENT ON SCHEMA shop IS 'the shop';
CREATE EXTENSION IF NOT EXISTS citext SCHEMA public;
CREATE DOMAIN shop.year AS integer CONSTRAINT year_check CHECK (VALUE BETWEEN 1900 AND 2200);
CREATE TYPE shop.mood AS ENUM ('sad', 'ok');
CREATE TYPE shop.pair AS (a integer, b text);
CREATE TYPE shop.span AS RANGE (subtype = integer);
CREATE SEQUENCE shop.shared_seq AS bigint INCREMENT 5;
CREATE TABLE shop.person (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email citext UNIQUE,
  born shop.year,
  mood shop.mood,
  CONSTRAINT born_check CHECK (born > 1901)
);
COMMENT ON COLUMN shop.person.email IS 'contact';
CREATE TABLE shop.payment (
  id bigint DEFAULT nextval('shop.shared_seq') NOT NULL,
  person_id integer REFERENCES shop.person (id) DEFERRABLE INITIALLY DEFERRED,
  paid date NOT NULL,
  PRIMARY KEY (id, paid)
) PARTITION BY RANGE (paid);
CREATE TABLE shop.payment_2024 PARTITION OF shop.payment
  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX person_lower_email ON shop.person (lower(email::text)) WHERE email IS NOT NULL;
CREATE VIEW shop.adults AS SELECT id FROM shop.person WHERE born < 2000;
CREATE MATERIALIZED VIEW shop.totals AS SELECT count(*) AS n FROM shop.payment;
CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE PROCEDURE shop.noop() LANGUAGE sql AS $$SELECT 1$$;
CREATE AGGREGATE shop.total(integer) (sfunc = int4pl, stype = integer);
CREATE TRIGGER person_touch BEFORE UPDATE ON shop.person
  FOR EACH ROW EXECUTE FUNCTION shop.touch();
CREATE RULE no_delete AS ON DELETE TO shop.adults DO INSTEAD NOTHING;
ALTER TABLE shop.person ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON shop.person USING (true);
"""


@pytest.fixture(scope="module")
def pg_engine() -> Iterator[sa.Engine]:
    database = f"inventory_{secrets.token_hex(3)}"
    server = sa.create_engine(pg_url("postgres", "postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{database}"')
    engine = sa.create_engine(pg_url("postgres", database))
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(PG_SCHEMA)
        yield engine
    finally:
        engine.dispose()
        with server.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        server.dispose()


def test_postgres_lists_every_kind_named_as_production_names_it(pg_engine: sa.Engine) -> None:
    with pg_engine.connect() as conn:
        objects = read_inventory(conn)
    names = {str(o) for o in objects}
    expected = {
        "schema shop",
        "schema public",
        "comment on schema shop",
        "comment on table column shop.person.email",
        "extension citext",
        "domain shop.year",
        "domain check year_check on shop.year",
        "enum type shop.mood",
        "composite type shop.pair",
        "range type shop.span",
        "sequence shop.shared_seq",
        "sequence shop.person_id_seq",
        "table shop.person",
        "partitioned table shop.payment",
        "partition shop.payment_2024",
        "primary key person_pkey on shop.person",
        "unique constraint person_email_key on shop.person",
        "check constraint born_check on shop.person",
        "foreign key payment_person_id_fkey on shop.payment",
        "index shop.person_lower_email",
        "index shop.person_pkey",
        "view shop.adults",
        "materialized view shop.totals",
        "function shop.touch()",
        "procedure shop.noop()",
        "aggregate shop.total(integer)",
        "trigger person_touch on shop.person",
        "rule no_delete on shop.adults",
        "policy own on shop.person",
    }
    assert expected <= names, sorted(expected - names)
    # extension members (citext's functions, operators and types) are the extension's
    assert not [o for o in objects if "citext" in o.name and o.kind != "extension"]
    assert all(o.supported for o in objects)
    assert counts(objects)["partition"] == 1


def test_postgres_shadow_names_map_back_to_production(pg_engine: sa.Engine) -> None:
    with pg_engine.begin() as conn:
        conn.exec_driver_sql('ALTER SCHEMA shop RENAME TO "shop__sz_20250101T000000Z-abc"')
        try:
            shadow = read_inventory(conn, {"shop__sz_20250101T000000Z-abc": "shop"})
        finally:
            conn.exec_driver_sql('ALTER SCHEMA "shop__sz_20250101T000000Z-abc" RENAME TO shop')
        live = read_inventory(conn, {"shop": "shop"})
    assert shadow == live


def test_postgres_marks_what_staging_cannot_reproduce(pg_engine: sa.Engine) -> None:
    with pg_engine.begin() as conn:
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgres_fdw")
        conn.exec_driver_sql(
            "CREATE SERVER elsewhere FOREIGN DATA WRAPPER postgres_fdw "
            "OPTIONS (host '127.0.0.1', dbname 'postgres')"
        )
        conn.exec_driver_sql("CREATE USER MAPPING FOR CURRENT_USER SERVER elsewhere")
        conn.exec_driver_sql(
            "CREATE FOREIGN TABLE shop.remote_orders (id integer) SERVER elsewhere"
        )
        conn.exec_driver_sql(
            "CREATE FUNCTION shop.ddl_log() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$"
        )
        conn.exec_driver_sql(
            "CREATE EVENT TRIGGER ddl_log ON ddl_command_end EXECUTE FUNCTION shop.ddl_log()"
        )
        objects = read_inventory(conn)
        conn.rollback()
    unsupported = {str(o) for o in objects if not o.supported}
    assert unsupported == {
        "foreign table shop.remote_orders",
        "foreign server elsewhere",
        "user mapping postgres on server elsewhere",
        "event trigger ddl_log",
    }
    assert all(o.why for o in objects if not o.supported)


MY_SCHEMA = [
    "CREATE TABLE person (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(80) UNIQUE, "
    "bio TEXT, born INT, CONSTRAINT born_check CHECK (born > 1900), FULLTEXT KEY ft_bio (bio)) "
    "ENGINE=InnoDB",
    "CREATE TABLE place (id INT PRIMARY KEY, person_id INT, spot POINT NOT NULL, "
    "SPATIAL KEY sp_spot (spot), KEY by_person (person_id), CONSTRAINT place_person "
    "FOREIGN KEY (person_id) REFERENCES person (id))",
    "CREATE TABLE log (id INT, at DATE) PARTITION BY RANGE (YEAR(at)) "
    "(PARTITION p2023 VALUES LESS THAN (2024), PARTITION pmax VALUES LESS THAN MAXVALUE)",
    "CREATE VIEW adults AS SELECT id FROM person WHERE born < 2000",
    "CREATE TRIGGER person_born BEFORE INSERT ON person FOR EACH ROW SET NEW.born = NEW.born",
    "CREATE PROCEDURE noop() SELECT 1",
    "CREATE FUNCTION one() RETURNS INT DETERMINISTIC RETURN 1",
    "CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY DISABLE DO SELECT 1",
    "CREATE TABLE sanitizer_runs (id INT PRIMARY KEY)",
]


@pytest.fixture(scope="module")
def my_engine() -> Iterator[sa.Engine]:
    database = f"inventory_{secrets.token_hex(3)}"
    server = sa.create_engine(my_url("root", "", ""), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE `{database}`")
    engine = sa.create_engine(my_url("root", "", database))
    try:
        with engine.begin() as conn:
            for statement in MY_SCHEMA:
                conn.exec_driver_sql(statement)
        yield engine
    finally:
        engine.dispose()
        with server.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{database}`")
        server.dispose()


def test_mysql_lists_every_kind(my_engine: sa.Engine) -> None:
    with my_engine.connect() as conn:
        objects = read_inventory(conn, leave_out=("sanitizer_runs",))
    assert {str(o) for o in objects} == {
        "table person",
        "table place",
        "table log",
        "view adults",
        "primary key PRIMARY on person",
        "primary key PRIMARY on place",
        "unique index email on person",
        "fulltext index ft_bio on person",
        "spatial index sp_spot on place",
        "index by_person on place",
        "check constraint born_check on person",
        "foreign key place_person on place",
        "partition p2023 of log",
        "partition pmax of log",
        "trigger person_born on person",
        "procedure noop",
        "function one",
        "event nightly",
    }


def test_mysql_tables_of_remote_engines_are_not_supported() -> None:
    # the FEDERATED/CONNECT plugins are not installed on the test server: the row is made up
    remote = table_object("orders", "BASE TABLE", "FEDERATED")
    assert (str(remote), remote.supported) == ("remote table orders", False)
    assert "another server" in remote.why
    assert table_object("orders", "BASE TABLE", "InnoDB").supported


def test_sqlite_lists_tables_indexes_views_and_triggers(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'prod.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE person (id INTEGER PRIMARY KEY, email TEXT UNIQUE)")
        conn.exec_driver_sql("CREATE INDEX by_email ON person (lower(email))")
        conn.exec_driver_sql("CREATE VIEW people AS SELECT * FROM person")
        conn.exec_driver_sql("CREATE TRIGGER keep AFTER INSERT ON person BEGIN SELECT 1; END")
        conn.exec_driver_sql("CREATE TABLE sanitizer_marker (id INTEGER)")
        conn.exec_driver_sql("CREATE INDEX marker_id ON sanitizer_marker (id)")
        objects = read_inventory(conn, leave_out=("sanitizer_marker",))
    engine.dispose()
    assert [str(o) for o in objects] == [
        "index by_email on person",
        "table person",
        "trigger keep on person",
        "view people",
    ]
