"""pg_dump's output cut into entries, and the schema-name rewrite that points it at a shadow."""

from __future__ import annotations

from sanitizer.extract.ddl.postgres import (
    Entry,
    Extension,
    PgSchema,
    parse,
    rename_roles,
    rewrite,
    split_privileges,
)
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


# -- owners and grants (schema: grants: keep) ---------------------------------------------
def test_roles_are_renamed_where_they_are_roles_only() -> None:
    roles = {"app_rw": "staging_app", "Odd Role": "staging_odd", "app": "nope"}
    sql = (
        'GRANT SELECT(app_rw) ON TABLE app.app_rw TO app_rw, "Odd Role" WITH GRANT OPTION;\n'
        "REVOKE ALL ON FUNCTION app.f(app_rw integer) FROM PUBLIC;\n"
        "ALTER TABLE public.t OWNER TO app_rw;\n"
        "ALTER DEFAULT PRIVILEGES FOR ROLE app_rw IN SCHEMA app GRANT SELECT ON TABLES TO app;\n"
        "SET ROLE app_rw;"
    )
    out, named = rename_roles(sql, roles)
    assert out == (
        'GRANT SELECT(app_rw) ON TABLE app.app_rw TO "staging_app", "staging_odd" WITH GRANT '
        "OPTION;\nREVOKE ALL ON FUNCTION app.f(app_rw integer) FROM PUBLIC;\n"
        'ALTER TABLE public.t OWNER TO "staging_app";\n'
        'ALTER DEFAULT PRIVILEGES FOR ROLE "staging_app" IN SCHEMA app GRANT SELECT ON TABLES '
        'TO "nope";\nSET ROLE "staging_app";'
    )
    assert named == [
        ("staging_app", False),
        ("staging_odd", False),
        ("staging_app", True),  # owns: the staging role must be a member
        ("staging_app", True),
        ("nope", False),
        ("staging_app", True),
    ]


def test_a_policy_s_roles_are_renamed_not_its_expression() -> None:
    sql = (
        "CREATE POLICY p ON app.t FOR SELECT TO app_rw USING ((owner IN ( SELECT 1 FROM app_rw)));"
    )
    out, named = rename_roles(sql, {"app_rw": "st"}, policy=True)
    assert out == sql.replace("TO app_rw", 'TO "st"')
    assert named == [("st", False)]


PRIVILEGED_DUMP = """\
--
-- Name: t; Type: TABLE; Schema: public; Owner: app_owner
--

CREATE TABLE public.t (
    owner text
);


ALTER TABLE public.t OWNER TO app_owner;

--
-- Name: f(); Type: FUNCTION; Schema: public; Owner: app_owner
--

CREATE FUNCTION public.f() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
ALTER TABLE public.t OWNER TO someone;
END $$;


ALTER FUNCTION public.f() OWNER TO app_owner;

--
-- Name: SCHEMA public; Type: ACL; Schema: -; Owner: pg_database_owner
--

GRANT USAGE ON SCHEMA public TO reader;

--
-- Name: TABLE t; Type: ACL; Schema: public; Owner: app_owner
--

GRANT SELECT ON TABLE public.t TO reader;
SET SESSION AUTHORIZATION reader;
GRANT SELECT ON TABLE public.t TO other;
RESET SESSION AUTHORIZATION;

--
-- PostgreSQL database dump complete
--
"""


def test_owners_and_grants_are_taken_apart_and_run_as_the_owner() -> None:
    entries = parse(PRIVILEGED_DUMP)
    assert entries[0].owner == "app_owner"
    ddl, privileges = split_privileges(entries)
    assert [e.sql for e in ddl] == [
        "CREATE TABLE public.t (\n    owner text\n);",
        entries[1].sql.split("\n\n\n")[0],  # the body's ALTER … OWNER TO stays in the body
    ]
    assert "OWNER TO someone" in ddl[1].sql and "OWNER TO app_owner" not in ddl[1].sql
    assert [(e.kind, e.name, e.sql) for e in privileges] == [
        ("TABLE", "t", "ALTER TABLE public.t OWNER TO app_owner;"),
        ("FUNCTION", "f()", "ALTER FUNCTION public.f() OWNER TO app_owner;"),
        (  # the schema's own ACL comes from the catalog, not from pg_dump
            "ACL",
            "TABLE t",
            'SET ROLE "app_owner";\nGRANT SELECT ON TABLE public.t TO reader;\n'
            "SET ROLE reader;\nGRANT SELECT ON TABLE public.t TO other;\n"
            'SET ROLE "app_owner";\nRESET ROLE;',
        ),
    ]


def test_grants_of_a_skipped_object_are_left_out_too() -> None:
    dump = PgSchema(["public"], [Entry("t", "TABLE", "public", "CREATE TABLE public.t ();")], [])
    dump.grants = [
        Entry("remote", "FOREIGN TABLE", "public", "ALTER TABLE public.remote OWNER TO a;"),
        Entry("TABLE remote", "ACL", "public", "GRANT SELECT ON TABLE public.remote TO b;"),
        Entry("COLUMN remote.id", "ACL", "public", "GRANT SELECT(id) ON TABLE public.remote …;"),
        Entry("FUNCTION f(a integer)", "ACL", "public", "GRANT ALL ON FUNCTION public.f …;"),
        Entry("TABLE t", "ACL", "public", "GRANT SELECT ON TABLE public.t TO b;"),
    ]
    dump.leave_out(
        [
            SchemaObject("foreign table", "public.remote", False),
            SchemaObject("function", "public.f(integer)"),
        ]
    )
    assert [e.name for e in dump.grants] == ["TABLE t"]
    assert dump.roles() == {"b"}
