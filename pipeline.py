"""The whole run on one street, as the CLI, the demo and the plugin all do it.

load and check → join → score and converging signals → coverage, siting and
dispatch → one result GeoPackage.  The join always runs (every step stands on
the houses it gathers); risk and coverage are steps that can be left out.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from .coloring.backtest import Backtest, BacktestOptions, backtest
from .coloring.rules import Rules, load_rules
from .coloring.score import Scores, factor_influence, score_houses, summarise
from .coloring.signals import converging_signals
from .grid_tools.aggregate import house_counts
from .grid_tools.closed_loop import ClosedLoop, LoopRules, closed_loop
from .grid_tools.coverage import CoverageOptions, CoverageResult, Router, add_area_coverage, coverage, dispatch
from .grid_tools.join import JoinResult, join_street
from .grid_tools.options import JoinOptions
from .grid_tools.siting import SitingResult, suggest_bases
from .grid_tools.watch import Watch, enterprise_watch
from .layers.geopackage import check_output, write_geopackage
from .layers.project import Project
from .layers.report import Report
from .layers.street import Street, load_street
from .options import ANALYSIS, OPTIONS, defaults
from .results import check_results

RESULT_FILE = "gridgov_result.gpkg"
STEPS = ("risk", "coverage")       # after the join, which every run does
SUMMARY_ZONES = {"risk_by_grid": "grid_id", "risk_by_community": "community_id",
                 "risk_by_patrol_zone": "patrol_zone_id", "risk_by_defense_zone": "defense_zone_id"}


@dataclass
class Analysis:
    street: Street
    join: JoinResult
    houses: gpd.GeoDataFrame = None           # the one houses table: the join's, with each step's columns
    scores: Scores | None = None              # None when the risk step was left out
    warnings: gpd.GeoDataFrame | None = None
    coverage: CoverageResult | None = None    # None when left out, or when the street has no bases
    siting: SitingResult | None = None
    events: gpd.GeoDataFrame | None = None     # matched events with their dispatch base and time
    backtest: Backtest | None = None           # None when left out, or without events on both sides of the date
    loop: ClosedLoop | None = None             # None without dated events
    watch: Watch | None = None                 # None without unit change records

    def gather_houses(self):
        """Each step's own columns (keyed by house_id) joined onto the join's houses, once.  Houses read from
        an earlier result carry the same columns: this run's replace them."""
        parts = [step.columns for step in (self.scores, self.coverage) if step is not None]
        if not parts:
            self.houses = self.join.houses
            return
        computed = pd.concat(parts, axis=1)
        self.houses = self.join.houses.drop(columns=computed.columns, errors="ignore").join(computed, on="house_id")

    @property
    def steps(self) -> set:
        """The steps whose results are in this analysis (the result contract's step names)."""
        ran = {"inputs", "join"} | ({"loop"} if self.loop is not None else set()) | \
            ({"watch"} if self.watch is not None else set())
        for step, result in (("risk", self.scores), ("backtest", self.backtest), ("coverage", self.coverage),
                             ("siting", self.siting), ("dispatch", self.events)):
            if result is not None:
                ran.add(step)
        return ran

    @property
    def layers(self) -> dict:
        layers = {"houses": self.houses}
        for kind in self.join.records:
            layers[f"{kind}_matched"] = self.join.matched(kind)
        if self.events is not None:
            layers["events_matched"] = self.events
        if self.loop is not None and "events_matched" in layers:
            layers["events_matched"] = layers["events_matched"].join(self.loop.columns)
        layers["unmatched"] = self.join.unmatched
        if self.warnings is not None:
            layers["warnings"] = self.warnings
        if self.coverage is not None:
            layers["reach_areas"] = self.coverage.reach_areas
            layers["uncovered_houses"] = self.houses[~self.coverage.covered]
        if self.siting is not None:
            layers["suggested_bases"] = self.siting.suggested
        if self.watch is not None:
            layers["visits"] = self.watch.visits
        return layers

    @property
    def tables(self) -> dict:
        findings = Report(findings=self.street.report.findings + self.join.report.findings)
        tables = {"findings": findings.table(), "match_report": self.join.match_report}
        for name, column in SUMMARY_ZONES.items():
            if self.scores is not None and column in self.houses:
                tables[name] = summarise(self.houses, column)
        if self.scores is not None:
            tables["risk_cutoffs"] = self.scores.cutoffs
            tables["risk_factors"] = factor_influence(self.scores)
        if self.backtest is not None:
            tables.update(self.backtest.tables)
        if self.loop is not None:
            tables.update(self.loop.tables)
        if self.watch is not None:
            tables["visits_by_grid"] = self.watch.by_grid
        if self.coverage is not None:
            tables.update(self.coverage.by_zone)
        return tables

    @property
    def findings(self) -> list:
        return self.join.report.findings


def settings(values: dict | None = None) -> dict:
    """The analysis's keyword arguments (join and coverage options, new bases) from option values, as the
    command line, Processing and the dock collect them; declared defaults for any not given."""
    given = {**defaults(*ANALYSIS), **(values or {})}

    def pick(options_class):
        return options_class(**{f.name: given[f.name] for f in fields(options_class) if f.name in given})

    return {"join_options": pick(JoinOptions), "coverage_options": pick(CoverageOptions),
            "backtest_options": pick(BacktestOptions), "new_bases": given["new_bases"]}


def analyse(street: Street, join_options: JoinOptions | None = None, rules: Rules | None = None,
            coverage_options: CoverageOptions | None = None, new_bases: int = OPTIONS["new_bases"].default, progress=None,
            steps=STEPS, backtest_options: BacktestOptions | None = None, loop_rules: LoopRules | None = None,
            watch_rules: dict | None = None) -> Analysis:
    """The join and the chosen steps on a checked street (the caller stops first if its report has errors)."""
    unknown = set(steps) - set(STEPS)
    if unknown:
        raise ValueError(f"unknown steps {sorted(unknown)}; the steps are {', '.join(STEPS)}")
    step = progress or (lambda fraction, text: None)
    joined = join_street(street, join_options, lambda f, text: step(0.5 * f, text))
    analysis = Analysis(street, joined)
    if "events" in joined.records:
        analysis.loop = closed_loop(joined.records["events"], joined.reference_time, loop_rules)
        report_loop(analysis.loop, joined.report)
    if street.layers.get("unit_changes") is not None and "units" in joined.records:
        analysis.watch = enterprise_watch(street.layers["unit_changes"], joined.matched("units"), joined.houses, watch_rules)
        if analysis.watch.unknown_units:
            joined.report.add("unit_changes_unknown", "unit_changes", count=len(analysis.watch.unknown_units),
                              examples=analysis.watch.unknown_units)
    if "risk" in steps:
        rules = rules or load_rules()
        events = joined.matched("events") if "events" in joined.records else None
        step(0.55, "scoring houses")
        analysis.scores = score_houses(joined.houses, events, rules, joined.reference_time)
        report_dominant_levels(analysis.scores.cutoffs, joined.report)
        step(0.6, "converging signals")
        analysis.warnings = converging_signals(events, joined.houses, rules)
        step(0.62, "back-test")
        analysis.backtest = backtest_street(joined, rules, backtest_options or BacktestOptions(),
                                            join_options or JoinOptions())
    if "coverage" in steps and street.bases is not None and not street.bases.empty:
        step(0.65, "five-minute coverage")
        analyse_coverage(analysis, coverage_options or CoverageOptions(), new_bases, step)
    analysis.gather_houses()
    step(1.0, "analysed")
    return analysis


def backtest_street(joined: JoinResult, rules: Rules, options: BacktestOptions, join_options: JoinOptions):
    """Score the houses as they stood on the back-test date (the counts, decay, open events and warnings of
    that day) and measure the events after it, up to the join's reference time."""
    events = joined.matched("events") if "events" in joined.records else None
    date = options.date_for(joined.reference_time)
    if events is None or date is None or "reported_at" not in events:
        return None
    when = pd.to_datetime(events["reported_at"])
    events = events[when <= joined.reference_time]
    if not (when <= date).any() or not ((when > date) & (when <= joined.reference_time)).any():
        return None
    known = {**joined.records, "events": known_on(joined.records["events"], date)}
    counts = house_counts(joined.houses, known, date, join_options.window_days, join_options.recent_days)
    houses = joined.houses.drop(columns=counts.columns, errors="ignore").join(counts)
    before = known["events"][known["events"]["house_id"].notna()]
    scores = score_houses(houses, before, rules, date)
    return backtest(scores.columns, houses, events, date, converging_signals(before, houses, rules),
                    options.visits_per_grid)


def known_on(events: pd.DataFrame, date) -> pd.DataFrame:
    """The events as the register stood on ``date``: those reported by then, open if they closed later."""
    events = events[pd.to_datetime(events["reported_at"]) <= date]
    if "closed_at" in events and "status" in events:
        closed_later = pd.to_datetime(events["closed_at"], errors="coerce") > date
        events = events.assign(status=events["status"].where(~closed_later, "open"))
    return events


def report_loop(loop: ClosedLoop | None, report: Report):
    """Categories no routing rule covers, and overdue events, in the run's report."""
    if loop is None:
        return
    routing = loop.tables["routing"]
    unrouted = routing[~routing["routed"] & (routing["category"] != "")]
    if len(unrouted):
        report.add("categories_unrouted", "events", count=int(unrouted["events"].sum()),
                   detail=", ".join(unrouted["category"].head(8)), examples=list(unrouted["category"]))
    overdue = int(loop.columns["overdue"].sum())
    if overdue:
        report.add("events_overdue", "events", count=overdue)


def report_dominant_levels(cutoffs, report: Report):
    """A colouring in which one level holds more than half of the houses (of the street, or of a zone)."""
    for row in cutoffs.itertuples():
        shares = {level: getattr(row, f"{level}_share") for level in ("red", "yellow", "green")}
        level, share = max(shares.items(), key=lambda item: item[1])
        if share > 0.5:
            where = "the street" if row.group == "street" else f"defense zone {row.group}"
            report.add("level_dominates", "houses", detail=f"{where}: {level} {share:.0%}",
                       detail_zh=f"{'本街道' if row.group == 'street' else '防区 ' + row.group}：{level} {share:.0%}")


def analyse_coverage(analysis: Analysis, options: CoverageOptions, new_bases: int, step):
    """Coverage of each zone by its own bases, where new bases would help, and dispatch of every event."""
    street = analysis.street
    router = Router(street.roads, options)
    result = coverage(analysis.join.houses, street.bases, defense_zones=street.defense_zones, options=options,
                      router=router)
    for name, zones, id_field in (("coverage_by_defense_zone", street.defense_zones, "defense_zone_id"),
                                  ("coverage_by_patrol_zone", street.patrol_zones, "patrol_zone_id")):
        if name in result.by_zone and zones is not None:
            result.by_zone[name] = add_area_coverage(result.by_zone[name], zones, id_field, result.reach_areas)
    analysis.coverage = result
    analysis.join.report.findings.extend(result.report.findings)
    if router.graph is not None:
        step(0.8, "where new bases would help")
        analysis.siting = suggest_bases(result, options, new_bases, defense_zones=street.defense_zones)
    if "events" in analysis.join.records:
        step(0.9, "dispatching events")
        events = analysis.join.matched("events")
        houses = analysis.join.houses.set_index("house_id")
        points = shapely.point_on_surface(houses.loc[events["house_id"]].geometry.to_numpy())
        analysis.events = events.join(dispatch(events, points, street.bases, router))


CONTEXT_KINDS = ("grids", "patrol_zones", "defense_zones", "communities", "bases", "roads", "water")


def context_layers(street: Street) -> dict:
    """The street's own zones, bases, roads and water, kept beside the results for the maps."""
    return {kind: street.layers[kind] for kind in CONTEXT_KINDS if kind in street.layers}


def write_results(analysis: Analysis, path, extra_layers: dict | None = None, extra_tables: dict | None = None,
                  inputs=()) -> Path:
    """The one result file: analysis layers and tables (plus any inputs to keep beside them), each checked
    against the result contract before anything is written."""
    layers = {**(extra_layers or {}), **analysis.layers}
    tables = {**(extra_tables or {}), **analysis.tables}
    given = {kind: set(frame.columns) for kind, frame in {**analysis.street.layers, **(extra_layers or {})}.items()}
    check_results({**layers, **tables}, analysis.steps, given)
    return write_geopackage(path, layers, tables, inputs)


@dataclass
class Run:
    street: Street
    analysis: Analysis | None = None    # None when the inputs have errors
    path: Path | None = None            # the result file, when one was written


def run_street(project: Project, out=None, rules: Rules | None = None, join_options: JoinOptions | None = None,
               coverage_options: CoverageOptions | None = None, new_bases: int = OPTIONS["new_bases"].default, progress=None,
               steps=STEPS, backtest_options: BacktestOptions | None = None, loop_rules: LoopRules | None = None,
               as_of=None, watch_rules: dict | None = None) -> Run:
    """Check a project's inputs and, when they are sound, analyse them and write the result file to ``out``.

    The one run behind `gridgov run`, the Processing algorithm and the dock.  ``as_of``: as the street
    stood on that date (events reported later left out, those closed later open).
    """
    step = progress or (lambda fraction, text: None)
    inputs = project.files
    if out is not None:
        check_output(out, (".gpkg",), inputs, make_folder=False)       # before the long work
    street = load_street(project, progress=lambda f, text: step(0.2 * f, text))
    if not street.report.ok:
        return Run(street)
    if as_of is not None and street.events is not None:     # a snapshot: the register as it stood then
        street.layers["events"] = known_on(street.events, pd.Timestamp(as_of))
    analysis = analyse(street, join_options, rules, coverage_options, new_bases,
                       progress=lambda f, text: step(0.2 + 0.75 * f, text), steps=steps, backtest_options=backtest_options,
                       loop_rules=loop_rules, watch_rules=watch_rules)
    if out is None:
        return Run(street, analysis)
    step(0.97, "writing results")
    return Run(street, analysis, write_results(analysis, out, extra_layers=context_layers(street), inputs=inputs))
