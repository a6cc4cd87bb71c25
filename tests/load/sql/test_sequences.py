"""Sequences, identities and AUTO_INCREMENT continue past the largest loaded id in staging."""

from __future__ import annotations

from helpers import fixture_db as fx
from helpers.snapshot_runs import Runs, World

# table → an INSERT that leaves the id to the database (serial, identity, AUTO_INCREMENT)
NEW_ROWS = {
    "customers": "INSERT INTO customers (email, password_hash) VALUES ('new@example.com', 'x')",
    "orders": "INSERT INTO orders (customer_id, total) VALUES (1, 9.5)",
    "invoices": "INSERT INTO {invoices} (number) VALUES ('INV-NEW-1')",
}


def test_inserting_without_an_id_succeeds_in_staging(world: World, runs: Runs) -> None:
    invoices = fx.INVOICES[world.dialect]
    for table, sql in NEW_ROWS.items():
        table = invoices if table == "invoices" else table
        sql = sql.format(invoices=invoices)
        with world.engine("staging").connect() as conn:  # one transaction, rolled back
            largest = conn.exec_driver_sql(f"SELECT max(id) FROM {table}").scalar_one()
            if world.dialect == "postgres":
                new_id = conn.exec_driver_sql(sql + " RETURNING id").scalar_one()
            else:
                conn.exec_driver_sql(sql)
                new_id = conn.exec_driver_sql("SELECT LAST_INSERT_ID()").scalar_one()
            conn.rollback()
        assert new_id > largest, (table, new_id, largest)
        # prod's ids have gaps (deleted rows), so "past the max" is not "past the count"
        assert largest == max(int(row[0]) for row in runs.prod[table])
    assert max(int(r[0]) for r in runs.prod["customers"]) > len(runs.prod["customers"])
