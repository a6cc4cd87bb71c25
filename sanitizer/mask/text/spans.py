"""Structure-preserving spans: a finding is cut at the text's separators before it is replaced.

Recognizers read characters, not layout. To spaCy's tokenizer a literal ``\\n`` (backslash and
``n``, as JSON and CSV exports write a line break) is no whitespace, so ``Eduard Kvarda\\nPhone:``
becomes one PERSON; an email pattern starts at the ``n`` of ``E-mail:\\nCinzia@…``; a name runs
into ``</b>``. Replacing such a span swallows the line break and the next field's label.

So every finding is cut at the separators of the original text — line breaks and tabs, literal
``\\n`` ``\\t`` ``\\r`` escapes, markup (``<b>``, ``</p>``, ``<br/>``, ``&nbsp;``, ``**``), and
field labels (``Phone:``, ``E-mail:``; any ``word:`` is cut at its colon) — and only the
pieces that carry the entity are kept: for an email the piece with the ``@``, for a phone or a
card the pieces with digits, for a name or an address the pieces with a word that is not an
ordinary English word (``Eduard Kvarda`` rather than ``Phone`` or ``Support team``).

Precision of the guarantee: a kept piece lies between two separators of the original text and
never overlaps one, so after replacement every separator and label is where it was, byte for
byte — whatever the recognizers, the merging of adjacent findings or the known values did.
A colon is not a cut in a URL (``https://``) or an IP address (``fe80::1``).
"""

from __future__ import annotations

import copy
import dataclasses
import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import TypeVar

# Field labels, kept whole before their colon (any other word keeps only its colon). English
# plus the common labels of the languages Faker and the name lists cover; compared case-folded,
# with `-`, `_` and `.` as spaces ("E-mail", "first_name", "Tel.").
LABELS = frozenset(
    line.strip()
    for line in """
    name
    first name
    last name
    full name
    given name
    family name
    middle name
    maiden name
    nick name
    nickname
    display name
    user name
    username
    customer name
    contact name
    account name
    holder name
    company name
    surname
    login
    user
    customer
    client
    contact
    patient
    employee
    agent
    bot
    assistant
    system
    operator
    support
    sender
    recipient
    from
    to
    cc
    bcc
    reply to
    subject
    date
    time
    dob
    date of birth
    birth date
    birthdate
    birthday
    age
    gender
    sex
    nationality
    religion
    phone
    phone number
    phone no
    phone nr
    telephone
    telephone number
    tel
    tel no
    tel nr
    mobile
    mobile number
    mobile phone
    mobile no
    cell
    cell phone
    cellphone
    cell number
    fax
    fax number
    fax no
    desk
    office
    home
    work
    landline
    whatsapp
    e mail
    email
    e mail address
    email address
    mail
    website
    web
    url
    homepage
    address
    home address
    street address
    postal address
    mailing address
    billing address
    shipping address
    addr
    street
    city
    town
    state
    province
    region
    county
    country
    zip
    zip code
    zipcode
    postcode
    post code
    postal code
    po box
    company
    organization
    organisation
    employer
    job
    job title
    title
    position
    occupation
    department
    ssn
    social security
    social security number
    passport
    passport number
    license
    licence
    driver license
    drivers license
    driver's license
    card
    card number
    credit card
    iban
    swift
    bic
    account
    account number
    bank
    id
    ip
    ip address
    personal info
    personal information
    contact info
    contact information
    detail
    details
    note
    notes
    comment
    comments
    message
    description
    ref
    reference
    nombre
    apellido
    apellidos
    teléfono
    telefono
    móvil
    movil
    correo
    dirección
    direccion
    ciudad
    país
    pais
    código postal
    codigo postal
    fecha
    vorname
    nachname
    telefon
    handy
    adresse
    anschrift
    straße
    strasse
    stadt
    plz
    firma
    geburtsdatum
    prénom
    prenom
    nom
    téléphone
    telephone
    ville
    pays
    code postal
    imię
    imie
    nazwisko
    adres
    miasto
    kraj
    kod pocztowy
    nome
    cognome
    indirizzo
    città
    citta
    morada
    endereço
    endereco
    cidade
    apelido
    電話
    電話番号
    住所
    氏名
    名前
    メール
    """.strip().splitlines()
)
LABEL_WORDS = 4  # the most words a label has
UNSPACED_LABELS = tuple(sorted((w for w in LABELS if w[0] >= "\u3000"), key=len, reverse=True))
HTML_TAGS = (
    r"a|abbr|b|blockquote|body|br|button|caption|center|code|dd|del|div|dl|dt|em|font|footer|"
    r"form|h[1-6]|head|header|hr|html|i|img|input|ins|label|li|link|mark|meta|nav|ol|option|"
    r"p|pre|q|s|section|select|small|span|strike|strong|sub|sup|table|tbody|td|textarea|tfoot|"
    r"th|thead|title|tr|tt|u|ul"
)
# Where a finding must end: each alternative is one separator, matched on the whole text.
SEPARATOR = re.compile(
    r"\r\n|[\n\r\t\v\f\x1c-\x1e\x85\u2028\u2029]"  # real line breaks and tabs
    r"|\\+[nrt]"  # literal escapes, as JSON and CSV exports write them
    r"|<!--|-->"
    r"|&(?:[A-Za-z][A-Za-z0-9]{1,9}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"  # &nbsp; &#39;
    r"|\*\*|~~|`+"  # markdown bold, strike-through and code (not `__`: in identifiers)
    r"|\|"  # a table cell's edge (markdown, exports joined with pipes)
)
# A tag is a separator but for its attributes' values: `<a href="mailto:jane@x.com">` keeps
# the address a finding; `<a`, ` href="` and `">` are cuts.
TAG = re.compile(rf"</?(?:{HTML_TAGS})(?P<attributes>\s[^<>]{{0,500}}?)?\s*/?>", re.IGNORECASE)
ATTRIBUTE = re.compile(r"\s+[\w:-]{1,40}\s*=\s*[\"']?|[\"']?\s*/?>$")
# A colon after a word (`William:`, `Tel.:`, `Tel:+49`), not a URL's `https://`; when the
# words before it are one of the LABELS, they are part of the separator.
COLON = re.compile(r"(?<=[^\W\d_])\.?[ \t]*[:：](?!//)")
LABEL_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
LABEL_GAP = re.compile(r"[ _.\-]{1,2}")  # between the words of one label
LABEL_REACH = 48  # characters before a colon a label can start
NO_COLON_CUT = frozenset({"URL", "IP_ADDRESS"})
# Never cut: a private key spans lines and is replaced whole (a piece of one is no key).
NO_CUT = frozenset({"SECRET"})
# What a piece must hold to carry its entity: digits for numbers, letters for a name
# (anything else: a digit or a word that is not an ordinary English word).
DIGIT_ENTITIES = frozenset(
    {"PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "US_BANK_NUMBER", "IP_ADDRESS", "IBAN_CODE"}
)
LETTER_ENTITIES = frozenset({"PERSON", "NRP"})
WORD = re.compile(r"[^\W\d_]+")
NONE, WEAK, STRONG = 0, 1, 2  # what a piece carries of its entity

T = TypeVar("T")


def bounded(text: str, findings: Sequence[T]) -> list[T]:
    """The findings cut at the text's separators, keeping the pieces that carry the entity.

    Works on Presidio's results and on :class:`Finding` alike (anything with ``start``,
    ``end`` and ``entity_type`` or ``entity``); order is kept, and pieces never overlap
    more than their finding did.
    """
    if not findings:
        return list(findings)
    cuts, colons = _structure(text)
    out: list[T] = []
    for f in findings:
        entity = _entity(f)
        if entity in NO_CUT:
            out.append(f)
            continue
        found = _overlapping(cuts, f.start, f.end)
        if entity not in NO_COLON_CUT:
            found = _merged(found + _overlapping(colons, f.start, f.end))
        if not found:
            out.append(f)
            continue
        kept = _carrying(text, entity, _pieces(text, f.start, f.end, found))
        if kept == [(f.start, f.end)]:
            out.append(f)
        else:
            out.extend(_moved(f, start, end) for start, end in kept)
    return out


def separators(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of every separator in ``text``, in order, labels with their colon."""
    return _structure(text)[0]


@lru_cache(maxsize=64)
def _structure(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The separators, and the colons after a word that are not part of a known label
    (cut everywhere but in URLs and IP addresses). Cached: a text is cut twice in a row,
    before and after its findings are merged."""
    found = _intervals(SEPARATOR, text)
    colons = []
    for colon in COLON.finditer(text):
        start = _label_start(text, colon.start())
        if start is None:
            colons.append(colon.span())
        else:
            found.append((start, colon.end()))
    for tag in TAG.finditer(text):
        attributes = tag.start("attributes")
        if tag.group("attributes") is None:
            found.append(tag.span())
            continue
        found.append((tag.start(), attributes))
        found += [m.span() for m in ATTRIBUTE.finditer(text, attributes, tag.end())]
    return _merged(found), colons


def _label_start(text: str, end: int) -> int | None:
    """Where the longest of the LABELS ending at ``end`` starts (the last words before a
    colon, joined by spaces, hyphens, underscores or dots), or None."""
    window = max(0, end - LABEL_REACH)
    tokens = [m.span() for m in LABEL_TOKEN.finditer(text, window, end)]
    if not tokens or tokens[-1][1] != end:
        return None
    last = text[tokens[-1][0] : end]
    if not last.isascii():  # scripts written without spaces: `お客様の電話番号:`
        suffix = next((label for label in UNSPACED_LABELS if last.endswith(label)), None)
        if suffix:
            return end - len(suffix)
    best = None
    words: list[str] = []
    for i in range(len(tokens) - 1, max(-1, len(tokens) - 1 - LABEL_WORDS), -1):
        start, stop = tokens[i]
        if i < len(tokens) - 1 and not LABEL_GAP.fullmatch(text, stop, tokens[i + 1][0]):
            break
        word = text[start:stop]
        if start and text[start - 1] == "\\" and word[:1] in "nrt":  # `\nPhone:` (an escape)
            start, word = start + 1, word[1:]
        words.insert(0, word.casefold())
        if " ".join(words) in LABELS:
            best = start
        if word != text[tokens[i][0] : stop]:
            break  # an escape comes before: no label reaches further back
    return best


def _intervals(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text) if m.end() > m.start()]


def _merged(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, with overlapping or touching intervals joined."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _overlapping(cuts: Sequence[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The cuts that share a character with [start, end) (``cuts`` sorted and disjoint)."""
    first = bisect_left(cuts, (start, -1))
    if first and cuts[first - 1][1] > start:
        first -= 1
    out = []
    for cut in cuts[first:]:
        if cut[0] >= end:
            break
        if cut[1] > start:
            out.append(cut)
    return out


def _pieces(
    text: str, start: int, end: int, cuts: list[tuple[int, int]]
) -> list[tuple[int, int, bool]]:
    """What is left of [start, end) between the cuts, without edge whitespace, each with
    whether a colon follows it (a label's word, when nothing else says so)."""
    out = []
    position = start
    for cut_start, cut_end in [*cuts, (end, end)]:
        piece_start, piece_end = position, min(cut_start, end)
        while piece_start < piece_end and text[piece_start] in " \t,;":
            piece_start += 1
        while piece_end > piece_start and text[piece_end - 1] in " \t,;":
            piece_end -= 1
        if piece_end > piece_start:
            labelled = cut_start < end and text[cut_start:cut_end].lstrip(" \t")[:1] in (":", "：")
            out.append((piece_start, piece_end, labelled))
        position = max(position, cut_end)
    return out


def _carrying(text: str, entity: str, pieces: list[tuple[int, int, bool]]) -> list[tuple[int, int]]:
    """The pieces that carry the entity best (a label's word or an ordinary word beside a
    name is dropped; two parts of a name cut by a tab are both kept)."""
    levels = [_level(text[s:e], entity, labelled) for s, e, labelled in pieces]
    best = max(levels, default=NONE)
    if best == NONE:
        return []
    return [(s, e) for (s, e, _), level in zip(pieces, levels, strict=True) if level == best]


def _level(piece: str, entity: str, labelled: bool) -> int:
    if entity == "EMAIL_ADDRESS":
        return STRONG if "@" in piece else NONE
    if entity in DIGIT_ENTITIES:
        return STRONG if any(c.isdigit() for c in piece) else NONE
    if entity not in LETTER_ENTITIES and any(c.isdigit() for c in piece):
        return STRONG
    words = WORD.findall(piece)
    if not words:
        return NONE
    ordinary = _ordinary_words()
    if labelled or all(w.casefold() in ordinary for w in words):
        return WEAK
    return STRONG


@cache
def _ordinary_words() -> frozenset[str]:
    from sanitizer.mask.text.recognizers.wordlists import (  # imports Presidio
        EVERYDAY_WORDS,
        FUNCTION_WORDS,
        SUPPORT_WORDS,
    )

    return EVERYDAY_WORDS | SUPPORT_WORDS | FUNCTION_WORDS


def _entity(finding: object) -> str:
    return getattr(finding, "entity_type", None) or finding.entity  # type: ignore[attr-defined]


def _moved(finding: T, start: int, end: int) -> T:
    """A copy of ``finding`` over [start, end) (a frozen dataclass or a Presidio result)."""
    if dataclasses.is_dataclass(finding):
        return dataclasses.replace(finding, start=start, end=end)  # type: ignore[type-var]
    moved = copy.copy(finding)
    moved.start, moved.end = start, end  # type: ignore[attr-defined]
    return moved
