"""The whole run on one street, as the CLI, the demo and the plugin all do it.

load and check → join → score and converging signals (→ coverage as it lands)
→ one result GeoPackage.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from .coloring.rules import Rules, load_rules
from .coloring.score import Scores, score_houses, summarise
from .coloring.signals import converging_signals
from .grid_tools.join import JoinResult, join_street
from .grid_tools.options import JoinOptions
from .layers.geopackage import write_geopackage
from .layers.street import Street

RESULT_FILE = "gridgov_result.gpkg"
SUMMARY_ZONES = {"risk_by_grid": "grid_id", "risk_by_community": "community_id",
                 "risk_by_patrol_zone": "patrol_zone_id", "risk_by_defense_zone": "defense_zone_id"}


@dataclass
class Analysis:
    street: Street
    join: JoinResult
    scores: Scores
    warnings: gpd.GeoDataFrame

    @property
    def houses(self) -> gpd.GeoDataFrame:
        return self.scores.houses

    @property
    def layers(self) -> dict:
        layers = {"houses": self.houses}
        for kind in self.join.records:
            layers[f"{kind}_matched"] = self.join.matched(kind)
        layers["unmatched"] = self.join.unmatched
        layers["warnings"] = self.warnings
        return layers

    @property
    def tables(self) -> dict:
        tables = {"match_report": self.join.match_report}
        for name, column in SUMMARY_ZONES.items():
            if column in self.houses:
                tables[name] = summarise(self.houses, column)
        return tables

    @property
    def findings(self) -> list:
        return self.join.report.findings


def analyse(street: Street, join_options: JoinOptions | None = None, rules: Rules | None = None,
            progress=None) -> Analysis:
    """Every analysis on a checked street (the caller stops first if its report has errors)."""
    step = progress or (lambda fraction, text: None)
    rules = rules or load_rules()
    joined = join_street(street, join_options, lambda f, text: step(0.7 * f, text))
    events = joined.matched("events") if "events" in joined.records else None
    step(0.75, "scoring houses")
    scores = score_houses(joined.houses, events, rules, joined.reference_time)
    step(0.9, "converging signals")
    warnings = converging_signals(events, scores.houses, rules)
    step(1.0, "analysed")
    return Analysis(street, joined, scores, warnings)


def write_results(analysis: Analysis, path, extra_layers: dict | None = None, extra_tables: dict | None = None) -> Path:
    """The one result file: analysis layers and tables (plus any inputs to keep beside them)."""
    return write_geopackage(path, {**(extra_layers or {}), **analysis.layers},
                            {**(extra_tables or {}), **analysis.tables})
