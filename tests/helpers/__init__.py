"""Shared test helpers: worlds of production data, servers on loopback, CLI runners.

Imported as ``from helpers.servers import serve_s3``: ``tests/`` is on ``sys.path`` because
pytest puts the folder of the root ``tests/conftest.py`` there (rootdir-conftest import mode).
Fixtures stay in the ``conftest.py`` next to the tests that use them; these modules hold the
functions and data those fixtures and tests share.
"""
