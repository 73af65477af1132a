"""Benchmark: the products, study-sized and national, in every format.

1. The study-sized result (the simulator's ``study`` scale, seed 2023, evaluated with the
   defaults): the factsheet and the final report, each as HTML, PDF and DOCX in Dutch; the
   median of three runs in this process (the first run's time, with its start-up, is printed
   too).
2. The national result (the simulator's ``national`` scale: 1,400 groups in 35 regions,
   5,000 treated against 500,000 controls x 48 months, evaluated once): reading the result,
   then the 35 regional factsheets and the national final report, each as HTML, PDF and DOCX
   in Dutch: all 36 outputs, one after the other in one process.

Targets (issue 8) on the 2-core machine: a factsheet under 2 s, the final report under 15 s,
all 36 national outputs under 2 minutes. The packages and results are cached in ``--cache``
(default /tmp/mentorwijs-bench-reports); the national ones take about 40 s to simulate and a
few minutes to evaluate the first time (the multiple-imputation sensitivity analysis is left
out there, ``imputations=0``: it would add a quarter of an hour and the products render it as
one sentence).
Run: .venv/bin/python benchmarks/reports.py [--cache DIR] [--lang nl]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from machine import describe, peak_mb

from mentorwijs.evaluation.pipeline import evaluate_package
from mentorwijs.evaluation.result import RESULT_FILE, EvaluationResult
from mentorwijs.reports import ALL_FORMATS, render_report
from mentorwijs.reports.scope import regions
from mentorwijs.simulation import simulate_package
from mentorwijs.studydata import read_package

CREATED = "2026-11-25T12:00:00Z"


def cached_result(cache: Path, scale: str, settings: dict[str, object]) -> Path:
    """Simulate and evaluate ``scale`` once; return the result folder."""
    package, result = cache / f"{scale}-package", cache / f"{scale}-result"
    if (result / RESULT_FILE).exists():
        return result
    if not (package / "datapackage.json").exists():
        print(f"simulating the {scale} package into {package} (once)", flush=True)
        simulate_package(package, seed=2023, scale=scale)  # type: ignore[arg-type]
    print(f"evaluating the {scale} package into {result} (once)", flush=True)
    started = time.perf_counter()
    data = read_package(package, validate=scale != "national")
    evaluate_package(data, created_at=CREATED, seed=2023, settings=settings).save(result)
    print(f"  evaluated in {time.perf_counter() - started:.0f} s", flush=True)
    return result


def timed(fn: object, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append(time.perf_counter() - started)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/mentorwijs-bench-reports"))
    parser.add_argument("--lang", choices=["nl", "en"], default="nl")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(describe(("numpy", "pandas", "matplotlib", "typst", "python-docx", "jinja2")))
    args.cache.mkdir(parents=True, exist_ok=True)
    study_dir = cached_result(args.cache, "study", {})
    national_dir = cached_result(args.cache, "national", {"imputations": 0})

    study = EvaluationResult.load(study_dir)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)

        def factsheet() -> None:
            render_report(study, out, lang=args.lang, formats=ALL_FORMATS, product="factsheet")

        def report() -> None:
            render_report(study, out, lang=args.lang, formats=ALL_FORMATS)

        fs = timed(factsheet, args.repeat)
        fr = timed(report, args.repeat)
        print(
            "study-sized, HTML + PDF + DOCX: factsheet "
            + ", ".join(f"{s:.2f}" for s in fs)
            + " s; final report "
            + ", ".join(f"{s:.2f}" for s in fr)
            + " s"
        )

        started = time.perf_counter()
        national = EvaluationResult.load(national_dir)
        loaded = time.perf_counter() - started
        codes = list(regions(national))
        per_region = []
        for code in codes:
            t0 = time.perf_counter()
            render_report(
                national, out, lang=args.lang, formats=ALL_FORMATS, product="factsheet", region=code
            )
            per_region.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        render_report(national, out, lang=args.lang, formats=ALL_FORMATS)
        national_report = time.perf_counter() - t0
        national_seconds = time.perf_counter() - started
        files = len(list(out.glob("factsheet-*"))) // len(ALL_FORMATS)
    print(
        f"national: result read in {loaded:.1f} s; {files} regional factsheets in "
        f"{sum(per_region):.1f} s (mean {statistics.mean(per_region):.2f} s, max "
        f"{max(per_region):.2f} s); national final report {national_report:.1f} s; "
        f"all {len(codes) + 1} outputs {national_seconds:.1f} s"
    )
    print(
        f"RESULT factsheet_seconds={statistics.median(fs):.2f} "
        f"final_report_seconds={statistics.median(fr):.2f} national_seconds={national_seconds:.1f} "
        f"regions={len(codes)} peak_mb={peak_mb():.0f}"
    )


if __name__ == "__main__":
    main()
