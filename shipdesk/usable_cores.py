"""How many cores this process can keep busy: those it may run on, fewer where a CPU quota allows less.

A container or a systemd slice may cap CPU time with a cgroup quota while the system still reports every core of the
host; work split over more processes than the quota pays for only shares it, with the overhead on top.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
SELF_CGROUP = Path("/proc/self/cgroup")


def usable_cores(*, cgroup_root: Path = CGROUP_ROOT, self_cgroup: Path = SELF_CGROUP) -> int:
    """The cores this process may run on, capped by its cgroup's CPU quota rounded to the nearest whole core."""
    cores = _cores_to_run_on()
    quota = cpu_quota(cgroup_root=cgroup_root, self_cgroup=self_cgroup)
    if quota is not None:
        cores = min(cores, max(1, math.floor(quota + 0.5)))
    return cores


def _cores_to_run_on() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity call; a quota is Linux-only too
        return os.cpu_count() or 1


def cpu_quota(*, cgroup_root: Path = CGROUP_ROOT, self_cgroup: Path = SELF_CGROUP) -> float | None:
    """The CPU time this process's cgroup and its parents allow, in cores, or None when nothing limits it.

    Reads cgroup v2's cpu.max and cgroup v1's cpu.cfs_quota_us; anything unreadable counts as no limit.
    """
    try:
        lines = self_cgroup.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    limits: list[float] = []
    for line in lines:
        hierarchy, _, rest = line.partition(":")
        controllers, _, path = rest.partition(":")
        if hierarchy == "0" and not controllers:
            for folder in (cgroup_root, cgroup_root / "unified"):
                limits.extend(_limits_up_from(folder, path, _v2_limit))
        elif "cpu" in controllers.split(","):
            limits.extend(_limits_up_from(cgroup_root / controllers, path, _v1_limit))
            limits.extend(_limits_up_from(cgroup_root / "cpu", path, _v1_limit))
    return min(limits, default=None)


def _limits_up_from(mount: Path, path: str, limit_in: Callable[[Path], float | None]) -> list[float]:
    """The limits set on the cgroup at `path` under `mount` and on each of its parents.

    In a container the cgroup's own folder is often the mount itself, whatever path the host gives it.
    """
    parts = [part for part in path.split("/") if part]
    folders = [mount.joinpath(*parts[:depth]) for depth in range(len(parts), -1, -1)]
    return [limit for folder in folders if (limit := limit_in(folder)) is not None]


def _v2_limit(folder: Path) -> float | None:
    words = _read(folder / "cpu.max").split()
    if len(words) != 2 or words[0] == "max":
        return None
    return _ratio(words[0], words[1])


def _v1_limit(folder: Path) -> float | None:
    return _ratio(_read(folder / "cpu.cfs_quota_us"), _read(folder / "cpu.cfs_period_us"))


def _ratio(quota: str, period: str) -> float | None:
    try:
        allowed, per = int(quota), int(period)
    except ValueError:
        return None
    return allowed / per if allowed > 0 and per > 0 else None


def _read(file: Path) -> str:
    try:
        return file.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
