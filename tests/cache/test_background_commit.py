"""A transaction's last write and its commit on a thread of their own: all of it reaches the file, or none of it."""

from __future__ import annotations

import sqlite3
import sys
import threading
from datetime import UTC, datetime
from functools import partial

import pytest

from shipdesk.cache import Cache, open_cache
from shipdesk.cache.background_commit import LastWrite, commit_in_background
from shipdesk.cache.orders import OrderQuery, load_orders, order_rows, prepare_upsert
from shipdesk.cache.stores import StoreRecord, add_store, get_store, note_progress
from tests.cache.test_orders_cache import make_order

NOW = datetime(2026, 3, 20, 18, 0, tzinfo=UTC)


def numbers_another_program_sees(cache: Cache) -> set[str]:
    assert cache.path is not None
    other = open_cache(cache.path)
    try:
        return {stored.order.order_number for stored in load_orders(other, OrderQuery())}
    finally:
        other.close()


def upsert_and_mark(numbers: list[str], conn: sqlite3.Connection) -> LastWrite:
    prepared = prepare_upsert(conn, order_rows([make_order(number) for number in numbers]))
    note_progress(conn, "Main", high_water=NOW)
    return prepared.write


def test_the_orders_and_the_mark_reach_the_file_once_the_commit_is_waited_for(cache: Cache) -> None:
    add_store(cache, StoreRecord("Main", "shipstation"))
    threads: list[threading.Thread] = []

    def prepare(conn: sqlite3.Connection) -> LastWrite:
        last_write = upsert_and_mark(["1001", "1002", "1003"], conn)

        def write_and_note_the_thread() -> None:
            threads.append(threading.current_thread())
            last_write()

        return write_and_note_the_thread

    commit_in_background(cache, prepare).wait()

    assert threads and threads[0] is not threading.current_thread()
    assert numbers_another_program_sees(cache) == {"1001", "1002", "1003"}
    store = get_store(cache, "Main")
    assert store is not None and store.high_water == NOW
    assert not cache.conn.in_transaction


def test_a_last_write_the_disk_cannot_take_leaves_nothing_and_is_raised_when_waited_for(cache: Cache) -> None:
    add_store(cache, StoreRecord("Main", "shipstation"))
    commit_in_background(cache, partial(upsert_and_mark, ["1001"])).wait()
    # The disk is full: the file cannot grow by the pages 2,000 orders need.
    pages = cache.conn.execute("PRAGMA page_count").fetchone()[0]
    cache.conn.execute(f"PRAGMA max_page_count = {pages}")
    later = partial(upsert_and_mark, [str(2000 + number) for number in range(2_000)])

    commit = commit_in_background(cache, later)
    with pytest.raises(sqlite3.OperationalError, match="full"):
        commit.wait()

    assert not cache.conn.in_transaction
    cache.conn.execute("PRAGMA max_page_count = 1073741823")
    assert numbers_another_program_sees(cache) == {"1001"}
    commit.wait()  # told once: waiting again is quiet


def test_a_prepare_that_fails_is_rolled_back_at_once_and_starts_no_thread(cache: Cache) -> None:
    add_store(cache, StoreRecord("Main", "shipstation"))

    def fails_after_writing(conn: sqlite3.Connection) -> LastWrite:
        upsert_and_mark(["1001"], conn)()
        raise ValueError("a rule broke")

    running_before = threading.active_count()
    with pytest.raises(ValueError, match="a rule broke"):
        commit_in_background(cache, fails_after_writing)

    assert threading.active_count() == running_before
    assert not cache.conn.in_transaction
    assert numbers_another_program_sees(cache) == set()
    store = get_store(cache, "Main")
    assert store is not None and store.high_water is None


def test_threads_hand_over_often_only_while_a_commit_runs(cache: Cache) -> None:
    before = sys.getswitchinterval()
    other_store_done = threading.Event()
    seen: dict[str, float] = {}

    def prepare_waiting_for_the_other(conn: sqlite3.Connection) -> LastWrite:
        def last_write() -> None:
            seen["first, while running"] = sys.getswitchinterval()
            other_store_done.wait(timeout=10)

        return last_write

    first = commit_in_background(cache, prepare_waiting_for_the_other)
    other = open_cache(None)  # another store's sync, side by side with its own connection
    try:
        commit_in_background(other, lambda conn: lambda: None).wait()
        seen["after the other ended"] = sys.getswitchinterval()
    finally:
        other_store_done.set()
        other.close()
    first.wait()

    assert seen["first, while running"] < before
    assert seen["after the other ended"] == seen["first, while running"]  # the first still runs
    assert sys.getswitchinterval() == before
