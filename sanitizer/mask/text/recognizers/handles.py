"""Social media handles: ``@alexbouchet`` names one account, and through it one person.

Presidio has no entity for them; spaCy sometimes tags one as a person or an organisation,
which is how raw Presidio masks a third of them. Here an ``@`` that starts a word, followed by
2 to 30 letters, digits, underscores or inner dots with a letter among them, is a
``USERNAME``, scrambled letter for letter (its ``@`` kept). Not a handle: the ``@`` of an email
or of ``icon@2x.png`` (a letter or digit before it), a code annotation (``@Override(``,
``@dataclass`` on the line before a ``class``), CSS at-rules, and chat-wide mentions
(``@here``, ``@channel``, ``@everyone``) (docs/rules.md, "Detection").
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer

from sanitizer.mask.text.recognizers.escapes import blank_escapes
from sanitizer.mask.text.recognizers.kinded import kinded_result

SCORE = 0.6
HANDLE = re.compile(
    r"(?<![\w@.+\-/\\])@(?=[\w.]*[^\W\d_])(?P<name>\w(?:[\w.]{0,28}\w)?)(?![\w@(])(?!\.\w)"
)
NOT_HANDLES = frozenset(
    {
        "here",
        "channel",
        "everyone",
        "all",
        "media",
        "import",
        "charset",
        "keyframes",
        "font-face",
        "supports",
        "page",
        "property",
        "staticmethod",
        "classmethod",
        "override",
        "param",
        "return",
        "returns",
        "throws",
        "deprecated",
        "author",
        "since",
        "see",
        "version",
    }
)
# the line after an annotation: a declaration in Python, Java, Kotlin, TypeScript…, or another
DECLARATION = re.compile(
    r"[ \t]*(?:@|(?:async[ \t]+)?def\b|class\b|public\b|private\b|protected\b|static\b|"
    r"function\b|fun\b|export\b|interface\b|abstract\b|final\b|void\b)"
)


class HandleRecognizer(EntityRecognizer):
    """``@handle`` as ``USERNAME`` (see the module docstring)."""

    def __init__(self, supported_language: str = "en"):
        super().__init__(
            supported_entities=["USERNAME"],
            name="HandleRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:  # a regex only
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        if "@" not in text:
            return []
        plain = blank_escapes(text)
        return [
            kinded_result(self, "USERNAME", m.span(), SCORE, "an @handle", None)
            for m in HANDLE.finditer(plain)
            if m.group("name").casefold() not in NOT_HANDLES and not _annotation(plain, m)
        ]


def _annotation(text: str, match) -> bool:
    """A decorator or annotation (``@dataclass``): alone on its line, and the next line a
    declaration or another annotation. A handle alone on its line is still a handle."""
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    if end < 0 or text[start : match.start()].strip() or text[match.end() : end].strip():
        return False
    return DECLARATION.match(text, end + 1) is not None
