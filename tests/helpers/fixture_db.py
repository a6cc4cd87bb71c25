"""The messy production fixture shared by the integration tests, in PostgreSQL and MariaDB.

One dialect-neutral set of rows is loaded into both servers, with DDL written the way each
dialect's users write it (serial and identity vs AUTO_INCREMENT, enum types, arrays, a second
schema in PostgreSQL). The rules file is written in the docs/design.md contract shape; tests
read it back to know which columns are kept and which are masked.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

import yaml

KEY_A = "integration-key-A-5c1e0d7a9b3f4e21"
KEY_B = "integration-key-B-0f9e8d7c6b5a4932"
INVOICES = {"postgres": "billing.invoices", "mysql": "invoices"}  # the rule name per dialect

# -- the people ------------------------------------------------------------------------------
# email, full_name, phone, postcode, birth_date, tax_id, address, notes, status
PEOPLE: list[tuple[Any, ...]] = [
    (
        "ana.souza@corp.com.br",
        "Ana Maria Souza",
        "+55 (12) 3923-5555",
        "12245-000",
        "1984-03-07",
        "123.456.789-09",
        "Rua das Flores, 123\nSão José dos Campos - SP",
        "Prefers WhatsApp: +55 (12) 3923-5555",
        "active",
    ),
    (
        "JEAN.TREMBLAY@EXEMPLE.CA",
        "Jean-François Tremblay",
        "(514) 555-0199",
        "H2G 1A7",
        "1979-11-30",
        "046 454 286",
        "4521 Rue Saint-Denis, Montréal QC H2G 1A7",
        "Asked about the refund twice",
        "suspended",
    ),
    (
        "j.smith@example.co.uk",
        "John Smith",
        "+44 20 7946 0958",
        "SW1A 1AA",
        "1962-07-14",
        "QQ 12 34 56 C",
        "10 Downing Street, London SW1A 2AA",
        "Escalate to j.smith@example.co.uk, not the shared inbox",
        "active",
    ),
    (
        "juergen.mueller@beispiel.de",
        "Jürgen Müller",
        "030 1234567",
        "10115",
        "1990-01-01",
        "65929970489",
        "Invalidenstraße 117, 10115 Berlin",
        None,
        "closed",
    ),
    (
        "taro.yamada@example.co.jp",
        "山田 太郎",
        "+81-3-1234-5678",
        "100-0001",
        "1975-05-05",
        "1234-5678-9012",
        "東京都千代田区千代田1-1",
        "",
        "active",
    ),
    (
        "Zoe.OBrien@Mail.IE",
        "Zoë O'Brien",
        "+353 1 555 0123",
        "D02 X285",
        None,
        None,
        "12 Grafton Street\nDublin 2",
        "   ",
        "LEGACY",
    ),
    (
        "no-at-sign.example.com",
        "  Padded Name  ",
        "",
        "   ",
        "2001-02-28",
        "",
        "",
        "Customer typed her address into the email field",
        "active",
    ),
    (
        "trailing-at@",
        "lower case name",
        "   ",
        "",
        "1955-12-31",
        "   ",
        "   ",
        None,
        "active",
    ),
    (
        "@missing-local.com",
        "UPPER CASE NAME",
        None,
        None,
        "1999-09-09",
        "AB-123-XY",
        None,
        "Call +1-202-555-0143 after 5pm",
        "closed",
    ),
    (
        "two@@ats.com",
        "Σωκράτης Παπαδόπουλος",
        "+30 21 0555 1234",
        "105 57",
        "1968-04-21",
        "EL123456789",
        "Ermou 15, Athina 105 57",
        "VIP",
        "active",
    ),
    (
        " spaced@corp.com ",
        "Ngô Bảo Châu",
        "555.010.4477",
        "70000",
        "1972-06-28",
        "8-123-456",
        "1 Trang Tien, Hanoi",
        "Duplicate of the Hanoi account?",
        "active",
    ),
    (
        "unicode.ñandú@correo.es",
        "María José García-López",
        "+34 912 345 678",
        "28013",
        "1988-08-08",
        "12345678Z",
        "Calle Mayor 1, 28013 Madrid",
        "prefers email unicode.ñandú@correo.es",
        "active",
    ),
    (
        "john.smith+billing@corp.com",
        "John Smith",
        "+44 20 7946 0958",
        "SW1A 1AA",
        "1962-07-14",
        "QQ 98 76 54 D",
        "10 Downing Street, London SW1A 2AA",
        "same household as the other John Smith",
        "active",
    ),
    (
        "a@b",
        "Cher",
        "ask reception",
        "K1A 0B1",
        "1946-05-20",
        "999-99-9999",
        "24 Sussex Drive, Ottawa ON K1A 0B1",
        None,
        "suspended",
    ),
    (
        "",
        "",
        "0044 161 496 0000",
        "M1 1AE",
        None,
        "GB 123 4567 89",
        "1 Piccadilly\nManchester M1 1AE",
        "Imported from the 2019 CRM without an email",
        "LEGACY",
    ),
    (
        "Mixed.Case@Example.COM",
        "Ólafur Arnalds",
        "+354 555 1234",
        "101",
        "1986-11-03",
        "120386-2959",
        "Laugavegur 5, 101 Reykjavík",
        "Reach him at Mixed.Case@Example.COM or +354 555 1234",
        "active",
    ),
]
FIRST = ["Chloé", "Priya", "Tomás", "Aiko", "Kwame", "Ingrid", "Rafael", "Fatima", "Olek", "Mei"]
LAST = ["Dubois", "Ramanathan", "Ó Súilleabháin", "Tanaka", "Mensah", "Lund", "Costa", "Haddad"]
PHONE_SHAPES = ["+1 (415) 555-{:04d}", "+49 30 {:04d}555", "07700 90{:04d}", "+33 1 23 45 {:04d}"]
POSTCODES = ["10115", "SW1A 1AA", "H2G 1A7", "94103", "75008", "EC1A 1BB", "20095", "V6B 4Y8"]
STREETS = ["Main St", "Rue de Rivoli", "Baker Street", "Hauptstraße", "Avenida Paulista"]
STATUSES = ["active", "active", "active", "suspended", "closed", "LEGACY"]
PRODUCTS = [
    ("SKU-001", "EU", "Widget", "9.99"),
    ("SKU-001", "US", "Widget", "10.99"),
    ("SKU-002", "EU", "Gadget, large", "24.50"),
    ("SKU-002", "US", "Gadget, large", "26.00"),
    ("sku-003 ", "EU", "  legacy sku with spaces", None),
    ("SKU-ÄÖÜ", "DE", "Umlaut-Ware", "5.00"),
]
GIFT_MESSAGES = [
    "Happy birthday Ana Maria! Call me on +55 (12) 3923-5555 when this arrives, and say hi to "
    "the whole Souza family from all of us in São José dos Campos.",
    None,
    "",
    "  ",
    "To Jean-François Tremblay, 4521 Rue Saint-Denis, Montréal: congratulations on the new job, "
    "from everyone at the office (ask for Zoë if the parcel is late).",
    "Short one",
    "Für Jürgen Müller, Invalidenstraße 117, 10115 Berlin. Alles Gute zum Geburtstag und viele "
    "Grüße von Taro Yamada, Tokyo — see you in June 2025!",
]
ORDER_NOTES = ["Leave at the door", "", "   ", None, "Gift wrap, no invoice inside", "ok"]
ACTIONS = ["login", "login", "export", "password_reset", "LOGIN", "delete_request"]
IPS = ["203.0.113.7", "10.0.0.1", "2001:db8::1", "", None, "198.51.100.23", "unknown"]
DELETED_CUSTOMERS = (17, 23)  # removed after loading: ids have gaps, like production's


def customers() -> list[dict[str, Any]]:
    """The customer rows in insertion order (ids are assigned by the database, 1, 2, …)."""
    rng = random.Random(20240611)
    rows = []
    for email, name, phone, postcode, birth, tax_id, address, notes, status in PEOPLE:
        rows.append(
            {
                "email": email,
                "full_name": name,
                "phone": phone,
                "postcode": postcode,
                "birth_date": birth,
                "tax_id": tax_id,
                "address": address,
                "notes": notes,
                "status": status,
            }
        )
    for n in range(28):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        style = n % 4
        email = f"{first}.{last}{n}@mail{n % 3}.example-corp.com".replace(" ", "").lower()
        if style == 1:
            email = email.upper()
        rows.append(
            {
                "email": email,
                "full_name": f"{first} {last}" if style != 2 else f"{last.upper()}, {first}",
                "phone": rng.choice(PHONE_SHAPES).format(rng.randrange(10000)),
                "postcode": rng.choice(POSTCODES),
                "birth_date": (
                    dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20000))
                ).isoformat()
                if n % 7
                else None,
                "tax_id": f"{rng.randrange(100, 999)}-{rng.randrange(10, 99)}-"
                f"{rng.randrange(1000, 9999)}"
                if n % 5
                else None,
                "address": f"{rng.randrange(1, 400)} {rng.choice(STREETS)}, "
                f"{rng.choice(POSTCODES)}",
                "notes": None if n % 3 else f"Follow up with {email} next week",
                "status": rng.choice(STATUSES),
            }
        )
    for index, row in enumerate(rows, start=1):
        row["password_hash"] = f"$2b$12${index:04d}abcdefghijklmnopqrstuv{index * 7919:06d}"
        email = row["email"].strip() or None
        if index % 5 == 0:
            row["profile"] = None
        elif index % 5 == 1:
            row["profile"] = {
                "contact": {"email": email, "phone": row["phone"]},
                "prefs": {"lang": "pt-BR" if index == 1 else "en", "newsletter": index % 2 == 0},
            }
        elif index % 5 == 2:
            row["profile"] = {
                "contact": {"email": f"old.{index}@previous-employer.example-corp.com"},
                "history": [{"at": "2021-03-04", "plan": "pro"}, {"at": None, "plan": "free"}],
            }
        elif index % 5 == 3:
            row["profile"] = {}
        else:
            variant = email.upper() if email and "@" in email else email
            row["profile"] = {"contact": {"email": variant, "phone": None}, "score": 4.5}
        row["tags"] = [None, [], ["vip"], ["vip", "with space", 'quote"d'], ["b2b"]][index % 5]
        row["referred_by"] = None if index % 4 else max(1, index - 3)
        row["created_at"] = dt.datetime(2020, 1, 1, 8, 30) + dt.timedelta(hours=37 * index)
    rows[3]["referred_by"] = 3  # a self-reference chain 4 → 3 → (3 has none)
    rows[9]["referred_by"] = 10  # refers to itself
    return rows


def live_customer_ids() -> list[int]:
    return [i for i in range(1, len(customers()) + 1) if i not in DELETED_CUSTOMERS]


def orders() -> list[dict[str, Any]]:
    """Orders in insertion order (ids 1, 2, … by identity/auto-increment)."""
    rng = random.Random(7)
    people = {i: c for i, c in enumerate(customers(), start=1)}
    rows = []
    for customer_id in live_customer_ids():
        for k in range(customer_id % 4):
            address = people[customer_id]["address"]
            choice = (customer_id + k) % 6
            if choice in (0, 1, 2) or address is None:
                shipping = address  # the same value as customers.address: same pseudonym
            elif choice == 3:
                shipping = address.upper()
            elif choice == 4:
                shipping = f"{rng.randrange(1, 99)} Warehouse Road, Unit {k}"
            else:
                shipping = None if k else ""
            rows.append(
                {
                    "customer_id": customer_id,
                    "shipping_address": shipping,
                    "total": f"{rng.randrange(0, 50000) / 100:.2f}",
                    "placed_at": dt.datetime(2023, 1, 1) + dt.timedelta(minutes=997 * len(rows)),
                    "note": rng.choice(ORDER_NOTES),
                    "gift_message": GIFT_MESSAGES[len(rows) % len(GIFT_MESSAGES)],
                }
            )
    return rows


def order_lines() -> list[dict[str, Any]]:
    rows = []
    for order_id in range(1, len(orders()) + 1):
        for line_no in range(1, 1 + order_id % 3 + 1):
            sku, region, _, _ = PRODUCTS[(order_id + line_no) % len(PRODUCTS)]
            rows.append(
                {
                    "order_id": order_id,
                    "line_no": line_no,
                    "sku": sku,
                    "region": region,
                    "qty": 1 + (order_id * line_no) % 5,
                }
            )
    return rows


def events() -> list[dict[str, Any]]:
    """An append-only log without a primary key; some rows are exact duplicates."""
    rng = random.Random(11)
    emails = [c["email"] for c in customers()] + ["system", "", None, "ops@relay.example-corp.com"]
    rows = []
    for n in range(40):
        row = {
            "at": dt.datetime(2024, 5, 1) + dt.timedelta(minutes=13 * (n // 2)),
            "actor_email": rng.choice(emails),
            "action": rng.choice(ACTIONS),
            "ip": rng.choice(IPS),
        }
        rows.append(row)
        if n % 6 == 0:
            rows.append(dict(row))  # the same event logged twice
    return rows


def invoices() -> list[dict[str, Any]]:
    rng = random.Random(13)
    people = {i: c for i, c in enumerate(customers(), start=1)}
    rows = []
    for n, customer_id in enumerate(live_customer_ids()[::2]):
        email = people[customer_id]["email"]
        rows.append(
            {
                "customer_id": customer_id if n % 9 else None,
                "number": f"INV-2024-{n + 1:05d}",
                "billing_email": [email, f"ap-{n}@accounts.example-corp.com", None][n % 3],
                "amount": f"{rng.randrange(100, 900000) / 100}",
                "state": ["draft", "paid", "paid", "void"][n % 4],
                "issued_on": (dt.date(2024, 1, 1) + dt.timedelta(days=5 * n)).isoformat(),
            }
        )
    return rows


# -- DDL ---------------------------------------------------------------------------------------
PG_DDL = """
CREATE TYPE customer_status AS ENUM ('active', 'suspended', 'closed', 'LEGACY');
CREATE TABLE customers (
    id serial PRIMARY KEY,
    email varchar(254) NOT NULL UNIQUE,
    full_name varchar(200),
    phone varchar(30),
    postcode varchar(12),
    birth_date date CONSTRAINT customers_birth_date_check CHECK (birth_date > DATE '1900-01-01'),
    tax_id varchar(20),
    address text,
    notes text,
    profile jsonb,
    status customer_status NOT NULL DEFAULT 'active',
    tags text[],
    password_hash varchar(100) NOT NULL,
    referred_by integer REFERENCES customers (id),
    created_at timestamp with time zone NOT NULL DEFAULT now()
);
CREATE INDEX ix_customers_status ON customers (status);
CREATE INDEX ix_customers_name_postcode ON customers (full_name, postcode);
CREATE TABLE orders (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id),
    shipping_address text,
    total numeric(10, 2) NOT NULL CHECK (total >= 0),
    placed_at timestamp,
    note text,
    gift_message text
);
CREATE INDEX ix_orders_customer_id ON orders (customer_id);
CREATE TABLE products (
    sku varchar(20),
    region char(2),
    name varchar(100) NOT NULL,
    price numeric(10, 2),
    PRIMARY KEY (sku, region)
);
CREATE TABLE order_lines (
    order_id integer NOT NULL REFERENCES orders (id),
    line_no smallint NOT NULL,
    sku varchar(20) NOT NULL,
    region char(2) NOT NULL,
    qty integer NOT NULL CONSTRAINT order_lines_qty_check CHECK (qty > 0),
    PRIMARY KEY (order_id, line_no),
    CONSTRAINT order_lines_product_fkey FOREIGN KEY (sku, region) REFERENCES products (sku, region)
);
CREATE TABLE events (
    at timestamp NOT NULL,
    actor_email varchar(254),
    action varchar(40),
    ip varchar(45)
);
CREATE INDEX ix_events_at ON events (at);
CREATE SCHEMA billing;
CREATE TYPE billing.invoice_state AS ENUM ('draft', 'paid', 'void');
CREATE TABLE billing.invoices (
    id serial PRIMARY KEY,
    customer_id integer REFERENCES public.customers (id),
    number varchar(30) NOT NULL UNIQUE,
    billing_email varchar(254),
    amount numeric,
    state billing.invoice_state NOT NULL DEFAULT 'draft',
    issued_on date
);
"""

MYSQL_DDL = """
CREATE TABLE customers (
    id int NOT NULL AUTO_INCREMENT,
    email varchar(254) NOT NULL,
    full_name varchar(200),
    phone varchar(30),
    postcode varchar(12),
    birth_date date,
    tax_id varchar(20),
    address text,
    notes text,
    profile json,
    status enum('active', 'suspended', 'closed', 'LEGACY') NOT NULL DEFAULT 'active',
    password_hash varchar(100) NOT NULL,
    referred_by int,
    created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    UNIQUE KEY uq_customers_email (email),
    KEY ix_customers_status (status),
    KEY ix_customers_name_postcode (full_name, postcode),
    CONSTRAINT fk_customers_referred_by FOREIGN KEY (referred_by) REFERENCES customers (id),
    CONSTRAINT customers_birth_date_check CHECK (birth_date > '1900-01-01')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE orders (
    id int NOT NULL AUTO_INCREMENT,
    customer_id int NOT NULL,
    shipping_address text,
    total decimal(10, 2) NOT NULL,
    placed_at datetime,
    note text,
    gift_message text,
    PRIMARY KEY (id),
    KEY ix_orders_customer_id (customer_id),
    CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id),
    CONSTRAINT orders_total_check CHECK (total >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE products (
    sku varchar(20) NOT NULL,
    region char(2) NOT NULL,
    name varchar(100) NOT NULL,
    price decimal(10, 2),
    PRIMARY KEY (sku, region)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE order_lines (
    order_id int NOT NULL,
    line_no smallint NOT NULL,
    sku varchar(20) NOT NULL,
    region char(2) NOT NULL,
    qty int NOT NULL,
    PRIMARY KEY (order_id, line_no),
    KEY order_lines_product_fkey (sku, region),
    CONSTRAINT fk_order_lines_order FOREIGN KEY (order_id) REFERENCES orders (id),
    CONSTRAINT order_lines_product_fkey FOREIGN KEY (sku, region)
        REFERENCES products (sku, region),
    CONSTRAINT order_lines_qty_check CHECK (qty > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE events (
    at datetime NOT NULL,
    actor_email varchar(254),
    action varchar(40),
    ip varchar(45),
    KEY ix_events_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE invoices (
    id int NOT NULL AUTO_INCREMENT,
    customer_id int,
    number varchar(30) NOT NULL,
    billing_email varchar(254),
    amount decimal(12, 2),
    state enum('draft', 'paid', 'void') NOT NULL DEFAULT 'draft',
    issued_on date,
    PRIMARY KEY (id),
    UNIQUE KEY uq_invoices_number (number),
    CONSTRAINT fk_invoices_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
"""


def statements(ddl: str) -> list[str]:
    return [s.strip() for s in ddl.split(";") if s.strip()]


def load_rows(conn: Any, dialect: str) -> None:
    """Insert every fixture row through a DB-API connection (ids from the database)."""
    pg = dialect == "postgres"
    invoices_table = INVOICES[dialect]
    cur = conn.cursor()
    cust_cols = [
        "email",
        "full_name",
        "phone",
        "postcode",
        "birth_date",
        "tax_id",
        "address",
        "notes",
        "profile",
        "status",
        "password_hash",
        "created_at",
    ] + (["tags"] if pg else [])
    for row in customers():
        values = [row[c] for c in cust_cols]
        values[cust_cols.index("profile")] = _json(row["profile"])
        _insert(cur, "customers", cust_cols, values)
    for index, row in enumerate(customers(), start=1):
        if row["referred_by"] is not None:
            cur.execute(
                "UPDATE customers SET referred_by = %s WHERE id = %s", (row["referred_by"], index)
            )
    for table, rows in (
        ("orders", orders()),
        (
            "products",
            [dict(zip(("sku", "region", "name", "price"), p, strict=True)) for p in PRODUCTS],
        ),
        ("order_lines", order_lines()),
        ("events", events()),
        (invoices_table, invoices()),
    ):
        for row in rows:
            _insert(cur, table, list(row), list(row.values()))
    for customer_id in DELETED_CUSTOMERS:
        cur.execute(
            "UPDATE customers SET referred_by = NULL WHERE referred_by = %s", (customer_id,)
        )
        cur.execute(f"DELETE FROM {invoices_table} WHERE customer_id = %s", (customer_id,))
        cur.execute(
            "DELETE FROM order_lines WHERE order_id IN "
            "(SELECT id FROM (SELECT id FROM orders WHERE customer_id = %s) o)",
            (customer_id,),
        )
        cur.execute("DELETE FROM orders WHERE customer_id = %s", (customer_id,))
        cur.execute("DELETE FROM customers WHERE id = %s", (customer_id,))
    conn.commit()


def _insert(cur: Any, table: str, columns: list[str], values: list[Any]) -> None:
    marks = ", ".join(["%s"] * len(columns))
    cur.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False)


# -- rules ----------------------------------------------------------------------------------
RULES_TEMPLATE = """\
source: app
defaults:
  unknown: fail
tables:
  customers:
    id: keep
    email: {fake: email, unique: true}
    full_name: {fake: name}
    phone: {fake: phone}
    postcode: {format: preserve}
    birth_date: {shift_date: {max_days: 90}}
    tax_id: {format: preserve}
    address: {fake: address}
    notes: {detect: [PERSON, EMAIL_ADDRESS, PHONE_NUMBER]}
    profile:
      json:
        "$.contact.email": {fake: email}
        "$.contact.phone": {fake: phone}
        "$.**": keep
    status: keep
    password_hash: {constant: "!staging-disabled"}
    referred_by: keep
    created_at: keep
%(tags)s
  orders:
    id: keep
    customer_id: keep
    shipping_address: {fake: address}     # the same addresses as customers.address
    total: keep
    placed_at: keep
    note: redact
    gift_message: {format: preserve}      # long free text: every letter and digit scrambled
  products:
    sku: keep
    region: keep
    name: keep
    price: keep
  order_lines:
    order_id: keep
    line_no: keep
    sku: keep
    region: keep
    qty: keep
  events:
    at: keep
    actor_email: {fake: email}
    action: keep
    ip: {fake: ip}
  %(invoices)s:
    id: keep
    customer_id: keep
    number: keep
    billing_email: {fake: email}
    amount: keep
    state: keep
    issued_on: keep
"""


def rules_text(dialect: str) -> str:
    pg = dialect == "postgres"
    return RULES_TEMPLATE % {
        "tags": "    tags: keep" if pg else "",
        "invoices": INVOICES[dialect],
    }


def column_rules(text: str) -> dict[str, dict[str, Any]]:
    """table → column → rule, as written (``"keep"`` or a mapping)."""
    return yaml.safe_load(text)["tables"]


def masked_columns(text: str) -> dict[str, list[str]]:
    """Columns whose every non-blank value must be replaced (not keep, detect or json)."""
    out: dict[str, list[str]] = {}
    for table, columns in column_rules(text).items():
        for column, rule in columns.items():
            if rule == "keep" or (isinstance(rule, dict) and ("json" in rule or "detect" in rule)):
                continue
            out.setdefault(table, []).append(column)
    return out


def kept_columns(text: str) -> dict[str, list[str]]:
    return {
        table: [c for c, rule in columns.items() if rule == "keep"]
        for table, columns in column_rules(text).items()
    }
