"""Benchmark: simulate the national scale (5,000 treated, 500,000 controls x 48 months).

Target (issue "Foundation"): under 60 s and under 6 GB peak memory on a 2-core machine.
Run: .venv/bin/python benchmarks/simulate_national.py [--seed N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from machine import describe, peak_mb

from mentorwijs.simulation import simulate_package


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--out", type=Path, default=None, help="keep the package here")
    args = parser.parse_args()
    print(describe())
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "national"
        start = time.perf_counter()
        simulate_package(out, seed=args.seed, scale="national")
        seconds = time.perf_counter() - start
        size_mb = sum(p.stat().st_size for p in out.iterdir()) / 1e6
    import pyarrow.parquet as pq

    rows = 500_000 + 5_000
    if args.out is not None:
        rows = pq.ParquetFile(args.out / "register_months.parquet").metadata.num_rows
    else:
        rows *= 48
    print(f"simulated national scale in {seconds:.1f} s; package {size_mb:.0f} MB on disk")
    print(f"RESULT seconds={seconds:.1f} peak_mb={peak_mb():.0f} rows={rows}")


if __name__ == "__main__":
    main()
