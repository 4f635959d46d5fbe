"""The tiny demo street's houses as a result consumer sees them, for the house-by-house regression test.

`python tests/golden.py` rewrites tests/data/tiny_demo_houses.csv from the
current code; do that only when a change of results is intended, and say so
in the commit.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

GOLDEN = Path(__file__).parent / "data" / "tiny_demo_houses.csv"
COLUMNS = ["house_id", "grid_id", "patrol_zone_id", "defense_zone_id", "people", "floating", "units", "events",
           "events_recent", "sensors", "risk_score", "risk_level", "risk_reasons", "risk_trigger",
           "reach_s", "reach_base", "covered", "routable"]


def snapshot(houses) -> pd.DataFrame:
    """The columns that say what a house is found to be, as text, rounded where floating point may wobble."""
    frame = pd.DataFrame(houses)[COLUMNS].sort_values("house_id").reset_index(drop=True)
    frame["reach_s"] = frame["reach_s"].astype(float).round(1)
    frame["risk_score"] = frame["risk_score"].astype(float).round(1)
    return frame.astype(object).where(frame.notna(), "").astype(str)


def read_golden() -> pd.DataFrame:
    return pd.read_csv(GOLDEN, dtype=str, keep_default_na=False)


if __name__ == "__main__":
    import tempfile

    import pyogrio

    from gridgov.demo import build_demo, write_demo
    from gridgov.layers import load_project, load_street
    from gridgov.pipeline import analyse, write_results

    from conftest import TINY_SCALE

    with tempfile.TemporaryDirectory() as folder:
        write_demo(build_demo("xiaohe", scale=TINY_SCALE), folder)
        result = write_results(analyse(load_street(load_project(Path(folder) / "gridgov_demo.toml"))),
                               Path(folder) / "result.gpkg")
        snapshot(pyogrio.read_dataframe(result, layer="houses", read_geometry=False)).to_csv(GOLDEN, index=False)
    print(f"wrote {GOLDEN}")
