"""How many processes a large job may use: the cores this process runs on, fewer where a CPU quota says so.

The cgroup files are laid out here as Linux lays them out; tests/test_cli_process.py runs an import in a real cgroup.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shipdesk.usable_cores import cpu_quota, usable_cores

CORES_TO_RUN_ON = len(os.sched_getaffinity(0))


def cgroups(tmp_path: Path, membership: str, files: dict[str, str]) -> dict[str, Path]:
    """A /proc/self/cgroup of `membership` and a cgroup tree holding `files` (path under the root: text)."""
    root = tmp_path / "sys-fs-cgroup"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text + "\n", encoding="ascii")
    self_cgroup = tmp_path / "proc-self-cgroup"
    self_cgroup.write_text(membership, encoding="ascii")
    return {"cgroup_root": root, "self_cgroup": self_cgroup}


def test_a_cgroup_v2_quota_caps_the_cores(tmp_path: Path) -> None:
    paths = cgroups(tmp_path, "0::/\n", {"cpu.max": "150000 100000"})

    assert cpu_quota(**paths) == 1.5
    assert usable_cores(**paths) == min(CORES_TO_RUN_ON, 2)  # one and a half cores keep two processes busy


def test_no_quota_leaves_every_core_the_process_may_run_on(tmp_path: Path) -> None:
    paths = cgroups(tmp_path, "0::/user.slice\n", {"cpu.max": "max 100000", "user.slice/cpu.max": "max 100000"})

    assert cpu_quota(**paths) is None
    assert usable_cores(**paths) == CORES_TO_RUN_ON


def test_a_quota_on_a_parent_cgroup_counts_too(tmp_path: Path) -> None:
    files = {"shop.slice/cpu.max": "100000 100000", "shop.slice/shipdesk/cpu.max": "400000 100000"}
    paths = cgroups(tmp_path, "0::/shop.slice/shipdesk\n", files)

    assert cpu_quota(**paths) == 1.0
    assert usable_cores(**paths) == 1


def test_a_cgroup_v1_quota_caps_the_cores(tmp_path: Path) -> None:
    membership = "4:memory:/docker/abc\n2:cpu,cpuacct:/docker/abc\n0::/\n"
    files = {"cpu,cpuacct/docker/abc/cpu.cfs_quota_us": "50000", "cpu,cpuacct/docker/abc/cpu.cfs_period_us": "100000"}
    paths = cgroups(tmp_path, membership, files)

    assert cpu_quota(**paths) == 0.5
    assert usable_cores(**paths) == 1  # never fewer than one


def test_a_container_that_mounts_its_own_cgroup_as_the_root_is_read_there(tmp_path: Path) -> None:
    # The host's path of the cgroup is not below the container's mount, which is the cgroup itself.
    paths = cgroups(tmp_path, "0::/system.slice/docker-abc.scope\n", {"cpu.max": "100000 100000"})

    assert cpu_quota(**paths) == 1.0


def test_an_unlimited_v1_quota_and_unreadable_files_count_as_no_limit(tmp_path: Path) -> None:
    files = {"cpu/cpu.cfs_quota_us": "-1", "cpu/cpu.cfs_period_us": "100000", "unified/cpu.max": "garbage"}
    paths = cgroups(tmp_path, "1:cpu:/\n0::/\n", files)

    assert cpu_quota(**paths) is None
    assert cpu_quota(cgroup_root=tmp_path / "none", self_cgroup=tmp_path / "no-such-file") is None
    assert usable_cores(cgroup_root=tmp_path / "none", self_cgroup=tmp_path / "no-such-file") == CORES_TO_RUN_ON


@pytest.mark.parametrize("quota", ["0 100000", "100000 0", "-5 100000", "1.5 1"])
def test_a_quota_that_makes_no_sense_is_ignored(tmp_path: Path, quota: str) -> None:
    assert cpu_quota(**cgroups(tmp_path, "0::/\n", {"cpu.max": quota})) is None
