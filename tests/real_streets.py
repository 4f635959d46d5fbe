"""Test streets our generator did not make: real OpenStreetMap footprints and roads of Hangzhou.

The buildings east of West Lake (762 real footprints, most with no name and none
with a house number) and the city's roads around them come from
``../shared/data/hangzhou`` (© OpenStreetMap contributors, ODbL 1.0).  Only the
administrative layers and the records are derived here, in plain code a reader
can check: grids are a regular tiling of the buildings' extent, patrol and
defense zones group the grids, one base per patrol zone, and people and events
whose true house is known, so tests can assert on where each record lands.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "hangzhou"
BUILDINGS = SHARED / "westlake_east_osm_buildings.gpkg"
CITY_ROADS = SHARED / "hangzhou_city_roads_osm.gpkg"
WORK_CRS = "EPSG:4549"
SOURCE = "OpenStreetMap (ODbL); zones and records derived in tests"
COMPOUNDS = ("和睦新村", "朝晖九区", "青园小区", "湖滨花园", "吴山家园", "清波公寓")
VILLAGES = ("新塘村", "傅楼村", "董家埭村", "东湖村")
VILLAGE_GROUPS = 6


@dataclass
class RealStreet:
    project: Path              # the street.toml
    houses: gpd.GeoDataFrame   # as written (EPSG:4549)
    people: pd.DataFrame       # as written, with the true house in `truth_house`
    events: pd.DataFrame


def require_shared_data():
    if not (BUILDINGS.exists() and CITY_ROADS.exists()):
        pytest.skip(f"the shared OSM extracts are not beside the checkout ({SHARED})")


def _buildings() -> gpd.GeoDataFrame:
    frame = gpd.read_file(BUILDINGS).to_crs(WORK_CRS)
    return frame.reset_index(drop=True)


def _tiles(bounds, columns: int, rows: int):
    west, south, east, north = bounds
    xs, ys = np.linspace(west, east, columns + 1), np.linspace(south, north, rows + 1)
    return [(c, r, shapely.box(xs[c], ys[r], xs[c + 1], ys[r + 1])) for r in range(rows) for c in range(columns)]


def zones(bounds, columns=4, rows=4):
    """Grids tiling the extent; each 2×2 block of grids a patrol zone; the west and east halves defense zones."""
    grids, patrol = [], {}
    for c, r, box in _tiles(bounds, columns, rows):
        pz = f"XQ{r // 2 * (columns // 2) + c // 2 + 1:02d}"
        dz = "FQ1" if c < columns // 2 else "FQ2"
        grids.append({"grid_id": f"WG{len(grids) + 1:03d}", "name": f"湖滨第{len(grids) + 1}网格",
                      "patrol_zone_id": pz, "source": SOURCE, "geometry": box})
        patrol.setdefault(pz, {"dz": dz, "parts": []})["parts"].append(box)
    grids = gpd.GeoDataFrame(grids, crs=WORK_CRS)
    patrol_zones = gpd.GeoDataFrame(
        [{"patrol_zone_id": pz, "defense_zone_id": v["dz"], "name": f"巡区{pz}", "source": SOURCE,
          "geometry": shapely.union_all(v["parts"])} for pz, v in patrol.items()], crs=WORK_CRS)
    defense_zones = patrol_zones.dissolve("defense_zone_id").reset_index()[["defense_zone_id", "geometry"]]
    defense_zones["name"] = "防区" + defense_zones["defense_zone_id"]
    defense_zones["source"] = SOURCE
    return grids, patrol_zones, defense_zones


def _roads(bounds, margin_m=1500) -> gpd.GeoDataFrame:
    box = gpd.GeoSeries([shapely.box(*bounds).buffer(margin_m)], crs=WORK_CRS).to_crs(4326)
    return gpd.read_file(CITY_ROADS, bbox=tuple(box.total_bounds))     # as OSM has them, in EPSG:4326


def _bases(patrol_zones, roads) -> gpd.GeoDataFrame:
    """A base per patrol zone, on the major road nearest the zone's centre (as stations stand on roads)."""
    major = roads[roads["fclass"].isin(["primary", "secondary", "tertiary"])].to_crs(WORK_CRS)
    tree = shapely.STRtree(major.geometry.to_numpy())
    centres = patrol_zones.geometry.centroid.to_numpy()
    nearest = tree.nearest(centres)
    points = shapely.line_interpolate_point(major.geometry.to_numpy()[nearest],
                                            shapely.line_locate_point(major.geometry.to_numpy()[nearest], centres))
    return gpd.GeoDataFrame({"base_id": "JZ" + patrol_zones["patrol_zone_id"].str[2:],
                             "name": "驻点" + patrol_zones["patrol_zone_id"],
                             "defense_zone_id": patrol_zones["defense_zone_id"], "vehicles": 2, "source": SOURCE},
                            geometry=points, crs=WORK_CRS)


def _records(houses: gpd.GeoDataFrame, rng) -> tuple:
    """People at houses with addresses (by address) and at every house (by a point inside it), events
    near houses over a year; each with the house it truly belongs to."""
    inside = shapely.point_on_surface(houses.geometry.to_numpy())
    lonlat = gpd.GeoSeries(inside, crs=WORK_CRS).to_crs(4326)
    rows = []
    addressed = np.flatnonzero(houses["address"].fillna("").str.len() > 0)
    for i in addressed:
        for k in range(3):
            rows.append({"person_id": f"P{len(rows):05d}", "address": houses["address"][i], "lon": None, "lat": None,
                         "kind": "流动" if k == 0 else "户籍", "truth_house": houses["house_id"][i]})
    for i in range(len(houses)):
        rows.append({"person_id": f"P{len(rows):05d}", "address": None, "lon": lonlat.x[i], "lat": lonlat.y[i],
                     "kind": "户籍", "truth_house": houses["house_id"][i]})
    rows.append({"person_id": "P_FAR", "address": "上海市黄浦区南京东路1号", "lon": 121.49, "lat": 31.24,
                 "kind": "户籍", "truth_house": None})
    people = pd.DataFrame(rows)
    # events: a few over the whole street, and many from several channels at a handful of houses lately
    hot = rng.choice(len(houses), size=8, replace=False)
    chosen = np.r_[rng.choice(len(houses), size=300), np.repeat(hot, 15)]
    days = np.r_[rng.integers(0, 330, size=300), rng.integers(300, 330, size=len(hot) * 15)]
    dates = pd.Timestamp("2026-01-01") + pd.to_timedelta(days, unit="D")
    channels = rng.choice(["网格平台", "110", "12345", "96315"], size=len(chosen))
    events = pd.DataFrame({"event_id": [f"E{i:04d}" for i in range(len(chosen))], "lon": lonlat.x[chosen],
                           "lat": lonlat.y[chosen], "channel": channels, "category": "矛盾纠纷",
                           "reported_at": dates.strftime("%Y-%m-%d %H:%M"), "status": "已办结",
                           "truth_house": houses["house_id"].to_numpy()[chosen]})
    return people, events


def write_street(folder: Path, houses: gpd.GeoDataFrame, name: str) -> RealStreet:
    """Houses as given, on the real roads, with zones, bases and records derived from them."""
    folder.mkdir(parents=True, exist_ok=True)
    bounds = houses.total_bounds
    grids, patrol_zones, defense_zones = zones(bounds)
    roads = _roads(bounds)
    bases = _bases(patrol_zones, roads)
    people, events = _records(houses, np.random.default_rng(7))
    gpkg = folder / "street.gpkg"
    for layer, frame in (("houses", houses), ("grids", grids), ("patrol_zones", patrol_zones),
                         ("defense_zones", defense_zones), ("bases", bases), ("roads", roads)):
        frame.to_file(gpkg, layer=layer, driver="GPKG")
    people.drop(columns="truth_house").to_csv(folder / "people.csv", index=False, encoding="utf-8-sig")
    events.drop(columns="truth_house").to_csv(folder / "events.csv", index=False)
    layers = "".join(f'[inputs.{kind}]\npath = "street.gpkg"\nlayer = "{kind}"\n\n'
                     for kind in ("houses", "grids", "patrol_zones", "defense_zones", "bases", "roads"))
    project = folder / "street.toml"
    project.write_text(f'[street]\nname = "{name}"\n\n{layers}'
                       '[inputs.people]\npath = "people.csv"\n\n[inputs.events]\npath = "events.csv"\n\n'
                       '[outputs]\ndir = "out"\n', encoding="utf-8")
    return RealStreet(project, houses, people, events)


def footprint_houses() -> gpd.GeoDataFrame:
    """The real footprints as houses: the OSM name as the address where there is one (no road, no 号), else none."""
    buildings = _buildings()
    return gpd.GeoDataFrame({
        "house_id": [f"OSM{i:04d}" for i in range(len(buildings))],
        "address": buildings["name"].where(buildings["name"].str.len() > 0, None),
        "floors": pd.to_numeric(buildings["levels"], errors="coerce"),
        "height_m": buildings["height_m_est"], "kind": buildings["building"],
        "source": "OpenStreetMap (ODbL)"}, geometry=buildings.geometry.to_numpy(), crs=WORK_CRS)


def point_houses() -> gpd.GeoDataFrame:
    """The same houses as points (address points, as many 标准地址 exports come)."""
    houses = footprint_houses()
    return houses.set_geometry(shapely.point_on_surface(houses.geometry.to_numpy()))


def compound_houses() -> gpd.GeoDataFrame:
    """The same footprints, each addressed by a residential compound and building only (no road)."""
    houses = footprint_houses()
    compound = np.array(COMPOUNDS)[np.arange(len(houses)) % len(COMPOUNDS)]
    number = np.arange(len(houses)) // len(COMPOUNDS) + 1
    return houses.assign(address=[f"{c}{n}幢" for c, n in zip(compound, number)])


def village_houses() -> gpd.GeoDataFrame:
    """The same footprints as village houses (村/组/号, as half of a rural street is addressed): door numbers
    run through each village, its groups (村民小组) in turn; the village and group are fields too."""
    houses = footprint_houses()
    village = np.arange(len(houses)) % len(VILLAGES)
    number = np.arange(len(houses)) // len(VILLAGES) + 1
    group = (number - 1) * VILLAGE_GROUPS // number.max() + 1
    return houses.assign(
        address=[f"浙江省杭州市萧山区新塘街道{VILLAGES[v]}{g}组{n}号" for v, g, n in zip(village, group, number)],
        village=np.array(VILLAGES)[village], group=group.astype(str), road_no=number.astype(str))


def door_houses() -> gpd.GeoDataFrame:
    """The same footprints addressed as an old city's streets are: lanes and sub-lanes (20弄5号, 20弄3支弄5号),
    a door number with a suffix beside the plain one (12号, 12号附1, 12号之一), lettered buildings (22号A座) and
    buildings by their side or place on the plot (24号东楼, 后栋). ``kind`` says which; ``on_road``, ``lane``,
    ``sub``, ``door`` and ``mark`` are the parts the records are written from (no house fields: the houses carry
    the address alone)."""
    houses = footprint_houses()
    at = np.arange(len(houses))
    kind = np.array(DOOR_KINDS)[at % len(DOOR_KINDS)]
    count = at // len(DOOR_KINDS)                  # the house's place among those of its kind
    road = np.array(DOOR_ROADS)[count % len(DOOR_ROADS)]
    step = count // len(DOOR_ROADS)
    lane, sub, no = step // 6 + 1, step // 2 % 3 + 1, step % 6 + 1
    marks = {"suffix": ("", "附1", "之一"), "letter": ("A座", "B座", "C座"), "side": ("东楼", "后栋", "主楼")}
    mark = [marks[k][c % 3] if k in marks else "" for k, c in zip(kind, step)]
    first = {"suffix": 1, "letter": 101, "side": 201}          # each kind its own door numbers on a road
    number = np.where(np.isin(kind, list(marks)), step // 3 + np.vectorize(first.get)(kind, 0), no)
    address = [f"{r}{la}弄{n}号" if k == "lane" else f"{r}{la}弄{s}支弄{n}号" if k == "sub_lane" else f"{r}{n}号{m}"
               for k, r, la, s, n, m in zip(kind, road, lane, sub, number, mark)]
    return houses.assign(address=address, kind=kind, on_road=road, lane=lane, sub=sub, door=number, mark=mark)


DOOR_KINDS = ("lane", "sub_lane", "suffix", "letter", "side")
DOOR_ROADS = ("学士路", "东坡路", "仁和路")
FORMS = {"footprints": footprint_houses, "points": point_houses, "compounds": compound_houses}
