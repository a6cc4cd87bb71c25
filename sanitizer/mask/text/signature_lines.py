"""The lines of a signature or address block between a person's name and the contact lines.

A letter's or an e-mail's signature and a postal address are written the same way everywhere:
the person's name on a line of its own, then their job title and their organisation, then the
street, the phone or the contact labels::

    Horst Léhař              Nolan Nadeau            Brite Hoffstad
    Stomatolog               Opérateur middle office Glamoxa
    Building Audit           Dmailer                 617 Skøyenveien
    Ruská-Nádraží 141        1067 Venelle Guynemer   …
    …                        …

Neither spaCy nor a word list knows most titles and companies ('Building Audit', 'Glamoxa',
'Stomatolog'), but the block's layout names them: a short line (at most six words, no digit,
no label, not a question or a clause) right after a line that is a found person's name, when
the block goes on into a line that starts with what the recognizers read as an address, a
phone, an e-mail or a place, or into a street and house number or a label of contact details
('Personal Info:', 'Phone:'; not 'Name:'); a sentence that names an address later ('I've
updated the address on file to: …') is no contact line, and a second name line ends the
block ('Kind regards' between two names stays). Of two such lines the first is
the title and the second the organisation; one line alone is the organisation before a street
line and the title before anything else. A line already found whole counts as one of the two
and is left as it was. Without the closing contact line nothing is added: 'John Smith\\nSent
from my phone' and a name before a sentence stay as they are (docs/rules.md, "Free text").
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Sequence

import regex as re
from presidio_analyzer import RecognizerResult

from sanitizer.mask.text.spans import LABELS

# Line breaks, real or written as literal escapes (as JSON and CSV exports write them).
LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x85\u2028\u2029]|\\+[nr]")
# A line's content: from its first letter or digit (after bullets: '??? ', '- ') to its end.
CONTENT = re.compile(r"[\p{L}\p{N}](?:.*\S)?")
WORD = re.compile(r"[\p{L}\p{M}]+")
DIGIT = re.compile(r"\d")
# A street line the recognizers missed: a house number before or after a few words.
_STREET_WORDS = r"\p{L}[\p{L}\p{M} .'’\-]{0,50}"
HOUSE_NUMBER = re.compile(
    rf"\d{{1,5}}\p{{Ll}}?[ \t]+{_STREET_WORDS}|{_STREET_WORDS}[ \t]\d{{1,5}}\p{{Ll}}?"
)
# A field label at a line's start, its words compared case-folded with '-', '_', '.' as
# spaces (as spans.LABELS are); only labels of contact details close a block: 'Name:' or
# 'Automatic reply:' starts something else.
LABEL = re.compile(r"([\p{L}][\p{L}\p{M}]*(?:[ _.\-]{1,2}[\p{L}\p{M}]+){0,3})\.?[ \t]*[:：]")
LABEL_GAP = re.compile(r"[ _.\-]+")
CONTACT_LABELS = LABELS & frozenset(
    label.strip()
    for label in """phone|phone number|phone no|phone nr|telephone|telephone number|tel|tel no
    |tel nr|mobile|mobile number|mobile phone|mobile no|cell|cell phone|cellphone|cell number
    |fax|fax number|fax no|desk|office|landline|whatsapp|e mail|email|e mail address
    |email address|mail|website|web|url|homepage|address|home address|street address
    |postal address|mailing address|addr|personal info|personal information|contact info
    |contact information|teléfono|telefono|móvil|movil|correo|dirección|direccion|telefon
    |handy|adresse|anschrift|téléphone|adres|indirizzo|morada|endereço|endereco|電話|電話番号
    |住所|メール""".split("|")
)
MAX_WORDS = 6  # a title or an organisation's name; more is a sentence
MAX_CHARS = 60
MAX_LINES = 2  # a title, then an organisation
MAX_NAME_WORDS = 4
# Findings that mean the block has reached its contact lines.
CONTACT = frozenset(
    {
        "STREET_ADDRESS",
        "LOCATION",
        "PHONE_NUMBER",
        "EMAIL_ADDRESS",
        "URL",
        "DOMAIN_NAME",
        "ZIP_CODE",
        "GPE",
    }
)
STREET = frozenset({"STREET_ADDRESS", "LOCATION"})
NO_LINE = re.compile(r"[\d@:：?!,;=<>{}\[\]#]")  # digits, labels, questions, clauses, markup

Line = tuple[int, int]  # start and end of a line's content


def block_lines(
    text: str, results: Sequence[RecognizerResult], wanted: Collection[str]
) -> list[RecognizerResult]:
    """Findings for the title and organisation lines of each block in ``text`` (only of the
    entities in ``wanted``); ``results`` are the findings so far, left as they are."""
    if "PERSON" not in wanted or not ({"TITLE", "ORGANIZATION"} & set(wanted)) or not results:
        return []
    people = sorted({r.start for r in results if r.entity_type == "PERSON"})
    if not people:
        return []
    breaks = [m.span() for m in LINE_BREAK.finditer(text)]
    if not breaks:
        return []
    lines = _Lines(text, breaks)
    found: list[RecognizerResult] = []
    for index in sorted({bisect_right(lines.starts, p) for p in people}):
        line = lines.content(index)  # only the lines where a name starts are read
        if line is not None and _name_line(text, line, results):
            found += _after_name(text, lines.following(index), results, wanted)
    return found


class _Lines:
    """A text's lines, read only where asked: most texts have no signature."""

    def __init__(self, text: str, breaks: list[tuple[int, int]]) -> None:
        self.text = text
        self.breaks = breaks
        self.starts = [start for start, _ in breaks]

    def content(self, index: int) -> Line | None:
        """(start, end) of line ``index``'s content; None when it has no letter or digit."""
        start = self.breaks[index - 1][1] if index else 0
        end = self.breaks[index][0] if index < len(self.breaks) else len(self.text)
        found = CONTENT.search(self.text, start, end)
        return found.span() if found else None

    def following(self, index: int) -> list[Line]:
        """The next lines with content after line ``index``: as many as a block needs."""
        out: list[Line] = []
        for later in range(index + 1, len(self.breaks) + 1):
            line = self.content(later)
            if line is not None:
                out.append(line)
                if len(out) > MAX_LINES:
                    break
        return out


def _name_line(text: str, line: Line, results: Sequence[RecognizerResult]) -> bool:
    """A line that is a found person's name: found whole, or a short line (two to four words)
    of which every word but one is found ('Valerie Lax', where 'Lax' is an English word)."""
    if _covered(line, results, {"PERSON"}):
        return True
    people = [(r.start, r.end) for r in results if r.entity_type == "PERSON"]
    if not any(line[0] <= s < line[1] for s, _ in people):
        return False
    if NO_LINE.search(text, line[0], line[1]):
        return False
    words = [w.span() for w in WORD.finditer(text, line[0], line[1])]
    missing = [w for w in words if not any(s <= w[0] and w[1] <= e for s, e in people)]
    return 2 <= len(words) <= MAX_NAME_WORDS and len(missing) <= 1


def _after_name(
    text: str, following: Sequence[Line], results: Sequence[RecognizerResult], wanted
) -> list[RecognizerResult]:
    """The block lines after a name line, when a contact line closes them."""
    middle: list[tuple[Line, bool]] = []  # a line, and whether it is found already
    for line in following[: MAX_LINES + 1]:
        if _contact_line(text, line, results):
            street = _starts(line, results, STREET) or _house_number(text, line)
            return _named(text, middle, street, wanted)
        if len(middle) == MAX_LINES:
            return []
        covered = _covered(line, results, None)
        if covered and _covered(line, results, {"PERSON"}):
            return []  # another name: the block, if any, is that name's ('Kind regards')
        if not covered and not _block_line(text[line[0] : line[1]]):
            return []
        middle.append((line, covered))
    return []


def _contact_line(text: str, line: Line, results: Sequence[RecognizerResult]) -> bool:
    """A field label, or a line that starts with an address, phone, e-mail or place found
    whole or with a digit on the line ('Ostbahnbegleitstraße 49'; not 'Kellner / Kellnerin',
    whose first word a place recognizer took, nor a sentence that names an address later:
    'I've updated the address on file to: 74223 Alvarez Dale')."""
    if _contact_label(text, line) or _house_number(text, line):
        return True
    if not _starts(line, results, CONTACT):
        return False
    return _covered(line, results, CONTACT) or DIGIT.search(text, line[0], line[1]) is not None


def _contact_label(text: str, line: Line) -> bool:
    """Whether the line starts with a label of contact details ('Phone:', 'Personal Info:')."""
    label = LABEL.match(text, line[0], line[1])
    return label is not None and LABEL_GAP.sub(" ", label.group(1)).casefold() in CONTACT_LABELS


def _house_number(text: str, line: Line) -> bool:
    """Whether the line is a street and house number ('970 Ukrajinská ulica')."""
    return HOUSE_NUMBER.fullmatch(text, line[0], line[1]) is not None


def _named(
    text: str, middle: list[tuple[Line, bool]], street_next: bool, wanted
) -> list[RecognizerResult]:
    """Findings for the lines not found yet: title first, organisation before a street."""
    if len(middle) == 2:
        kinds = ["TITLE", "ORGANIZATION"]
    else:
        kinds = ["ORGANIZATION" if street_next else "TITLE"]
    return [
        RecognizerResult(kind, start, end, 0.6)
        for ((start, end), covered), kind in zip(middle, kinds, strict=False)
        if not covered and kind in wanted
    ]


def _block_line(content: str) -> bool:
    """A title or an organisation's name: a few words, no digit, label, question or clause."""
    if len(content) > MAX_CHARS or NO_LINE.search(content):
        return False
    return 0 < len(WORD.findall(content)) <= MAX_WORDS


def _covered(
    line: Line, results: Sequence[RecognizerResult], kinds: Collection[str] | None
) -> bool:
    """Whether one finding (of ``kinds``, or any) holds the whole line."""
    start, end = line
    return any(
        r.start <= start and r.end >= end and (kinds is None or r.entity_type in kinds)
        for r in results
    )


def _starts(line: Line, results: Sequence[RecognizerResult], kinds: frozenset[str]) -> bool:
    """Whether a finding of ``kinds`` starts where the line's content does."""
    return any(r.start == line[0] and r.entity_type in kinds for r in results)
