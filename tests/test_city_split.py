"""gridgov city on city-wide layers: a streets layer partitions houses, zones, roads and the city's record
exports (CSV with and without coordinates) onto streets on Dask, then every street runs.  Two demo streets and
a street of real OpenStreetMap footprints, put together the way a city's data office holds them."""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from gridgov.city.gather import CITY_FILE
from gridgov.cli import main as cli
from gridgov.demo.city import write_demo_city

import real_streets

REAL = "湖滨街道"
LAYERS = ("grids", "patrol_zones", "defense_zones", "houses", "bases", "roads")


def _street_layers(gpkg) -> dict:
    return {layer: gpd.read_file(gpkg, layer=layer).to_crs(4549) for layer in LAYERS}


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    real_streets.require_shared_data()
    folder = tmp_path_factory.mktemp("citywide")
    demo_city = write_demo_city(2, folder / "demo", scale=0.02, seed=5)
    real = real_streets.write_street(folder / "real", real_streets.footprint_houses(), REAL)
    sources = {"小河街道": demo_city.parent / "streets_in" / "xiaohe" / "gridgov_demo.gpkg",
               "四季青街道": demo_city.parent / "streets_in" / "qianjiang" / "gridgov_demo.gpkg",
               REAL: real.project.parent / "street.gpkg"}
    parts = {name: _street_layers(path) for name, path in sources.items()}
    city_gpkg = folder / "city.gpkg"
    for layer in LAYERS:
        frames = [p[layer].assign(house_id=p[layer]["house_id"] + "-" + name) if layer == "houses" else p[layer]
                  for name, p in parts.items()]
        pd.concat(frames, ignore_index=True).pipe(gpd.GeoDataFrame, crs=4549).to_file(city_gpkg, layer=layer)
    outlines = [shapely.union_all(p["grids"].geometry.to_numpy()).buffer(5) for p in parts.values()]
    gpd.GeoDataFrame({"街道名称": list(parts)}, geometry=outlines, crs=4549).to_file(city_gpkg, layer="街道")
    people = []
    for name, path in sources.items():
        if name == REAL:
            frame = pd.read_csv(real.project.parent / "people.csv")
        else:
            frame = gpd.read_file(path, layer="people")
            located = frame.geometry.notna()
            frame = pd.DataFrame(frame.drop(columns="geometry")).assign(
                lon=frame.geometry.x.where(located), lat=frame.geometry.y.where(located))
        people.append(frame.assign(truth_street=name))
    people = pd.concat(people, ignore_index=True)[["person_id", "address", "lon", "lat", "kind", "truth_street"]]
    people.loc[len(people)] = ["P_NOWHERE", "幸福路999号", None, None, "户籍", None]       # a road no street has
    people.to_csv(folder / "people.csv", index=False, encoding="utf-8-sig")
    (folder / "city.toml").write_text(
        '[city]\nname = "示例市"\nbuffer_m = 1000\n\n[inputs.streets]\npath = "city.gpkg"\nlayer = "街道"\n\n'
        + "".join(f'[inputs.{layer}]\npath = "city.gpkg"\nlayer = "{layer}"\n\n' for layer in LAYERS)
        + '[inputs.people]\npath = "people.csv"\n', encoding="utf-8")
    out = folder / "out"
    code = cli(["city", str(folder / "city.toml"), "--out", str(out), "--workers", "2"])
    return code, out, parts, people


def test_the_streets_get_their_own_houses_and_zones_and_all_run(city):
    code, out, parts, people = city
    assert code == 0
    streets = pyogrio.read_dataframe(out / CITY_FILE, layer="streets", read_geometry=False).set_index("street")
    assert set(streets.index) == set(parts) and (streets["status"] == "ok").all()
    for name, layers in parts.items():
        assert streets.loc[name, "houses"] == len(layers["houses"])
        split = pyogrio.read_dataframe(out / "streets_in" / name / "street.gpkg", layer="grids", read_geometry=False)
        assert len(split) == len(layers["grids"])
    roads = pyogrio.read_info(out / "streets_in" / REAL / "street.gpkg", layer="roads")["features"]
    assert roads > len(parts[REAL]["roads"]) * 0.5                  # the roads around the street came too


def test_records_go_to_their_street_or_to_the_city_unmatched_table_with_the_reason(city):
    code, out, parts, people = city
    split = 0
    for name in parts:
        records = gpd.read_parquet(next((out / "streets_in" / "records" / "people").glob(f"*={name}")))
        assert (records["truth_street"] == name).all()                # never a record on another street
        own = people[people["truth_street"] == name]
        assert records.geometry.notna().sum() >= 0.99 * own["lon"].notna().sum() - 1     # by location (P_FAR out)
        if name != REAL:                                              # demo addresses name their roads
            assert len(records) >= 0.97 * len(own)
        split += len(records)
    unmatched = pyogrio.read_dataframe(out / CITY_FILE, layer="city_unmatched")
    assert split + (unmatched["source"] == "people").sum() == len(people)     # every record accounted for
    unmatched = unmatched.set_index("record_id")
    assert unmatched.loc["P_FAR", "reason"] == "outside" and unmatched.loc["P_NOWHERE", "reason"] == "no_place"
    assert "不在任何街道" in unmatched.loc["P_FAR", "reason_zh"]
    houses = pyogrio.read_dataframe(out / CITY_FILE, layer="houses", read_geometry=False)
    assert houses.groupby("street")["people"].sum().sum() > 0.9 * len(people)
