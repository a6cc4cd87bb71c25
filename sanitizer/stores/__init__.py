"""Connections and error classification per storage technology.

One module per technology (``sql``, ``s3``, ``chroma``, ``lancedb``): how a client is made from
a URL and the environment, and how the technology's errors are told apart and turned into
messages. Both sides use them: ``extract`` (sources, read-only) and ``load`` (targets).
"""
