"""ESC/POS bytes back into the printed image, by emupos: a receipt-printer emulator we did not write.

emupos needs Python 3.13, so it runs as a subprocess from its own venv, made once in ~/.cache/shipdesk-tests.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

VENV = Path(os.environ.get("SHIPDESK_TEST_CACHE", Path.home() / ".cache" / "shipdesk-tests")) / "emupos-venv"

# Runs inside emupos's venv: feeds the job through its tokenizer and print model up to the cut, writes the PNG.
_RENDER = r"""
import sys
from emupos.config import PrinterProfile
from emupos.printer.escpos.model import PrintModel
from emupos.printer.escpos.tokenizer import Command, Tokenizer

width, dpi = int(sys.argv[1]), int(sys.argv[2])
profile = PrinterProfile(
    type="printer", name="shipdesk test", dpi=dpi, width_dots=width,
    font_a={"width": 12, "height": 24}, font_b={"width": 9, "height": 17},
    code_pages={0: "PC437"}, default_code_page=0, drawer_sensor_open_level="high",
)
model = PrintModel("test", profile)
problems = []
cut = False
for token in Tokenizer().feed(sys.stdin.buffer.read()):
    if isinstance(token, Command) and token.name == "GS V":  # emupos's device, not its model, ends a job at a cut
        cut = True
        break
    problems += [str(event.data) for event in model.process(token)]
receipt = model.finish("cut")
if problems or receipt is None or not cut:
    sys.exit(f"emupos: unknown commands {problems}, printed {receipt is not None}, cut {cut}")
sys.stdout.buffer.write(receipt.png)
"""


def _python313() -> str | None:
    # pyenv's shim for python3.13 is on PATH even when 3.13 is not the selected version, and then fails; so try the
    # interpreters pyenv keeps before the one on PATH, and take the first that runs.
    candidates: list[str] = []
    pyenv = shutil.which("pyenv")
    if pyenv:
        root = subprocess.run([pyenv, "root"], capture_output=True, text=True, check=False).stdout.strip()
        candidates += [str(path) for path in sorted(Path(root, "versions").glob("3.13*/bin/python3.13"), reverse=True)]
    on_path = shutil.which("python3.13")
    if on_path:
        candidates.append(on_path)
    for candidate in candidates:
        if subprocess.run([candidate, "--version"], capture_output=True, check=False).returncode == 0:
            return candidate
    return None


def emupos_python() -> Path:
    """The Python of a venv with emupos in it, made on first use; skips the test with the reason otherwise."""
    python = VENV / "bin" / "python"
    if python.exists() and subprocess.run([python, "-c", "import emupos"], capture_output=True).returncode == 0:
        return python
    base = _python313()
    if base is None:
        pytest.skip("emupos needs Python 3.13 and none is installed (pyenv install 3.13 provides it)")
    VENV.parent.mkdir(parents=True, exist_ok=True)
    made = subprocess.run([base, "-m", "venv", "--clear", VENV], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"could not make a Python 3.13 venv for emupos: {made.stderr.strip()[-300:]}")
    installed = subprocess.run([python, "-m", "pip", "install", "-q", "emupos"], capture_output=True, text=True)
    if installed.returncode != 0:
        pytest.skip(f"pip could not install emupos: {installed.stderr.strip()[-300:]}")
    return python


def print_on_emulator(job: bytes, width_dots: int, dpi: int) -> Image.Image:
    """What a printer of that width would print for `job`, up to its cut, as a 1-bit image."""
    result = subprocess.run(
        [emupos_python(), "-c", _RENDER, str(width_dots), str(dpi)], input=job, capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return Image.open(io.BytesIO(result.stdout)).convert("1")
