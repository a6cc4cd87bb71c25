"""PostgreSQL's schema objects, read from pg_catalog (read-only; docs/stores.md).

Every object of the given schemas that is not a member of an extension (the extension itself
is counted instead), named by ``pg_identify_object`` — always schema-qualified, quoted as
PostgreSQL quotes identifiers, so names do not depend on the session's search_path. With
``whole_database``, the database-wide objects staging cannot reproduce are listed too:
foreign servers and user mappings (they point at production's destinations), foreign-data
wrappers, event triggers, publications, subscriptions and large objects.
"""

from __future__ import annotations

import re

from sqlalchemy.engine import Connection

from sanitizer.schema import SchemaObject

# One row per object: (kind, catalog, oid, sub-id, detail). ``n`` holds the schemas' oids.
OBJECTS = """
WITH n AS (SELECT oid FROM pg_namespace WHERE nspname = ANY(%(schemas)s))
SELECT 'schema', 'pg_namespace'::regclass, oid, 0, '' FROM pg_namespace
 WHERE nspname = ANY(%(schemas)s)
UNION ALL
SELECT CASE c.relkind
         WHEN 'r' THEN CASE WHEN c.relispartition THEN 'partition' ELSE 'table' END
         WHEN 'p' THEN CASE WHEN c.relispartition THEN 'partition' ELSE 'partitioned table' END
         WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence'
         WHEN 'f' THEN 'foreign table' ELSE 'index' END,
       'pg_class'::regclass, c.oid, 0, ''
  FROM pg_class c WHERE c.relnamespace IN (SELECT oid FROM n)
   AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'i', 'I')
UNION ALL
SELECT CASE WHEN co.contypid <> 0 THEN 'domain check' ELSE
         CASE co.contype WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique constraint'
           WHEN 'f' THEN 'foreign key' WHEN 'c' THEN 'check constraint'
           WHEN 'x' THEN 'exclusion constraint' ELSE 'constraint' END END,
       'pg_constraint'::regclass, co.oid, 0, ''
  FROM pg_constraint co WHERE co.connamespace IN (SELECT oid FROM n) AND co.contype <> 't'
UNION ALL
SELECT 'trigger', 'pg_trigger'::regclass, t.oid, 0, ''
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
 WHERE c.relnamespace IN (SELECT oid FROM n) AND NOT t.tgisinternal
UNION ALL
SELECT 'rule', 'pg_rewrite'::regclass, r.oid, 0, ''
  FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
 WHERE c.relnamespace IN (SELECT oid FROM n) AND r.rulename <> '_RETURN'
UNION ALL
SELECT 'policy', 'pg_policy'::regclass, p.oid, 0, ''
  FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
 WHERE c.relnamespace IN (SELECT oid FROM n)
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
       'pg_proc'::regclass, p.oid, 0, ''
  FROM pg_proc p WHERE p.pronamespace IN (SELECT oid FROM n)
UNION ALL
SELECT CASE t.typtype WHEN 'd' THEN 'domain' WHEN 'e' THEN 'enum type' WHEN 'r' THEN 'range type'
         WHEN 'c' THEN 'composite type' ELSE 'base type' END,
       'pg_type'::regclass, t.oid, 0, ''
  FROM pg_type t WHERE t.typnamespace IN (SELECT oid FROM n)
   AND (t.typtype IN ('d', 'e', 'r')
        OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
        OR (t.typtype = 'b' AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)))
UNION ALL
SELECT 'statistics', 'pg_statistic_ext'::regclass, s.oid, 0, ''
  FROM pg_statistic_ext s WHERE s.stxnamespace IN (SELECT oid FROM n)
UNION ALL
SELECT 'collation', 'pg_collation'::regclass, c.oid, 0, ''
  FROM pg_collation c WHERE c.collnamespace IN (SELECT oid FROM n)
UNION ALL
SELECT 'operator', 'pg_operator'::regclass, o.oid, 0, ''
  FROM pg_operator o WHERE o.oprnamespace IN (SELECT oid FROM n)
UNION ALL
SELECT 'text search configuration', 'pg_ts_config'::regclass, c.oid, 0, ''
  FROM pg_ts_config c WHERE c.cfgnamespace IN (SELECT oid FROM n)
UNION ALL
SELECT 'extension', 'pg_extension'::regclass, e.oid, 0,
       CASE WHEN NOT e.extrelocatable AND e.extnamespace IN (SELECT oid FROM n)
            THEN 'not relocatable' ELSE '' END
  FROM pg_extension e WHERE e.extname <> 'plpgsql'
UNION ALL
SELECT 'comment', d.classoid, d.objoid, d.objsubid, ''
  FROM pg_description d
 WHERE (d.classoid <> 'pg_extension'::regclass
        AND (pg_identify_object(d.classoid, d.objoid, d.objsubid)).schema IN (
              SELECT s FROM unnest(%(schemas)s::text[]) AS s  -- a column's schema is quoted
              UNION SELECT quote_ident(s) FROM unnest(%(schemas)s::text[]) AS s))
    OR (d.classoid = 'pg_namespace'::regclass
        AND d.objoid IN (SELECT oid FROM pg_namespace WHERE nspname = ANY(%(schemas)s)))
"""

# Database-wide objects staging must not reproduce (they point elsewhere or hold data).
DATABASE_WIDE = """
SELECT 'foreign server', 'pg_foreign_server'::regclass, oid, 0, '' FROM pg_foreign_server
UNION ALL
SELECT 'user mapping', 'pg_user_mapping'::regclass, umid, 0, '' FROM pg_user_mappings
UNION ALL
SELECT 'foreign-data wrapper', 'pg_foreign_data_wrapper'::regclass, oid, 0, ''
  FROM pg_foreign_data_wrapper
UNION ALL
SELECT 'event trigger', 'pg_event_trigger'::regclass, oid, 0, '' FROM pg_event_trigger
UNION ALL
SELECT 'publication', 'pg_publication'::regclass, oid, 0, '' FROM pg_publication
UNION ALL
SELECT 'large object', 'pg_largeobject_metadata'::regclass, oid, 0, ''
  FROM pg_largeobject_metadata
"""

SUBSCRIPTIONS = """
SELECT 'subscription', 'pg_subscription'::regclass, oid, 0, '' FROM pg_subscription
 WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
"""

NAMED = """
SELECT o.kind, i.type, i.identity, o.detail
  FROM ({objects}) AS o(kind, classid, objid, subid, detail)
  CROSS JOIN LATERAL pg_identify_object(o.classid, o.objid, o.subid) AS i
 WHERE NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = o.classid
                     AND x.objid = o.objid AND x.deptype = 'e')
"""

WHY = {
    "foreign table": "its rows live on another server, which staging would then query",
    "foreign server": "it points at a destination production uses",
    "user mapping": "it holds credentials for a destination production uses",
    "foreign-data wrapper": "it connects staging to other servers",
    "event trigger": "it runs on every DDL statement of the staging database",
    "publication": "it would publish staging's tables to subscribers of production",
    "subscription": "it would pull production's rows into staging",
    "large object": "large objects are not masked by any rule",
    "base type": "its input and output functions are compiled code",
}
NOT_RELOCATABLE = "a non-relocatable extension installed in a swapped schema cannot move"


def inventory(
    conn: Connection, schemas: list[str], whole_database: bool = True
) -> list[SchemaObject]:
    """Every object of ``schemas`` (and, with ``whole_database``, the database-wide ones
    staging cannot reproduce), sorted by kind and name."""
    queries = [OBJECTS]
    if whole_database:
        queries.append(DATABASE_WIDE)
        if _can_read_subscriptions(conn):
            queries.append(SUBSCRIPTIONS)
    sql = NAMED.format(objects="\nUNION ALL\n".join(f"({q})" for q in queries))
    rows = conn.exec_driver_sql(sql, {"schemas": list(schemas)}).all()
    objects = set()
    for kind, type_name, identity, detail in rows:
        name = f"on {type_name} {identity}" if kind == "comment" else identity
        why = NOT_RELOCATABLE if detail == "not relocatable" else WHY.get(kind, "")
        objects.add(SchemaObject(kind, name, supported=not why, why=why))
    return sorted(objects)


def _can_read_subscriptions(conn: Connection) -> bool:
    """pg_subscription is readable by superusers and pg_read_all_settings-like roles only."""
    return bool(
        conn.exec_driver_sql(
            "SELECT has_table_privilege('pg_catalog.pg_subscription', 'SELECT')"
        ).scalar()
    )


def quote(conn: Connection, names: list[str]) -> dict[str, str]:
    """Each name as PostgreSQL quotes it in an identity (``quote_ident``)."""
    rows = conn.exec_driver_sql(
        "SELECT n, quote_ident(n) FROM unnest(%(names)s::text[]) AS n", {"names": names}
    ).all()
    return dict(rows)


def rename_schemas(objects: list[SchemaObject], quoted: dict[str, str]) -> list[SchemaObject]:
    """Objects read in a shadow schema, named as in production: ``quoted`` maps each shadow
    schema's quoted name to production's quoted name."""
    if not quoted:
        return objects
    pattern = re.compile(
        r"(?<![\w\"$])("
        + "|".join(re.escape(k) for k in sorted(quoted, key=len, reverse=True))
        + r")(?=\.|$|\s)"
    )
    renamed = []
    for obj in objects:
        name = pattern.sub(lambda m: quoted[m.group(1)], obj.name)
        renamed.append(SchemaObject(obj.kind, name, obj.supported, obj.why))
    return sorted(renamed)
