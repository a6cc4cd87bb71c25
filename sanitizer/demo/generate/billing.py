"""Invoices, their lines, refunds and payment methods."""

from __future__ import annotations

from datetime import date, timedelta

from sanitizer.demo.generate.draws import Demo
from sanitizer.demo.generate.model import Company, Person, Row, luhn_complete, ts
from sanitizer.demo.generate.texts import LINE_ITEMS, REFUND_REASONS
from sanitizer.demo.generate.vocabulary import CURRENCY, INVOICE_STATUS


def card_number(demo: Demo) -> str:
    """Luhn-valid numbers in the formats people type, plus some that are plain broken."""
    prefix, length = demo.pick((("4", 16), ("5", 16), ("37", 15), ("6011", 16)))
    body = "".join(str(demo.rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    digits = luhn_complete(prefix + body)
    groups = [digits[i : i + 4] for i in range(0, len(digits), 4)]
    roll = demo.rng.random()
    if roll < 0.4:
        return " ".join(groups)
    if roll < 0.65:
        return "-".join(groups)
    if roll < 0.92:
        return digits
    return demo.pick(
        (
            " ".join(groups[:3]),
            "*" * 12 + digits[-4:],
            f"xxxx-xxxx-xxxx-{digits[-4:]}",
            "see notes",
            digits + "0",
        )
    )


def invoice_rows(demo: Demo) -> tuple[list[Row], list[Row]]:
    """(invoices, invoice_lines); each invoice's number is kept for later references."""
    invoices: list[Row] = []
    lines: list[Row] = []
    staff_of = {c.id: [p for p in demo.people if p.company_id == c.id] for c in demo.companies}
    for iid in range(1, demo.count("invoices") + 1):
        invoice, items = _invoice(demo, iid, staff_of)
        invoices.append(invoice)
        lines += items
    return invoices, lines


def _invoice(demo: Demo, iid: int, staff_of: dict[int, list[Person]]) -> tuple[Row, list[Row]]:
    company = demo.pick(demo.companies)
    issued = demo.day(date(2019, 1, 1), date(2025, 6, 1))
    number = f"inv-{issued.year}-{iid}" if demo.chance(0.02) else f"INV-{issued.year}-{iid:06d}"
    demo.invoice_numbers.append(number)
    items, amount = invoice_lines(demo, iid, issued)
    status = demo.weighted(INVOICE_STATUS)
    billing = _billing_email(demo, company, staff_of[company.id])
    address = demo.fakers[company.locale].address()
    due = None if status == "draft" else issued + timedelta(days=demo.pick((14, 30, 45)))
    invoice = (
        iid,
        company.id,
        number,
        amount,
        CURRENCY[company.country],
        status,
        demo.blankish(billing, null=0.05, empty=0.05, blank=0),
        demo.blankish(address, null=0.1, empty=0.05, blank=0),
        issued.isoformat(),
        due.isoformat() if due else None,
    )
    return invoice, items


def _billing_email(demo: Demo, company: Company, contacts: list[Person]) -> str:
    """Mostly one of the company's contacts, else its generic billing mailbox."""
    if contacts and demo.chance(0.7):
        return demo.pick(contacts).email
    return f"billing@{company.mail_domain}"


def invoice_lines(demo: Demo, invoice_id: int, issued: date) -> tuple[list[Row], float]:
    """Lines and their total, redrawn in the rare case the total is whole (see money)."""
    while True:
        count = demo.rng.randint(1, 4)
        items = [invoice_line(demo, invoice_id, n, issued) for n in range(1, count + 1)]
        total = round(sum(qty * price for *_, qty, price in items), 2)
        if total != int(total):
            return items, total


def invoice_line(demo: Demo, invoice_id: int, line_no: int, issued: date) -> Row:
    if demo.chance(0.03):
        person = demo.pick(demo.people)
        description = f"Custom onboarding for {person.name} ({person.email})"
    else:
        description = demo.pick(LINE_ITEMS).format(
            plan=demo.pick(("Pro", "Enterprise")),
            n=demo.rng.randint(10, 900),
            month=issued.strftime("%B %Y"),
        )
    credit = description.startswith("Credit")
    price = demo.money(5, 900) * (-1 if credit else 1)
    return (invoice_id, line_no, description, demo.rng.randint(1, 50), price)


def refund_rows(demo: Demo, lines: list[Row]) -> list[Row]:
    chargeable = [line for line in lines if line[4] > 0]
    chosen = sorted(demo.rng.sample(chargeable, len(chargeable) // 14))
    rows: list[Row] = []
    for rid, (invoice_id, line_no, _, qty, price) in enumerate(chosen, start=1):
        person = demo.pick(demo.people)
        reason = demo.pick(REFUND_REASONS).format(
            name=person.name, email=person.email, agent=demo.pick(demo.staff)[0]
        )
        total = round(qty * price, 2)
        full = total != int(total) and demo.chance(0.5)
        amount = total if full else demo.money(1, total)
        rows.append((rid, invoice_id, line_no, amount, demo.blankish(reason, empty=0)))
    return rows


def payment_rows(demo: Demo) -> list[Row]:
    rows: list[Row] = []
    for pid in range(1, demo.count("payment_methods") + 1):
        person = demo.pick(demo.people)
        holder = _card_holder(demo, person)
        expiry = _expiry(demo)
        rows.append(
            (
                pid,
                person.id,
                card_number(demo),
                holder,
                expiry,
                iban_for(demo, person),
                ts(demo.moment()),
            )
        )
    return rows


def _card_holder(demo: Demo, person: Person) -> str | None:
    """Usually the contact's name as printed on the card; sometimes someone else's, or none."""
    return demo.weighted(
        (
            (person.name, 70),
            (person.name.upper(), 15),
            (demo.pick(demo.people).name, 5),
            (None, 5),
            ("", 5),
        )
    )


def _expiry(demo: Demo) -> str | None:
    """MM/YY mostly, MM/YYYY sometimes, and the odd blank."""
    month, year = demo.rng.randint(1, 12), demo.rng.randint(2019, 2031)
    return demo.weighted(
        (
            (f"{month:02d}/{year % 100:02d}", 70),
            (f"{month:02d}/{year}", 20),
            ("", 5),
            (None, 5),
        )
    )


def iban_for(demo: Demo, person: Person) -> str | None:
    if person.locale not in ("de_DE", "fr_FR", "pt_BR") or demo.chance(0.4):
        return None
    iban = demo.fakers[person.locale].iban()
    if demo.chance(0.3):
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return iban
