"""Companies, contacts and newsletter subscriptions: the people every other table refers to."""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from faker import Faker

from sanitizer.demo.generate.draws import Demo
from sanitizer.demo.generate.model import Company, Person, Row, ascii_fold, display_name, ts
from sanitizer.demo.generate.vocabulary import (
    CALLING_CODE,
    CONTACT_STATUS,
    COUNTRY,
    LOCALE_WEIGHTS,
    PLANS,
    SPECIAL_CONTACTS,
    START,
    TAX_ID_PATTERN,
    TLD,
    VAT_PATTERN,
)


def email_for(demo: Demo, first: str, last: str, domain: str, faker: Faker) -> str:
    """A unique address derived from the name, sometimes mixed-case or slightly malformed."""
    a, b = ascii_fold(first), ascii_fold(last)
    if a and b:
        local = demo.pick((f"{a}.{b}", f"{a[0]}{b}", f"{a}_{b}", f"{b}.{a}"))
    else:
        local = faker.user_name()
    email = f"{local}@{domain}"
    while email.lower() in demo.taken_emails:
        email = f"{local}{demo.rng.randint(2, 999)}@{domain}"
    demo.taken_emails.add(email.lower())
    roll = demo.rng.random()
    if roll < 0.04:
        user, _, host = email.partition("@")
        return f"{user.title()}@{host}"  # Jane.Doe@gmail.com
    if roll < 0.05:
        return email.upper()
    if roll < 0.06:
        return demo.pick((email.replace("@", "@@"), email + ".", email.replace("@", " @")))
    return email


def phone_number(demo: Demo, faker: Faker, country: str) -> str:
    """Faker's local format, or the digits-only / E.164 / extension variants CRMs collect."""
    native = faker.phone_number()
    digits = "".join(ch for ch in native.split("x")[0] if ch.isdigit())
    roll = demo.rng.random()
    if roll < 0.1:
        return digits
    if roll < 0.2:
        return f"+{CALLING_CODE[country]}{digits.lstrip('0')}"
    if roll < 0.25:
        return f"{native} ext. {demo.rng.randint(10, 999)}"
    return native


def vat_number(demo: Demo, country: str, faker: Faker, taken: set[str]) -> str:
    vat = faker.bothify(VAT_PATTERN[country], letters=string.ascii_uppercase)
    while vat in taken:
        vat = faker.bothify(VAT_PATTERN[country], letters=string.ascii_uppercase)
    taken.add(vat)
    return vat.lower() if demo.chance(0.05) else vat


def password_hash(demo: Demo) -> str:
    alphabet = "./" + string.ascii_letters + string.digits
    salt = "".join(demo.rng.choices(alphabet, k=22))
    roll = demo.rng.random()
    if roll < 0.8:
        return f"$2b$12${salt}" + "".join(demo.rng.choices(alphabet, k=31))
    if roll < 0.95:
        return f"$argon2id$v=19$m=65536,t=3,p=4${salt}$" + "".join(demo.rng.choices(alphabet, k=43))
    return "".join(demo.rng.choices("0123456789abcdef", k=32))  # legacy unsalted md5


def companies_rows(demo: Demo) -> list[Row]:
    rows: list[Row] = []
    vats: set[str] = set()
    for cid in range(1, demo.count("companies") + 1):
        locale = demo.weighted(LOCALE_WEIGHTS)
        faker = demo.fakers[locale]
        country = COUNTRY[locale]
        if locale == "en_US" and demo.chance(0.25):
            country = demo.pick(("GB", "CA"))
        name = faker.company()
        slug = ascii_fold(name.split()[0].split("-")[0])
        domain = f"{slug}.{TLD[country]}" if slug else faker.domain_name()
        demo.companies.append(Company(cid, locale, country, domain))
        vat = vat_number(demo, country, faker, vats) if demo.chance(0.75) else None
        rows.append(
            (
                cid,
                name,
                None if demo.chance(0.08) else domain,
                vat,
                None if demo.chance(0.03) else country,
                demo.weighted(PLANS),
                ts(demo.moment(START, datetime(2024, 12, 31))),
            )
        )
    return rows


def contacts_rows(demo: Demo) -> list[Row]:
    n = demo.count("contacts")
    slots = demo.rng.sample(range(1, n + 1), len(SPECIAL_CONTACTS))
    specials = dict(zip(slots, SPECIAL_CONTACTS, strict=True))
    return [contact_row(demo, cid, specials.get(cid, {})) for cid in range(1, n + 1)]


@dataclass(frozen=True)
class _Draft:
    """A contact's true values, before production's mess is applied to what is stored."""

    company: Company | None
    locale: str
    first: str
    last: str
    full: str
    email: str
    phone: str
    address: str


def contact_row(demo: Demo, cid: int, special: dict[str, Any]) -> Row:
    """One contact; `special` pins hand-picked values and keeps them from being blanked."""
    draft = _draft_contact(demo, special)
    values = _stored_values(demo, draft, special)
    person = Person(
        cid,
        draft.company.id if draft.company else None,
        draft.email,
        draft.first,
        draft.last,
        values["full_name"] or draft.full,
        draft.phone,
        draft.address,
        draft.locale,
    )
    demo.people.append(person)
    return _contact_record(demo, person, values)


def _draft_contact(demo: Demo, special: dict[str, Any]) -> _Draft:
    company = demo.pick(demo.companies) if demo.chance(0.8) else None
    locale = special.get("locale") or (
        company.locale if company and demo.chance(0.85) else demo.weighted(LOCALE_WEIGHTS)
    )
    faker = demo.fakers[locale]
    first, last, full = _contact_name(demo, special, faker, locale)
    domain = company.mail_domain if company and demo.chance(0.6) else faker.free_email_domain()
    email = special.get("email") or email_for(demo, first, last, domain, faker)
    shared_phone = demo.pick(demo.people).phone if demo.people and demo.chance(0.03) else None
    phone = shared_phone or phone_number(demo, faker, COUNTRY[locale])
    return _Draft(company, locale, first, last, full, email, phone, faker.address())


def _contact_name(
    demo: Demo, special: dict[str, Any], faker: Faker, locale: str
) -> tuple[str, str, str]:
    """(first, last, full); now and then a namesake of an earlier contact (a twin)."""
    twin = demo.pick(demo.people) if demo.people and not special and demo.chance(0.03) else None
    # the faker draws happen even when `special` pins the name, keeping later draws in step
    first = special.get("first_name", twin.first if twin else faker.first_name())
    last = special.get("last_name", twin.last if twin else faker.last_name())
    full = twin.name if twin else display_name(first, last, locale)
    return first, last, full


def _stored_values(demo: Demo, draft: _Draft, special: dict[str, Any]) -> dict[str, Any]:
    """The contact's optional columns as stored: special values as given, others messed up."""
    faker = demo.fakers[draft.locale]

    def messy(key: str, value: Any, **rates: float) -> Any:
        return special[key] if key in special else demo.blankish(value, **rates)

    return {
        "full_name": messy("full_name", draft.full, null=0.04, empty=0.01, blank=0),
        "first_name": messy("first_name", draft.first, null=0.03, empty=0.01, blank=0),
        "last_name": messy("last_name", draft.last, null=0.03, empty=0.01, blank=0),
        "phone": messy("phone", draft.phone, null=0.06, empty=0.03, blank=0.01),
        "address": messy("address", draft.address, null=0.05, empty=0.02, blank=0.01),
        "city": messy("city", faker.city(), null=0.05, empty=0.02, blank=0.01),
        "postcode": messy("postcode", faker.postcode(), null=0.05, empty=0.02, blank=0),
    }


def _contact_record(demo: Demo, person: Person, values: dict[str, Any]) -> Row:
    """The contacts row: stored values plus the columns no other table refers to."""
    cid, faker = person.id, demo.fakers[person.locale]
    created = demo.moment()
    birth = None if demo.chance(0.15) else demo.day(date(1940, 1, 1), date(2006, 1, 1))
    tax_id = demo.blankish(
        faker.bothify(TAX_ID_PATTERN[person.locale], letters=string.ascii_uppercase), null=0.3
    )
    referred_by = demo.rng.randint(1, cid - 1) if cid > 1 and demo.chance(0.1) else None
    return (
        cid,
        person.company_id,
        person.email,
        values["full_name"],
        values["first_name"],
        values["last_name"],
        values["phone"],
        values["address"],
        values["city"],
        values["postcode"],
        birth.isoformat() if birth else None,
        tax_id,
        password_hash(demo),
        profile(demo, person, values),
        referred_by,
        demo.weighted(CONTACT_STATUS),
        ts(created),
    )


def profile(demo: Demo, person: Person, values: dict[str, Any]) -> str | None:
    """The user-editable profile JSON: contact details, a bio naming the person, links."""
    roll = demo.rng.random()
    if roll < 0.1:
        return None
    if roll < 0.13:
        return "{}"
    city = values["city"] or "somewhere"
    if person.locale == "ja_JP":
        bio = f"{person.last}です。{city}在住。連絡先: {person.email}"
    else:
        bio = f"Hi, I'm {person.name} from {city}. " + demo.fakers[person.locale].sentence()
    handle = ascii_fold(person.first + person.last) or demo.fakers[person.locale].user_name()
    social = [{"url": f"https://www.linkedin.com/in/{handle}"}]
    if demo.chance(0.4):
        social.append({"url": f"https://x.com/{handle}{demo.rng.randint(1, 99)}"})
    document = {
        "contact": {"email": person.email, "phone": values["phone"]},
        "bio": bio,
        "prefs": {
            "language": person.locale[:2],
            "newsletter": demo.chance(0.4),
            "timezone": demo.pick(("UTC", "Europe/Berlin", "Asia/Tokyo", "America/Sao_Paulo")),
        },
        "social": social,
    }
    return json.dumps(document, ensure_ascii=False)


def newsletter_rows(demo: Demo) -> list[Row]:
    chosen = demo.rng.sample(demo.people, len(demo.people) // 3)
    return [
        (
            p.email,
            None if demo.chance(0.1) else ts(demo.moment()),
            demo.pick(("footer", "checkout", "import_2019", "webinar", "", None)),
        )
        for p in chosen
    ]
