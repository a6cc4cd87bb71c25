"""The demo's vocabulary: its time window, locales and countries, row counts, status weights.

Also the hand-placed contacts that tests (and a human browsing the demo) can find by value.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

START = datetime(2019, 1, 1)
END = datetime(2025, 6, 30, 23, 59, 59)
TS_FORMAT = "%Y-%m-%d %H:%M:%S"
STAFF_DOMAIN = "relaydesk.io"

LOCALE_WEIGHTS = {"en_US": 4, "de_DE": 2, "fr_FR": 1.5, "pt_BR": 1.5, "ja_JP": 1, "es_MX": 1}
LOCALES = tuple(LOCALE_WEIGHTS)
COUNTRY = {"en_US": "US", "de_DE": "DE", "fr_FR": "FR", "pt_BR": "BR", "ja_JP": "JP", "es_MX": "MX"}
CALLING_CODE = {
    "US": "1",
    "GB": "44",
    "CA": "1",
    "DE": "49",
    "FR": "33",
    "BR": "55",
    "JP": "81",
    "MX": "52",
}
CURRENCY = {
    "US": "USD",
    "GB": "GBP",
    "CA": "CAD",
    "DE": "EUR",
    "FR": "EUR",
    "BR": "BRL",
    "JP": "JPY",
    "MX": "MXN",
}
TLD = {
    "US": "com",
    "GB": "co.uk",
    "CA": "ca",
    "DE": "de",
    "FR": "fr",
    "BR": "com.br",
    "JP": "co.jp",
    "MX": "com.mx",
}
VAT_PATTERN = {
    "US": "##-#######",
    "GB": "GB### #### ##",
    "CA": "#########RT0001",
    "DE": "DE#########",
    "FR": "FR## #########",
    "BR": "##.###.###/0001-##",
    "JP": "T#############",
    "MX": "???######??#",
}
TAX_ID_PATTERN = {
    "en_US": "###-##-####",
    "de_DE": "###########",
    "fr_FR": "# ## ## ## ### ### ##",
    "pt_BR": "###.###.###-##",
    "ja_JP": "#### #### ####",
    "es_MX": "????######???",
}

# Row counts at scale 1; messages, invoice lines, refunds and subscriptions follow from these.
BASE_COUNTS = {
    "companies": 150,
    "contacts": 1200,
    "tickets": 1500,
    "invoices": 900,
    "payment_methods": 900,
    "agent_runs": 1200,
    "audit_log": 1450,
    "retry_queue": 200,
    "dead_letters": 150,
    "integrations": 240,
    "pasted_secrets": 60,  # extra messages with a credential or a live URL pasted in
    "failed_deliveries": 30,  # extra dead letters of webhook deliveries and token refreshes
}

WHITESPACE = (" ", "   ", "\t", " \n ")
PLANS = {
    "free": 30,
    "starter": 25,
    "pro": 25,
    "enterprise": 10,
    "Enterprise": 3,
    "legacy_2019": 5,
    "PRO ": 2,
}
CONTACT_STATUS = {
    "active": 70,
    "inactive": 10,
    "Active": 3,
    "ACTIVE": 2,
    "pending": 5,
    "deleted": 4,
    "banned ": 1,
    "": 2,
    None: 3,
}
TICKET_STATUS = {
    "open": 20,
    "pending": 10,
    "solved": 25,
    "closed": 30,
    "escalated": 4,
    "Open": 3,
    "open ": 2,
    "PENDING_LEGACY": 3,
    "closed_v1": 1,
    None: 1,
}
INVOICE_STATUS = {
    "paid": 60,
    "open": 15,
    "overdue": 8,
    "void": 4,
    "draft": 3,
    "Paid": 3,
    "PAID ": 1,
    "uncollectible": 2,
}
RUN_STATUS = {
    "succeeded": 70,
    "failed": 12,
    "timeout": 5,
    "running": 3,
    "cancelled": 3,
    "SUCCESS": 4,
    "error ": 3,
}
AGENTS = (
    "triage-bot",
    "refund-agent",
    "kb-answerer",
    "escalation-v2",
    "summarizer",
    "TriageBot (old)",
)
AUDIT_ACTIONS = (
    "login",
    "login_failed",
    "password_reset",
    "export_data",
    "update_contact",
    "refund.issue",
    "agent.run",
    "api_key.rotate",
    "LOGIN",
    "delete_request",
)
CLOSED = ("solved", "closed", "closed_v1")

# Hand-placed rows that the test (and a human browsing the demo) can find by value.
SPECIAL_CONTACTS: tuple[dict[str, Any], ...] = (
    {
        "locale": "de_DE",
        "first_name": "José",
        "last_name": "Müller",
        "full_name": "José Müller",
        "phone": "+49 30 901820",
        "postcode": "10115",
        "city": "Berlin",
    },
    {
        "locale": "en_US",
        "first_name": "Zoë",
        "last_name": "Ångström",
        "full_name": "Zoë Ångström",
        "postcode": "SW1A 1AA",
        "city": "London",
        "phone": "+44 20 7946 0958",
    },
    {"locale": "ja_JP", "first_name": "太郎", "last_name": "山田", "full_name": "山田 太郎"},
    {
        "locale": "pt_BR",
        "first_name": "Ólafur",
        "last_name": "Þórsson",
        "full_name": "Ólafur Þórsson",
        "phone": "+55 (12) 3923-5555",
    },
    {
        "locale": "fr_FR",
        "first_name": "Émilie",
        "last_name": "Tremblay",
        "full_name": "Émilie Tremblay",
        "postcode": "H2G 1A7",
        "city": "Montréal",
        "phone": "(555) 010-4477 x12",
    },
    {"locale": "en_US", "first_name": "Jane", "last_name": "Doe", "email": "jane.doe@"},
    {"locale": "en_US", "first_name": "John", "last_name": "Smith", "email": "JOHN@EXAMPLE"},
    {"locale": "en_US", "full_name": None, "email": "no-at-sign"},
    # Unique in SQL (case-sensitive) but the same mailbox: a classic legacy-signup duplicate.
    {
        "locale": "pt_BR",
        "first_name": "Maria",
        "last_name": "Silva",
        "email": "maria.silva@example.com",
    },
    {
        "locale": "pt_BR",
        "first_name": "Maria",
        "last_name": "Silva",
        "email": "Maria.Silva@Example.com",
    },
)
