"""What the road network under a coverage run can and cannot carry, in words.

Coverage is only as good as the roads it runs on.  Real networks come with
classes nobody listed, lines of no class, pieces cut off by an extract's edge
and bases drawn away from any road; each of those changes the answer without a
sound.  This check says what was driven and what was left out (a table per
road class), how the network hangs together, where each base joins it and what
it reaches, and names the houses and zones that nothing reaches, so that a
planner reads "zone FQ2: its bases reach no house" instead of "slowest nan s".
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from ..layers.report import Report
from .roadgraph import SNAPPING, SPEEDS, classify, road_classes
from .snapping import Snap


def road_class_table(roads) -> pd.DataFrame:
    """Per road class as written: lines, km, whether it was driven and at what speed."""
    if roads is None or roads.empty:
        return pd.DataFrame(columns=["road_class", "status", "lines", "km", "speed_kmh"])
    frame = pd.DataFrame({"road_class": road_classes(roads).to_numpy(), "status": classify(roads).to_numpy(),
                          "m": roads.geometry.length.to_numpy()})
    table = frame.groupby(["road_class", "status"], as_index=False).agg(lines=("m", "size"), km=("m", "sum"))
    table["km"] = (table["km"] / 1000).round(2)
    table["speed_kmh"] = table["road_class"].map(SPEEDS)
    return table.sort_values(["status", "km"], ascending=[True, False], ignore_index=True)


def report_road_classes(table: pd.DataFrame, report: Report):
    left = table[table["status"].isin(["unknown", "none"])]
    unknown = left[left["status"] == "unknown"]
    if len(unknown):
        report.add("roads_class_unknown", "roads", count=int(unknown["lines"].sum()),
                   detail=", ".join(f"{r.road_class} ({r.lines})" for r in unknown.head(8).itertuples()))
    none = left[left["status"] == "none"]
    if len(none):
        report.add("roads_without_class", "roads", count=int(none["lines"].sum()))
    excluded = table[table["status"] == "excluded"]
    if len(excluded):
        report.add("roads_not_for_cars", "roads", count=int(excluded["lines"].sum()),
                   detail=", ".join(excluded["road_class"].head(8)))
    if len(table) and not (table["status"] == "drive").any():
        report.add("no_drivable_roads", "roads", count=int(table["lines"].sum()))


def check_network(result, router, snapped: Snap | None, report: Report) -> dict:
    """Findings on the network, the bases and the zones of a coverage result; returns its tables
    (road classes, and per base: where it joins the road and what it reaches)."""
    table = road_class_table(router.roads)
    report_road_classes(table, report)
    tables = {"road_classes": table}
    graph = router.graph
    bases, houses = result.bases, result.houses
    base_ids = bases["base_id"].astype(str).to_numpy() if "base_id" in bases else \
        np.arange(len(bases)).astype(str)
    if graph is not None:
        _report_pieces(graph, report)
        tables["bases_report"] = _bases_table(result, graph, base_ids, report)
        _report_houses(houses, graph, snapped, report)
    _report_zones(houses, result.covered, bases, report)
    return tables


def _report_pieces(graph, report: Report):
    share = graph.piece_m.max() / graph.piece_m.sum()
    if share < SNAPPING["fragmented_below"]:
        report.add("network_fragmented", "roads", count=len(graph.piece_m), detail=f"{share:.0%}")
    cut_off = graph.piece_m < SNAPPING["min_piece_m"]
    if cut_off.any():
        report.add("road_pieces_cut_off", "roads", count=int(cut_off.sum()),
                   detail=f"{graph.piece_m[cut_off].sum() / 1000:.1f}")


def _bases_table(result, graph, base_ids, report: Report) -> pd.DataFrame:
    """Where each base joins the network, on which piece, and how much road it reaches in time."""
    points = result.bases.geometry.to_numpy()
    node, distance = graph.nearest_nodes(points)
    piece = graph.node_piece[node]
    reached = dict(zip(result.reach_areas["base_id"].astype(str), result.reach_areas["road_km"])) \
        if "road_km" in result.reach_areas else {}
    first = result.columns.loc[result.covered, "reach_base"].astype(str).value_counts()
    table = pd.DataFrame({
        "base_id": base_ids,
        "defense_zone_id": result.bases["defense_zone_id"].to_numpy() if "defense_zone_id" in result.bases else None,
        "snap_m": np.round(distance, 1),
        "piece_km": np.round(graph.piece_m[piece] / 1000, 2),
        "on_main_network": piece == graph.main_piece,
        "road_km_reached": [reached.get(b, 0.0) for b in base_ids],
        "houses_covered": [int(first.get(b, 0)) for b in base_ids],
    })
    far = table["snap_m"] > SNAPPING["base_far_m"]
    if far.any():
        report.add("base_far_from_road", "bases", count=int(far.sum()), detail=f"{SNAPPING['base_far_m']:g}",
                   examples=[f"{r.base_id} ({r.snap_m:.0f} m)" for r in table[far].itertuples()])
    apart = ~table["on_main_network"]
    if apart.any():
        report.add("base_off_main_network", "bases", count=int(apart.sum()),
                   examples=[f"{r.base_id} ({r.piece_km:g} km)" for r in table[apart].itertuples()])
    return table


def _report_houses(houses, graph, snapped: Snap, report: Report):
    ids = houses["house_id"].astype(str).to_numpy()
    located = ~shapely.is_missing(houses.geometry.to_numpy())
    segment = snapped.nearest_segment
    unroutable = located & (segment < 0)
    if unroutable.any():
        report.add("houses_not_routable", "houses", count=int(unroutable.sum()), examples=ids[unroutable])
    on_piece = segment >= 0
    apart = np.zeros(len(houses), dtype=bool)
    apart[on_piece] = graph.seg_piece[segment[on_piece]] != graph.main_piece
    if apart.any():
        report.add("houses_off_main_network", "houses", count=int(apart.sum()), examples=ids[apart])


def _report_zones(houses, covered: np.ndarray, bases, report: Report):
    """Zones whose own bases reach none of their houses in time, with the likely reason."""
    if "defense_zone_id" not in houses:
        return
    reached = pd.Series(covered).groupby(houses["defense_zone_id"].to_numpy()).any()
    own = set(bases["defense_zone_id"].dropna().astype(str)) if "defense_zone_id" in bases else None
    for zone in reached.index[~reached.to_numpy()]:
        if own is not None and str(zone) not in own:
            why_en, why_zh = "it has no base of its own", "本防区没有驻点"
        else:
            why_en, why_zh = "its bases reach none of its houses in time", "本防区驻点无法在时限内到达任何房屋"
        report.add("zone_unreached", "defense_zones", field=str(zone),
                   count=int((houses["defense_zone_id"] == zone).sum()), detail=why_en, detail_zh=why_zh)
