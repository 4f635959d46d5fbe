"""The demo street's results, house by house, stay what they were (unless a change says it means them)."""
import pandas as pd
import pyogrio

from golden import GOLDEN, read_golden, snapshot


def test_tiny_demo_houses_are_unchanged_house_by_house(tiny_results):
    now = snapshot(pyogrio.read_dataframe(tiny_results, layer="houses", read_geometry=False))
    before = read_golden()
    assert len(before) > 100, GOLDEN
    pd.testing.assert_frame_equal(now, before[now.columns])
