"""The embedded OpenStreetMap extracts the demo streets stand on."""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd

from ..layers import vector_io
from ..layers.toml import read_toml
from ..resources import DEMO as DEMO_DIR

AREAS = {name: spec for name, spec in read_toml(DEMO_DIR / "areas.toml").items() if name != "channels"}
STREET_AREAS = [name for name, spec in AREAS.items() if not spec.get("city_only")]    # gridgov demo --area
CHANNELS = read_toml(DEMO_DIR / "areas.toml")["channels"]
WORK_CRS = "EPSG:4549"


@dataclass
class OsmArea:
    boundary: object            # shapely polygon, in WORK_CRS
    roads: gpd.GeoDataFrame
    water: gpd.GeoDataFrame
    landuse: gpd.GeoDataFrame


def load_area(name: str) -> OsmArea:
    if name not in AREAS:
        raise ValueError(f"unknown demo area {name!r}; choose one of {', '.join(AREAS)}")
    path = DEMO_DIR / AREAS[name]["file"]
    prefix = AREAS[name].get("prefix")          # several areas in one file: <prefix>_roads, <prefix>_aoi
    layers = set(vector_io.list_layers(path))

    def read(layer):
        layer = f"{prefix}_{layer}" if prefix else layer
        if layer not in layers:
            return gpd.GeoDataFrame({"fclass": [], "name": []}, geometry=[], crs=4326).to_crs(WORK_CRS)
        return vector_io.read_dataframe(path, layer=layer).to_crs(WORK_CRS)

    aoi = read("aoi")
    return OsmArea(aoi.geometry.iloc[0], read("roads"), read("water"), read("landuse"))
