"""Where shipdesk's bundled files (fonts, demo data) are found, from a checkout or a frozen build.

One lookup for every caller: resources/ beside the package, or inside PyInstaller's unpacked bundle.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_folder() -> Path:
    """The resources/ folder: inside the bundle when frozen by PyInstaller, else beside the package."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """A bundled file, e.g. resource_path("fonts", "DejaVuSans.ttf"); FileNotFoundError names where it looked."""
    path = resources_folder().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"shipdesk's bundled file {'/'.join(parts)} is missing (looked for {path})")
    return path
