"""Email addresses Presidio's ``EmailRecognizer`` drops: internal domains, quoted or IP-literal
addresses, and obfuscated forms people type to dodge filters.

Presidio keeps an email only if tldextract finds a public suffix, so 'jane.doe@corp.internal'
or 'ops@svc.cluster.local' are dropped — and its URL recognizer then masks fragments
('jane.do', 'corp.int'), leaking the rest. '"jane doe"@corp.com', 'user@192.168.0.1' and
'jane dot doe at corp dot com', 'mario(at)rossi.it', 'k.lee AT startup DOT ai' leak whole.

Why it stays precise:
- a plain address needs a public suffix (from tldextract's bundled snapshot, offline) or an
  internal one ('internal', 'local', 'corp', 'lan', 'test', 'example', 'invalid'…); a file
  extension as the last label ('icon@2x.png', 'logo@3x.webp') is refused;
- an obfuscated address needs a real public suffix written as 'dot TLD' or '.TLD', and an
  '(at)', '[at]', '{at}', '<at>' or upper-case 'AT'; a lower-case spoken ' at ' only counts when
  the part before it is not an ordinary word ('look at google dot com', 'the team at acme.com'
  stay) and, with a plain dotted domain, looks like a mailbox name ('jane.doe at corp.com').
"""

from __future__ import annotations

from typing import ClassVar

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer

from sanitizer.mask.text.recognizers.person_names import name_lists
from sanitizer.mask.text.recognizers.wordlists import FUNCTION_WORDS

INTERNAL_SUFFIXES = frozenset(
    "internal local corp lan intranet home localdomain localhost test example invalid private "
    "priv intra office ad".split()
)
FILE_EXTENSIONS = frozenset(
    "png jpg jpeg gif svg webp bmp ico tif tiff heic pdf js mjs css ts tsx jsx json xml yml yaml "
    "html htm txt csv zip gz tgz tar rar exe dll so dylib py rb go rs java kt php md log lock "
    "ini cfg conf toml wasm map mp3 mp4 mov avi wav ttf woff woff2 eot".split()
)

ATEXT = r"[\w!#$%&'*+/=?^`{|}~\-]"
# a mailbox starts with a letter or digit: "--user=jane@x.com" and "'jane@x.com'" give the address
LOCAL = r"\w(?:[\w+\-'’]|\.(?=\w))*"
DOMAIN = r"(?:\w(?:[\w\-]*\w)?\.)+\p{L}[\p{L}\-]{1,23}"
PLAIN = rf"(?<![\w.+\-@'’]){LOCAL}@{DOMAIN}(?![\w\-@])(?!\.\w)"
QUOTED = rf"(?<![\w@])\"[^\"\n@]{{1,64}}\"@{DOMAIN}(?![\w\-@])(?!\.\w)"
IP_LITERAL = rf"(?<![\w.+\-@'’]){LOCAL}@\[?\d{{1,3}}(?:\.\d{{1,3}}){{3}}\]?(?![\w.\-])"
OPEN, CLOSE = r"[\[\(\{<]", r"[\]\)\}>]"
AT = rf"(?:[ \t]*{OPEN}[ \t]*(?i:at)[ \t]*{CLOSE}[ \t]*|[ \t]+(?:at|AT)[ \t]+)"
DOT = rf"(?:[ \t]*{OPEN}[ \t]*(?i:dot)[ \t]*{CLOSE}[ \t]*|[ \t]+(?:dot|DOT)[ \t]+|\.)"
OBFUSCATED = rf"(?<![\w@.'’]){ATEXT}+(?:{DOT}{ATEXT}+)*{AT}[\w\-]+(?:{DOT}[\w\-]+)+(?![\w\-])"

PATTERNS = [
    Pattern("email with an internal or unusual domain", PLAIN, 0.7),
    Pattern("email with a quoted local part", QUOTED, 0.7),
    Pattern("email with an IP-literal domain", IP_LITERAL, 0.6),
    Pattern("obfuscated email ('at' / 'dot')", OBFUSCATED, 0.6),
]

_SPLIT_AT = re.compile(rf"{AT}")
_DOT_WORD = re.compile(rf"{DOT}")
_BRACKETED_OR_UPPER_AT = re.compile(rf"{OPEN}[ \t]*(?i:at)[ \t]*{CLOSE}|[ \t]AT[ \t]")
_SPOKEN_DOT = re.compile(rf"[ \t]+(?i:dot)[ \t]+|{OPEN}[ \t]*(?i:dot)[ \t]*{CLOSE}")
_MAILBOX_LIKE = re.compile(r"[._+\d]")


def _extractor():
    """tldextract with only its bundled suffix-list snapshot: never touches the network. The
    one Presidio's email recognizer uses too (:mod:`offline`), so the snapshot is read once
    per process, not twice (about 40 ms of every start)."""
    from sanitizer.mask.text.offline import offline_extractor

    return offline_extractor()


def public_suffix(domain: str) -> str:
    """The public suffix of ``domain`` ('co.uk', 'com'), or '' when there is none."""
    return _extractor()(domain).suffix


class UnusualEmailRecognizer(PatternRecognizer):
    """EMAIL_ADDRESS for internal domains, quoted and IP-literal addresses, and obfuscated
    'name (at) domain (dot) com' forms."""

    CONTEXT: ClassVar[list[str]] = ["email", "e-mail", "mail", "contact", "reach", "write", "send"]

    def __init__(self, supported_language: str = "en", context: list[str] | None = None):
        super().__init__(
            supported_entity="EMAIL_ADDRESS",
            name="UnusualEmailRecognizer",
            supported_language=supported_language,
            patterns=[Pattern(p.name, p.regex, p.score) for p in PATTERNS],
            context=context if context is not None else self.CONTEXT,
            global_regex_flags=re.MULTILINE,
        )

    def invalidate_result(self, pattern_text: str) -> bool:
        if "@" in pattern_text:
            domain = pattern_text.rsplit("@", 1)[1].strip("[]")
            if re.fullmatch(r"[\d.]+", domain):
                return not all(0 <= int(part) <= 255 for part in domain.split("."))
            suffix = domain.rsplit(".", 1)[-1].lower()
            if suffix in FILE_EXTENSIONS:
                return True
            return not (suffix in INTERNAL_SUFFIXES or public_suffix(domain))
        return not self._plausible_obfuscation(pattern_text)

    @staticmethod
    def _plausible_obfuscation(text: str) -> bool:
        parts = _SPLIT_AT.split(text, maxsplit=1)
        if len(parts) != 2:
            return False
        local, domain = parts
        domain = _DOT_WORD.sub(".", domain)
        if not public_suffix(domain) or domain.rsplit(".", 1)[-1].lower() in FILE_EXTENSIONS:
            return False
        if _BRACKETED_OR_UPPER_AT.search(text):
            return True
        # a spoken lower-case ' at ': the part before must be a mailbox name, not a word
        words = name_lists().everyday | FUNCTION_WORDS
        if local.lower() in words:
            return False
        return bool(_MAILBOX_LIKE.search(local) or _SPOKEN_DOT.search(text))
