"""pg_dump's output cut into entries, and the schema-name rewrite that points it at a shadow."""

from __future__ import annotations

from sanitizer.extract.ddl.postgres import Entry, Extension, PgSchema, parse, rewrite
from sanitizer.schema import SchemaObject

SHADOWS = {"public": "public__sz_r-1", "My Schema": "My Schema__sz_r-1"}


def test_qualifying_names_are_rewritten_quoted_or_not() -> None:
    sql = 'CREATE TABLE public.t (a public.mood, b "My Schema"."Odd" DEFAULT 1);'
    assert rewrite(sql, SHADOWS) == (
        'CREATE TABLE "public__sz_r-1".t (a "public__sz_r-1".mood, '
        'b "My Schema__sz_r-1"."Odd" DEFAULT 1);'
    )


def test_unqualified_and_other_schemas_stay() -> None:
    sql = "SELECT public, x.public.y, pg_catalog.now(), other.f() FROM publicity.t"
    assert rewrite(sql, SHADOWS) == sql


def test_literals_comments_and_function_bodies_stay() -> None:
    sql = (
        "CREATE FUNCTION public.f() RETURNS text LANGUAGE sql AS $_$ SELECT 'public.x' "
        "FROM public.t $_$; -- public.t\n/* public.t /* nested public.t */ */ "
        "SELECT 'public.t', E'it\\'s public.t'"
    )
    out = rewrite(sql, SHADOWS)
    assert out.startswith('CREATE FUNCTION "public__sz_r-1".f()')
    assert out.count("public.t") == 6  # body, comments and literals untouched


def test_reg_literals_and_schema_keywords_are_rewritten() -> None:
    sql = (
        "ALTER TABLE ONLY public.t ALTER COLUMN id SET DEFAULT "
        "nextval('public.t_id_seq'::regclass); SELECT '\"My Schema\".s'::pg_catalog.regclass; "
        "COMMENT ON SCHEMA public IS 'the public schema';"
    )
    assert rewrite(sql, SHADOWS) == (
        'ALTER TABLE ONLY "public__sz_r-1".t ALTER COLUMN id SET DEFAULT '
        "nextval('\"public__sz_r-1\".t_id_seq'::regclass); "
        "SELECT '\"My Schema__sz_r-1\".s'::pg_catalog.regclass; "
        "COMMENT ON SCHEMA \"public__sz_r-1\" IS 'the public schema';"
    )


def test_sql_standard_bodies_are_rewritten() -> None:
    sql = (
        "CREATE FUNCTION public.n() RETURNS bigint BEGIN ATOMIC SELECT count(*) FROM public.t; END;"
    )
    assert rewrite(sql, SHADOWS).count('"public__sz_r-1"') == 2


DUMP = """--
-- PostgreSQL database dump
--

\\restrict abc

SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);

--
-- Name: t; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.t (
    a integer
);


--
-- Name: t t_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.t
    ADD CONSTRAINT t_pkey PRIMARY KEY (a);


--
-- PostgreSQL database dump complete
--

\\unrestrict abc
"""


def test_entries_are_cut_at_the_table_of_contents_comments() -> None:
    entries = parse(DUMP)
    assert [(e.kind, e.schema, e.name) for e in entries] == [
        ("TABLE", "public", "t"),
        ("CONSTRAINT", "public", "t t_pkey"),
    ]
    assert entries[0].sql == "CREATE TABLE public.t (\n    a integer\n);"
    assert "unrestrict" not in entries[1].sql and "dump complete" not in entries[1].sql


def test_skipped_objects_and_what_hangs_off_them_are_left_out() -> None:
    dump = PgSchema(
        ["public"],
        [
            Entry("remote", "FOREIGN TABLE", "public", "CREATE FOREIGN TABLE public.remote ();"),
            Entry("COLUMN remote.id", "COMMENT", "public", "COMMENT ON COLUMN …;"),
            Entry("f(a integer)", "FUNCTION", "public", "CREATE FUNCTION public.f …;"),
            Entry("t", "TABLE", "public", "CREATE TABLE public.t ();"),
        ],
        [Entry("t audit", "TRIGGER", "public", "CREATE TRIGGER audit …;")],
        extensions=[Extension("postgres_fdw", "public", True)],
    )
    dump.leave_out(
        [
            SchemaObject("foreign table", "public.remote", False),
            SchemaObject("function", "public.f(integer)"),
            SchemaObject("trigger", "audit on public.t"),
            SchemaObject("extension", "postgres_fdw"),
        ]
    )
    assert [e.name for e in dump.pre] == ["t"]
    assert dump.post == [] and dump.extensions == []
