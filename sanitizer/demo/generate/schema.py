"""The demo database's SQLite schema, and the writer that loads generated rows into it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sanitizer.demo.generate.model import Row

SCHEMA = """
CREATE TABLE companies (
    id INTEGER PRIMARY KEY,
    name VARCHAR(120) NOT NULL,
    domain VARCHAR(120),
    vat_number VARCHAR(32) UNIQUE,
    country CHAR(2),
    plan VARCHAR(20) NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE integrations (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    service VARCHAR(30) NOT NULL,
    api_key VARCHAR(300),
    webhook_url VARCHAR(300),
    callback_url VARCHAR(300),
    oauth_refresh_token VARCHAR(300),
    config JSON,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    company_id INTEGER REFERENCES companies(id),
    email VARCHAR(254) NOT NULL UNIQUE,
    full_name VARCHAR(200),
    first_name VARCHAR(100),
    last_name VARCHAR(100),
    phone VARCHAR(40),
    address TEXT,
    city VARCHAR(100),
    postcode VARCHAR(20),
    birth_date DATE,
    tax_id VARCHAR(32),
    password_hash VARCHAR(128) NOT NULL,
    profile JSON,
    referred_by INTEGER REFERENCES contacts(id),
    status VARCHAR(20),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ix_contacts_company_id ON contacts(company_id);
CREATE TABLE newsletter_subscriptions (
    email VARCHAR(254) NOT NULL PRIMARY KEY REFERENCES contacts(email),
    subscribed_at TIMESTAMP,
    source VARCHAR(40)
);
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    subject VARCHAR(200),
    body TEXT,
    status VARCHAR(20),
    priority INTEGER,
    requester_email VARCHAR(254),
    created_at TIMESTAMP,
    closed_at TIMESTAMP
);
CREATE INDEX ix_tickets_status ON tickets(status);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    reply_to_id INTEGER REFERENCES messages(id),
    author VARCHAR(20),
    body TEXT,
    sent_at TIMESTAMP
);
CREATE INDEX ix_messages_ticket_id ON messages(ticket_id);
CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    number VARCHAR(30) NOT NULL UNIQUE,
    amount NUMERIC(12, 2) NOT NULL,
    currency CHAR(3),
    status VARCHAR(20),
    billing_email VARCHAR(254),
    billing_address TEXT,
    issued_on DATE,
    due_on DATE
);
CREATE TABLE invoice_lines (
    invoice_id INTEGER NOT NULL REFERENCES invoices(id),
    line_no INTEGER NOT NULL,
    description VARCHAR(200),
    quantity INTEGER,
    unit_price NUMERIC(12, 2),
    PRIMARY KEY (invoice_id, line_no)
);
CREATE TABLE refunds (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL,
    line_no INTEGER NOT NULL,
    amount NUMERIC(12, 2),
    reason TEXT,
    FOREIGN KEY (invoice_id, line_no) REFERENCES invoice_lines(invoice_id, line_no)
);
CREATE TABLE payment_methods (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    card_number VARCHAR(25),
    card_holder VARCHAR(200),
    expiry VARCHAR(7),
    iban VARCHAR(40),
    created_at TIMESTAMP
);
CREATE TABLE agent_runs (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER REFERENCES tickets(id),
    agent VARCHAR(50),
    input_payload JSON,
    tool_calls JSON,
    status VARCHAR(20),
    tokens_used INTEGER,
    cost_usd REAL,
    started_at TIMESTAMP,
    finished_at TIMESTAMP
);
CREATE TABLE audit_log (
    at TIMESTAMP,
    actor_email VARCHAR(254),
    action VARCHAR(50),
    ip_address VARCHAR(45),
    details TEXT
);
CREATE TABLE retry_queue (
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES agent_runs(id),
    attempts INTEGER,
    last_error TEXT,
    payload TEXT,
    next_attempt_at TIMESTAMP
);
CREATE TABLE dead_letters (
    id INTEGER PRIMARY KEY,
    topic VARCHAR(80),
    payload TEXT,
    error TEXT,
    received_at TIMESTAMP
);
"""

# Insert order: every parent before its children, so FKs hold with enforcement on.
TABLES = (
    "companies",
    "integrations",
    "contacts",
    "newsletter_subscriptions",
    "tickets",
    "messages",
    "invoices",
    "invoice_lines",
    "refunds",
    "payment_methods",
    "agent_runs",
    "audit_log",
    "retry_queue",
    "dead_letters",
)


def write(path: Path, tables: dict[str, list[Row]]) -> dict[str, int]:
    """Create the schema and load every table in one transaction, with FKs enforced."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.executescript(SCHEMA)
        with conn:
            for table in TABLES:
                width = len(conn.execute(f"PRAGMA table_info({table})").fetchall())
                marks = ", ".join("?" * width)
                conn.executemany(f"INSERT INTO {table} VALUES ({marks})", tables[table])
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"demo data breaks foreign keys: {problems[:5]}")
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()
