"""The command line as a process, as an operator's terminal or script sees it: its output, its log, Ctrl+C."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from shipdesk.app_log import LOG_FILE_NAME
from shipdesk.cache import open_cache
from shipdesk.cache.stores import StoreRecord, add_store
from shipdesk.usable_cores import usable_cores

# The real keyring would find whatever this machine has; the failing one answers the same everywhere.
NO_KEYRING = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
NOT_SYNCED = "Store Main not synced: No system keyring is available to keep the API secret"


def shipdesk(cache: Path, *args: str, **options: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "shipdesk", "--db", str(cache), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=NO_KEYRING,
        **options,  # type: ignore[call-overload]
    )


def test_a_failed_sync_says_it_once_in_plain_words_and_logs_the_details_beside_the_cache(tmp_path: Path) -> None:
    cache_path = tmp_path / "cache.sqlite"
    cache = open_cache(cache_path)
    add_store(cache, StoreRecord("Main", "shipstation", {"api_key": "k", "base_url": "https://127.0.0.1:9"}))
    cache.close()

    out, err = shipdesk(cache_path, "sync").communicate(timeout=60)

    assert err.startswith(NOT_SYNCED)
    assert len(err.strip().splitlines()) == 1
    assert "WARNING" not in out + err  # a library's console logging does not reach the terminal
    log = (tmp_path / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "WARNING shipdesk.upstream.sync_stores: store Main not synced: No system keyring" in log


def test_ctrl_c_stops_a_command_with_one_line_and_the_shells_exit_code(tmp_path: Path) -> None:
    never_written = tmp_path / "orders.csv"
    os.mkfifo(never_written)
    running = shipdesk(tmp_path / "cache.sqlite", "import-csv", str(never_written))
    with reading_what_is_never_written(never_written, running):
        running.send_signal(signal.SIGINT)
        out, err = running.communicate(timeout=60)

    assert running.returncode == 130
    assert (out, err) == ("", "shipdesk: Stopped by Ctrl+C; what had finished is saved.\n")


@contextlib.contextmanager
def reading_what_is_never_written(fifo: Path, running: subprocess.Popen[str]) -> Iterator[None]:
    """Returns once the command waits inside the read of the named pipe `fifo`, which stays open and empty.

    Only then may a test press Ctrl+C. Python's signal handler sets a flag that Python code looks at between
    steps: a Ctrl+C just before the read starts is seen by nothing until the read ends, which here is never. And
    one pressed while Python still imports modules can be lost (CPython 3.11 wraps it in a RuntimeError when it
    lands in a __set_name__) or end the process by SIGINT after shipdesk handled it (when it lands in an eval).
    """
    deadline = time.monotonic() + 60
    writer = None
    while writer is None:
        try:  # a non-blocking writer may open a pipe only once its reader has it open
            writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as error:
            if error.errno != errno.ENXIO:
                raise
            assert time.monotonic() < deadline and running.poll() is None
            time.sleep(0.02)
    try:
        wchan = Path(f"/proc/{running.pid}/wchan")  # the kernel function a sleeping process waits in
        while "pipe_read" not in wchan.read_text():
            assert time.monotonic() < deadline and running.poll() is None
            time.sleep(0.02)
        yield
    finally:
        os.close(writer)


def a_large_orders_file(path: Path, orders: int) -> None:
    """About 300 characters a line, two lines an order: 15,000 orders make a file of about 9 MB."""
    heading = "Order #,Order Date,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity,Unit Price,Customer Notes\n"
    note = "Leave the parcel with the neighbour at number 12 if nobody answers; the side gate is open. " * 2
    with path.open("w", encoding="utf-8") as file:
        file.write(heading)
        for number in range(100_001, 100_001 + orders):
            for item in (1, 2):
                file.write(
                    f"{number},2026-11-20 09:00,Zoë Ørsted,Rua das Flores {number},Lisboa,1100,PT,"
                    f"SKU-{item},Item {item},{item},1.50,{note}\n"
                )


def test_a_large_file_is_imported_by_as_many_processes_as_it_is_worth_and_says_so_in_the_log(tmp_path: Path) -> None:
    orders_file = tmp_path / "orders.csv"
    a_large_orders_file(orders_file, 15_000)
    cache_path = tmp_path / "cache.sqlite"

    out, err = shipdesk(cache_path, "import-csv", str(orders_file)).communicate(timeout=120)

    assert err == ""
    assert out.splitlines()[:2] == [
        "Imported 15,000 orders from orders.csv into CSV import: 15,000 new.",
        "Read 30,000 lines.",
    ]
    cores = usable_cores()
    log = (tmp_path / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert f"orders.csv: 30,000 lines, 15,000 orders, read by {min(2, cores)} process(es)" in log
    cache = open_cache(cache_path)
    assert cache.conn.execute("SELECT count(*), max(order_number) FROM orders").fetchone() == (15_000, "115000")
    cache.close()


@pytest.fixture
def one_core_cgroup() -> Iterator[Path]:
    """The cgroup.procs file of a new cgroup whose CPU quota is one core, as a container or a systemd slice sets it."""
    candidates = [(Path("/sys/fs/cgroup/cpu"), "cpu.cfs_quota_us", "100000")]
    if "cpu" in _read(Path("/sys/fs/cgroup/cgroup.subtree_control")).split():
        candidates.append((Path("/sys/fs/cgroup"), "cpu.max", "100000 100000"))
    for mount, quota_file, one_core in candidates:
        group = mount / f"shipdesk-test-{os.getpid()}"
        try:
            group.mkdir()
        except OSError:
            continue
        try:
            (group / quota_file).write_text(one_core, encoding="ascii")
            yield group / "cgroup.procs"
        finally:
            _remove_when_empty(group)
        return
    pytest.skip("no cgroup with a CPU controller can be made here (needs root)")


def _remove_when_empty(group: Path) -> None:
    deadline = time.monotonic() + 10
    while True:  # the kernel lets go of a process's cgroup a moment after the process ended
        try:
            group.rmdir()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _read(file: Path) -> str:
    try:
        return file.read_text(encoding="ascii")
    except OSError:
        return ""


@pytest.mark.skipif(usable_cores() < 2, reason="with one core a file is read by one process anyway")
def test_a_large_file_is_read_by_one_process_where_a_cpu_quota_allows_one_core(
    tmp_path: Path, one_core_cgroup: Path
) -> None:
    orders_file = tmp_path / "orders.csv"
    a_large_orders_file(orders_file, 15_000)
    cache_path = tmp_path / "cache.sqlite"

    def join_the_cgroup() -> None:
        one_core_cgroup.write_text(str(os.getpid()), encoding="ascii")

    out, err = shipdesk(cache_path, "import-csv", str(orders_file), preexec_fn=join_the_cgroup).communicate(timeout=120)

    assert (err, out.splitlines()[0]) == ("", "Imported 15,000 orders from orders.csv into CSV import: 15,000 new.")
    log = (tmp_path / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "orders.csv: 30,000 lines, 15,000 orders, read by 1 process(es)" in log


@pytest.mark.skipif(usable_cores() < 2, reason="with one core a file is read by one process")
def test_ctrl_c_during_a_large_import_stops_every_process_and_leaves_no_files(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    running = a_large_import_under_way(tmp_path, scratch)

    os.killpg(running.pid, signal.SIGINT)  # Ctrl+C reaches every process of the command
    out, err = running.communicate(timeout=60)

    assert running.returncode == 130
    assert (out, err) == ("", "shipdesk: Stopped by Ctrl+C; what had finished is saved.\n")
    assert list(scratch.iterdir()) == []
    assert no_process_left_in(running.pid)
    cache = open_cache(tmp_path / "cache.sqlite")
    assert cache.conn.execute("SELECT count(*) FROM orders").fetchone() == (0,)  # one transaction: all or nothing
    cache.close()


def test_a_command_leaves_nothing_in_the_temporary_folder(tmp_path: Path) -> None:
    # python-escpos makes a folder there on import and never removes it.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    command = [sys.executable, "-m", "shipdesk", "--db", str(tmp_path / "cache.sqlite"), "orders", "--json"]

    done = subprocess.run(
        command, capture_output=True, text=True, env={**NO_KEYRING, "TMPDIR": str(scratch)}, timeout=60
    )

    assert (done.returncode, done.stdout) == (0, "[]\n")
    assert list(scratch.iterdir()) == []


def a_large_import_under_way(tmp_path: Path, scratch: Path) -> subprocess.Popen[str]:
    """`shipdesk import-csv` of a 9 MB file with `scratch` as its temporary folder, once its other process has
    been handed its stretches; in a process group of its own, as a terminal gives a command."""
    orders_file = tmp_path / "orders.csv"
    a_large_orders_file(orders_file, 15_000)
    scratch.mkdir()
    running = subprocess.Popen(
        [sys.executable, "-m", "shipdesk", "--db", str(tmp_path / "cache.sqlite"), "import-csv", str(orders_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**NO_KEYRING, "TMPDIR": str(scratch)},
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not list(scratch.glob("shipdesk-import-*/*.txt")):
        assert time.monotonic() < deadline and running.poll() is None
        time.sleep(0.01)
    return running


def no_process_left_in(group: int) -> bool:
    """Whether the process group ends within seconds: multiprocessing's resource tracker ends just after its parent."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(usable_cores() < 2, reason="with one core no other process reads the file, so no folder is made")
def test_the_next_run_removes_the_temporary_folders_of_a_run_that_was_killed_outright(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    killed = a_large_import_under_way(tmp_path, scratch)
    os.killpg(killed.pid, signal.SIGKILL)  # as a crash or a power cut would: nothing of it can clean up
    killed.communicate(timeout=60)
    assert no_process_left_in(killed.pid)
    left = sorted(folder.name.rsplit("-", 1)[0] for folder in scratch.iterdir())
    assert left == [f"shipdesk-escpos-{killed.pid}", f"shipdesk-import-{killed.pid}"]
    still_running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    (scratch / f"shipdesk-import-{still_running.pid}-abc").mkdir()

    command = [sys.executable, "-m", "shipdesk", "--db", str(tmp_path / "cache.sqlite"), "orders", "--json"]
    done = subprocess.run(
        command, capture_output=True, text=True, env={**NO_KEYRING, "TMPDIR": str(scratch)}, timeout=60
    )

    still_running.kill()
    still_running.wait()
    assert done.returncode == 0
    assert [folder.name for folder in scratch.iterdir()] == [f"shipdesk-import-{still_running.pid}-abc"]
