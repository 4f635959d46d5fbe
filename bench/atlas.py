"""Benchmark: the 82-page field-map atlas of the demo street (issue 7 target: at most 60 s).

    .venv/bin/python bench/atlas.py [--gpkg out/demo/gridgov_demo.gpkg]

Prints the time for one multi-page PDF and, as the reference measured in the
same run, the same pages exported as one PDF per grid; and peak memory.
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import tempfile
import time
from pathlib import Path

from gridgov.atlas.export import make_field_maps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpkg", type=Path, default=Path("out/demo/gridgov_demo.gpkg"))
    args = parser.parse_args()
    if not args.gpkg.exists():
        subprocess.run([".venv/bin/gridgov", "demo", "--out", str(args.gpkg.parent), "--no-maps"], check=True)
    folder = Path(tempfile.mkdtemp())
    started = time.perf_counter()
    pdf = make_field_maps(args.gpkg, folder / "field_maps.pdf")[0]
    one_file = time.perf_counter() - started
    pages = int(subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout.split("Pages:")[1].split()[0])
    started = time.perf_counter()
    files = make_field_maps(args.gpkg, folder / "each", per_grid=True)
    per_grid = time.perf_counter() - started
    print(f"{pages} pages in one PDF: {one_file:.1f} s (target 60 s), {pages / one_file:.1f} pages/s, "
          f"{pdf.stat().st_size / 1e6:.1f} MB")
    print(f"reference, {len(files)} PDFs one per grid: {per_grid:.1f} s -> ratio {per_grid / one_file:.2f}x")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2:.2f} GB")


if __name__ == "__main__":
    main()
