"""Benchmark: parse and match 1,000,000 addresses onto 100,000 houses (target: at most 15 s on 2 cores),
against a per-record Python loop on a sample, in the same run, with peak memory and how many landed right.

    .venv/bin/python bench/addresses.py

The street is bench/join.py's (built once by the demo generator under out/bench/); only the address
cascade is timed (no coordinates), on every person's address as the generator wrote it.
"""
from __future__ import annotations

import resource
import time

import numpy as np

from gridgov.grid_tools.matching import HouseIndex, match_addresses
from gridgov.grid_tools.options import JoinOptions
from gridgov.layers import load_project, load_street

import join


def main():
    parser = join.street_arguments(__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=20_000)
    args = parser.parse_args()
    street = load_street(load_project(join.build(args)))
    people = street.people
    addresses = people["address"]
    started = time.perf_counter()
    index = HouseIndex(street.houses, JoinOptions())
    indexed = time.perf_counter() - started
    started = time.perf_counter()
    matched = match_addresses(addresses, index)
    ours = time.perf_counter() - started
    house = matched["house"].to_numpy()
    truth = people["synthetic_house_id"].to_numpy()
    has = addresses.notna().to_numpy()
    found = house >= 0
    right = found & (index.ids[np.maximum(house, 0)] == truth)
    lookup = join.address_lookup(street.houses)
    sample = np.flatnonzero(has)[:args.sample]
    started = time.perf_counter()
    hits = [join.naive_address(addresses.iat[i], lookup) for i in sample]
    per_record = (time.perf_counter() - started) / len(sample)
    naive_right = np.mean([h == truth[i] for h, i in zip(hits, sample)])
    print(f"{has.sum():,} addresses onto {len(street.houses):,} houses: index {indexed:.1f} s, parse and match "
          f"{ours:.1f} s (target 15 s); {found[has].mean():.1%} matched, {right[has].mean():.1%} right, "
          f"{(found & ~right)[has].mean():.2%} on another house")
    print(f"per-record Python loop: {per_record * 1e6:.0f} µs an address on {len(sample):,} (about "
          f"{per_record * has.sum():.0f} s for all) -> ratio {per_record * has.sum() / ours:.1f}x; it lands "
          f"{naive_right:.1%} right on its sample")
    print(f"peak memory (street loaded, then matched): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2:.2f} GB")


if __name__ == "__main__":
    main()
