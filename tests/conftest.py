"""Shared test set-up: Qt runs offscreen, and every test gets its own real cache file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from shipdesk.cache import Cache, open_cache


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    opened = open_cache(tmp_path / "cache.sqlite")
    yield opened
    opened.close()


# Every test that names `memory_keyring` gets an in-memory keyring instead of the OS one.
from tests.fakes.memory_keyring import memory_keyring  # noqa: E402, F401
