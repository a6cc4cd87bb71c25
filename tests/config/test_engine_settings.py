"""engine: local | ray and the ray: section of sanitize.yaml (docs/engine.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sanitizer.config.engine_settings import EngineSettings, RaySettings
from sanitizer.config.settings import load_settings
from sanitizer.errors import ConfigError

BASE = """\
rules: rules/
key: 0123456789abcdef0123456789abcdef
sources:
  app: {kind: sql, url: "sqlite:///prod.db"}
targets:
  app: {kind: sql, url: "sqlite:///staging.db"}
"""


def load(tmp_path: Path, extra: str, env: dict[str, str] | None = None) -> EngineSettings:
    path = tmp_path / "sanitize.yaml"
    path.write_text(BASE + extra, encoding="utf-8")
    return load_settings(path, env or {}).engine


def test_local_is_the_default(tmp_path):
    assert load(tmp_path, "") == EngineSettings("local", RaySettings(address="auto"))


def test_the_design_example_reads_ray_address_from_the_environment(tmp_path):
    extra = "engine: ray\nray:\n  address: ${RAY_ADDRESS:-auto}\n"
    assert load(tmp_path, extra).ray.address == "auto"
    got = load(tmp_path, extra, {"RAY_ADDRESS": "ray://head:10001"})
    assert got == EngineSettings("ray", RaySettings(address="ray://head:10001"))


def test_without_a_ray_section_ray_address_is_used(tmp_path):
    assert load(tmp_path, "engine: ray\n", {"RAY_ADDRESS": "10.0.0.5:6379"}).ray.address == (
        "10.0.0.5:6379"
    )


def test_resources_per_actor(tmp_path):
    extra = (
        "engine: ray\nray: {address: local, actors: 8, cpus_per_actor: 2, gpus_per_actor: 0.5}\n"
    )
    ray = load(tmp_path, extra).ray
    assert (ray.actors, ray.cpus_per_actor, ray.gpus_per_actor) == (8, 2.0, 0.5)


def test_readers_auto_is_one_locally_and_several_on_ray(tmp_path):
    assert load(tmp_path, "").reader_count == 1
    assert load(tmp_path, "readers: auto\n").reader_count == 1
    on_ray = load(tmp_path, "engine: ray\n").reader_count
    assert on_ray == max(1, min(4, os.cpu_count() or 1))
    assert load(tmp_path, "readers: 3\n").reader_count == 3
    assert load(tmp_path, "engine: ray\nreaders: '1'\n").reader_count == 1


@pytest.mark.parametrize(
    "extra,words",
    [
        ("readers: 0\n", "readers must be a whole number of at least 1, not 0"),
        ("readers: many\n", "readers must be a whole number"),
        ("readers: 2.5\n", "readers must be a whole number"),
        ("engine: spark\n", "engine is 'spark'"),
        ("ray: {adress: auto}\n", "adress"),
        ("ray: {actors: many}\n", "ray.actors must be a whole number"),
        ("ray: {cpus_per_actor: 0}\n", "ray.cpus_per_actor must be a number of at least 0.01"),
    ],
)
def test_wrong_engine_settings_name_the_line_and_the_fix(tmp_path, extra, words):
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, extra)
    assert words in caught.value.message
    assert "sanitize.yaml:" in caught.value.message


def test_the_local_engine_never_imports_ray():
    code = (
        "import sys, contextlib\n"
        "import sanitizer.cli, sanitizer.run.snapshot\n"
        "from sanitizer.config.engine_settings import EngineSettings\n"
        "from sanitizer.engine import open_engine\n"
        "open_engine(EngineSettings(), contextlib.ExitStack())\n"
        "print('ray' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
