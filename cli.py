"""The ``gridgov`` command: a thin front end on the same core the plugin uses."""
from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

from . import __version__
from .options import ANALYSIS, add_arguments, values


def _progress(fraction: float, text: str):
    print(f"  [{fraction:4.0%}] {text}", file=sys.stderr, flush=True)


def _load_checked(project_path, as_json=False):
    """Load a street and print its report; None when the report has errors."""
    from .layers import load_project, load_street

    project = load_project(project_path)
    street = load_street(project, progress=_progress)
    print(street.report.to_json() if as_json else street.report.to_text())
    return project, street


def cmd_validate(args) -> int:
    _, street = _load_checked(args.project, args.json)
    return 0 if street.report.ok else 1


def _rules(args):
    from .coloring.rules import load_rules

    return load_rules(getattr(args, "rules", None))


def _print_coverage(analysis):
    if analysis.coverage is None:       # a step left out, or a street without bases
        if analysis.street.bases is None:
            print("coverage 响应圈: no bases in this street, skipped")
        return
    table = analysis.coverage.by_zone.get("coverage_by_defense_zone")
    print(f"five-minute coverage 五分钟响应 ({analysis.coverage.method}):")
    if table is not None:
        for row in table.itertuples():
            print(f"  {row.defense_zone_id}: {row.houses_covered:,}/{row.houses:,} houses ({row.houses_share:.1%}), "
                  f"people {row.people_share:.1%}, area {getattr(row, 'area_share', float('nan')):.1%}, "
                  + (f"slowest {row.slowest_s:.0f} s" if math.isfinite(row.slowest_s) else
                     "no house reached at all 无房屋可达"))
    if analysis.siting is not None and len(analysis.siting.suggested):
        cover = analysis.siting.suggested[analysis.siting.suggested["solution"] == "set_cover"]
        print(f"  {len(cover)} new bases would reach every coverable uncovered house "
              f"({analysis.siting.uncoverable} houses no junction reaches in time)")


def _print_levels(analysis):
    from .coloring.score import factor_influence

    if analysis.scores is None:
        return
    levels = analysis.houses["risk_level"].value_counts()
    total = len(analysis.houses)
    print("houses 房屋: " + ", ".join(f"{level} {levels.get(level, 0):,} ({levels.get(level, 0) / total:.1%})"
                                    for level in ("red", "yellow", "green")))
    rules = analysis.scores.rules
    for row in analysis.scores.cutoffs.itertuples():
        print(f"  cut-offs 分界 ({'by share of the houses, ' if rules.by == 'share' else 'fixed, '}{row.group}): "
              f"yellow ≥ {row.yellow_cut:g}, red ≥ {row.red_cut:g} points")
    relied = factor_influence(analysis.scores).head(3)
    print("  red list rests on 红色主要依据: " + ", ".join(
        f"{r.factor} ({r.red_relying_share:.0%})" for r in relied.itertuples() if r.red_relying))
    grades = analysis.warnings["grade"].value_counts()
    print("converging signals 冒烟预警: " + (", ".join(f"{g} {n}" for g, n in grades.items()) or "none"))


def _print_backtest(result, out: Path):
    """The back-test's figures on the console, and its page for the command centre."""
    from .coloring.backtest import page
    from .layers.geopackage import write_text

    print(result.text())
    print(f"wrote {write_text(out / 'backtest.html', page(result), suffixes=('.html',))}")


def cmd_run(args) -> int:
    """Check, then the analyses, into one result GeoPackage."""
    import pandas as pd

    from .grid_tools.closed_loop import load_loop_rules
    from .grid_tools.watch import load_watch_rules
    from .layers import load_project
    from .layers.geopackage import write_text
    from .pipeline import RESULT_FILE, run_street, settings

    rules = _rules(args)   # a bad rule file stops us before the long work
    project = load_project(args.project)
    out = Path(args.out) if args.out else project.output_dir
    given = settings(values(args, *ANALYSIS))
    given["loop_rules"] = load_loop_rules(args.routing, args.loop_rules)
    given["watch_rules"] = load_watch_rules(args.watch_rules)
    if args.as_of:
        try:
            given["as_of"] = given["join_options"].reference_time = pd.Timestamp(args.as_of)
        except ValueError:
            print(f"gridgov: --as-of wants a date such as 2026-10-31, not {args.as_of!r}", file=sys.stderr)
            return 2
    if getattr(args, "backtest", None):
        try:
            given["backtest_options"].date = pd.Timestamp(args.backtest)
        except ValueError:
            print(f"gridgov: --backtest wants a date such as 2026-06-01, not {args.backtest!r}", file=sys.stderr)
            return 2
    explain = getattr(args, "explain", None)
    steps = (("risk",) if args.steps else ()) if explain else args.steps     # join --explain: a record
    run = run_street(project, None if explain else out / RESULT_FILE, rules, **given, progress=_progress, steps=steps)
    print(run.street.report.to_text())
    if run.analysis is None:
        print("stopped: fix the errors above and run again 存在错误，已停止", file=sys.stderr)
        return 1
    analysis = run.analysis
    if explain and not args.steps:
        from .grid_tools.explain import explain_record
        from .grid_tools.matching import HouseIndex

        index = HouseIndex(analysis.join.houses, given["join_options"],
                           analysis.street.layers.get("address_library"))
        print(explain_record(analysis.join, index, explain))
        return 0
    if explain:
        print(analysis.scores.explain(explain))
        return 0
    for finding in analysis.findings:
        print("\n".join(finding.text_lines()))
    print(analysis.join.match_report.to_string(index=False, formatters={"share": "{:.1%}".format}))
    for part in (analysis.loop, analysis.watch):
        if part is not None:
            print(part.text())
    _print_levels(analysis)
    if analysis.backtest is not None:
        _print_backtest(analysis.backtest, out)
    elif getattr(args, "backtest", None):
        print(f"gridgov: no back-test: events are needed on both sides of {args.backtest}", file=sys.stderr)
        return 2
    _print_coverage(analysis)
    write_text(out / "validation.json", run.street.report.to_json(), suffixes=(".json",))
    print(f"wrote {run.path}")
    return 0


def cmd_compare(args) -> int:
    """What changed between two results: houses whose level changed and why, warnings, coverage."""
    from .grid_tools.compare import compare_results
    from .layers.geopackage import check_output, write_geopackage

    check_output(args.out, (".gpkg",), (args.old, args.new), make_folder=True)
    changes = compare_results(args.old, args.new)
    print(changes.text())
    print(f"wrote {write_geopackage(args.out, changes.layers, changes.tables)}")
    return 0


def cmd_atlas(args) -> int:
    """Field maps: one page per grid, from a result (or demo) GeoPackage, through QGIS headless."""
    from .layers.geopackage import check_output
    from .results import check_result_file

    check_result_file(args.gpkg, need=("houses", "grids"), steps=("risk",))     # before QGIS starts
    if args.changes:
        from .grid_tools.compare import changes_file

        changes_file(args.changes)
    if not args.per_grid:
        check_output(args.out, (".pdf",), (args.gpkg,), make_folder=False)
    from .atlas.export import make_field_maps

    grids = [g.strip() for g in args.grids.split(",")] if args.grids else None
    started = time.perf_counter()
    paths = make_field_maps(args.gpkg, args.out, args.paper, args.per_grid, grids, args.qgz, args.changes)
    print(f"wrote {len(paths)} PDF file(s) in {time.perf_counter() - started:.1f} s: "
          + (str(paths[0]) if len(paths) == 1 else f"{paths[0].parent}/field_map_*.pdf"))
    return 0


def cmd_webmap(args) -> int:
    """The cockpit page from a result (or demo) GeoPackage."""
    from .cockpit.page import CockpitOptions, read_changes, read_cockpit_results, write_cockpit
    from .cockpit.wall import WALL_PAGE, write_wall

    options = CockpitOptions(args.basemap, args.tianditu_key or "", args.with_people)
    if args.wall:
        options.title = "gridgov 街道指挥中心 command centre"
    layers, tables = read_cockpit_results(args.gpkg, args.with_people)
    if args.changes:
        layers["level_changes"] = read_changes(args.changes)
    write = write_wall if args.wall else write_cockpit
    path = write(args.out or (WALL_PAGE if args.wall else "cockpit.html"), layers, tables, options)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB, basemap {args.basemap}"
          + (", people shown with masked ID-card and phone numbers" if args.with_people else "") + ")")
    return 0


def cmd_address_parse(args) -> int:
    """Clean an export's addresses: the input with one column per part, as CSV (opens in Excel)."""
    import pandas as pd

    from .grid_tools.address import components, components_summary
    from .layers import InputError
    from .layers.geopackage import check_output, write_text, write_workbook
    from .layers.project import InputSpec
    from .layers.readers import read_address_table
    from .layers.tables import WORKBOOK_SUFFIXES, skipped_rows

    source = Path(args.input)
    if not args.out and source.exists() and not source.is_file():
        raise InputError("is no file (a pipe?): give --out for the parsed table", str(source))
    table, column, title, footer = read_address_table(InputSpec("people", str(source), layer=args.sheet), args.column)
    workbook = source.suffix.lower() in WORKBOOK_SUFFIXES
    out = Path(args.out) if args.out else source.with_name(f"{source.stem}_parsed{'.xlsx' if workbook else '.csv'}")
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise InputError("the parsed table is written as CSV or XLSX: give a path ending .csv or .xlsx", str(out))
    check_output(out, (out.suffix.lower(),), (source,))
    parts = components(table[column])
    written = pd.concat([table, parts.add_prefix("parsed_")], axis=1)
    if out.suffix.lower() == ".xlsx":
        write_workbook(out, written, "parsed 地址拆分")
    else:       # with a BOM: Excel reads UTF-8
        write_text(out, "\ufeff" + written.to_csv(index=False), suffixes=(".csv",))
    print(f"parsed {len(table):,} addresses from {source.name} [{column}] into {out}")
    for line in skipped_rows(title, footer) + components_summary(table[column], parts):
        print("  " + line)
    return 0


def cmd_city(args) -> int:
    """Every street of a city on Dask, gathered into one city result and page."""
    from .city.project import load_city

    city = load_city(args.city)
    return _run_city(city, Path(args.out) if args.out else city.output_dir, args)


def _run_city(city, out: Path, args) -> int:
    from .city.gather import CITY_FILE, PARQUET_FOLDER, gather_city
    from .city.run import dask_client, run_streets
    from .city.split import split_city
    from .cockpit.city import write_city_page

    def report(done, total, outcome):
        said = (f"{outcome.figures['houses']:,} houses, {outcome.figures['red']:,} red" if outcome.ok
                else f"FAILED 失败: {outcome.error}")
        print(f"[{done}/{total}] {outcome.name}: {said} ({outcome.seconds:.1f} s)", flush=True)

    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    print(f"city {city.name}: " + ("city-wide layers, split onto streets" if city.split else
                                   f"{len(city.streets)} street projects") + " on "
          + (args.scheduler or f"a local Dask cluster of {args.workers or 'one worker per street, up to the cores'}"))
    split = None
    with dask_client(len(city.streets) or os.cpu_count() or 1, args.workers, args.memory_limit, args.scheduler) as client:
        if city.split:
            split = split_city(city.inputs, out / "streets_in", city.buffer_m, progress=print)
            print(f"split onto {len(split.streets)} streets; {len(split.unmatched):,} records and features no street "
                  "takes (table city_unmatched)")
        outcomes = run_streets(client, split.streets if split else city.streets, out, progress=report)
    gathered = gather_city(outcomes, out, None if split is None else split.unmatched)
    if args.to:
        from .city.store import write_postgis

        write_postgis(args.to, args.schema, gathered)
        print(f"wrote the city result into PostGIS schema {args.schema} ({', '.join(gathered)}): the rows of the "
              f"streets that finished replaced in one transaction")
    page = write_city_page(out / "city.html", gathered["streets"], f"{city.name} gridgov 城市驾驶舱 city cockpit")
    failed = [o for o in outcomes if not o.ok]
    print(f"wrote {out / CITY_FILE}, {out / PARQUET_FOLDER}/ (GeoParquet by street) and {page} "
          f"in {time.perf_counter() - started:.1f} s; {len(outcomes) - len(failed)} streets done, {len(failed)} failed")
    return 1 if failed else 0


def cmd_demo(args) -> int:
    from .demo import build_demo, write_demo
    from .layers import load_project, load_street
    from .pipeline import analyse, write_results

    if args.city:
        from .city.project import load_city
        from .demo.city import write_demo_city

        city = load_city(write_demo_city(args.city, args.out, args.scale, args.seed, progress=_progress))
        return _run_city(city, city.output_dir, args)
    started = time.perf_counter()
    demo = build_demo(args.area, args.scale, args.seed, progress=_progress)
    gpkg = write_demo(demo, args.out)
    street = load_street(load_project(Path(args.out) / "gridgov_demo.toml"), progress=_progress)
    counts = ", ".join(f"{name} {len(frame):,}" for name, frame in demo.layers.items())
    print(f"demo street {args.area} (scale {args.scale}, seed {args.seed}): {counts}")
    print(f"validation: {len(street.report.errors)} errors, {len(street.report.warnings)} warnings "
          f"(gridgov validate {Path(args.out) / 'gridgov_demo.toml'} for the report)")
    if not street.report.ok:
        print(street.report.to_text())
        return 1
    analysis = analyse(street, progress=_progress)
    write_results(analysis, gpkg, extra_layers=demo.layers, extra_tables={**demo.tables, "about": demo.about})
    _print_levels(analysis)
    if analysis.backtest is not None:
        _print_backtest(analysis.backtest, Path(args.out))
    _print_coverage(analysis)
    if not args.no_maps:
        from .atlas.export import make_field_maps

        maps = make_field_maps(gpkg, Path(args.out) / "field_maps.pdf", qgz=Path(args.out) / "gridgov_demo.qgz")
        print(f"field maps 网格作战图: {maps[0].resolve()} (one page per grid); QGIS project: "
              f"{(Path(args.out) / 'gridgov_demo.qgz').resolve()}")
    from .cockpit.page import read_cockpit_results, write_cockpit
    from .cockpit.wall import WALL_PAGE, write_wall

    shown = read_cockpit_results(gpkg)
    page, wall = write_cockpit(Path(args.out) / "cockpit.html", *shown), write_wall(Path(args.out) / WALL_PAGE, *shown)
    print(f"cockpit web map 驾驶舱: {page.resolve()}; command-centre screen 指挥中心大屏: {wall.resolve()} "
          "(offline, open them in a browser; F11 for full screen)")
    report = analysis.join.match_report
    for source, rows in report.groupby("source", sort=False):
        matched = rows[~rows["outcome"].str.startswith("unmatched")]["records"].sum()
        print(f"joined {source}: {matched:,} of {rows['records'].sum():,} onto houses "
              f"({matched / rows['records'].sum():.1%})")
    print(f"wrote {gpkg.resolve()} in {time.perf_counter() - started:.1f} s")
    print("open it in QGIS: Layer ▸ Add Layer ▸ Add Vector Layer, or drag the file onto the map")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="gridgov", description="Grid governance for Chinese city streets 街道网格化治理")
    top.add_argument("--version", action="version", version=f"gridgov {__version__}")
    commands = top.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="read and check a street's inputs; print the report")
    validate.add_argument("project", help="project file (TOML)")
    validate.add_argument("--json", action="store_true", help="machine-readable report")
    validate.set_defaults(func=cmd_validate)

    for name, steps, text in (
            ("run", ("risk", "coverage"), "check a street and run every analysis on it"),
            ("join", (), "check a street and gather people, units, events and sensors onto houses"),
            ("score", ("risk",), "join, then colour every house red, yellow or green by risk, with reasons"),
            ("coverage", ("coverage",), "join, then five-minute response coverage per zone, uncovered houses, "
                                        "new bases and event dispatch")):
        run = commands.add_parser(name, help=text)
        run.add_argument("project", help="project file (TOML)")
        run.add_argument("--out", help="output folder (default: [outputs] dir of the project)")
        run.add_argument("--rules", help="risk rule file (TOML; default resources/rules/risk_default.toml)")
        run.add_argument("--routing", help="event routing file: category words → command centre and office "
                                           "(TOML; default resources/routing.toml)")
        run.add_argument("--loop-rules", help="closed-loop rules: stage targets, deadlines, resolving levels "
                                              "(TOML; default resources/closed_loop.toml)")
        run.add_argument("--watch-rules", help="enterprise watch (八必访) triggers over unit change records "
                                               "(TOML; default resources/enterprise_watch.toml)")
        run.add_argument("--explain", metavar="RECORD_ID" if not steps else "HOUSE_ID",
                         help="print one record's way through the matching, step by step" if not steps else
                         "print one house's factor contributions")
        add_arguments(run, *ANALYSIS)
        run.add_argument("--as-of", metavar="DATE", help="run as the street stood on DATE: events reported after it "
                         "left out, those closed after it open (a monthly snapshot from one export)")
        if "risk" in steps:
            run.add_argument("--backtest", metavar="DATE", help="back-test from DATE (instead of --backtest-days before "
                             "the latest event): score with what was known on DATE and measure what happened after "
                             "it: events per house per level, lift, precision, AUC, per channel, grid and warning grade")
        run.set_defaults(func=cmd_run, steps=steps)

    address = commands.add_parser("address", help="address tools: clean an export's addresses into their parts")
    address_commands = address.add_subparsers(dest="address_command", required=True)
    parse_command = address_commands.add_parser(
        "parse", help="write the input with one column per part: road, number, compound, building, unit, floor, "
                      "room, village, group, note, beside (对面: a place beside the house)")
    parse_command.add_argument("input", help="a text file (one address a line), CSV or XLSX")
    parse_command.add_argument("--column", help="the address column (default: the one named like an address)")
    parse_command.add_argument("--sheet", help="the workbook's sheet (default: the only one with data)")
    parse_command.add_argument("--out", help="CSV or XLSX file (default: INPUT_parsed.xlsx beside a workbook, else "
                                             "INPUT_parsed.csv; a CSV opened in Excel turns 12-1 into a date)")
    parse_command.set_defaults(func=cmd_address_parse)

    compare = commands.add_parser("compare", help="what changed between two results (last month's, this month's): "
                                                  "houses whose level changed and why, warnings, coverage per zone")
    compare.add_argument("old", help="the earlier result GeoPackage")
    compare.add_argument("new", help="the later result GeoPackage")
    compare.add_argument("--out", default="changes.gpkg", help="GeoPackage of the changes (default changes.gpkg)")
    compare.set_defaults(func=cmd_compare)

    demo = commands.add_parser("demo", help="build the demo street on real Hangzhou roads")
    demo.add_argument("--out", default="out/demo", help="output folder (default out/demo)")
    add_arguments(demo, "demo")
    demo.add_argument("--no-maps", action="store_true", help="skip the field maps (which need QGIS)")
    demo.add_argument("--city", type=int, metavar="N", help="a demo city of N streets (one per embedded area), "
                      "run with gridgov city")
    _city_arguments(demo)
    demo.set_defaults(func=cmd_demo)

    city = commands.add_parser("city", help="a district or city: every street at once on Dask, one city result")
    city.add_argument("city", help="city file (TOML): the street projects")
    city.add_argument("--out", help="output folder (default: [outputs] dir of the city file)")
    _city_arguments(city)
    city.set_defaults(func=cmd_city)

    atlas = commands.add_parser("atlas", help="print field maps: one page per grid (QGIS, headless)")
    atlas.add_argument("gpkg", help="result GeoPackage (from gridgov run, or the demo's)")
    atlas.add_argument("--out", default="field_maps.pdf", help="PDF file, or a folder with --per-grid")
    atlas.add_argument("--per-grid", action="store_true", help="one PDF per grid instead of one multi-page PDF")
    atlas.add_argument("--grids", help="only these grid IDs, comma-separated")
    add_arguments(atlas, "atlas")
    atlas.add_argument("--qgz", help="also save a QGIS project with the styled layers and the layout")
    atlas.add_argument("--changes", help="changes.gpkg from gridgov compare: outline the houses turned red since the "
                                         "last run and mark them in each grid's list")
    atlas.set_defaults(func=cmd_atlas)

    webmap = commands.add_parser("webmap", help="the cockpit: one self-contained HTML page (offline by default)")
    webmap.add_argument("gpkg", help="result GeoPackage (from gridgov run, or the demo's)")
    webmap.add_argument("--out", help="HTML file (default cockpit.html, with --wall wall.html)")
    webmap.add_argument("--wall", action="store_true",
                        help="the command-centre screen: the map amid figures on a dark full-screen page, for a "
                             "1920×1080 screen or a 3840×1080 video wall; open it with #en for English")
    webmap.add_argument("--changes", help="changes.gpkg from gridgov compare: houses turned red since the last run "
                                          "as a layer of their own")
    add_arguments(webmap, "webmap")
    webmap.add_argument("--tianditu-key", help="your Tianditu key (tk)")
    webmap.add_argument("--with-people", action="store_true",
                        help="show people (names; ID-card and phone numbers masked). Off by default")
    webmap.set_defaults(func=cmd_webmap)
    return top


def _city_arguments(command):
    command.add_argument("--workers", type=int, help="local Dask workers (default: one per street, up to the cores)")
    command.add_argument("--memory-limit", default="auto", help="memory limit per local worker, e.g. 4GiB "
                                                                "(default: the machine's memory shared out)")
    command.add_argument("--scheduler", help="an existing Dask cluster instead, e.g. tcp://host:8786")
    command.add_argument("--to", metavar="POSTGRESQL_URL", help="also write the city result into PostGIS, e.g. "
                         "postgresql://user@host/db (a street's rows replaced whole on each run)")
    command.add_argument("--schema", default="gridgov_city", help="the PostGIS schema (default gridgov_city)")


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    from .coloring.rules import RuleError
    from .layers import InputError

    try:
        return args.func(args)
    except (InputError, RuleError) as error:
        print(f"gridgov: {error}", file=sys.stderr)
        return 2
    except KeyError as error:   # --explain with an unknown house or record
        print(f"gridgov: {error.args[0]}", file=sys.stderr)
        return 2
    except OSError as error:    # a folder that cannot be written, a disk full: the system's words, no traceback
        print(f"gridgov: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return 2
