"""The staging locks of object and vector targets on real stores: a folder's flock, an S3
lock object (conditional puts on the moto server), a Chroma lock collection (``chroma run``).
Exclusive while held, renewed by the heartbeat, released at the end, and a stale one — its run
killed on this machine, or expired — taken over by the next run.
"""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from sanitizer.errors import LockedError
from sanitizer.load.locks import (
    LOCK_COLLECTION,
    ChromaLock,
    Holder,
    S3Lock,
    file_lock,
    lock_file_for,
)

BUCKET = "ft-locks"


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_folder_lock_is_exclusive_and_leaves_no_stale_lock(tmp_path: Path) -> None:
    lock = lock_file_for(tmp_path / "staging" / "files")
    with file_lock(lock, "files", "staging/files"):
        again = file_lock(lock, "files", "staging/files")
        with pytest.raises(LockedError, match="is being written by another run"), again:
            pass
        holder = subprocess.run(  # another process: the same answer
            [sys.executable, "-c", "from sanitizer.load.locks import file_lock; import sys\n"
             f"with file_lock(__import__('pathlib').Path({str(lock)!r}), 'f', 'w'): pass"],
            capture_output=True, text=True,
        )  # fmt: skip
        assert holder.returncode != 0 and "LockedError" in holder.stderr
    with file_lock(lock, "files", "staging/files"):  # released with the block (or the process)
        pass


@pytest.fixture(scope="module")
def bucket(s3: Any) -> str:
    if BUCKET not in [b["Name"] for b in s3.list_buckets().get("Buckets", [])]:
        s3.create_bucket(Bucket=BUCKET)
    return BUCKET


def s3_lock(s3: Any, run_id: str, ttl: float = 30) -> S3Lock:
    return S3Lock(s3, BUCKET, "snap.sanitize-lock", name="files", where="s3://x", run_id=run_id,
                  ttl=ttl)  # fmt: skip


def plant(s3: Any, holder: Holder) -> None:
    s3.put_object(Bucket=BUCKET, Key="snap.sanitize-lock", Body=json.dumps(holder.__dict__))


def test_an_s3_lock_is_exclusive_renewed_and_released(s3: Any, bucket: str) -> None:
    first = s3_lock(s3, "run-a", ttl=0.9)
    with first.held():
        second = s3_lock(s3, "run-b").held()
        with pytest.raises(LockedError, match=r"another run \(run run-a on "), second:
            pass
        stamped = json.loads(s3.get_object(Bucket=bucket, Key="snap.sanitize-lock")["Body"].read())
        time.sleep(1.2)  # longer than the ttl: the heartbeat kept it alive
        renewed = json.loads(s3.get_object(Bucket=bucket, Key="snap.sanitize-lock")["Body"].read())
        assert renewed["expires"] > stamped["expires"] and renewed["expires"] > time.time()
        with pytest.raises(LockedError), s3_lock(s3, "run-b").held():
            pass
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket, Prefix="snap.sanitize-lock")


@pytest.mark.parametrize(
    "holder",
    [
        Holder("killed-here", socket.gethostname(), 0, time.time() + 3600),  # pid set below
        Holder("expired-elsewhere", "another-host", 1, time.time() - 1),
    ],
    ids=["killed-on-this-host", "expired-on-another-host"],
)
def test_a_stale_s3_lock_is_taken_over_and_a_live_one_is_not(s3: Any, bucket: str, holder, caplog):
    if holder.run_id == "killed-here":
        holder.pid = dead_pid()
    plant(s3, holder)
    logging.getLogger("sanitizer").addHandler(caplog.handler)  # the CLI stops propagation
    try:
        with s3_lock(s3, "run-c").held():
            body = json.loads(s3.get_object(Bucket=bucket, Key="snap.sanitize-lock")["Body"].read())
            assert body["run_id"] == "run-c"
    finally:
        logging.getLogger("sanitizer").removeHandler(caplog.handler)
    assert "a stale staging lock was taken over" in caplog.text
    plant(s3, Holder("alive-elsewhere", "another-host", 1, time.time() + 3600))
    try:
        held = s3_lock(s3, "run-d").held()
        with pytest.raises(LockedError, match="alive-elsewhere on another-host"), held:
            pass
    finally:
        s3.delete_object(Bucket=bucket, Key="snap.sanitize-lock")


def test_a_chroma_lock_is_exclusive_and_a_stale_one_is_taken_over(chroma_staging: str) -> None:
    import chromadb

    port = int(chroma_staging.rsplit(":", 1)[1])
    client = chromadb.HttpClient(host="127.0.0.1", port=port)

    def lock(run_id: str) -> ChromaLock:
        return ChromaLock(client, name="memory", where=chroma_staging, run_id=run_id, ttl=30)

    with lock("run-a").held():
        assert LOCK_COLLECTION in [c.name for c in client.list_collections()]
        with pytest.raises(LockedError, match="run run-a"), lock("run-b").held():
            pass
    assert LOCK_COLLECTION not in [c.name for c in client.list_collections()]
    stale = Holder("killed", socket.gethostname(), dead_pid(), time.time() + 3600)
    client.create_collection(LOCK_COLLECTION, metadata=stale.__dict__, embedding_function=None)
    with lock("run-c").held():
        meta = client.get_collection(LOCK_COLLECTION, embedding_function=None).metadata
        assert meta["run_id"] == "run-c"
    assert LOCK_COLLECTION not in [c.name for c in client.list_collections()]


def test_a_lock_taken_over_while_held_stops_the_swap(s3: Any, bucket: str) -> None:
    """A run that stalled past its ttl finds, at the next heartbeat, that another run took
    the lock over: it must then swap nothing."""
    stalled = s3_lock(s3, "run-stalled", ttl=0.6)
    with stalled.held():
        stalled.check()  # still ours
        plant(s3, Holder("run-newer", "another-host", 1, time.time() + 3600))  # taken over
        time.sleep(0.5)  # a heartbeat (every ttl/3) notices
        with pytest.raises(LockedError, match="took the staging lock over"):
            stalled.check()
    body = json.loads(s3.get_object(Bucket=bucket, Key="snap.sanitize-lock")["Body"].read())
    assert body["run_id"] == "run-newer"  # the stalled run did not delete the newer lock
    s3.delete_object(Bucket=bucket, Key="snap.sanitize-lock")
