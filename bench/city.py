"""Benchmark: `gridgov city` on demo cities of 5, 10 and 20 streets (`gridgov demo --city 20`: twenty
streets on real Hangzhou roads) on a local Dask cluster; the 20 streets also on 1 worker, and as the serial loop
over the same street runs in one process (what a command centre does by hand), all in the same run.

    .venv/bin/python bench/city.py [--scale 0.3] [--streets 5,10,20]

Prints the wall time of each, the ratios (2 workers against 1 and against the loop), and the peak memory of
each worker: a worker holds one street's data at a time, so its peak stays flat as the city grows.
"""
from __future__ import annotations

import argparse
import multiprocessing
import resource
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from gridgov.city.gather import gather_city
from gridgov.city.project import load_city
from gridgov.city.run import dask_client, run_one_street, run_streets
from gridgov.demo.city import write_demo_city


def warm() -> None:
    """What a worker imports for its first street (the core, geopandas, scipy), done before the timing."""
    import gridgov.pipeline  # noqa: F401


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def serial_loop(streets: list, out: Path) -> tuple:
    """The same street runs (result file and cockpit page), in turn in a fresh process: (seconds, that
    process's peak memory in MB)."""
    warm()
    started = time.perf_counter()
    for entry in streets:
        run_one_street(entry, out)
    return time.perf_counter() - started, peak_mb()


def on_dask(streets: list, workers: int, out: Path) -> tuple:
    """(seconds for the street runs and the gathering, peak MB of each worker) on a fresh local cluster."""
    with dask_client(len(streets), workers) as client:
        client.run(warm)
        started = time.perf_counter()
        outcomes = run_streets(client, streets, out)
        peaks = sorted(client.run(peak_mb).values())
    gather_city(outcomes, out)
    assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
    return time.perf_counter() - started, peaks


def demo_streets(count: int, scale: float, folder: Path) -> list:
    return load_city(write_demo_city(count, folder, scale, seed=1)).streets


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__)
    arguments.add_argument("--scale", type=float, default=0.3)
    arguments.add_argument("--streets", default="5,10,20")
    given = arguments.parse_args()
    sizes = [int(n) for n in given.streets.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="gridgov-bench-city-"))
    try:
        streets = demo_streets(max(sizes), given.scale, folder)
        print(f"demo streets at scale {given.scale}; one thread per worker")
        for count in sizes:
            seconds, peaks = on_dask(streets[:count], 2, folder / f"two-{count}")
            print(f"{count:>3} streets, 2 workers: {seconds:6.1f} s, worker peaks {', '.join(f'{p:,.0f}' for p in peaks)} MB")
        largest = streets[:max(sizes)]
        one, one_peaks = on_dask(largest, 1, folder / "one")
        print(f"{len(largest):>3} streets, 1 worker:  {one:6.1f} s, worker peak {one_peaks[0]:,.0f} MB")
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            loop, loop_peak = pool.submit(serial_loop, largest, folder / "loop").result()
        print(f"{len(largest):>3} streets, serial loop in one process: {loop:6.1f} s, peak {loop_peak:,.0f} MB")
        print(f"2 workers / 1 worker: {seconds / one:.2f} (target at most 0.6); 2 workers vs the loop: "
              f"{loop / seconds:.2f}x faster")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
