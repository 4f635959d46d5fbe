"""Benchmark: `gridgov run` at demo scale 20 (46,700 houses, 1.8 million people), and how much of it is
writing the result file (target: at most 20 %), against writing the same file with an R-tree on every
layer, in the same run; peak memory.

    .venv/bin/python bench/write.py [--scale 20]

The demo street is built once into out/bench/ and reused.
"""
from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path
from unittest import mock

from gridgov.demo import build_demo, write_demo
from gridgov.layers import geopackage, load_project
from gridgov.layers.street import load_street
from gridgov.pipeline import analyse, context_layers, write_results

OUT = Path(__file__).resolve().parents[1] / "out" / "bench"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=20)
    args = parser.parse_args()
    folder = OUT / f"run-{args.scale:g}"
    if not (folder / "gridgov_demo.toml").exists():
        write_demo(build_demo("xiaohe", scale=args.scale), folder)
    project = load_project(folder / "gridgov_demo.toml")
    started = time.perf_counter()
    street = load_street(project)
    loaded = time.perf_counter()
    analysis = analyse(street)
    analysed = time.perf_counter()
    write_results(analysis, folder / "result.gpkg", extra_layers=context_layers(street), inputs=project.files)
    written = time.perf_counter()
    with mock.patch.object(geopackage, "UNINDEXED_FROM", float("inf")):
        write_results(analysis, folder / "result_indexed.gpkg", extra_layers=context_layers(street), inputs=project.files)
    indexed = time.perf_counter() - written
    run = written - started
    people = len(analysis.join.records["people"])
    print(f"demo scale {args.scale:g}: {len(analysis.houses):,} houses, {people:,} people")
    print(f"load {loaded - started:.1f} s + analyse {analysed - loaded:.1f} s + write {written - analysed:.1f} s = "
          f"{run:.1f} s; writing {(written - analysed) / run:.0%} of the run (target 20 %)")
    print(f"the same file with an R-tree on every layer: {indexed:.1f} s -> ratio {indexed / (written - analysed):.2f}x")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2:.2f} GB")


if __name__ == "__main__":
    main()
