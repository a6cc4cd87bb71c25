"""The Ray masking pool against a real in-process Ray: same batches, same order, same counts
as one process; a killed actor is replaced and its tasks sent again."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import polars as pl
import pytest

from sanitizer.config.engine_settings import RaySettings
from sanitizer.config.settings import NlpSettings
from sanitizer.engine.ray_pool import EngineError, RayEngine, RayExecutor
from sanitizer.mask.parallel import MaskPool

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "mask"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "verify"))
from test_parallel import frame, masker


def test_the_ray_pool_masks_like_one_process_in_source_order(local_ray):
    batches = [frame(0, 3000), frame(3000, 70), frame(3070, 0), frame(3070, 1234)]
    alone = masker()
    expected = pl.concat([alone.mask(b) for b in batches])
    pooled = masker()
    with RayEngine(RaySettings(address="local")) as engine:
        assert engine.actors == 2  # the cluster's CPUs, one per actor
        with MaskPool(2, pooled.keyring, NlpSettings(), engine=engine) as pool:
            got = pl.concat(list(pool.mask(pooled, iter(batches))))
    assert got.equals(expected)
    assert {n: (s.rows, s.masked) for n, s in pooled.stats.items()} == {
        n: (s.rows, s.masked) for n, s in alone.stats.items()
    }


def test_a_killed_actor_is_replaced_and_its_tasks_sent_again(local_ray):
    pool = RayExecutor(2, os.getpid, (), RaySettings(task_retries=2))
    try:
        first = pool.pids()
        os.kill(first[0], signal.SIGKILL)
        results = [pool.submit(pow, n, 2) for n in range(20)]
        assert [task.result() for task in results] == [n * n for n in range(20)]
        assert pool.pids()[1] == first[1]
    finally:
        pool.shutdown()


def test_an_actor_that_keeps_dying_fails_the_stage_cleanly(local_ray):
    pool = RayExecutor(1, os.getpid, (), RaySettings(task_retries=0))
    try:
        os.kill(pool.pids()[0], signal.SIGKILL)
        with pytest.raises(EngineError, match=r"died 1 time\(s\)"):
            pool.submit(pow, 3, 2).result()
    finally:
        pool.shutdown()


def test_a_task_error_comes_back_as_itself(local_ray):
    pool = RayExecutor(1, os.getpid, (), RaySettings())
    try:
        with pytest.raises(ValueError, match="invalid literal"):
            pool.submit(int, "seven").result()
    finally:
        pool.shutdown()


def loaded_here(_: int) -> tuple[int, int]:
    """In an actor: how many detectors and embedding models its process holds."""
    from sanitizer.mask.embed import _load_sentence_transformer
    from sanitizer.mask.text.detector import analyzer

    return analyzer.cache_info().currsize, _load_sentence_transformer.cache_info().currsize


@pytest.mark.parametrize("ahead", [True, False], ids=["warmed", "cold"])
def test_warmed_actors_hold_the_detector_and_model_before_the_first_task(local_ray, ahead):
    """engine.warm (called by the run before it plans) has every actor load detection and
    the embedding model; the stage's set-up waits behind it, so its first task finds them."""
    from ray import cloudpickle

    from sanitizer.config.settings import EmbeddingSettings

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # actors cannot import tests
    with RayEngine(RaySettings(address="local")) as engine:
        if ahead:
            engine.warm(NlpSettings(), EmbeddingSettings())
        pool = engine.executor(2, os.getpid, ())
        tasks = [pool.submit(loaded_here, n) for n in range(2)]
        counts = [task.result() for task in tasks]
    assert len(set(pool.pids())) == 2
    assert counts == ([(1, 1), (1, 1)] if ahead else [(0, 0), (0, 0)])


def test_ray_actors_index_the_pieces_they_mask_as_the_driver_would(local_ray):
    """The leak index's digests are made in the actors' processes and merged by the driver:
    the same index as a run without workers builds (tests/verify/test_leak_pieces.py)."""
    from test_leak_pieces import BATCHES, driver_built, same_index

    from sanitizer.verify.run import RunLeakCheck

    expected = driver_built()
    check, pooled = RunLeakCheck(masker().keyring, 100), masker()
    indexer = check.indexer(pooled.plan, "app", pooled.ledger_columns)
    with (
        RayEngine(RaySettings(address="local")) as engine,
        MaskPool(2, pooled.keyring, NlpSettings(), engine=engine) as pool,
    ):
        masked = list(pool.mask(pooled, iter(BATCHES), (check, indexer)))
    assert pl.concat(masked).equals(pl.concat([masker().mask(b) for b in BATCHES]))
    same_index(check, expected)
