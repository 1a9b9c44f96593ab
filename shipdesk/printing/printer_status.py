"""Asking a label or receipt printer whether it can print now: the status query of each language and its answer.

ZPL answers ~HS with three framed strings; ESC/POS answers DLE EOT 4 (paper sensor) with one byte; TSPL answers
ESC !? with one byte. A printer that does not answer is taken as able to print: many clones never do.
"""

from __future__ import annotations

STX, ETX = b"\x02", b"\x03"

# language -> the query sent before a job on a connection that can answer (raw TCP)
STATUS_QUERIES: dict[str, bytes] = {
    "zpl": b"~HS",
    "escpos": b"\x10\x04\x04",
    "tspl": b"\x1b!?",
}

# TSPL's status byte, bit by bit (TSPL/TSPL2 programming manual, <ESC>!?).
_TSPL_PROBLEMS = ((0x01, "its print head is open"), (0x02, "the paper is jammed"), (0x04, "it is out of labels"),
                  (0x08, "it is out of ribbon"), (0x10, "it is paused"), (0x80, "it reports an error"))  # fmt: skip

# ESC/POS DLE EOT 4, the roll paper sensor: bits 5 and 6 set mean the paper has run out.
_ESCPOS_PAPER_END = 0x60


def answer_complete(language: str, answer: bytes) -> bool:
    """Whether `answer` holds the printer's whole status answer yet."""
    if language == "zpl":
        return answer.count(ETX) >= 2  # strings 1 and 2 hold every flag read here
    return len(answer) >= 1


def status_problem(language: str, answer: bytes) -> str:
    """Why the printer cannot print, in a packer's words, from its status answer; '' when it can."""
    if language == "zpl":
        return _zpl_problem(answer)
    if language == "escpos":
        return "it is out of paper" if answer[-1] & _ESCPOS_PAPER_END == _ESCPOS_PAPER_END else ""
    if language == "tspl":
        problems = [words for bit, words in _TSPL_PROBLEMS if answer[-1] & bit]
        return " and ".join(problems)
    return ""


def _zpl_problem(answer: bytes) -> str:
    strings = [part.split(STX)[-1].decode("ascii", "replace") for part in answer.split(ETX)[:2]]
    first = strings[0].split(",")
    second = strings[1].split(",") if len(strings) > 1 else []
    problems = []
    if len(first) > 1 and first[1] == "1":
        problems.append("it is out of labels")
    if len(second) > 2 and second[2] == "1":
        problems.append("its print head is open")
    if len(second) > 3 and second[3] == "1":
        problems.append("it is out of ribbon")
    if len(first) > 2 and first[2] == "1":
        problems.append("it is paused")
    return " and ".join(problems)
