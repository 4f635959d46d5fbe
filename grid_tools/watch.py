"""The enterprise watch (八必访): changes in a unit's registers that send someone to visit it.

The unit change records (one row per change: unit, date, item, before, after) are read against the
triggers of resources/enterprise_watch.toml; each change within the window that a trigger's conditions
hold for is a visit task, with its reason, at the unit's house, in its grid.  Changes of units the street
does not have are reported, not dropped.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from ..layers.errors import InputError
from ..layers.toml import read_toml
from ..resources import RESOURCES

WATCH_FILE = RESOURCES / "enterprise_watch.toml"
PERSONAL_ITEMS = {"executives"}     # who the executives are stays in the registers, not on maps or lists
VISIT_COLUMNS = ["unit_id", "name", "house_id", "grid_id", "trigger", "reason_zh", "reason_en", "changed_at",
                 "item", "before", "after"]


def load_watch_rules(path=None) -> dict:
    """The triggers (checked: each names an item and a reason in both languages)."""
    path = Path(path or WATCH_FILE)
    rules = read_toml(path)
    for number, trigger in enumerate(rules.get("triggers", []), 1):
        missing = [key for key in ("name", "item", "zh", "en") if not trigger.get(key)]
        if missing:
            raise InputError(f"trigger {number} lacks {', '.join(missing)}", str(path))
    if not isinstance(rules.get("window_days"), int):
        raise InputError("window_days must be a whole number of days", str(path))
    return rules


@dataclass
class Watch:
    visits: gpd.GeoDataFrame      # one row per visit task, at the unit's house
    by_grid: pd.DataFrame         # per grid: visits, units to visit
    unknown_units: list           # unit IDs of change records the street has no unit for

    def text(self) -> str:
        counts = self.visits["reason_zh"].value_counts()
        return (f"enterprise watch 八必访: {len(self.visits):,} visits 走访任务 to {self.visits['unit_id'].nunique():,} "
                f"units 家单位" + ("".join(f"\n  {reason} {n}" for reason, n in counts.items())))


def enterprise_watch(changes: pd.DataFrame, units: pd.DataFrame, houses: gpd.GeoDataFrame, rules: dict | None = None,
                     reference=None) -> Watch:
    """``units``: the matched units (unit_id, name, house_id); ``houses``: house_id, grid_id, geometry."""
    rules = rules or load_watch_rules()
    when = pd.to_datetime(changes["changed_at"])
    reference = pd.Timestamp(reference) if reference is not None else when.max()
    recent = changes[(when > reference - pd.Timedelta(days=rules["window_days"])) & (when <= reference)]
    fired = [_fired(recent, trigger) for trigger in rules.get("triggers", [])]
    visits = pd.concat(fired, ignore_index=True) if fired else pd.DataFrame(columns=VISIT_COLUMNS)
    known = units.drop_duplicates("unit_id").set_index("unit_id")
    visits = visits[visits["unit_id"].isin(known.index)]
    unknown = sorted(set(changes["unit_id"].dropna()) - set(known.index))
    visits = visits.assign(name=known["name"].reindex(visits["unit_id"]).to_numpy() if "name" in known else None,
                           house_id=known["house_id"].reindex(visits["unit_id"]).to_numpy())
    where = houses.set_index("house_id")
    visits["grid_id"] = where["grid_id"].reindex(visits["house_id"]).to_numpy() if "grid_id" in where else None
    geometry = shapely.point_on_surface(where.geometry.reindex(visits["house_id"]).to_numpy())
    frame = gpd.GeoDataFrame(visits[VISIT_COLUMNS].reset_index(drop=True), geometry=geometry, crs=houses.crs)
    frame["changed_at"] = pd.to_datetime(frame["changed_at"]).dt.strftime("%Y-%m-%d")
    by_grid = frame.groupby("grid_id", dropna=False).agg(visits=("unit_id", "size"), units=("unit_id", "nunique"))
    return Watch(frame.sort_values(["grid_id", "unit_id"], kind="stable").reset_index(drop=True),
                 by_grid.reset_index(), unknown)


def _fired(changes: pd.DataFrame, trigger: dict) -> pd.DataFrame:
    """The changes one trigger fires on."""
    mine = changes[changes["item"] == trigger["item"]]
    if "after_in" in trigger:
        mine = mine[mine["after"].astype(str).str.strip().isin(trigger["after_in"])]
    if "change_share" in trigger:
        before = pd.to_numeric(mine["before"], errors="coerce")
        after = pd.to_numeric(mine["after"], errors="coerce")
        moved = (after - before).abs() / before.where(before > 0)
        mine = mine[(moved >= trigger["change_share"]).fillna(False).to_numpy()]
    if trigger["item"] in PERSONAL_ITEMS:
        mine = mine.assign(before=None, after=None)
    return pd.DataFrame({"unit_id": mine["unit_id"].to_numpy(), "trigger": trigger["name"], "reason_zh": trigger["zh"],
                         "reason_en": trigger["en"], "changed_at": mine["changed_at"].to_numpy(),
                         "item": mine["item"].to_numpy(), "before": mine["before"].to_numpy() if "before" in mine else None,
                         "after": mine["after"].to_numpy() if "after" in mine else None})
