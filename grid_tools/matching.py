"""The matching cascade: each record to one house, or a reason why not.

exact standard address → normalised key → fuzzy road name → location (inside a
footprint, else the nearest within the tolerance) → unmatched.  First hit wins.
"""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .address import RoadResolver, house_keys, parse
from .options import JoinOptions

METHODS = ("exact", "normalised", "fuzzy", "location_inside", "location_nearest")


@dataclass
class HouseIndex:
    """Everything about the houses that matching looks up, built once per join."""

    houses: gpd.GeoDataFrame
    options: JoinOptions

    def __post_init__(self):
        houses, ids = self.houses, self.houses["house_id"].to_numpy()
        keys = house_keys(houses)
        address = houses["address"].astype("string").str.strip()
        self.exact = _unique_lookup(address.to_numpy(), ids)
        triple = list(zip(keys["road"], keys["number"], keys["building"]))
        self.by_key = _unique_lookup(triple, ids)
        self.by_number = pd.Series(ids).groupby([keys["road"].to_numpy(), keys["number"].to_numpy()]).agg(list).to_dict()
        self.roads_at = pd.Series(keys["road"].to_numpy()).groupby(
            [keys["number"].to_numpy(), keys["building"].fillna("").to_numpy()]).agg(set).to_dict()
        self.roads_at_number = pd.Series(keys["road"].to_numpy()).groupby(keys["number"].to_numpy()).agg(set).to_dict()
        self.resolver = RoadResolver(keys["road"], self.options.typo_chars_per_4)
        self.geometry = houses.geometry.to_numpy()
        self.tree = shapely.STRtree(self.geometry)
        self.ids = ids


def _unique_lookup(keys, values) -> dict:
    """key → value for keys that occur once (a key shared by two houses decides nothing)."""
    frame = pd.DataFrame({"key": list(keys), "value": values})
    frame = frame[frame["key"].notna()]
    return dict(frame.drop_duplicates("key", keep=False).itertuples(index=False, name=None))


def match_addresses(addresses: pd.Series, index: HouseIndex) -> pd.DataFrame:
    """house_id, match_method, match_score, unit, room, reason for each address (NaN when absent)."""
    out = pd.DataFrame({"house_id": pd.Series(None, index=addresses.index, dtype=object),
                        "match_method": None, "match_score": np.nan, "unit": None, "room": None, "reason": None},
                       index=addresses.index)
    text = addresses.astype("string").str.strip()
    present = text.notna() & (text != "")
    exact = text[present].map(index.exact)
    hit = exact.dropna().index
    out.loc[hit, "house_id"] = exact[hit].astype(object)
    out.loc[hit, "match_method"] = "exact"
    out.loc[hit, "match_score"] = 100.0
    parts = parse(text[present & out["house_id"].isna()])
    out.loc[parts.index, "unit"] = parts["unit"].astype(object)
    out.loc[parts.index, "room"] = parts["room"].astype(object)
    out.loc[parts.index[parts["number"].isna()], "reason"] = "unparsed"
    parts = parts[parts["number"].notna()]
    resolved = _resolve(parts, index)
    for column in resolved.columns:
        out.loc[resolved.index, column] = resolved[column].astype(object if column != "match_score" else float)
    return out


def _resolve(parts: pd.DataFrame, index: HouseIndex) -> pd.DataFrame:
    """Per distinct (head, number, building): the house by known road, else by fuzzy road."""
    triples = parts[["head", "number", "building"]].astype(object).where(parts[["head", "number", "building"]].notna(), None)
    keys = list(zip(triples["head"].fillna(""), triples["number"], triples["building"]))
    answers = {key: _resolve_one(*key, index) for key in set(keys)}
    return pd.DataFrame([answers[key] for key in keys], index=parts.index,
                        columns=["house_id", "match_method", "match_score", "reason"])


def _resolve_one(head: str, number: str, building, index: HouseIndex) -> tuple:
    road = index.resolver.exact(head)
    method, score = "normalised", 100.0
    if road is None:
        candidates = index.roads_at.get((number, building or ""), set()) if building else \
            index.roads_at_number.get(number, set())
        road, score = index.resolver.fuzzy(head, candidates)
        if road is None:
            return None, None, np.nan, "ambiguous"
        if not road:
            return None, None, np.nan, "road_unknown"
        method = "fuzzy"
    if building is None:
        houses = index.by_number.get((road, number), [])
        if len(houses) == 1:
            return houses[0], method, score, None
        return None, None, np.nan, "building_missing" if houses else "no_such_house"
    house = index.by_key.get((road, number, building))
    return (house, method, score, None) if house is not None else (None, None, np.nan, "no_such_house")


def match_locations(points: np.ndarray, index: HouseIndex) -> pd.DataFrame:
    """house index, method and distance for points: inside a footprint, else nearest within tolerance."""
    n = len(points)
    house = np.full(n, -1)
    distance = np.full(n, np.nan)
    located = ~shapely.is_missing(points) & ~shapely.is_empty(points)
    point_idx, house_idx = index.tree.query(points[located], predicate="intersects")
    where = np.flatnonzero(located)
    # a point on a shared wall goes to the first house; one house per point
    first = np.unique(point_idx, return_index=True)[1]
    house[where[point_idx[first]]] = house_idx[first]
    distance[where[point_idx[first]]] = 0.0
    rest = np.flatnonzero(located & (house < 0))
    if len(rest):
        near_point, near_house = index.tree.query_nearest(points[rest], max_distance=index.options.tolerance_m,
                                                          return_distance=False, all_matches=False)
        house[rest[near_point]] = near_house
        distance[rest[near_point]] = shapely.distance(points[rest[near_point]], index.geometry[near_house])
    method = np.where(distance == 0, "location_inside", np.where(house >= 0, "location_nearest", None))
    score = np.where(house >= 0, 100.0 * (1 - np.nan_to_num(distance) / index.options.tolerance_m), np.nan)
    return pd.DataFrame({"house": house, "method": method, "score": score, "distance": distance})
