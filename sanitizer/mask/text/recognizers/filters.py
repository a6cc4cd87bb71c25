"""Post-filters over Presidio's results for its known false positives.

Each filter is a pure function ``(results, text) -> kept results`` (``RecognizerResult`` lists,
order kept, inputs never mutated); ``apply_all`` runs them all. They drop findings and never
add one.

- ``drop_numbers_in_ids``: spaCy's DATE_TIME and the NHS / US bank / US driver-licence
  recognizers tag bare numbers: the digits of 'INV-2024-000123', 'order #558231', '$1,249.50'.
  Such a finding is dropped when the number is part of an id or an amount. PHONE_NUMBER is
  dropped inside an id ('INV-2024-000123', 'Invoice no. 2024-000981') or when it is a date
  ('05.12.2024': Presidio's phone recognizer takes it for a German number) or starts with one
  ('08.07.2023 14' of '08.07.2023 14:55').
- ``drop_uuid_overlaps``: the UUID recognizer (and number recognizers on UUID pieces) would
  replace keys that must survive; anything overlapping a UUID goes, unless a rule asked for
  UUID findings.
- ``keep_named_organizations``: spaCy's ORG label fires on product names, ticket prefixes,
  amounts, capitalised phrases and foreign words; masking those destroys the text for little
  privacy gain. An organisation is kept as a finding when it ends in a legal form or an
  institution word ('Caladrius Biosciences Inc.', 'Forterra PLC', 'Mercy Hospital') or
  ``quasi_cued`` found it (a legal form, an employment cue); or when spaCy found it in an
  English sentence and it carries a name of its own, not only ordinary English words
  ('Abengoa', 'Eurobank'; not 'Slack', 'CSV', 'ValidationError'), without the ordinary words
  it starts with ('The' of 'The Eurobank office') — the one change of span here besides
  ``mend_cut_urls`` and ``trim_ner_spans``. An employer or a bank narrows a person down. A
  rule that names ``ORGANIZATION`` itself keeps every organisation spaCy finds.
- ``keep_dated``: spaCy's DATE and TIME labels fire on 'yesterday', 'two weeks' (nothing
  personal), on ids ('SR-2019-80123', 'fattura 2019/6860', '110-9701501-2566046') and on
  house numbers. A date or time is kept as a finding when it has a digit and no id shape —
  a bare number only when it is a year — or when it is a weekday or month name alone. A
  DATE spaCy gives an age ('45 years old', 'the age of 45', '45 years', or a number alone, 1
  to 120, outside an id or amount: 'John Smith, 45, was …') becomes an AGE.
- ``drop_implausible_ner``: spaCy's PERSON / LOCATION / NRP on spans that cannot be one: no
  letters ('03/04/2024'), an id ('INV-00391'), a group with digits ('ref INV-960889'); and
  any NRP finding that is a label ('wrote in Japanese: …').
- ``drop_version_ips``: '10.4.3.2' after 'version', 'v', 'build' or 'release' is not an IP.
- ``mend_cut_urls``: Presidio's URL pattern can stop inside a word, at a shorter top-level
  domain ('hernandez.bi' of 'hernandez.biz', 'Univ.Pro' of 'Univ.Prof.'). Such a URL runs on to
  the end of its word when that is a domain with a public suffix in lower case
  ('hernandez.biz'), and is dropped when it is not ('Univ.Prof'). Besides ``trim_ner_spans``,
  the one filter that changes a finding's span. A legal form read as a host ('co.ltd':
  '.ltd' is a top-level domain) is dropped.
- ``trim_ner_spans``: spaCy runs names into the next line or into what follows ('Noah
  Williams\n+49', 'Stefan (L2'); being longest, that span wins over the phone number or the
  name recognizer's exact span, and the rest leaks. The span is cut at the line break (PERSON
  also at a digit, bracket or '@'); a span cut at a digit, bracket or '@' with no capital
  letter left ('amount 1,234,567.00', 'icon@2x.png') is dropped. The one filter that shortens
  findings.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import regex as re
from presidio_analyzer import RecognizerResult

from sanitizer.mask.text.calendar_names import calendar_names
from sanitizer.mask.text.recognizers.lexicon import UNSPACED, name_lists
from sanitizer.mask.text.recognizers.phone_cued import LABEL_AFTER
from sanitizer.mask.text.sentences import in_another_language

NUMERIC_NOISE = frozenset(
    {"DATE_TIME", "NHS", "UK_NHS", "US_BANK_NUMBER", "US_DRIVER_LICENSE", "US_ITIN"}
)
ID_WORDS = (
    r"order|ord|ticket|tkt|tck|invoice|inv|case|ref|reference|sku|build|version|ver|batch|lot"
    r"|serial|tracking|transaction|txn|receipt|request|req|job|incident|issue|pr|po|item"
    r"|product|shipment|parcel|rma|quote|contract|booking|reservation|confirmation|voucher"
    r"|claim"
)  # record words only: 'account number' / 'licence no.' precede real PII
_PLAIN_NUMBER = re.compile(r"[\d][\d \t.,:/\-]*")
_ID_KEYWORD_BEFORE = re.compile(
    rf"(?i:\b(?:{ID_WORDS})\b\.?)[ \t]*(?:#|:|(?i:no|nr|number|id)\.?)?[ \t]*$"
)
_ID_GLUE_BEFORE = re.compile(r"[A-Za-z][A-Za-z0-9]*[\-_/#][A-Za-z0-9\-_/#]*$")
_ID_GLUE_AFTER = re.compile(r"^[\-_/#][A-Za-z0-9]*[A-Za-z]")
# a currency code is a word of its own: 'Auteur 1980…' and '12345 Europe' hold no 'EUR'
_CODES = r"(?i:usd|eur|gbp|brl|chf|cad|aud|jpy|inr|mxn|pln|sek|nok|dkk)"
_CURRENCY = rf"(?:[$€£¥₹]|R\$|(?<![^\W\d_]){_CODES}(?![^\W\d_]))"
_AMOUNT_BEFORE = re.compile(rf"{_CURRENCY}[ \t]?$")
_AMOUNT_AFTER = re.compile(rf"^[ \t]?(?:{_CURRENCY}|%|(?i:dollars?|euros?|reais|pounds?|cents?)\b)")
_AMOUNT_SHAPE = re.compile(r"^\d{1,3}(?:[,.]\d{3})+(?:[.,]\d{1,2})?$|^\d+[.,]\d{2}$")
UUID = re.compile(
    r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-"
    r"[0-9A-Fa-f]{12}(?![0-9A-Fa-f])"
)
_VERSION_BEFORE = re.compile(
    r"(?i:\b(?:version|ver|v|build|release|firmware|fw|rev|revision)\.?[ \t:]*)$"
)
_DATE_SHAPE = re.compile(
    r"^(?:\d{1,2}([./\-])\d{1,2}\1(?:\d{2}|\d{4})|\d{4}([./\-])\d{1,2}\2\d{1,2})$"
)
# a date with a four-digit year at the start of a longer span: '08.07.2023 14' (of '… 14:55')
_DATE_FIRST = re.compile(r"^(?:\d{1,2}([./\-])\d{1,2}\1\d{4}|\d{4}([./\-])\d{1,2}\2\d{1,2})(?!\d)")
_ID_SHAPE = re.compile(r"^[A-Z]{1,6}[\-_#]?\d[\w\-]*$")
NER_RECOGNIZERS = frozenset({"SpacyRecognizer", "StanzaRecognizer", "TransformersRecognizer"})
NER_ENTITIES = frozenset({"PERSON", "LOCATION", "NRP"})
# legal forms (many countries') and institution words an organisation's name ends in
ORGANIZATION_ENDS = (
    r"inc|incorporated|corp|corporation|co|company|ltd|limited|llc|llp|lp|plc|pllc|gmbh|ag|kg"
    r"|se|sa|sas|sarl|srl|spa|s\.?p\.?a|s\.?a|s\.?r\.?l|bv|b\.?v|nv|n\.?v|oy|oyj|ab|as|asa|a/s"
    r"|aps|kft|zrt|sp\. z o\.o|s\.?a\.?s|pty|pvt|bhd|sdn bhd|kk|k\.?k|group|holdings?|partners"
    r"|associates|industries|enterprises|ventures|capital|fund|trust|bank|bancorp|insurance"
    r"|university|college|institute|school|academy|hospital|clinic|foundation|association"
    r"|society|council|ministry|agency|authority|church|labs?|technologies|biosciences"
    r"|pharmaceuticals|therapeutics|systems|solutions|acquisition|investments?|shrs"
)
_ORGANIZATION_END = re.compile(rf"(?i)\b(?:{ORGANIZATION_ENDS})\.?[\W]*$")
MAX_AGE = 120  # a bare number above this is no age
_YEAR = re.compile(r"1[89]\d\d|20\d\d")
_FRACTION = re.compile(r"(?<=:\d\d)[.,]\d{1,9}")  # fractions of a second: '49.584830'
# five digits in a row, a year glued to a 3+ digit number, letters glued to digits
_DATE_ID_SHAPE = re.compile(r"\d{5,}|\d{4}[/\-]\d{3,}|\d{3,}[/\-]\d{4}|[A-SU-Za-z][\-_#]?\d")
_LINE_CUT = re.compile(r"[\r\n]")
_LEGAL_FORM_HOST = re.compile(r"(?i)co\.[ \t]?ltd\.?|pte\.ltd\.?|pty\.ltd\.?")
_BREAK = re.compile(r"[\r\n]|\\[ntr]")  # a line break, real or a literal escape
_PERSON_CUT = re.compile(r"[\r\n\d@(\[{<#/|]")
# a colon that ends a label: before a space, a literal escape or the end of the text
_LABEL_COLON = re.compile(r":(?=\s|\\[ntr]|$)")


def _span(text: str, r: RecognizerResult) -> str:
    return text[r.start : r.end]


def _recognizer(r: RecognizerResult) -> str:
    return (r.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY, "")


def in_identifier(text: str, start: int, end: int) -> bool:
    """The digits at ``start:end`` are glued to letters by '-', '_', '/' or '#'
    ('INV-2024-000123', 'TCK_88123', 'A12/3344-B') — a phone label glued after the number
    ('444 14 907-Office', '… -Fax') is no id."""
    before = text[max(0, start - 24) : start]
    after = text[end : end + 24]
    glued_after = _ID_GLUE_AFTER.search(after) and not LABEL_AFTER.match(after)
    return bool(_ID_GLUE_BEFORE.search(before) or glued_after)


def after_id_keyword(text: str, start: int) -> bool:
    """'order #558231', 'Ticket: 4412', 'case no. 123' — the number names a record."""
    return bool(_ID_KEYWORD_BEFORE.search(text[max(0, start - 24) : start]))


def is_amount(text: str, start: int, end: int) -> bool:
    """'$1,249.50', '4,500.00 USD', '1.234,56 EUR', '12.5%'."""
    span = text[start:end].strip()
    return bool(
        _AMOUNT_BEFORE.search(text[max(0, start - 5) : start])
        or _AMOUNT_AFTER.search(text[end : end + 10])
        or _AMOUNT_SHAPE.match(span)
    )


def names_a_record_or_amount(text: str, start: int, end: int) -> bool:
    """The number at ``start:end`` is part of an id, follows an id keyword or is an amount."""
    return (
        in_identifier(text, start, end)
        or after_id_keyword(text, start)
        or is_amount(text, start, end)
    )


def drop_numbers_in_ids(results: Sequence[RecognizerResult], text: str) -> list:
    kept = []
    for r in results:
        span = _span(text, r)
        plain = _PLAIN_NUMBER.fullmatch(span) is not None
        if (
            plain
            and r.entity_type in NUMERIC_NOISE
            and names_a_record_or_amount(text, r.start, r.end)
        ):
            continue
        if (
            plain
            and r.entity_type == "PHONE_NUMBER"
            and (
                in_identifier(text, r.start, r.end)
                or after_id_keyword(text, r.start)
                or _DATE_SHAPE.match(span)
                or _DATE_FIRST.match(span)
            )
        ):
            continue
        kept.append(r)
    return kept


def drop_uuid_overlaps(
    results: Sequence[RecognizerResult], text: str, requested: Collection[str] = ()
) -> list:
    """Drop findings overlapping a UUID, except UUID findings when ``requested`` has 'UUID'."""
    uuids = [m.span() for m in UUID.finditer(text)]
    if not uuids:
        return list(results)
    keep_uuid = "UUID" in requested
    return [
        r
        for r in results
        if (keep_uuid and r.entity_type == "UUID")
        or not any(r.start < end and r.end > start for start, end in uuids)
    ]


def keep_named_organizations(results: Sequence[RecognizerResult], text: str) -> list:
    """Organisations named by a legal form or an employment cue, and the ones spaCy found
    that carry a name of their own (:func:`_own_name`); spaCy's other organisations (product
    names, teams, word salad) stay as they are written."""
    named = [
        r
        for r in results
        if r.entity_type == "ORGANIZATION"
        and (
            _recognizer(r) == "QuasiCuedRecognizer"  # a legal form or an employment cue
            or _ORGANIZATION_END.search(_span(text, r))
        )
    ]
    persons = [r for r in results if r.entity_type == "PERSON"]
    kept = []
    for r in results:
        if r.entity_type != "ORGANIZATION" or r in named:
            kept.append(r)
        elif not any(r.start <= n.start and n.end <= r.end for n in named):
            # spaCy's longer span around a named one: the named one is the finding
            own = _own_name(_without_lead_words(r, text), text)
            if own is not None and not any(
                p.start <= own.start and own.end <= p.end for p in persons
            ):
                kept.append(own)  # inside a person's name, the person is the finding
    return kept


def _without_lead_words(r: RecognizerResult, text: str) -> RecognizerResult:
    """spaCy's organisation without the ordinary English words it starts with ('Dear Judith
    Rivera', 'Found Loretta Skinner', 'The Eurobank office'); an honorific stays ('Ing.')."""
    common, start = name_lists().common, r.start
    for word in _LEAD_WORD.finditer(text, r.start, r.end):
        if word.start() != start or word.group(1).casefold() not in common:
            break  # not at the span's start, an abbreviation ('Ing.'), or no ordinary word
        start = word.end()
    return r if start == r.start or start >= r.end else _changed(r, start=start)


def _own_name(r: RecognizerResult, text: str) -> RecognizerResult | None:
    """``r`` when it is an organisation spaCy found in an English sentence, named by more
    than ordinary English words: a company's own name ('Abengoa', 'Eurobank', 'Мосмарт'), not
    a product or a team ('Slack', 'Customer Success'). In a sentence of another language the
    English model reads ordinary capitalized words as organisations ('Ferien Zahl',
    'Temporibus'): None, as for a token ('Bearer eyJ…', the secrets'), an acronym ('CSV') or
    a long run of Japanese or Chinese text."""
    span = _span(text, r)
    if _recognizer(r) not in NER_RECOGNIZERS or any(c.isdigit() for c in span):
        return None
    written = _NAME_WORD.findall(_CAMEL_CASE.sub(" ", span))
    if all(len(w) <= MAX_ACRONYM and w.isupper() and w.isascii() for w in written):
        return None  # 'CSV', 'API', 'PDF': formats and products before companies
    words = [w.casefold() for w in written]
    if any(len(w) > MAX_UNSPACED_NAME and UNSPACED.match(w) for w in words):
        return None
    common = name_lists().common  # 'ValidationError' is two words, both ordinary
    if all(w in common for w in words) or in_another_language(text, r.start):
        return None
    return r


def keep_dated(results: Sequence[RecognizerResult], text: str) -> list:
    kept = []
    for r in results:
        if r.entity_type != "DATE_TIME":
            kept.append(r)
            continue
        for i, line in enumerate(_date_lines(text, r)):
            if i == 0 and (_AGE_SPAN.fullmatch(_span(text, line).strip()) or _bare_age(text, line)):
                kept.append(_as_age(line))
            elif _is_date(_span(text, line)) and not in_identifier(text, line.start, line.end):
                kept.append(line)
            elif (named := _calendar_words(text, line)) is not None:
                kept.append(named)
    return kept


_NAME_WORD = re.compile(r"[^\W\d_]+")
_CAMEL_CASE = re.compile(r"(?<=\p{Ll})(?=\p{Lu})")
_LEAD_WORD = re.compile(r"([^\W\d_]+)[ \t]+")  # a word and the blanks after it
MAX_UNSPACED_NAME = 12  # characters: 'アルプス・カワムラ' 9, '대한방직' 4
MAX_ACRONYM = 4  # letters of an all-capitals word read as an acronym ('CSV', 'JSON')


def _calendar_words(text: str, r: RecognizerResult) -> RecognizerResult | None:
    """The weekday or month names of a DATE or TIME span without digits, from the first to
    the last: spaCy's 'Monday night', 'last Friday', 'every Sunday morning' (a TIME that
    raw Presidio masks whole) keep the name a person's day is known by, not the words."""
    span = _span(text, r)
    if any(c.isdigit() for c in span):
        return None
    names = [m for m in _NAME_WORD.finditer(span) if m.group().casefold() in calendar_names()]
    if not names:
        return None
    return _changed(r, start=r.start + names[0].start(), end=r.start + names[-1].end())


# spaCy's DATE for an age: '45 years old', '45-year-old', 'the age of 45', '45 years'
_AGE_SPAN = re.compile(
    r"(?i:(?:the[ \t]+)?age[ \t]+of[ \t]+|aged?[ \t]+)\d{1,3}"
    r"(?:[ \t\-]+(?i:years?|yrs?)(?:[ \t\-]+(?i:old))?)?"
    r"|\d{1,3}[ \t\-]+(?i:years?|yrs?)(?:[ \t\-]+(?i:old|of[ \t]+age))?"
)


def _date_lines(text: str, r: RecognizerResult) -> list[RecognizerResult]:
    """The lines of a DATE span that crosses a line break or a literal escape, each trimmed:
    those that hold a digit or a calendar name. spaCy runs '1981.\\n3' of 'in 1981.\\n3...
    2...' together (the id shape of 'n3' would drop the year with it), 'yet?\\nOn 1989-11-19
    13:37' the other way (the date is after the break), and 'in 1986.\\nOn 2018-10-01 06:16'
    over two dates. Only the first such line may be an age (a '3' after a break is a list's
    number); the later ones are kept only as dates (``keep_dated``)."""
    span = _span(text, r)
    if _BREAK.search(span) is None:
        return [r]
    lines, start = [], 0
    for cut in [*_BREAK.finditer(span), None]:
        end = cut.start() if cut else len(span)
        line = span[start:end]
        if any(c.isdigit() for c in line) or _names_calendar(line):
            lead = len(line) - len(line.lstrip(" \t.,;:"))
            kept = line.strip(" \t.,;:")
            at = r.start + start + lead
            lines.append(_changed(r, start=at, end=at + len(kept)))
        start = cut.end() if cut else end
    return lines


def _names_calendar(line: str) -> bool:
    return any(word.casefold() in calendar_names() for word in line.split())


def _bare_age(text: str, r: RecognizerResult) -> bool:
    """A DATE that is a number alone, 1 to 120, outside an id or an amount: spaCy gives DATE
    to the age in 'John Smith, 45, was …' or 'she is 32' (raw Presidio masks it as a date)."""
    span = _span(text, r).strip()
    return (
        span.isdigit()
        and len(span) <= 3
        and 0 < int(span) <= MAX_AGE
        and not names_a_record_or_amount(text, r.start, r.end)
    )


def _as_age(r: RecognizerResult) -> RecognizerResult:
    """The same span as an AGE: its number moves by years (quasi_ids.moved_age), not days."""
    return _changed(r, entity="AGE")


def _is_date(span: str) -> bool:
    """A weekday or month alone, or a date with digits and no id shape (see the docstring)."""
    if span.strip().casefold() in calendar_names():  # CLDR's names, English ones too
        return True
    if not any(c.isdigit() for c in span):
        return False
    if span.strip().isdigit():
        return _YEAR.fullmatch(span.strip()) is not None
    return _DATE_ID_SHAPE.search(_FRACTION.sub("", span)) is None


def drop_implausible_ner(results: Sequence[RecognizerResult], text: str) -> list:
    kept = []
    for r in results:
        span = _span(text, r)
        ner = r.entity_type in NER_ENTITIES and _recognizer(r) in NER_RECOGNIZERS
        group_with_digits = r.entity_type == "NRP" and any(c.isdigit() for c in span)
        if ner and (
            not any(c.isalpha() for c in span) or _ID_SHAPE.match(span) or group_with_digits
        ):
            continue
        if r.entity_type == "NRP" and text[r.end : r.end + 1] == ":":
            continue  # a label ('Customer wrote in Japanese: …'), whoever found it
        if ner and _LABEL_COLON.match(text, r.end) and _ordinary_words(span):
            continue  # a label or heading ('Account Holder:', 'Guilty Pleasures: 5 …')
        kept.append(r)
    return kept


def _ordinary_words(span: str) -> bool:
    """Only ordinary English words and no given name: a speaker's label ('William:',
    'Rose Hunter:') is a name; 'Account Holder:' is not."""
    lists = name_lists()
    words = [w.casefold() for w in _NAME_WORD.findall(span)]
    return bool(words) and all(w in lists.common and w not in lists.first for w in words)


def trim_ner_spans(results: Sequence[RecognizerResult], text: str) -> list:
    """Cut spaCy spans at a line break, and PERSON spans at a digit, bracket or '@'
    ('Noah Williams\\n+49' → 'Noah Williams', 'Stefan (L2' → 'Stefan'); a span cut at a
    digit, bracket or '@' with no capital letter left ('amount 1,234,567.00') is dropped."""
    kept = []
    for r in results:
        span = _span(text, r)
        if r.entity_type not in NER_ENTITIES or _recognizer(r) not in NER_RECOGNIZERS:
            kept.append(r)
            continue
        cut = _PERSON_CUT if r.entity_type == "PERSON" else _LINE_CUT
        match = cut.search(span)
        if match is None:
            kept.append(r)
            continue
        head = span[: match.start()].rstrip(" \t\r,;:-.'\"")
        at_line_break = span[match.start()] in "\r\n"
        if not any(c.isupper() or (at_line_break and c.isalpha()) for c in head):
            continue
        kept.append(_changed(r, end=r.start + len(head)))
    return kept


def drop_version_ips(results: Sequence[RecognizerResult], text: str) -> list:
    return [
        r
        for r in results
        if r.entity_type != "IP_ADDRESS"
        or not _VERSION_BEFORE.search(text[max(0, r.start - 16) : r.start])
    ]


_WORD_ON = re.compile(r"[\w\-]+")


def mend_cut_urls(results: Sequence[RecognizerResult], text: str) -> list:
    kept = []
    for r in results:
        if r.entity_type == "URL" and _LEGAL_FORM_HOST.fullmatch(_span(text, r)):
            continue  # 'omikenshi co.ltd.': '.ltd' is a top-level domain, 'co.ltd' no host
        if r.entity_type != "URL" or r.end >= len(text) or not text[r.end].isalnum():
            kept.append(r)
            continue
        end = _WORD_ON.match(text, r.end).end()
        if _has_public_suffix(text[r.start : end]):
            kept.append(_changed(r, end=end))
    return kept


def _changed(
    r: RecognizerResult,
    *,
    entity: str | None = None,
    start: int | None = None,
    end: int | None = None,
) -> RecognizerResult:
    """A copy of ``r`` of another entity or span (inputs are never mutated)."""
    return RecognizerResult(
        entity or r.entity_type,
        r.start if start is None else start,
        r.end if end is None else end,
        r.score,
        r.analysis_explanation,
        r.recognition_metadata,
    )


def _has_public_suffix(host: str) -> bool:
    """'hernandez.biz' yes; 'Univ.Prof' no: '.prof' is a top-level domain, but a capitalized
    one after a capitalized word is an abbreviation."""
    from sanitizer.mask.text.offline import offline_extractor

    suffix = offline_extractor()(host).suffix
    return bool(suffix) and not suffix[0].isupper()


def apply_all(
    results: Sequence[RecognizerResult],
    text: str,
    requested: Collection[str] = (),
    every_organization: bool = False,
) -> list:
    """Every filter in turn; ``requested`` is the entity list the rule asked for, and
    ``every_organization`` says it named ``ORGANIZATION`` itself: then every organisation
    spaCy finds is kept, product names included."""
    kept = drop_uuid_overlaps(results, text, requested)
    filters = [keep_dated, drop_numbers_in_ids, drop_implausible_ner, trim_ner_spans]
    if not every_organization:
        filters.insert(0, keep_named_organizations)
    for keep in (*filters, drop_version_ips, mend_cut_urls):
        kept = keep(kept, text)
    return kept
