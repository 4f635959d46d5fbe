"""What changed between two runs of a street (last month's result and this month's).

Houses whose level changed, with the reasons that appeared and the ones that went; warnings that are new,
closed, or changed grade; coverage per defense and patrol zone before and after.  Written to a file of its
own (changes.gpkg): layers ``level_changes`` (the houses, as they are now) and ``warning_changes``, tables
``level_transitions`` and ``coverage_changes``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from ..layers import vector_io
from ..layers.errors import InputError
from ..results import read_results

RANK = {"green": 0, "yellow": 1, "red": 2}
POINTS = re.compile(r"（\+[\d.]+）$")
COVERAGE_TABLES = {"coverage_by_defense_zone": "defense_zone_id", "coverage_by_patrol_zone": "patrol_zone_id"}


@dataclass
class Changes:
    houses: gpd.GeoDataFrame        # level_changes: house_id, address, old/new level and score, reasons in and out
    transitions: pd.DataFrame       # old level × new level → houses
    warnings: gpd.GeoDataFrame      # warning_changes: house_id, change (new, closed, grade), old/new grade
    coverage: pd.DataFrame          # zone kind, zone, old/new share of houses covered, change

    @property
    def layers(self) -> dict:
        return {"level_changes": self.houses, "warning_changes": self.warnings}

    @property
    def tables(self) -> dict:
        return {"level_transitions": self.transitions, "coverage_changes": self.coverage}

    def text(self, shown: int = 10) -> str:
        up = self.houses[self.houses["direction"] == "up"]
        red = int((self.houses["new_level"] == "red").sum())
        lines = [f"houses whose level changed 等级变化房屋: {len(self.houses):,} ({len(up):,} up 升级, "
                 f"{len(self.houses) - len(up):,} down 降级); turned red 新增红色: {red:,}"]
        for row in self.houses.head(shown).itertuples():
            came = f"  + {row.reasons_in}" if row.reasons_in else ""
            went = f"  − {row.reasons_out}" if row.reasons_out else ""
            lines.append(f"  {row.house_id} {row.old_level}→{row.new_level} ({row.old_score:g}→{row.new_score:g}){came}{went}")
        counts = self.warnings["change"].value_counts()
        lines.append("warnings 预警: " + (", ".join(f"{change} {n}" for change, n in counts.items()) or "no change 无变化"))
        for row in self.coverage.itertuples():
            if abs(row.change) >= 0.001:
                lines.append(f"  coverage 覆盖 {row.zone}: {row.old_share:.1%} → {row.new_share:.1%}")
        return "\n".join(lines)


def changes_file(path) -> Path:
    """A changes.gpkg that gridgov compare wrote, or a clear error: the web map and the field maps mark
    the houses turned red from it."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file (write it with gridgov compare OLD.gpkg NEW.gpkg --out {path.name})")
    try:
        layers = vector_io.list_layers(path)
    except Exception:   # noqa: BLE001 — either backend's "not a GeoPackage"
        layers = []
    if "level_changes" not in layers:
        raise InputError(f"{path}: not a file of gridgov compare (it has no layer level_changes)")
    return path


def compare_results(old_path, new_path) -> Changes:
    names = ("houses", "warnings", *COVERAGE_TABLES)
    old = read_results(old_path, need=("houses",), names=names, steps=("risk",))
    new = read_results(new_path, need=("houses",), names=names, steps=("risk",))
    return Changes(_level_changes(old.layers["houses"], new.layers["houses"]),
                   _transitions(old.layers["houses"], new.layers["houses"]),
                   _warning_changes(old.layers.get("warnings"), new.layers.get("warnings"), new.layers["houses"].crs),
                   _coverage_changes(old.tables, new.tables))


def _reasons(text) -> set:
    """The reasons of a house, without their points (so a reason that only grew is not 'new')."""
    return {POINTS.sub("", part) for part in str(text or "").split("；") if part}


def _level_changes(old: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    before = old.set_index("house_id")[["risk_level", "risk_score", "risk_reasons"]]
    both = new.join(before, on="house_id", rsuffix="_old", how="inner")
    changed = both[both["risk_level"] != both["risk_level_old"]]
    reasons_in = [sorted(_reasons(n) - _reasons(o)) for n, o in zip(changed["risk_reasons"], changed["risk_reasons_old"])]
    reasons_out = [sorted(_reasons(o) - _reasons(n)) for n, o in zip(changed["risk_reasons"], changed["risk_reasons_old"])]
    frame = gpd.GeoDataFrame({
        "house_id": changed["house_id"].to_numpy(), "address": changed.get("address"),
        "old_level": changed["risk_level_old"].to_numpy(), "new_level": changed["risk_level"].to_numpy(),
        "direction": ["up" if RANK[n] > RANK[o] else "down" for o, n in zip(changed["risk_level_old"], changed["risk_level"])],
        "old_score": changed["risk_score_old"].to_numpy(), "new_score": changed["risk_score"].to_numpy(),
        "reasons_in": ["；".join(r) for r in reasons_in], "reasons_out": ["；".join(r) for r in reasons_out],
        "grid_id": changed.get("grid_id")}, geometry=changed.geometry.to_numpy(), crs=new.crs)
    order = frame["new_level"].map(RANK) * -10 - (frame["direction"] == "up")
    return frame.iloc[order.argsort(kind="stable")].reset_index(drop=True)


def _transitions(old, new) -> pd.DataFrame:
    both = new[["house_id", "risk_level"]].merge(old[["house_id", "risk_level"]], on="house_id", suffixes=("", "_old"))
    table = both.groupby(["risk_level_old", "risk_level"]).size().rename("houses").reset_index()
    return table.rename(columns={"risk_level_old": "old_level", "risk_level": "new_level"})


def _warning_changes(old, new, crs) -> gpd.GeoDataFrame:
    empty = gpd.GeoDataFrame(columns=["house_id", "grade"], geometry=[], crs=crs)
    old, new = (frame if frame is not None else empty for frame in (old, new))
    merged = new[["house_id", "grade", "geometry"]].merge(old[["house_id", "grade", "geometry"]], on="house_id",
                                                          how="outer", suffixes=("", "_old"), indicator=True)
    change = merged["_merge"].map({"left_only": "new", "right_only": "closed", "both": "same"}).astype(object)
    change[(merged["_merge"] == "both") & (merged["grade"] != merged["grade_old"])] = "grade"
    geometry = merged["geometry"].where(merged["geometry"].notna(), merged["geometry_old"])
    frame = gpd.GeoDataFrame({"house_id": merged["house_id"], "change": change, "old_grade": merged["grade_old"],
                              "new_grade": merged["grade"]}, geometry=gpd.GeoSeries(geometry, crs=crs), crs=crs)
    return frame[frame["change"] != "same"].reset_index(drop=True)


def _coverage_changes(old: dict, new: dict) -> pd.DataFrame:
    rows = []
    for name, key in COVERAGE_TABLES.items():
        if name in old and name in new:
            both = new[name][[key, "houses_share"]].merge(old[name][[key, "houses_share"]], on=key, how="outer",
                                                          suffixes=("", "_old"))
            for row in both.itertuples():
                change = round((row.houses_share or 0) - (row.houses_share_old or 0), 4)
                rows.append({"zone_kind": key, "zone": getattr(row, key), "old_share": row.houses_share_old,
                             "new_share": row.houses_share, "change": change})
    return pd.DataFrame(rows, columns=["zone_kind", "zone", "old_share", "new_share", "change"])
