"""Reading a large CSV file in stretches, each in a process of its own, so an import uses more than one core.

A file is cut where one order's rows end and another's begin, and each stretch is read, ruled and turned into
cache rows on its own (csv_prepared): this process reads the first while the others read theirs. If reading
alone could have come out differently from reading the whole file (csv_prepared.read_as_from_the_top), or a
process fails, the caller reads the file whole, here, as if it had never been cut.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import itertools
import marshal
import multiprocessing
import pickle
import signal
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import Literal

from shipdesk.temp_folders import folder_prefix
from shipdesk.upstream.csv_prepared import PreparedStretch, prepare_stretch
from shipdesk.upstream.csvfile import CsvLayout, RowFormat, import_time_now
from shipdesk.usable_cores import usable_cores

# Below this much text per process, another process is not worth starting: a new interpreter that imports shipdesk
# costs about 0.1 s, and a 5 MB file (20,000 lines) imports as fast in one process as in two.
MIN_CHARS_PER_PROCESS = 4_000_000
MAX_PROCESSES = 4
# A process sends its stretch back in pieces of about this much text, so this process can write one piece while the
# others are still being read: writing a stretch into the cache takes about a third of the time reading it does.
PIECE_CHARS = 2_000_000
_PIECES_PER_PROCESS = 6
# This process's share of the reading with one other process (less with more): it also writes every stretch, and
# measured, 40 % keeps both busy to the end (30 % or 50 % left one of them waiting).
_HERE_SHARE = 0.4
# How far past a cut to look for two rows of different orders, one above the other.
_ROWS_LOOKED_AT = 2_000


class StretchReading:
    """The stretches of one file: the first read here, the others by processes started on entering.

    This process also writes every stretch into the cache, so it reads a smaller share than the others.
    """

    def __init__(
        self, layout: CsvLayout, *, store: str, processes: int | None = None, piece_chars: int = PIECE_CHARS
    ) -> None:
        self.layout = layout
        self.store = store
        self.import_time = import_time_now()  # one for all stretches: the order date of orders that give none
        if processes is None:
            body = len(layout.text) - layout.body_start
            processes = min(MAX_PROCESSES, usable_cores(), max(1, body // MIN_CHARS_PER_PROCESS))
        self.runs = _runs(stretch_starts(layout, _cuts(layout, processes, piece_chars)), processes - 1)
        lines = _RunningCount(layout.text, "\n", layout.body_start)
        self._lines_above = {
            start: layout.lines_above_body + lines.above(start) for start in sorted(set(itertools.chain(*self.runs)))
        }
        self._processes: list[multiprocessing.process.BaseProcess] = []
        self._connections: list[Connection] = []
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    @property
    def processes(self) -> int:
        """How many processes read the file: this one, and one for each run of stretches."""
        return len(self.runs)

    def __enter__(self) -> StretchReading:
        if len(self.runs) > 1:
            try:
                self._folder = tempfile.TemporaryDirectory(prefix=folder_prefix("import"))
                for number, run in enumerate(self.runs[1:], start=1):
                    self._start_process(number, run)
            except OSError:
                self._stop()  # no processes or files to be had: the file is read whole, here
                self.runs = [[self.layout.body_start, len(self.layout.text)]]
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop()

    def first(self) -> PreparedStretch:
        """The first stretch, read here."""
        start, end = self.runs[0][0], self.runs[0][-1]
        return self._prepare_here(start, end)

    def others(self) -> Iterator[PreparedStretch | None]:
        """The stretches the other processes read, in file order, each as it is ready; None if a process failed."""
        for connection in self._connections:
            while True:
                try:
                    done = connection.recv()
                except (EOFError, OSError):
                    done = None
                if not isinstance(done, str):
                    yield None
                    return
                if not done:
                    break
                yield _load(Path(done))

    def whole(self) -> PreparedStretch:
        """The file read whole, here."""
        return self._prepare_here(self.layout.body_start, len(self.layout.text))

    def _prepare_here(self, start: int, end: int) -> PreparedStretch:
        return prepare_stretch(
            self.layout.row_format,
            self.layout.text[start:end],
            lines_above=self._lines_above[start],
            store=self.store,
            import_time=self.import_time,
        )

    def _start_process(self, number: int, run: list[int]) -> None:
        # Stretches go out and come back as files, not through the pipe: sending much through a pipe takes turns
        # with the reading in both processes, a few kilobytes at a time.
        assert self._folder is not None
        folder = Path(self._folder.name)
        pieces: list[_Piece] = []
        for start, end in itertools.pairwise(run):
            text_file = folder / f"{number}-{start}.txt"
            text_file.write_bytes(self.layout.text[start:end].encode("utf-8", "surrogatepass"))
            pieces.append(_Piece(self._lines_above[start], str(text_file), str(folder / f"{number}-{start}.pickle")))
        job = _Job(self.layout.row_format, self.store, self.import_time, pieces)
        # Spawned, never forked: the window imports on a worker thread, and forking a process with threads is unsafe.
        context = multiprocessing.get_context("spawn")
        here, there = context.Pipe(duplex=False)
        process = context.Process(target=prepare_stretches, args=(job, there), daemon=True, name="shipdesk-csv")
        process.start()
        there.close()  # so that `here` reads end-of-file if the process dies
        self._processes.append(process)
        self._connections.append(here)

    def _stop(self) -> None:
        for connection in self._connections:
            connection.close()
        for process in self._processes:
            # One that sent its stretches is ending anyway; one that did not is no longer wanted.
            if process.is_alive():
                process.kill()
            process.join()
        self._connections.clear()
        self._processes.clear()
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None


@dataclass(frozen=True, slots=True)
class _Piece:
    lines_above: int
    text_file: str
    stretch_file: str  # where its prepared stretch goes


@dataclass(frozen=True, slots=True)
class _Job:
    row_format: RowFormat
    store: str
    import_time: datetime
    pieces: list[_Piece]  # in file order


def prepare_stretches(job: _Job, done: Connection) -> None:
    """A stretch process: prepare each piece of the job into its file, and say so: its file's name, then "" at the
    end. Stops at the first that fails, saying nothing more, so the importing process reads the file whole."""
    gc.disable()  # as in import_csv: millions of small objects, none in cycles, all gone when the process ends
    # Ctrl+C in a terminal reaches every process of the command; the importing one alone stops the import.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):  # OSError: the import was given up
        for piece in job.pieces:
            try:
                text = Path(piece.text_file).read_bytes().decode("utf-8", "surrogatepass")
                prepared = prepare_stretch(
                    job.row_format, text, lines_above=piece.lines_above, store=job.store, import_time=job.import_time
                )
                _save(prepared, Path(piece.stretch_file))
            except Exception:  # the importing process reads the file again and says what is wrong
                break
            done.send(piece.stretch_file)
        else:
            done.send("")
    done.close()


def _save(stretch: PreparedStretch, stretch_file: Path) -> None:
    # The rows, plain tuples of text and numbers, go by marshal: twice as fast to write as pickle, as fast to read.
    rows, stretch.rows = stretch.rows, []
    stretch_file.write_bytes(pickle.dumps(stretch, protocol=pickle.HIGHEST_PROTOCOL))
    stretch_file.with_suffix(".rows").write_bytes(marshal.dumps(rows))


def _load(stretch_file: Path) -> PreparedStretch | None:
    try:
        stretch = pickle.loads(stretch_file.read_bytes())
        rows = marshal.loads(stretch_file.with_suffix(".rows").read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(stretch, PreparedStretch) or not isinstance(rows, list):
        return None
    stretch.rows = rows
    return stretch


def _cuts(layout: CsvLayout, processes: int, piece_chars: int) -> list[int]:
    """Where to cut the file about: after this process's share, then into pieces for the others."""
    if processes < 2:
        return []
    start, end = layout.body_start, len(layout.text)
    others = processes - 1
    here_end = start + int((end - start) * _HERE_SHARE / others)
    per_process = (end - here_end) / others
    pieces = max(1, min(_PIECES_PER_PROCESS, int(per_process // max(1, piece_chars))))
    step = per_process / pieces
    return [here_end, *(int(here_end + step * number) for number in range(1, others * pieces))]


def _runs(starts: list[int], others: int) -> list[list[int]]:
    """The bounds of each process's stretches: this process's one stretch first, then the others' runs of them."""
    *cuts, end = starts
    if others < 1 or len(cuts) < 2:
        return [[starts[0], end]]
    pieces = len(cuts) - 1
    runs = [[cuts[0], cuts[1]]]
    for number in range(min(others, pieces)):
        first = 1 + pieces * number // min(others, pieces)
        last = 1 + pieces * (number + 1) // min(others, pieces)
        runs.append([*cuts[first:last], cuts[last] if last < len(cuts) else end])
    return runs


def stretch_starts(layout: CsvLayout, cuts: list[int]) -> list[int]:
    """Where each stretch starts, the first at the file's first row and each other at the first order after a cut,
    and where the last one ends. Cuts with no order start after them, or the same one as the cut before, are dropped.
    """
    starts = [layout.body_start]
    text = layout.text
    if cuts and ("\r" not in text or text.count("\r") == text.count("\r\n")):
        # Only then: line numbers count lines as the csv reader does, which takes a lone carriage return as one too.
        quotes = _RunningCount(text, '"', 0)
        for cut in cuts:
            start = _order_start_after(layout, max(cut, starts[-1]), quotes)
            if start is not None:
                starts.append(start)
    return [*starts, len(text)]


def _order_start_after(layout: CsvLayout, near: int, quotes_from_top: _RunningCount) -> int | None:
    """The start of the first row after `near` that names another order than the row above it.

    A row ends at the first line end with an even number of quotes above it, so a value with line breaks inside
    its quotes stays in its row. A stray quote in an unquoted value makes that count wrong; then the stretch above
    ends inside a quoted value, its reader says so, and the file is read whole (read_as_from_the_top).
    """
    text = layout.text
    row_format = layout.row_format
    number_at = row_format.heading.columns.index["order_number"]
    quoted = row_format.quoting == csv.QUOTE_MINIMAL
    row_start = text.find("\n", near) + 1
    if not row_start:
        return None
    if quoted and quotes_from_top.above(row_start) % 2:
        row_start = _row_end(text, row_start, quotes=1)  # inside a quoted value: its row ends further down
    above = ""
    for _ in range(_ROWS_LOOKED_AT):
        if row_start >= len(text):
            return None
        row_end = _row_end(text, row_start) if quoted else (text.find("\n", row_start) + 1 or len(text))
        number = _cell(text[row_start:row_end], number_at, row_format.heading.delimiter, row_format.quoting)
        if number and above and number != above:
            return row_start
        above = number
        row_start = row_end
    return None


def _row_end(text: str, start: int, quotes: int = 0) -> int:
    """Where the row going on at `start` ends: after the first line end with an even count of quotes before it."""
    while True:
        line_end = text.find("\n", start) + 1 or len(text)
        quotes += text.count('"', start, line_end)
        if quotes % 2 == 0 or line_end == len(text):
            return line_end
        start = line_end


def _cell(line: str, at: int, delimiter: str, quoting: Literal[0, 3]) -> str:
    try:
        cells = next(csv.reader([line], delimiter=delimiter, strict=True, quoting=quoting))
    except (csv.Error, StopIteration):
        return ""
    return cells[at].strip() if at < len(cells) else ""


class _RunningCount:
    """How often a character occurs between a start and positions that only grow, counting each stretch once."""

    def __init__(self, text: str, char: str, start: int) -> None:
        self.text = text
        self.char = char
        self.at = start
        self.count = 0

    def above(self, position: int) -> int:
        self.count += self.text.count(self.char, self.at, position)
        self.at = max(self.at, position)
        return self.count
