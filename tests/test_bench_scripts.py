"""Every benchmark in bench/ still loads against today's code, so the figures the issues ask for can be measured.

They are loaded, not run: a figure is never a test, and one run takes minutes.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.mark.parametrize("script", sorted(BENCH.glob("*.py")), ids=lambda script: script.name)
def test_each_benchmark_loads(script: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCH))  # as when run as a script: its neighbours import by name
    spec = importlib.util.spec_from_file_location(script.stem, script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, script.stem, module)

    spec.loader.exec_module(module)

    assert callable(getattr(module, "main", None)) or script.stem == "orders_csv"  # orders_csv is their helper
