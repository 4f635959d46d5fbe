"""The demo city: N demo streets, each on its own real Hangzhou area, and a city file that lists them.

The streets are the embedded areas: the three demo streets (Xiaohe in Gongshu,
Sijiqing in Qianjiang New City, Xintang in Xiaoshan), then the seventeen 3.2 km
squares of the city's OpenStreetMap roads with the most road
(scripts/city_areas.py), so N is at most 20; each is organised like the demo
street and built with its own seed.
"""
from __future__ import annotations

from pathlib import Path

from .build import build_demo, write_demo
from .osm import AREAS

CITY_FILE = "city.toml"


def write_demo_city(count: int, out_dir, scale: float, seed: int, progress=None) -> Path:
    """DIR/streets_in/<area>/ for each of the first ``count`` areas, and DIR/city.toml; returns the city file."""
    if not 1 <= count <= len(AREAS):
        raise ValueError(f"the demo city has 1 to {len(AREAS)} streets (the embedded areas: {', '.join(AREAS)}), "
                         f"not {count}")
    out_dir = Path(out_dir)
    lines = ["# The gridgov demo city: synthetic streets on real roads © OpenStreetMap contributors (ODbL).", "",
             "[city]", 'name = "杭州市（示例）"', "", "[outputs]", 'dir = "city_results"', ""]
    for number, area in enumerate(list(AREAS)[:count]):
        folder = out_dir / "streets_in" / area
        write_demo(build_demo(area, scale, seed + number, progress=progress), folder)
        lines += ["[[streets]]", f'name = "{AREAS[area]["street"]}"',
                  f'project = "streets_in/{area}/gridgov_demo.toml"', ""]
    city = out_dir / CITY_FILE
    city.write_text("\n".join(lines), encoding="utf-8")
    return city
