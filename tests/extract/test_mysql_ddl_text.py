"""The text work on MySQL/MariaDB definitions (extract/ddl/mysql.py, load/sql/mysql.py):
definers dropped from the header only, the database's name rewritten only where it qualifies
a name, views ordered after the views they read, events disabled in the shadow."""

from __future__ import annotations

from sanitizer.extract.ddl.mysql import Definition, dependency_order, drop_definer, rename_database
from sanitizer.load.sql.mysql import disabled, or_replace


def test_definer_is_dropped_from_the_header_only() -> None:
    view = (
        "CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`127.0.0.1` SQL SECURITY DEFINER VIEW `v` "
        "AS select 'DEFINER=`x`@`y`'"
    )
    assert drop_definer(view) == (
        "CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `v` AS select 'DEFINER=`x`@`y`'"
    )
    assert drop_definer(
        "CREATE DEFINER='app'@'%' TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET @a=1"
    ) == ("CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET @a=1")
    assert (
        drop_definer("CREATE DEFINER=`admin_role` PROCEDURE p() SELECT 1")
        == "CREATE PROCEDURE p() SELECT 1"
    )
    assert (
        drop_definer("CREATE FUNCTION f() RETURNS INT RETURN 1")
        == "CREATE FUNCTION f() RETURNS INT RETURN 1"
    )


def test_database_name_is_rewritten_where_it_qualifies_a_name() -> None:
    sql = (
        "select `shop`.`orders`.id, shop . items.x, 'shop.orders', t.shop, `shop`, shop "
        "from shop.orders -- shop.comment\n/* shop.c */ /*!50000 shop.versioned */ `shop`.t"
    )
    assert rename_database(sql, "shop", "stage_1") == (
        "select `stage_1`.`orders`.id, stage_1 . items.x, 'shop.orders', t.shop, `shop`, shop "
        "from stage_1.orders -- shop.comment\n/* shop.c */ /*!50000 stage_1.versioned */ "
        "`stage_1`.t"
    )
    # a name that cannot stand bare is quoted
    assert rename_database("select 1 from shop.t", "shop", "stage-1") == "select 1 from `stage-1`.t"
    # escaped quotes inside literals do not end them
    assert rename_database(r"select 'it''s shop.t', 'a\'shop.t' from shop.t", "shop", "s") == (
        r"select 'it''s shop.t', 'a\'shop.t' from s.t"
    )


def test_a_table_named_like_its_database_is_not_mistaken_for_it() -> None:
    """SHOW CREATE VIEW leaves out the current database: in the `employees` database,
    `employees`.`emp_no` is table employees' column, `employees`.`v` a qualified view."""
    sql = (
        "VIEW `v` AS select `employees`.`emp_no` AS `emp_no`, `employees`.`employees`.`x`, "
        "f(`employees`.`emp_no`) from `employees` join employees.v"
    )
    names = {"employees", "v", "f"}
    assert rename_database(sql, "employees", "s", names) == (
        "VIEW `v` AS select `employees`.`emp_no` AS `emp_no`, `s`.`employees`.`x`, "
        "f(`employees`.`emp_no`) from `employees` join s.v"
    )


def test_views_come_after_the_views_they_read() -> None:
    def view(name: str, body: str) -> Definition:
        return Definition("view", name, f"CREATE VIEW `{name}` AS select {body}")

    views = [view("a", "* from `c`"), view("b", "1"), view("c", "* from `b` join `t`")]
    assert [v.name for v in dependency_order(views)] == ["b", "c", "a"]


def test_events_are_disabled_in_the_shadow_and_views_replaced() -> None:
    event = (
        "CREATE EVENT `e` ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' "
        "ON COMPLETION PRESERVE ENABLE COMMENT 'ENABLE' DO DELETE FROM t"
    )
    assert disabled(event) == event.replace("PRESERVE ENABLE", "PRESERVE DISABLE")
    slave = event.replace("ENABLE COMMENT", "DISABLE ON SLAVE COMMENT")
    assert disabled(slave) == event.replace("PRESERVE ENABLE", "PRESERVE DISABLE")
    assert or_replace("CREATE ALGORITHM=MERGE VIEW `v` AS select 1") == (
        "CREATE OR REPLACE ALGORITHM=MERGE VIEW `v` AS select 1"
    )
