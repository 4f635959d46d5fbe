"""Cut the demo city's further streets from the city's OpenStreetMap roads (../shared/data/hangzhou, ODbL):
the 3.2 km squares of Hangzhou with the most road, away from the three demo areas, roads only.

    python scripts/city_areas.py [--count 17]

Writes resources/demo/hangzhou_city_areas_osm.gpkg (layers <key>_aoi and <key>_roads) and the areas' entries
at the end of resources/demo/areas.toml.  Run once; the output is committed (the roads are embedded so that
`gridgov demo --city 20` runs on a clean clone).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT.parent))
from gridgov.demo.osm import AREAS, load_area  # noqa: E402
from gridgov.layers import vector_io  # noqa: E402
from gridgov.layers.geopackage import GPKG_OPTIONS  # noqa: E402

CITY_ROADS = ROOT.parent / "shared" / "data" / "hangzhou" / "hangzhou_city_roads_osm.gpkg"
OUT = ROOT / "resources" / "demo" / "hangzhou_city_areas_osm.gpkg"
CELL_M = 3200
WORK = "EPSG:4549"
TEMPLATE = AREAS["xiaohe"]          # an urban street's figures, scaled by road length
TEMPLATE_ROAD_KM = 295.5


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__)
    arguments.add_argument("--count", type=int, default=17)
    count = arguments.parse_args().count
    roads = vector_io.read_dataframe(CITY_ROADS).to_crs(WORK)
    taken = shapely.union_all([load_area(name).boundary.buffer(1000) for name in AREAS])
    x0, y0, x1, y1 = roads.total_bounds
    cells = [shapely.box(x, y, x + CELL_M, y + CELL_M) for x in np.arange(x0, x1, CELL_M) for y in np.arange(y0, y1, CELL_M)]
    cells = gpd.GeoDataFrame(geometry=[c for c in cells if not c.intersects(taken)], crs=WORK)
    pieces = gpd.overlay(roads[["geometry"]], cells.reset_index(), how="intersection", keep_geom_type=True)
    length = pieces.assign(km=pieces.length / 1000).groupby("index")["km"].sum().sort_values(ascending=False)
    layers, entries = {}, []
    for number, (cell, km) in enumerate(length.head(count).items(), start=1):
        key = f"c{number:02d}"
        box = cells.geometry[cell]
        near = roads[roads.intersects(box.buffer(300))]
        layers[f"{key}_aoi"] = gpd.GeoDataFrame({"name": [f"示例街道{number:02d}"], "source": ["gridgov demo city"]},
                                                geometry=[box], crs=WORK).to_crs(4326)
        layers[f"{key}_roads"] = near.drop(columns=["code", "ref"], errors="ignore").to_crs(4326).reset_index(drop=True)
        factor = min(max(km / TEMPLATE_ROAD_KM, 0.3), 1.0)
        figures = {name: int(round(TEMPLATE[name] * factor, -2)) for name in ("residents", "floating", "units",
                                                                               "events", "sensors")}
        entries.append(f'\n[{key}]\nfile = "{OUT.name}"\nprefix = "{key}"\n'
                       'city_only = true           # a street of the demo city only (gridgov demo --city N)\n'
                       f'street = "示例街道{number:02d}"\n'
                       f'district = "杭州市区（示例）"\nregion_code = "330100"\n'
                       + "".join(f"{name} = {value}\n" for name, value in figures.items())
                       + 'uses = { residential = 0.70, office = 0.12, shop = 0.13, industrial = 0.05 }\n'
                       'floors = { residential = [6, 7, 11, 18, 26], office = [12, 20, 28], shop = [2, 3], '
                       'industrial = [1, 2, 4] }\nvillage = false\n')
        print(f"{key}: {km:.0f} km of road, {len(near)} ways, {figures['residents']:,} residents")
    OUT.unlink(missing_ok=True)
    for name, frame in layers.items():       # no R-tree: the demo reads each layer whole, and the file stays small
        vector_io.write_dataframe(frame, OUT, name, GPKG_OPTIONS, {"SPATIAL_INDEX": "NO"})
    areas = ROOT / "resources" / "demo" / "areas.toml"
    text = areas.read_text(encoding="utf-8")
    marker = "\n# ---- the demo city's further streets (scripts/city_areas.py) ----\n"
    areas.write_text(text.split(marker)[0].rstrip("\n") + "\n" + marker + "".join(entries), encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.1f} MB) and {count} areas in {areas}")


if __name__ == "__main__":
    main()
