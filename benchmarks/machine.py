"""What every benchmark prints first: the machine it ran on, so runs can be compared."""

from __future__ import annotations

import os
import platform
import resource
import sys
from importlib.metadata import PackageNotFoundError, version


def _memory_gb() -> float:
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return float("nan")


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def describe(packages: tuple[str, ...] = ("numpy", "pandas", "pyarrow")) -> str:
    """One paragraph about this machine and the versions that matter for speed."""
    versions = []
    for name in ("mentorwijs", *packages):
        try:
            versions.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return (
        f"machine: {platform.platform()}; {_cpu_model()}; {os.cpu_count()} cores; "
        f"{_memory_gb():.1f} GB memory\n"
        f"python {sys.version.split()[0]}; " + "; ".join(versions)
    )


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
