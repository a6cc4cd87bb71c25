"""``sanitize scan`` on schemas with photos, points, category names, derived search columns and
unique emails, built by the test on the real PostgreSQL and MariaDB servers (loopback)."""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
import yaml
from helpers.review_project import sanitize

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
MY_ADMIN = "mysql+pymysql://root@127.0.0.1:3306/"
NAME = f"typeops_scan_{os.getpid()}"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
GENRES = ["Action", "Comedy", "Drama", "Horror", "Family", "Classics", "Music", "Travel"]
LANGUAGES = ["English", "Italian", "Japanese", "Mandarin", "French", "German"]

PG_SCHEMA = """
CREATE TABLE category (category_id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE language (language_id int PRIMARY KEY, name char(20) NOT NULL);
CREATE TABLE staff (staff_id int PRIMARY KEY, first_name text, picture bytea,
    home point, email text);
CREATE UNIQUE INDEX staff_email ON staff (lower(email));
CREATE TABLE member (member_id int PRIMARY KEY, email text UNIQUE, photo bytea NOT NULL,
    email_upper text GENERATED ALWAYS AS (upper(email)) STORED);
CREATE TABLE film (film_id int PRIMARY KEY, title text, description text,
    fulltext tsvector NOT NULL);
CREATE TRIGGER film_fulltext BEFORE INSERT OR UPDATE ON film FOR EACH ROW
    EXECUTE FUNCTION tsvector_update_trigger(fulltext, 'pg_catalog.english', title, description);
"""


def _pg_fill(conn: sa.Connection) -> None:
    for statement in PG_SCHEMA.split(";\n"):
        if statement.strip():
            conn.exec_driver_sql(statement)
    for i, genre in enumerate(GENRES):
        conn.exec_driver_sql("INSERT INTO category VALUES (%s, %s)", (i, genre))
    for i, language in enumerate(LANGUAGES):
        conn.exec_driver_sql("INSERT INTO language VALUES (%s, %s)", (i, language))
    people = [("Maria", "maria.gonzalez@mailbox-one.com"), ("Tom", "t.becker@post-two.de")]
    for i, (first, email) in enumerate(people):
        conn.exec_driver_sql(
            "INSERT INTO staff VALUES (%s, %s, %s, point(%s, %s), %s)",
            (i, first, PNG, -73.5 + i, 45.5 + i, email),
        )
        conn.exec_driver_sql(
            "INSERT INTO member (member_id, email, photo) VALUES (%s, %s, %s)", (i, email, PNG)
        )
    conn.exec_driver_sql(
        "INSERT INTO film (film_id, title, description) VALUES (1, 'Academy Dinosaur', "
        "'A story of Maria Gonzalez and Tom Becker who must meet in Paris')"
    )


@pytest.fixture(scope="module")
def pg_database() -> Iterator[str]:
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {NAME}")
        conn.exec_driver_sql(f"CREATE DATABASE {NAME}")
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{NAME}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        _pg_fill(conn)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")
    admin.dispose()


def mysql_point(x: float, y: float, srid: int = 0) -> bytes:
    return struct.pack("<IBIdd", srid, 1, 1, x, y)


@pytest.fixture(scope="module")
def my_database() -> Iterator[str]:
    admin = sa.create_engine(MY_ADMIN)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {NAME}")
        conn.exec_driver_sql(f"CREATE DATABASE {NAME}")
        conn.exec_driver_sql(
            f"CREATE TABLE {NAME}.staff (staff_id int PRIMARY KEY, picture BLOB, "
            "email varchar(50) UNIQUE, location_wkb varbinary(64))"
        )
        conn.exec_driver_sql(
            f"CREATE TABLE {NAME}.category (category_id int PRIMARY KEY, name varchar(25))"
        )
        for i, genre in enumerate(GENRES):
            conn.exec_driver_sql(f"INSERT INTO {NAME}.category VALUES (%s, %s)", (i, genre))
        for i, email in enumerate(["maria.gonzalez@mailbox-one.com", "t.becker@post-two.de"]):
            conn.exec_driver_sql(
                f"INSERT INTO {NAME}.staff VALUES (%s, %s, %s, %s)",
                (i, PNG, email, mysql_point(-73.5 + i, 45.5)),
            )
    yield MY_ADMIN + NAME
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {NAME}")
    admin.dispose()


def scan(project, url: str) -> dict:
    result = sanitize(project, "scan", "app", PROD_URL=url)
    assert result.code == 0, result.stderr
    for secret in ("maria.gonzalez", "Gonzalez", "Academy Dinosaur"):
        assert secret not in result.stdout + result.stderr  # evidence is counts only
    return yaml.safe_load(result.stdout)["tables"], result.stdout


def test_postgres_scan_proposes_what_a_careful_person_would(project, pg_database):
    tables, text = scan(project, pg_database)
    assert tables["category"]["name"] == "keep"  # a genre is not a person
    assert tables["language"]["name"] == "keep"
    assert tables["staff"]["picture"] is None  # `null`: a photo of a person, nullable
    assert tables["member"]["photo"] == "placeholder"  # NOT NULL: a stand-in image
    assert tables["staff"]["home"] == {"fake": "point"}
    assert tables["staff"]["email"] == {"fake": "email", "unique": True}  # unique lower(email)
    assert tables["member"]["email"] == {"fake": "email", "unique": True}  # UNIQUE constraint
    assert tables["film"]["fulltext"] == tables["film"]["description"] == "detect"
    assert "derived from title, description (tsvector_update_trigger)" in text
    assert tables["member"]["email_upper"] == {"fake": "email"}  # follows email, generated
    assert "derived from email (a generated column)" in text


def test_mariadb_scan_masks_photos_and_points(project, my_database):
    tables, _ = scan(project, my_database)
    assert tables["category"]["name"] == "keep"
    assert tables["staff"]["picture"] is None
    assert tables["staff"]["email"] == {"fake": "email", "unique": True}
    assert tables["staff"]["location_wkb"] == {"fake": "point"}  # MySQL's internal bytes
