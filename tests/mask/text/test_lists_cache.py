"""The lists cache (docs/operations.md, "The lists cache"): detection's built lists read back
from disk are the lists a fresh build gives, and a broken or unwritable cache never fails a
run."""

from __future__ import annotations

import json
import os

import pytest

from sanitizer.mask.text import calendar_names as calendar
from sanitizer.mask.text import lists_cache
from sanitizer.mask.text.recognizers import job_titles, lexicon, place_names, street_vocab

LISTS = (
    lexicon.name_lists,
    lexicon.honorifics,
    job_titles.job_titles,
    calendar.calendar_names,
    place_names.place_names,
    place_names.countries,
    place_names.plain_places,
    street_vocab.street_words,
)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(lists_cache.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _fresh(function):
    """Call a once-per-process list function as a new process would."""
    function.cache_clear()
    try:
        return function()
    finally:
        function.cache_clear()


@pytest.mark.parametrize(
    ("name", "function"),
    [
        ("names", lexicon.name_lists),
        ("honorifics", lexicon.honorifics),
        ("calendar", calendar.calendar_names),
        ("places", place_names.place_names),
        ("countries", place_names.countries),
        ("plain_places", place_names.plain_places),
        ("streets", street_vocab.street_words),
    ],
)
def test_a_list_read_back_equals_a_fresh_build(folder, monkeypatch, name, function):
    built = _fresh(function)
    files = list(folder.glob(f"{name}-*.json"))
    assert len(files) == 1, "the first build writes the list"
    read = _fresh(function)
    assert read == built
    if name == "calendar":
        assert list(read) == list(built), "the same order of names"
    # and it really is read: a build that would fail is never called
    builder = {
        "names": "_built_name_lists",
        "honorifics": "_built_honorifics",
        "calendar": "_built_calendar_names",
        "places": "_built_place_names",
        "streets": "_built_street_words",
    }
    modules = {"names": lexicon, "honorifics": lexicon, "calendar": calendar}
    module = modules.get(name, street_vocab if name == "streets" else place_names)
    attribute = builder.get(name, f"_built_{name}")
    monkeypatch.setattr(module, attribute, lambda: pytest.fail("built again"))
    assert _fresh(function) == built


def test_a_malformed_file_is_built_again_and_rewritten(folder):
    built = _fresh(place_names.place_names)
    (path,) = folder.glob("places-*.json")
    path.write_text('["half a lis')
    assert _fresh(place_names.place_names) == built
    assert json.loads(path.read_text()) == sorted(built)


def test_a_folder_that_cannot_be_written_leaves_the_run_as_without_a_cache(tmp_path, monkeypatch):
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    monkeypatch.setenv(lists_cache.CACHE_ENV, str(blocked / "cache"))
    assert lists_cache.cached("places", lambda: frozenset({"lyon"}), sorted, frozenset) == {"lyon"}


def test_off_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv(lists_cache.CACHE_ENV, "off")
    assert lists_cache.cache_folder() is None
    calls = []

    def build() -> frozenset[str]:
        calls.append(1)
        return frozenset({"lyon"})

    for _ in range(2):
        assert lists_cache.cached("places", build, sorted, frozenset) == {"lyon"}
    assert len(calls) == 2


def test_the_default_folder_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.delenv(lists_cache.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert lists_cache.cache_folder() == tmp_path / "sanitizer"


def test_the_key_changes_with_a_source_package_version(monkeypatch):
    before = lists_cache.key()
    lists_cache.key.cache_clear()
    real = lists_cache.metadata.version
    monkeypatch.setattr(
        lists_cache.metadata,
        "version",
        lambda name: "0.0.0-other" if name == "faker" else real(name),
    )
    try:
        assert lists_cache.key() != before
    finally:
        lists_cache.key.cache_clear()


def test_a_file_of_another_key_is_not_read(folder, monkeypatch):
    lists_cache.cached("places", lambda: frozenset({"lyon"}), sorted, frozenset)
    monkeypatch.setattr(lists_cache, "key", lambda: "another")
    assert lists_cache.cached("places", lambda: frozenset({"nice"}), sorted, frozenset) == {"nice"}


def test_make_install_fills_the_cache_with_every_list(folder):
    from sanitizer.mask.warm import fill_lists_cache

    for function in LISTS:
        function.cache_clear()
    try:
        fill_lists_cache()
    finally:
        for function in LISTS:
            function.cache_clear()
    assert sorted(path.name.split("-")[0] for path in folder.glob("*.json")) == [
        "calendar",
        "countries",
        "honorifics",
        "jobs",
        "names",
        "places",
        "plain_places",
        "streets",
    ]


def test_only_the_newest_versions_of_a_list_are_kept(folder, monkeypatch):
    for version in range(lists_cache.KEPT_VERSIONS + 3):
        monkeypatch.setattr(lists_cache, "key", lambda v=version: f"v{v}")
        lists_cache.cached("places", lambda: frozenset({"lyon"}), sorted, frozenset)
        path = folder / f"places-v{version}.json"
        os.utime(path, (version, version))  # oldest first, whatever the clock's resolution
    kept = sorted(p.name for p in folder.glob("places-*.json"))
    assert len(kept) == lists_cache.KEPT_VERSIONS
    assert f"places-v{lists_cache.KEPT_VERSIONS + 2}.json" in kept
