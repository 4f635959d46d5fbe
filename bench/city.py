"""Benchmark: a demo city of six streets (the three demo areas, twice, with other seeds) through `gridgov city`
on a local Dask cluster, against the same street runs one after another in one process (what a command centre
does by hand), in the same run.

    .venv/bin/python bench/city.py [--scale 1] [--workers 2] [--copies 2]

Prints both wall times, their ratio, the peak memory of the sequential process and of the largest Dask worker
(each street's run is measured in its own worker), and how the city run's time splits into street runs and
gathering.  On 2 cores the ceiling is 2x, less the cluster's start, the gathering, and what two runs at once
cost each other (memory bandwidth: a street runs about 15 % slower beside another).
"""
from __future__ import annotations

import argparse
import multiprocessing
import resource
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from gridgov.city.gather import gather_city
from gridgov.city.project import load_city
from gridgov.city.run import dask_client, run_one_street, run_streets
from gridgov.demo.city import write_demo_city


def warm() -> None:
    """What a worker imports for its first street (the core, geopandas, scipy), done before the timing."""
    import gridgov.pipeline  # noqa: F401


def worker_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one_after_another(streets: list, out: Path) -> tuple:
    """The same street runs (result file and cockpit page), in turn in a fresh process: (seconds, that process's
    peak memory in MB)."""
    started = time.perf_counter()
    for entry in streets:
        run_one_street(entry, out)
    return time.perf_counter() - started, worker_peak_mb()


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__)
    arguments.add_argument("--scale", type=float, default=1.0)
    arguments.add_argument("--workers", type=int, default=2)
    arguments.add_argument("--copies", type=int, default=2, help="each demo area this many times (3 streets each)")
    given = arguments.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gridgov-bench-city-"))
    try:
        streets = []       # the embedded areas, again with other seeds: a district of several streets
        for copy in range(given.copies):
            city = load_city(write_demo_city(3, folder / f"copy{copy}", given.scale, seed=1 + copy))
            streets += [replace(entry, name=f"{entry.name}{copy + 1}") for entry in city.streets]
        city.streets = streets
        started = time.perf_counter()
        with dask_client(len(city.streets), given.workers) as client:
            client.run(warm)
            ready = time.perf_counter()
            outcomes = run_streets(client, city.streets, folder / "dask")
            ran = time.perf_counter()
            peaks = client.run(worker_peak_mb)
        gather_city(outcomes, folder / "dask")
        finished = time.perf_counter()
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            sequential_s, sequential_mb = pool.submit(one_after_another, city.streets, folder / "seq").result()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    houses = sum(o.figures["houses"] for o in outcomes)
    print(f"demo city: {len(outcomes)} streets, {houses:,} houses (scale {given.scale}), {given.workers} workers")
    city_s = finished - started
    print(f"gridgov city (Dask): {city_s:.1f} s (cluster start and imports {ready - started:.1f} s, "
          f"street runs {ran - ready:.1f} s, "
          f"gathering {finished - ran:.1f} s)")
    print(f"one after another:   {sequential_s:.1f} s")
    print(f"ratio: {sequential_s / city_s:.2f}x")
    print(f"peak memory: sequential process {sequential_mb:,.0f} MB, largest Dask worker {max(peaks.values()):,.0f} MB")


if __name__ == "__main__":
    main()
