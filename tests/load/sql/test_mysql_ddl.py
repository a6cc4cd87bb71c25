"""MySQL/MariaDB staging gets production's whole schema from SHOW CREATE (docs/stores.md).

The test builds its own production database on the real MariaDB server with each feature —
views (one on another, one naming the database), triggers, a procedure, functions (one
created under a non-default sql_mode), an event, a GEOMETRY column with a SPATIAL index,
FULLTEXT, stored and virtual generated columns, ENUM/SET/YEAR, column charsets and
collations, a table comment, foreign keys and an AUTO_INCREMENT position past the largest id
— runs the real ``sanitize snapshot`` twice (the second replaces the first after production
changed), and compares every SHOW CREATE output with production's (definers and database
names normalised).
"""

from __future__ import annotations

import re
import secrets
import subprocess
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from helpers import fixture_db as fx
from helpers.snapshot_runs import SHADOW_MARK, World, command, grant_pattern, my_url

pytestmark = pytest.mark.mysql

PROD_DDL = """
CREATE TABLE people (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  first_name VARCHAR(40) NOT NULL,
  last_name VARCHAR(40) COLLATE utf8mb4_bin NOT NULL,
  full_name VARCHAR(81) AS (CONCAT(first_name, ' ', last_name)) STORED,
  initials CHAR(2) AS (CONCAT(LEFT(first_name, 1), LEFT(last_name, 1))) VIRTUAL,
  bio TEXT,
  home POINT NOT NULL,
  legacy_name VARCHAR(40) CHARACTER SET latin1 COLLATE latin1_swedish_ci,
  status ENUM('new','active','gone') NOT NULL DEFAULT 'new',
  tags SET('a','b','c'),
  born YEAR,
  created TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  SPATIAL KEY sp_home (home),
  FULLTEXT KEY ft_bio (bio),
  KEY ix_full (full_name),
  CONSTRAINT born_sane CHECK (born IS NULL OR born > 1900)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='people, 100% real'
;;
CREATE TABLE notes (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  person_id INT UNSIGNED NOT NULL,
  body VARCHAR(200),
  CONSTRAINT fk_notes_person FOREIGN KEY (person_id) REFERENCES people (id) ON DELETE CASCADE
) ENGINE=InnoDB
;;
CREATE TABLE audit (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  person_id INT UNSIGNED,
  action VARCHAR(10),
  at DATETIME
) ENGINE=InnoDB
;;
CREATE FUNCTION note_count(p INT UNSIGNED) RETURNS INT READS SQL DATA
RETURN (SELECT COUNT(*) FROM notes WHERE person_id = p)
;;
CREATE PROCEDURE find_people(IN pattern VARCHAR(40))
READS SQL DATA
BEGIN
  SELECT id FROM {db}.people WHERE last_name LIKE CONCAT(pattern, '%');
END
;;
CREATE VIEW v_people AS SELECT id, full_name, note_count(id) AS notes FROM people
;;
CREATE VIEW v_busy AS SELECT id, full_name FROM v_people WHERE notes > 0
;;
CREATE VIEW v_named AS SELECT p.id, p.initials FROM `{db}`.people p
;;
CREATE TRIGGER people_ai AFTER INSERT ON people FOR EACH ROW
  INSERT INTO audit (person_id, action, at) VALUES (NEW.id, 'insert', NOW())
;;
CREATE TRIGGER people_bu BEFORE UPDATE ON people FOR EACH ROW
  SET NEW.first_name = TRIM(NEW.first_name)
;;
CREATE EVENT purge_audit ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00'
  ON COMPLETION PRESERVE ENABLE COMMENT 'nightly'
  DO DELETE FROM audit WHERE at < NOW() - INTERVAL 30 DAY
"""

# created under PIPES_AS_CONCAT: staging must create it under the same sql_mode
GREETING = (
    "CREATE FUNCTION greeting(n VARCHAR(40)) RETURNS VARCHAR(60) DETERMINISTIC RETURN 'hi ' || n"
)

PEOPLE = [  # id, first, last, bio, lon, lat, legacy, status, tags, born
    (
        3,
        "Marguerite",
        "Oyelaran",
        "Marguerite Oyelaran paints harbours.",
        4.9,
        52.3,
        "Åsa",
        "active",
        "a,b",
        1970,
    ),
    (
        7,
        "Thaddeus",
        "Kowalczyk",
        "Thaddeus Kowalczyk keeps bees.",
        -0.1,
        51.5,
        None,
        "new",
        None,
        None,
    ),
    (8, "Ingeborg", "Valdéz", "", 2.35, 48.86, "Öberg", "gone", "c", 1999),
    (12, "Leopold", "Achterberg", None, 13.4, 52.5, "Lind", "active", "", 1985),
]

RULES = """\
source: app
defaults:
  unknown: fail
tables:
  people:
    id: keep
    first_name: {fake: first_name}
    last_name: {fake: last_name}
    full_name: {fake: name}   # generated: derived again from the masked names
    initials: keep            # generated (virtual)
    bio: redact
    home: keep
    legacy_name: {fake: last_name}
    status: keep
    tags: keep
    born: keep
    created: keep
  notes:
    id: keep
    person_id: keep
    body: redact
  audit:
    id: keep
    person_id: keep
    action: keep
    at: keep
"""


@pytest.fixture(scope="module")
def ddl_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    prefix = f"sz_it_{secrets.token_hex(3)}"
    password = secrets.token_urlsafe(12)
    reader, staging, limited = f"{prefix}_reader", f"{prefix}_staging", f"{prefix}_limited"
    prod_db, staging_db = f"{prefix}_prod", f"{prefix}_staging"
    server = sa.create_engine(my_url("root", "", ""), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            conn.exec_driver_sql(
                f"CREATE DATABASE `{prod_db}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            )
            conn.exec_driver_sql(f"CREATE DATABASE `{staging_db}`")  # server default charset
            for host in ("127.0.0.1", "localhost"):
                for user in (reader, staging, limited):
                    conn.exec_driver_sql(
                        f"CREATE USER '{user}'@'{host}' IDENTIFIED BY '{password}'"
                    )
                conn.exec_driver_sql(  # can read the rows and list routines, not their bodies
                    f"GRANT SELECT ON `{prod_db}`.* TO '{limited}'@'{host}'"
                )
                # a reader that can read definitions (docs/stores.md), and nothing else
                conn.exec_driver_sql(
                    f"GRANT SELECT, SHOW VIEW, TRIGGER, EVENT ON `{grant_pattern(prod_db)}`.* "
                    f"TO '{reader}'@'{host}'"
                )
                conn.exec_driver_sql(f"GRANT SELECT ON mysql.proc TO '{reader}'@'{host}'")
                for pattern in (
                    grant_pattern(staging_db),
                    grant_pattern(staging_db + SHADOW_MARK) + "%%",
                ):
                    conn.exec_driver_sql(f"GRANT ALL ON `{pattern}`.* TO '{staging}'@'{host}'")
        prod_admin = sa.create_engine(my_url("root", "", prod_db))
        staging_admin = sa.create_engine(my_url("root", "", staging_db))
        raw = prod_admin.raw_connection()
        try:
            cur = raw.cursor()
            for statement in PROD_DDL.format(db=prod_db).split(";;"):
                cur.execute(statement.replace("%", "%%"), ())
            cur.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',PIPES_AS_CONCAT')")
            cur.execute(GREETING)
            cur.execute("SET SESSION sql_mode = DEFAULT")
            for pid, first, last, bio, lon, lat, legacy, status, tags, born in PEOPLE:
                cur.execute(
                    "INSERT INTO people (id, first_name, last_name, bio, home, legacy_name, "
                    "status, tags, born) VALUES (%s, %s, %s, %s, "
                    "ST_GeomFromText(CONCAT('POINT(', %s, ' ', %s, ')'), 4326), %s, %s, %s, %s)",
                    (pid, first, last, bio, lon, lat, legacy, status, tags, born),
                )
                cur.execute(
                    "INSERT INTO notes (person_id, body) VALUES (%s, %s)",
                    (pid, f"called {first} about the hives"),
                )
            cur.execute(
                "INSERT INTO people (id, first_name, last_name, home) "
                "VALUES (40, 'Tmp', 'Gone', POINT(0, 0))"
            )
            cur.execute("DELETE FROM people WHERE id = 40")  # AUTO_INCREMENT stays at 41
            raw.commit()
        finally:
            raw.close()
        world = World(
            dialect="mysql",
            tmp=tmp_path_factory.mktemp("myddl"),
            prod_db=prod_db,
            staging_db=staging_db,
            prod_url=my_url(reader, password, prod_db),
            staging_url=my_url(staging, password, staging_db),
            prod_owner_url=my_url("root", "", prod_db),
            prod_admin=prod_admin,
            staging_admin=staging_admin,
            rules=RULES,
        )
        world.limited_url = my_url(limited, password, prod_db)  # type: ignore[attr-defined]
        yield world
        prod_admin.dispose()
        staging_admin.dispose()
    finally:
        with server.connect() as conn:
            leftovers = conn.exec_driver_sql(
                "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE %s",
                (prefix.replace("_", "\\_") + "%",),
            ).scalars()
            for database in list(leftovers):
                conn.exec_driver_sql(f"DROP DATABASE `{database}`")
            for user in (reader, staging, limited):
                for host in ("127.0.0.1", "localhost"):
                    conn.exec_driver_sql(f"DROP USER IF EXISTS '{user}'@'{host}'")
        server.dispose()


def definitions(engine: sa.Engine, database: str) -> dict[str, str]:
    """Every object's SHOW CREATE output (with its session settings), comparable: no definer,
    the database's own name as DB, no creation time."""
    out: dict[str, str] = {}
    with engine.connect() as conn:

        def query(sql: str) -> list[tuple]:
            return [tuple(r) for r in conn.exec_driver_sql(sql, (database,)).all()]

        def show(kind: str, name: str, keep: slice) -> None:
            row = conn.exec_driver_sql(f"SHOW CREATE {kind} `{database}`.`{name}`").one()
            text = repr(tuple(row)[keep])
            text = re.sub(r"DEFINER=`[^`]*`@`[^`]*` ", "", text)
            out[f"{kind.lower()} {name}"] = text.replace(database, "DB")

        for (name,) in query(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = %s AND table_type = 'BASE TABLE'"
        ):
            if not name.startswith("sanitizer_"):
                show("TABLE", name, slice(1, 2))
        for (name,) in query(
            "SELECT table_name FROM information_schema.views WHERE table_schema = %s"
        ):
            show("VIEW", name, slice(1, 4))
        for (name,) in query(
            "SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = %s"
        ):
            show("TRIGGER", name, slice(1, 5))
        for name, kind in query(
            "SELECT routine_name, routine_type FROM information_schema.routines "
            "WHERE routine_schema = %s"
        ):
            show(kind, name, slice(1, 6))
        for (name,) in query(
            "SELECT event_name FROM information_schema.events WHERE event_schema = %s"
        ):
            show("EVENT", name, slice(1, 7))
        out["database"] = repr(
            query(
                "SELECT default_character_set_name, default_collation_name "
                "FROM information_schema.schemata WHERE schema_name = %s"
            )
        )
    return out


def assert_same_schema(world: World) -> dict[str, str]:
    prod = definitions(world.prod_admin, world.prod_db)
    staging = definitions(world.staging_admin, world.staging_db)
    assert sorted(staging) == sorted(prod)
    for name in prod:
        assert staging[name] == prod[name], name
    return prod


def test_staging_gets_productions_schema_object_for_object(ddl_world: World) -> None:
    world = ddl_world
    first = world.run(key=fx.KEY_A)
    assert first.returncode == 0, first.describe()
    prod = assert_same_schema(world)
    # the comparison is over something real
    kinds = {name.split()[0] for name in prod}
    assert kinds >= {"table", "view", "trigger", "procedure", "function", "event"}
    people = prod["table people"]
    for needle in (
        "SPATIAL KEY",
        "FULLTEXT KEY",
        "STORED",
        "VIRTUAL",
        "AUTO_INCREMENT=41",
        "latin1_swedish_ci",
        "utf8mb4_bin",
        "set('a','b','c')",
        "year(4)",
        "100% real",
        "CHECK",
    ):
        assert needle in people, needle
    assert "DB.people" in prod["procedure find_people"]  # the database's name, rewritten
    assert "ENABLE" in prod["event purge_audit"]  # production's status is kept
    assert world.shadows() == []

    with world.staging_admin.connect() as conn:
        # spatial values kept byte for byte; generated columns derived from masked names
        rows = conn.exec_driver_sql(
            "SELECT id, ST_AsText(home), ST_SRID(home), first_name, last_name, full_name, "
            "initials FROM people ORDER BY id"
        ).all()
        assert [(r[0], r[1], r[2]) for r in rows] == [
            (3, "POINT(4.9 52.3)", 4326),
            (7, "POINT(-0.1 51.5)", 4326),
            (8, "POINT(2.35 48.86)", 4326),
            (12, "POINT(13.4 52.5)", 4326),
        ]
        originals = {w for p in PEOPLE for w in (p[1], p[2])}
        for _, _, _, first_name, last_name, full_name, initials in rows:
            assert full_name == f"{first_name} {last_name}"
            assert initials == first_name[0] + last_name[0]
            assert not originals & set(full_name.split())
        # the views, routines and sql_mode-dependent function work on staging's tables
        assert conn.exec_driver_sql("SELECT greeting('bo')").scalar() == "hi bo"
        assert len(conn.exec_driver_sql("SELECT * FROM v_busy").all()) == 4
        assert conn.exec_driver_sql("SELECT note_count(3)").scalar() == 1
        # AUTO_INCREMENT continues where production's does; triggers fire on new rows
        conn.exec_driver_sql(
            "INSERT INTO people (first_name, last_name, home) VALUES ('  New', 'Row', POINT(1, 1))"
        )
        new_id = conn.exec_driver_sql("SELECT LAST_INSERT_ID()").scalar()
        assert new_id == 41
        assert (
            conn.exec_driver_sql("SELECT first_name FROM people WHERE id = 41").scalar() == "  New"
        )
        audit = conn.exec_driver_sql("SELECT action FROM audit WHERE person_id = 41").all()
        assert audit == [("insert",)]
        conn.rollback()

    # Production changes; the next run replaces staging's objects and drops the ones gone.
    world.execute(
        "prod",
        "DROP VIEW v_named",
        "DROP TRIGGER people_bu",
        "DROP PROCEDURE find_people",
        "CREATE TRIGGER people_bd BEFORE DELETE ON people FOR EACH ROW "
        "INSERT INTO audit (person_id, action, at) VALUES (OLD.id, 'delete', NOW())",
        "ALTER EVENT purge_audit DISABLE",
    )
    second = world.run(key=fx.KEY_B)
    assert second.returncode == 0, second.describe()
    prod = assert_same_schema(world)
    assert "view v_named" not in prod and "trigger people_bd" in prod
    assert "DISABLE" in prod["event purge_audit"]
    assert world.shadows() == []


def test_a_definition_the_source_role_cannot_read_stops_the_run_before_any_write(
    ddl_world: World,
) -> None:
    world = ddl_world
    env = world.env(fx.KEY_A, {"SZ_IT_PROD_URL": world.limited_url})  # type: ignore[attr-defined]
    before = definitions(world.staging_admin, world.staging_db)
    for extra in (["--dry-run"], []):
        proc = subprocess.run(
            [*command(world.config), *extra],
            cwd=world.config.parent,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert proc.returncode == 3, proc.stdout + proc.stderr  # a SourceError
        output = proc.stdout + proc.stderr
        # the object the role cannot read is named (here a view: no SHOW VIEW), with the fix
        assert "v_busy" in output or re.search(r"definition of \w+ \w+ cannot be read", output)
        assert "docs/stores.md" in output and "Traceback" not in output, output
    assert definitions(world.staging_admin, world.staging_db) == before  # nothing written
    assert world.shadows() == []
