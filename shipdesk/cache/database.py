"""Opening the cache file: WAL mode, schema version and forward migrations.

A file written by a newer shipdesk is refused rather than guessed at.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from shipdesk.cache import schema


class CacheError(Exception):
    """A problem with the cache file that the user can act on."""


class Cache:
    """One open cache file. Writes go through `transaction()` so each is all or nothing."""

    def __init__(self, db: sqlite_utils.Database, path: Path | None) -> None:
        self.db = db
        self.path = path

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        version: int = self.conn.execute("PRAGMA user_version").fetchone()[0]
        return version

    def close(self) -> None:
        self.db.close()


Migration = Callable[[sqlite_utils.Database], None]


PAGE_SIZE = 16_384


def open_cache(path: Path | str | None, *, upto: int | None = None) -> Cache:
    """Open (creating if needed) the cache at `path`, or an in-memory one for None.

    `upto` stops the migrations at that version; only tests use it, to build an old file.
    """
    file_path = Path(path) if path is not None else None
    if file_path is not None:
        _make_room_for(file_path)
    try:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction is exactly what we say.
        conn = sqlite3.connect(
            str(file_path) if file_path else ":memory:", isolation_level=None, check_same_thread=False
        )
        # Before the first read: another shipdesk may be making this very file, and is waited for, not refused.
        conn.execute("PRAGMA busy_timeout=5000")
        if _another_programs_database(conn):
            conn.close()
            raise CacheError(f"{file_path} is not a shipdesk cache file: it holds another program's tables")
        # A new file gets 16 kB pages, where an order's 1.5 kB of JSON rows sit with less overhead: a 100,000-line
        # import 9-13 % faster, sorting by recipient faster, searches the same. A file made before keeps its 4 kB
        # pages: SQLite changes them only with a VACUUM, which must run outside WAL mode.
        conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
        conn.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError as error:
        if error.sqlite_errorname.startswith("SQLITE_BUSY"):
            raise  # busy, not broken: the caller says so and what had finished is kept
        if error.sqlite_errorname == "SQLITE_READONLY_DIRECTORY" and file_path is not None:
            raise CacheError(_read_only_folder(file_path)) from error
        raise CacheError(f"{file_path} cannot be opened as a cache ({error})") from error
    except sqlite3.DatabaseError as error:
        raise CacheError(f"{file_path} is not a shipdesk cache file ({error})") from error
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    cache = Cache(sqlite_utils.Database(conn), file_path)
    _migrate(cache, schema.MIGRATIONS if upto is None else schema.MIGRATIONS[:upto])
    return cache


def _make_room_for(file_path: Path) -> None:
    """Makes the cache's folder on a first start; CacheError says why a place cannot hold a cache."""
    if file_path.is_dir():
        raise CacheError(
            f"{file_path} is a folder, not a cache file; name a file in it, such as {file_path / 'shipdesk.sqlite'}"
        )
    folder = file_path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise CacheError(f"the folder {folder} for the cache cannot be made: a file has its name") from None
    except OSError as error:
        raise CacheError(f"the folder {folder} for the cache cannot be made ({error.strerror or error})") from None


def _read_only_folder(file_path: Path) -> str:
    return (
        f"the folder {file_path.parent} of the cache is read-only; shipdesk keeps its working files "
        f"({file_path.name}-wal, {file_path.name}-shm) beside the cache, so make the folder writable"
    )


def _another_programs_database(conn: sqlite3.Connection) -> bool:
    """Tables in a file shipdesk never migrated: the first migration makes its tables and its version together."""
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0


def _migrate(cache: Cache, migrations: list[Migration]) -> None:
    current = cache.schema_version
    if current > len(schema.MIGRATIONS):
        raise CacheError(
            f"{cache.path} was written by a newer shipdesk (schema {current}); "
            f"this version understands up to schema {len(schema.MIGRATIONS)}. Update shipdesk."
        )
    for version, migration in enumerate(migrations, start=1):
        if version <= current:
            continue
        with cache.transaction():
            # Read again under the write lock: another program (the window, the command line) opening the file at the
            # same time may have made this step while we waited for it, and a step made twice fails.
            if cache.schema_version >= version:
                continue
            migration(cache.db)
            cache.conn.execute(f"PRAGMA user_version={version}")


@contextmanager
def cache_for_this_thread(cache: Cache) -> Iterator[Cache]:
    """The cache through a connection of the calling thread's own, closed afterwards.

    A worker thread writes through its own connection, so no connection sees two threads write at once; WAL lets
    the others read meanwhile. An in-memory cache cannot be opened twice: its one connection is shared.
    """
    if cache.path is None:
        yield cache
        return
    own = open_cache(cache.path)
    try:
        yield own
    finally:
        own.close()
