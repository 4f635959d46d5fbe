"""Village houses (农居) of a rural street: 新塘村3组12号, not road and 幢.

On a street of villages (areas.toml: village = true) a share of the residential
compounds are villagers' own houses: each a door number of its village, the
numbers running through the village's groups (村民小组) in turn, one group per
compound, low and without a compound name or building number.
"""
from __future__ import annotations

import numpy as np
import shapely

from .addresses import PROVINCE_CITY
from .houses import STOREY_M

VILLAGE_SHARE = 0.5
FLOORS = [2, 3, 3, 4, 4, 5]


def village_houses(houses, village_of_house: np.ndarray, district: str, street: str, seed: int):
    """houses with a share of residential compounds readdressed as village houses (village, group, door
    number); drawn apart from the street's own random numbers, so the rest stays as it was."""
    rng = np.random.default_rng([seed, 29])
    houses = houses.assign(village=None, group=None)
    centres = shapely.get_coordinates(shapely.centroid(houses.geometry.to_numpy()))
    pieces = houses.groupby("piece").indices
    residential = [p for p, members in pieces.items() if houses["kind"].to_numpy()[members[0]] == "residential"]
    chosen = [p for p, roll in zip(residential, rng.random(len(residential))) if roll < VILLAGE_SHARE]
    by_village = {}
    for piece in chosen:
        by_village.setdefault(village_of_house[pieces[piece][0]], []).append(piece)
    columns = {name: houses[name].to_numpy(dtype=object, copy=True) for name in ("road", "road_no", "building", "compound",
                                                                       "village", "group", "address")}
    floors = houses["floors"].to_numpy().copy()
    for village, its_pieces in by_village.items():
        # groups from north-west to south-east, door numbers through them in turn
        its_pieces.sort(key=lambda p: (-round(centres[pieces[p], 1].mean() / 100), centres[pieces[p], 0].mean()))
        number = 0
        for group, piece in enumerate(its_pieces, start=1):
            members = pieces[piece]
            for house in members[np.lexsort((centres[members, 0], -np.round(centres[members, 1] / 10)))]:
                number += 1
                columns["road"][house], columns["building"][house], columns["compound"][house] = None, None, None
                columns["road_no"][house], columns["village"][house], columns["group"][house] = \
                    str(number), village, str(group)
                columns["address"][house] = f"{PROVINCE_CITY}{district}{street}{village}{group}组{number}号"
                floors[house] = rng.choice(FLOORS)
    height = np.round(floors * houses["kind"].map(STOREY_M).to_numpy(), 1)
    return houses.assign(**columns, floors=floors, height_m=height)
