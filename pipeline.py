"""The whole run on one street, as the CLI, the demo and the plugin all do it.

load and check → join (→ score, coverage as they land) → one result GeoPackage.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .grid_tools.join import JoinResult, join_street
from .grid_tools.options import JoinOptions
from .layers.geopackage import write_geopackage
from .layers.street import Street

RESULT_FILE = "gridgov_result.gpkg"


@dataclass
class Analysis:
    street: Street
    join: JoinResult

    @property
    def layers(self) -> dict:
        layers = {"houses": self.join.houses}
        for kind in self.join.records:
            layers[f"{kind}_matched"] = self.join.matched(kind)
        layers["unmatched"] = self.join.unmatched
        return layers

    @property
    def tables(self) -> dict:
        return {"match_report": self.join.match_report}

    @property
    def findings(self) -> list:
        return self.join.report.findings


def analyse(street: Street, join_options: JoinOptions | None = None, progress=None) -> Analysis:
    """Every analysis on a checked street (the caller stops first if its report has errors)."""
    return Analysis(street, join_street(street, join_options, progress))


def write_results(analysis: Analysis, path, extra_layers: dict | None = None, extra_tables: dict | None = None) -> Path:
    """The one result file: analysis layers and tables (plus any inputs to keep beside them)."""
    return write_geopackage(path, {**(extra_layers or {}), **analysis.layers},
                            {**(extra_tables or {}), **analysis.tables})
