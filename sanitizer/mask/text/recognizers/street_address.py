"""Street addresses (as ``LOCATION``): Presidio has no street-address recognizer at all.

spaCy tags cities and countries but almost never a street line, so '221B Baker Street',
'1498 rue Bélanger', 'Theodor-Heuss-Straße 34' or 'Av. Brigadeiro Faria Lima, 2170' leak
untouched. Findings are typed ``LOCATION`` so they take the existing location fake.

Why the patterns stay off ordinary text: every street pattern needs both a house number and a
street word, laid out the way that language writes addresses:
- English: number, one to four capitalised words, a street type ('742 Evergreen Terrace',
  '350 Fifth Ave, Suite 3300'); not after 'the', 'a', 'our', 'about'… ('the 3 Park Lane
  hotels' counts hotels). Suffixes that are ordinary words too (Faker's 'Falls', 'Loaf',
  'Points', 'Keys'…) only follow words that are not ordinary words ('4823 Chavez Loaf', not
  '2 Main Points'). British 'Flat 56' / 'Studio 2b' lines take the street name on the next
  line. Lower-case forms ('55 main st') score below the threshold and only count next to a
  context word ('address', 'ship to', 'live at', 'billing'…): 'a 5 minute drive' has the same
  shape.
- French: number, street type, capitalised name ('12 rue de la Paix').
- Spanish, Portuguese, Italian, French: street type, capitalised name, number ('Calle Mayor 5',
  'Rua Augusta, 1500'); a number followed by a unit ('Via DHL 3 days') is refused.
- German, Dutch: a capitalised word ending in a street suffix, then a number ('Hauptstraße 5a',
  'Keizersgracht 123', 'Pohlring 953'); English words with those endings ('Spring 2024',
  'Engineering 101', 'Keypad 2') are refused.
- PO boxes ('PO Box 123', 'Postfach 1234'), apartment numbers ('Apt 4B', 'apt. 3'; not the
  package tool's 'apt 2.4'); 'Unit 5', 'Suite 3' and 'Flat 2' alone are products, offices and
  discounts as often, so they need context.
Numbers glued to letters, currency signs or other digits ('$5 Main', 'INV-12 Street') and
numbers with a decimal part never start an address.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

from sanitizer.mask.text.recognizers.address_lines import (
    ENGLISH_RING_PAD,
    FORMAT,
    STREET,
    Part,
    block_parts,
    cued_lines,
    lines,
    street_parts,
    streets_over_codes,
)
from sanitizer.mask.text.recognizers.kinded import kinded_result
from sanitizer.mask.text.recognizers.person_names import name_lists

ESCAPE_BEFORE = r"(?<=\\[nrt])"  # a literal '\n' escape before: a line break, not a word
WORD_START = rf"(?:{ESCAPE_BEFORE}|(?<![\w\-]))"
NO_LEAD = (
    rf"(?:{ESCAPE_BEFORE}|(?<![\w$€£¥.,/#\-]))"
    r"(?<!\b(?i:the|a|an|these|those|our|their|all|only|over|under|about|around|nearly|top"
    r"|first|last|next|every|per)[ \t])"
    r"(?<!(?<!\b(?i:side|corner)[ \t])\b(?i:of)[ \t])"  # 'one of 3 Main…'; 'side of 45 Ridge Road'
)
HOUSE = r"\d{1,5}[A-Za-z]?(?:[ \t]?[-/][ \t]?\d{1,5}[A-Za-z]?)?"
TITLE_WORD = r"(?:\p{Lu}[\p{L}'’\-]*\.?|\d{1,3}(?:st|nd|rd|th))"
LOWER_WORD = r"\p{Ll}[\p{Ll}'’\-]*"
# Words that only ever name streets: any capitalised words may precede them.
STREET_TYPES = frozenset(
    "street st avenue ave road rd boulevard blvd lane ln drive dr court ct place pl terrace terr "
    "way parkway pkwy highway hwy square sq circle cir crescent cres close grove gardens mews "
    "row trail alley plaza expressway freeway turnpike pike stravenue throughway trafficway "
    "motorway causeway skyway bypass overpass underpass viaduct".split()
)
# Street suffixes that are ordinary words too (the rest of Faker's en_US list, and plurals):
# the words before them must not be ordinary words ('4823 Chavez Loaf', not '2 Main Points').
SUFFIX_WORDS = frozenset(
    "branch bridge brook brooks burg burgs camp canyon cape center centers circles cliff cliffs "
    "club common corner corners course courts cove coves creek crest crossing crossroad curve "
    "dale dam divide drives estate estates extension extensions fall falls ferry field fields "
    "flat flats ford fords forest forge forges fork forks fort garden gateway glen glens green "
    "greens groves harbor harbors haven heights hill hills hollow inlet island islands isle "
    "junction junctions key keys knoll knolls lake lakes land landing light lights loaf lock "
    "locks lodge loop mall manor manors meadow meadows mill mills mission mount mountain "
    "mountains neck orchard oval park parks parkways pass passage path pine pines plain plains "
    "point points port ports prairie radial ramp ranch rapid rapids rest ridge ridges river "
    "roads route rue run shoal shoals shore shores spring springs spur spurs squares station "
    "stream streets summit trace track trail tunnel union unions valley valleys via view views "
    "village villages ville vista walk walks wall ways well wells".split()
)
EN_TYPES = "(?i:" + "|".join(sorted(STREET_TYPES | SUFFIX_WORDS, key=lambda w: (-len(w), w))) + ")"
EN_LOWER_TYPES = r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|terrace|way)"
DIRECTION = r"(?:[ \t]+(?:NE|NW|SE|SW|N|S|E|W|North|South|East|West)\b)?"
UNIT = (
    r"(?:,?[ \t]*(?:(?i:apt|apartment|suite|ste|unit|flat|fl|floor|room|rm|piso|puerta|"
    r"appartamento|piano|interno|andar|sala|bloco)\.?[ \t]*#?[ \t]*|#[ \t]?)"
    r"[A-Za-z]?\d{1,5}[A-Za-z]?\b)?"
)
FR_TYPES = (
    r"(?:(?i:rue|avenue|av\.|boulevard|bd|allée|chemin|impasse|quai|faubourg|cours)"
    r"|(?i:place|route)(?=[ \t]+(?i:de|du|des|d['’])))"
)
PARTICLE = (
    r"(?:(?i:de|del|de la|de los|de las|da|do|dos|das|di|della|delle|dei|du|des|la|le"
    r"|les|y|e|sur|sous|en)[ \t]+|[dlDL]['’])"
)
# Titles abbreviated inside street names ('Av. Brig. Faria Lima', 'Rua Dr. Arnaldo'); any
# other full stop ends the address ('12 rue de la Paix. Thanks').
NAME_ABBREVIATION = (
    r"(?:Brig|Gen|Cel|Cap|Dr|Dra|Prof|Profa|Pres|Eng|Sr|Sra|St|Sta|Ste|Sto|Mt|Ft|Pe|Dom|Sen"
    r"|Gov|Mal|Alm|Ten|Maj|Cmdt|Com|Des|Dep)\."
)
NAME_WORD = rf"(?:{NAME_ABBREVIATION}|\p{{Lu}}[\p{{L}}'’\-]*)"
NAME_SEQ = rf"{PARTICLE}*{NAME_WORD}(?:[ \t]+{PARTICLE}*{NAME_WORD}){{0,4}}"
TYPE_FIRST = (
    # Spanish, Catalan
    r"(?:Calle|C/|Avenida|Avda\.?|Av\.|Av|Paseo|Plaza|Carrer|Camino|Carretera|Ronda|Rambla"
    r"|Travesía|Glorieta|Urbanización|Callejón|Cañada|Acceso|Pasaje|Cuesta|Pasadizo|Vial"
    # Portuguese
    r"|Rua|Travessa|Largo|Praça|Estrada|Alameda|Rodovia|Chácara|Colônia|Condomínio|Conjunto"
    r"|Esplanada|Estação|Fazenda|Jardim|Ladeira|Lagoa|Loteamento|Núcleo|Passarela|Pátio"
    r"|Quadra|Recanto|Residencial|Setor|Sítio|Trecho|Trevo|Vereda|Viaduto|Viela|Vila"
    # Italian
    r"|Via|Viale|Piazza|Piazzale|Corso|Vicolo|Strada|Borgo|Contrada|Rotonda|Incrocio|Stretto"
    r"|Canale|Lungomare|Salita|Traversa"
    # French
    r"|Boulevard|Rue|Chemin|Allée|Quai|Impasse)"
)
NUMBER_MARK = r"(?:(?i:nº|n°|no\.|nr\.?|núm\.?|n\.)[ \t]*)?"
NOT_A_QUANTITY = (
    r"(?![ \t]*(?i:days?|hours?|h\b|mins?\b|minutes?|times?|weeks?|months?|years?|items?"
    r"|units?|pcs|x\b|%|gb|mb|kb|euros?|usd|eur|brl|dollars?|reais|people|users?))"
)
END = r"(?![\w\-/]|[.,]\d)"
DE_NL_SUFFIX = (
    r"(?i:straße|strasse|str\.|gasse|weg|allee|platz|damm|ufer|chaussee|steig|pfad|stieg"
    r"|markt|graben|gracht|straat|laan|plein|kade|dijk|singel|steeg|plantsoen|hof|baan|dreef"
    r"|ring|pad)"
)
DE_WORDS = r"(?:Straße|Strasse|Str\.|Allee|Weg|Platz|Ring|Damm|Ufer|Gasse|Chaussee|Markt)"
PO_BOX = (
    r"(?i:p\.?[ \t]?o\.?[ \t]?box|post[ \t]+office[ \t]+box|postfach|postbus|caixa[ \t]+postal"
    r"|apartado(?:[ \t]+de[ \t]+correos)?|bo[iî]te[ \t]+postale|casilla(?:[ \t]+de[ \t]+correo)?)"
)

PATTERNS = [
    Pattern(
        "number street-name street-type (English)",
        rf"{NO_LEAD}{HOUSE}[ \t]+(?:{TITLE_WORD}[ \t]+){{1,4}}{EN_TYPES}\b{DIRECTION}{UNIT}",
        0.6,
    ),
    Pattern(
        "street name under a flat/studio line (British)",
        rf"(?<=(?:^|\n|\\n)[ \t]*(?:Flat|Studio|Apartment|Apt\.?|Unit|Suite)[ \t]*"
        rf"\d{{1,4}}[A-Za-z]?"
        rf"[ \t]*\r?\n[ \t]*)(?:{TITLE_WORD}[ \t]+){{1,3}}{EN_TYPES}\b",
        0.6,
    ),
    Pattern(
        "number + Broadway",
        rf"{NO_LEAD}{HOUSE}[ \t]+Broadway\b{UNIT}",
        0.6,
    ),
    Pattern(
        "lower-case number street-name street-type (English, needs context)",
        rf"{NO_LEAD}{HOUSE}[ \t]+(?:{LOWER_WORD}[ \t]+){{1,2}}{EN_LOWER_TYPES}\b{UNIT}",
        0.3,
    ),
    Pattern(
        "number street-type name (French)",
        rf"{NO_LEAD}{HOUSE}(?:[ \t]?(?i:bis|ter))?,?[ \t]+{FR_TYPES}[ \t]+{NAME_SEQ}",
        0.6,
    ),
    Pattern(
        "street-type name number (Spanish, Portuguese, Italian, French)",
        rf"{WORD_START}(?:{TYPE_FIRST}[ \t]+{NAME_SEQ}|Gran[ \t]+V[ií]a),?[ \t]*{NUMBER_MARK}"
        rf"\d{{1,5}}[A-Za-z]?{NOT_A_QUANTITY}{END}{UNIT}",
        0.6,
    ),
    Pattern(
        "compound street name + number (German, Dutch)",
        rf"{WORD_START}\p{{Lu}}[\p{{L}}\-]*{DE_NL_SUFFIX}[ \t]*{HOUSE}{NOT_A_QUANTITY}{END}",
        0.6,
    ),
    Pattern(
        "adjective + street word + number (German)",
        rf"{WORD_START}\p{{Lu}}\p{{Ll}}+[ \t]+{DE_WORDS}[ \t]*{HOUSE}{NOT_A_QUANTITY}{END}",
        0.6,
    ),
    Pattern(
        "PO box",
        rf"(?:{ESCAPE_BEFORE}|(?<![\w])){PO_BOX}[ \t]*#?[ \t]*\d{{1,7}}\b",
        0.7,
    ),
    Pattern(
        "military address (PSC / Unit … Box …)",
        rf"(?:{ESCAPE_BEFORE}|(?<![\w]))(?:PSC|Unit)[ \t]+\d{{4}},?[ \t]+Box[ \t]+\d{{4}}\b",
        0.7,
    ),
    Pattern(
        "apartment",
        rf"(?:{ESCAPE_BEFORE}|(?<![\w]))(?:Apt\.?|APT\.|apt\.|Apartment|apartment)[ \t]*#?[ \t]*"
        r"(?:\d{1,5}[A-Za-z]?|[A-Za-z]\d{0,4})(?![\w%])(?![.,]\d)",
        0.5,
    ),
    Pattern(
        "unit, suite or flat (needs context)",
        rf"(?:{ESCAPE_BEFORE}|(?<![\w]))(?i:suite|ste|unit|flat)\.?[ \t]*#?[ \t]*"
        r"\d{1,5}[A-Za-z]?(?![\w%.,])",
        0.2,
    ),
]

_UNIT_AFTER = re.compile(rf"\b{EN_TYPES}\b{DIRECTION}{UNIT.removesuffix('?')}$")  # ', Apt 4'

_NAMED_TYPE = re.compile(rf"(?P<names>(?:{TITLE_WORD}[ \t]+){{1,4}})(?P<type>{EN_TYPES})\b")
_COMPOUND = re.compile(r"(?P<word>\p{Lu}[\p{L}\-]*?)(?P<suffix>(?i:ring|pad))[ \t]*\d")

CONTEXT = [
    "address", "street", "ship", "deliver", "billing", "mailing", "live", "reside", "located",
    "residence", "moved", "home", "courier", "adresse", "dirección", "direccion", "domicilio",
    "endereço", "endereco", "anschrift", "wohn", "adres", "indirizzo",
]  # fmt: skip


class StreetAddressRecognizer(PatternRecognizer):
    """Street lines, PO boxes and apartment numbers in English, French, German, Spanish,
    Portuguese, Italian and Dutch forms, reported as ``LOCATION``."""

    def __init__(self, supported_language: str = "en", context: list[str] | None = None):
        super().__init__(
            supported_entity="LOCATION",
            name="StreetAddressRecognizer",
            supported_language=supported_language,
            patterns=[Pattern(p.name, p.regex, p.score) for p in PATTERNS],
            context=context if context is not None else CONTEXT,
            global_regex_flags=re.MULTILINE,  # case matters: capitals mark street names
        )

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        """The patterns above, the international forms of :mod:`address_lines`, then the
        address block each street line heads; a house number, box or unit number alone is
        the finding where the words around it are not personal ('PO Box 123')."""
        results = (
            super().analyze(text, entities, nlp_artifacts, regex_flags)
            if _patterns_possible(text)
            else []
        )
        parts = [
            _with_house_number(p, text) for p in [*_as_parts(results, text), *street_parts(text)]
        ]
        streets = [(p.start, p.end) for p in parts if p.kind == STREET and p.score >= 0.5]
        more = streets_over_codes(text, streets)
        same_line, heading = cued_lines(text, [*parts, *more])
        more += heading
        streets += [(p.start, p.end) for p in more]
        parts = _longest_first([*parts, *more, *same_line, *block_parts(text, streets)])
        return [self._result(p) for p in parts]

    def _result(self, part: Part) -> RecognizerResult:
        why = "street address or a line of its block"
        return kinded_result(self, "LOCATION", (part.start, part.end), part.score, why, part.kind)

    def invalidate_result(self, pattern_text: str) -> bool:
        named = _NAMED_TYPE.search(pattern_text)
        if named is not None and named.group("type").lower() not in STREET_TYPES:
            lists = name_lists()
            names = [w.strip(".").lower() for w in named.group("names").split()]
            common = [w for w in names if w in lists.everyday]
            # '4823 Brown Cove': a surname that is a word too, after a long house number
            surnames = all(w in lists.last or w in lists.first for w in common)
            long_number = bool(re.match(r"\d{3}", pattern_text))
            if common and not (surnames and long_number) and not _UNIT_AFTER.search(pattern_text):
                return True
        compound = _COMPOUND.match(pattern_text)
        if compound is not None:
            return bool(ENGLISH_RING_PAD.search(compound.group("word") + compound.group("suffix")))
        return False


# patterns whose number alone is the finding: the words around it name no one
NUMBER_ONLY = frozenset({"PO box", "military address (PSC / Unit … Box …)", "apartment",
                         "unit, suite or flat (needs context)"})  # fmt: skip
_NUMBER = re.compile(r"\d+[A-Za-z]?|(?<![A-Za-z])[A-Za-z]\d+")


_DIGIT = re.compile(r"\d")  # as the patterns read \d: any decimal digit
APARTMENT_WORDS = ("Apt", "APT.", "apt.", "partment")  # 'Apt B': the one form without one


def _patterns_possible(text: str) -> bool:
    """Whether any of :data:`PATTERNS` can match: all need a digit (a house, box or unit
    number), but for an apartment lettered alone ('Apt B'). A third of texts have neither,
    and Presidio runs every pattern over them."""
    return _DIGIT.search(text) is not None or any(w in text for w in APARTMENT_WORDS)


def _as_parts(results: list, text: str) -> list[Part]:
    """The patterns' findings as parts: boxes and units as their numbers (kept in place:
    'PO Box 482'), the rest as street lines cut at line breaks."""
    parts: list[Part] = []
    for r in results:
        pattern = r.analysis_explanation.pattern_name if r.analysis_explanation else ""
        if pattern in NUMBER_ONLY:
            parts.extend(
                Part(r.start + m.start(), r.start + m.end(), FORMAT, r.score)
                for m in _NUMBER.finditer(text[r.start : r.end])
            )
            continue
        for start, end in lines(text[r.start : r.end]):
            piece = text[r.start + start : r.start + end]
            lead = len(piece) - len(piece.lstrip())
            if piece.strip():
                begin, stop = r.start + start + lead, r.start + start + len(piece.rstrip())
                parts.append(Part(begin, stop, STREET, r.score))
    return parts


_HOUSE_NUMBER_BEFORE = re.compile(rf"{NO_LEAD}\d{{1,5}}[A-Za-z]?[ \t]+$")


def _with_house_number(part: Part, text: str) -> Part:
    """A street line with its house number in front ('106 1420 Lillooet Street', the
    street of a unit numbered first)."""
    if part.kind != STREET:
        return part
    match = _HOUSE_NUMBER_BEFORE.search(text, max(0, part.start - 12), part.start)
    return Part(match.start(), part.end, part.kind, part.score) if match else part


def _longest_first(parts: list[Part]) -> list[Part]:
    """One part per stretch of text: the longest, then the strongest."""
    kept: list[Part] = []
    for part in sorted(parts, key=lambda p: (-(p.end - p.start), -p.score, p.start)):
        if part.end > part.start and all(part.end <= k.start or part.start >= k.end for k in kept):
            kept.append(part)
    return sorted(kept, key=lambda p: p.start)
