"""The cyclic garbage collector is paused while orders are built in bulk, and always comes back."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from shipdesk.collector_pause import cycle_collection_paused


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_off_inside_and_on_again_after() -> None:
    with cycle_collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_comes_back_after_an_error_inside() -> None:
    with pytest.raises(RuntimeError), cycle_collection_paused():
        raise RuntimeError("the page could not be written")
    assert gc.isenabled()


def test_a_collector_that_was_off_before_stays_off() -> None:
    gc.disable()
    with cycle_collection_paused():
        pass
    assert not gc.isenabled()


def test_one_store_ending_its_pause_leaves_the_collector_off_while_another_still_syncs() -> None:
    other_inside, this_ended = threading.Event(), threading.Event()
    seen_by_the_other: list[bool] = []

    def other_store() -> None:
        with cycle_collection_paused():
            other_inside.set()
            this_ended.wait(5)
            seen_by_the_other.append(gc.isenabled())

    thread = threading.Thread(target=other_store)
    thread.start()
    assert other_inside.wait(5)
    with cycle_collection_paused():
        pass
    this_ended.set()
    thread.join(5)
    assert seen_by_the_other == [False]
    assert gc.isenabled()
