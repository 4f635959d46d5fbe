"""Benchmark: the cockpit page for a street of 20,000 houses (issue 8 targets: at most 6 MB of HTML,
loaded in headless Chromium within 2 s).

    .venv/bin/python bench/webmap.py [--houses 20000]

Prints the page size and the load time in Debian's Chromium (network cut), and as
the reference measured in the same run, the same layers written by folium's
defaults (full precision, no simplification, CDN scripts not counted).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

import folium

from gridgov.cockpit.page import write_cockpit
from gridgov.demo import build_demo
from gridgov.demo.records import EVENT_YEARS
from gridgov.layers import Street
from gridgov.layers.report import Report
from gridgov.pipeline import analyse, context_layers

ROOT = Path(__file__).resolve().parents[1]
BASE_HOUSES = 2357


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--houses", type=int, default=20_000)
    args = parser.parse_args()
    demo = build_demo("xiaohe", scale=args.houses / BASE_HOUSES,
                      totals={"residents": 150_000, "floating": 40_000, "units": 10_000, "events": 20_000 // EVENT_YEARS,
                              "sensors": 2_000})
    layers = {k: v.to_crs(4549) for k, v in demo.layers.items()}
    analysis = analyse(Street("bench", layers["houses"].crs, layers, Report()))
    shown = {**context_layers(analysis.street), **analysis.layers}
    folder = Path(tempfile.mkdtemp())
    started = time.perf_counter()
    page = write_cockpit(folder / "cockpit.html", shown, analysis.tables)
    build_s = time.perf_counter() - started
    reference = folium.Map(tiles=None)
    folium.GeoJson(analysis.houses[["house_id", "address", "risk_level", "risk_score", "risk_reasons", "geometry"]]
                   .to_crs(4326).to_json()).add_to(reference)
    reference.save(folder / "reference.html")
    result = subprocess.run(["node", str(ROOT / "tests/browser/check_page.mjs"), str(page), str(folder / "shot.png")],
                            capture_output=True, text=True, env={**os.environ,
                                                                 "GRIDGOV_NODE_MODULES": str(ROOT / "cockpit/node_modules")})
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    size = page.stat().st_size / 1e6
    print(f"{len(analysis.houses):,} houses -> cockpit page {size:.2f} MB (target 6 MB), built in {build_s:.1f} s")
    print(f"headless Chromium: loaded in {seen['load_ms']} ms (target 2000 ms), {len(seen['requests'])} requests, "
          f"{len(seen['errors'])} console errors")
    print(f"reference: folium defaults, houses alone: {(folder / 'reference.html').stat().st_size / 1e6:.2f} MB "
          f"-> ratio {(folder / 'reference.html').stat().st_size / 1e6 / size:.1f}x")


if __name__ == "__main__":
    main()
