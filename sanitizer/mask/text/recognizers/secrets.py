"""SECRET and URL: credentials and live destinations, found by ``sanitizer.mask.secrets``.

The same finder the ``secret`` and ``{url: sandbox}`` operators and the fail-closed sweep use
(gitleaks' rules, credential and database URLs, keyword context), so ``detect`` finds in free
text exactly what the sweep would flag. Each result names how it is replaced (``FAKE_KIND``):
``secret`` (neutralize_secret) or ``sandbox`` (sandbox_url). A private key spans lines; its
finding is not cut at line breaks (spans.NO_CUT).
"""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer, RecognizerResult

from sanitizer.mask.secrets import find_secrets
from sanitizer.mask.text.fake_kind import FAKE_KIND

ENTITY_FOR_KIND = {"url": "URL", "dsn": "URL"}  # everything else is a SECRET
SCORE = 0.95  # above Presidio's URL recognizer: a credential URL is replaced as a whole


class SecretRecognizer(EntityRecognizer):
    """SECRET for credentials, private keys and JWTs; URL for credential and database URLs."""

    def __init__(self, supported_language: str = "en"):
        super().__init__(
            supported_entities=["SECRET", "URL"],
            name="SecretRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list:
        results = []
        for hit in find_secrets(text):
            entity = ENTITY_FOR_KIND.get(hit.kind, "SECRET")
            if entities and entity not in entities:
                continue
            results.append(
                RecognizerResult(
                    entity,
                    hit.start,
                    hit.end,
                    SCORE,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        FAKE_KIND: "sandbox" if entity == "URL" else "secret",
                        "secret_rule": hit.rule,
                    },
                )
            )
        return results
