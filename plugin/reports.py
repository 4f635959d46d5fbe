"""The dock's reports as tables and chart rows: the run's report and summary tables, ready to show."""
from __future__ import annotations

import pandas as pd
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..coloring.palette import MAP_COLORS, PALETTE, ordered
from ..layers.report import MAX_EXAMPLES
from .i18n import translate

# column headers shown in the reports (translated in the "Reports" context)
HEADERS = {
    "severity": QT_TRANSLATE_NOOP("Reports", "Severity"),
    "layer": QT_TRANSLATE_NOOP("Reports", "Layer"),
    "count": QT_TRANSLATE_NOOP("Reports", "Records"),
    "message": QT_TRANSLATE_NOOP("Reports", "Finding"),
    "examples": QT_TRANSLATE_NOOP("Reports", "Examples"),
    "source": QT_TRANSLATE_NOOP("Reports", "Source"),
    "outcome": QT_TRANSLATE_NOOP("Reports", "Outcome"),
    "records": QT_TRANSLATE_NOOP("Reports", "Records"),
    "share": QT_TRANSLATE_NOOP("Reports", "Share"),
    "grid_id": QT_TRANSLATE_NOOP("Reports", "Grid"),
    "defense_zone_id": QT_TRANSLATE_NOOP("Reports", "Defense zone"),
    "patrol_zone_id": QT_TRANSLATE_NOOP("Reports", "Patrol zone"),
    "houses": QT_TRANSLATE_NOOP("Reports", "Houses"),
    "red": QT_TRANSLATE_NOOP("Reports", "Red"),
    "yellow": QT_TRANSLATE_NOOP("Reports", "Yellow"),
    "green": QT_TRANSLATE_NOOP("Reports", "Green"),
    "red_share": QT_TRANSLATE_NOOP("Reports", "Red share"),
    "yellow_share": QT_TRANSLATE_NOOP("Reports", "Yellow share"),
    "green_share": QT_TRANSLATE_NOOP("Reports", "Green share"),
    "houses_covered": QT_TRANSLATE_NOOP("Reports", "Houses reached"),
    "not_routable": QT_TRANSLATE_NOOP("Reports", "Off the network"),
    "covered_only_by_other_zone": QT_TRANSLATE_NOOP("Reports", "Reached only from another zone"),
    "people": QT_TRANSLATE_NOOP("Reports", "People"),
    "people_covered": QT_TRANSLATE_NOOP("Reports", "People reached"),
    "slowest_s": QT_TRANSLATE_NOOP("Reports", "Slowest (s)"),
    "houses_share": QT_TRANSLATE_NOOP("Reports", "Houses reached, share"),
    "people_share": QT_TRANSLATE_NOOP("Reports", "People reached, share"),
    "area_share": QT_TRANSLATE_NOOP("Reports", "Area reached, share"),
    "method": QT_TRANSLATE_NOOP("Reports", "Method"),
    "unreached": QT_TRANSLATE_NOOP("Reports", "Not reached"),
    "level": QT_TRANSLATE_NOOP("Reports", "Level"),
    "with_event": QT_TRANSLATE_NOOP("Reports", "Houses with an event after"),
    "events_after": QT_TRANSLATE_NOOP("Reports", "Events after"),
    "per_house": QT_TRANSLATE_NOOP("Reports", "Events per house after"),
    "with_event_share": QT_TRANSLATE_NOOP("Reports", "Share with an event after"),
    "lift": QT_TRANSLATE_NOOP("Reports", "Lift over green"),
    "stage": QT_TRANSLATE_NOOP("Reports", "Stage"),
    "stage_zh": QT_TRANSLATE_NOOP("Reports", "Stage (Chinese)"),
    "target_min": QT_TRANSLATE_NOOP("Reports", "Target (min)"),
    "events": QT_TRANSLATE_NOOP("Reports", "Events"),
    "within_share": QT_TRANSLATE_NOOP("Reports", "Within target"),
    "median_min": QT_TRANSLATE_NOOP("Reports", "Median (min)"),
    "p90_min": QT_TRANSLATE_NOOP("Reports", "90 % (min)"),
    "level_zh": QT_TRANSLATE_NOOP("Reports", "Level (Chinese)"),
    "target": QT_TRANSLATE_NOOP("Reports", "Target share"),
    "closure_rate": QT_TRANSLATE_NOOP("Reports", "Closure rate"),
    "overdue": QT_TRANSLATE_NOOP("Reports", "Overdue"),
    "per_day": QT_TRANSLATE_NOOP("Reports", "Events a day"),
    "open": QT_TRANSLATE_NOOP("Reports", "Open"),
    "closed": QT_TRANSLATE_NOOP("Reports", "Closed"),
}
BACKTEST_CAPTION = QT_TRANSLATE_NOOP("Reports", "Scored on {date}, events in the {days} days after: red lift {lift:.1f}×, "
                                                "red list precision {precision:.0%}, weekly visits' list precision "
                                                "{visits:.0%}, AUC {auc:.2f}")
LOOP_CAPTION = QT_TRANSLATE_NOOP("Reports", "Closure rate today {today} ({today_events} events), this month {month} "
                                            "({month_events} events), in all {all} ({all_events} events); as of {day}")
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
UNREACHED = MAP_COLORS["unreached"]
CHART_ROWS = 15


def headers() -> dict:
    return {column: translate("Reports", text) for column, text in HEADERS.items()}


def findings_frame(report, chinese: bool) -> pd.DataFrame:
    """One row per finding, errors first, in the interface's language."""
    lang = "zh" if chinese else "en"
    rows = [{"severity": f.severity, "layer": f.layer, "count": f.count, "message": f.message(lang),
             "examples": ", ".join(f.examples[:MAX_EXAMPLES]), "source": f.source} for f in report.findings]
    frame = pd.DataFrame(rows, columns=["severity", "layer", "count", "message", "examples", "source"])
    return frame.sort_values("severity", key=lambda s: s.map(SEVERITY_ORDER), kind="stable")


def risk_rows(by_grid: pd.DataFrame) -> tuple:
    """The grids with the most red (then yellow) houses, as stacked bars of red, yellow and green."""
    levels = [name for name, _ in ordered("levels")]
    top = by_grid.sort_values(levels[:2], ascending=False).head(CHART_ROWS)
    rows = [(str(row.grid_id), [(getattr(row, level), PALETTE["levels"][level]["color"]) for level in levels])
            for row in top.itertuples()]
    legend = [(translate("Reports", HEADERS[level]), PALETTE["levels"][level]["color"]) for level in levels]
    return rows, legend


def coverage_rows(by_zone: pd.DataFrame) -> tuple:
    """Each zone's houses reached within the promise, and the rest."""
    zone = by_zone.columns[0]
    green = PALETTE["levels"]["green"]["color"]
    rows = [(str(row[zone]), [(row["houses_covered"], green), (row["houses"] - row["houses_covered"], UNREACHED)])
            for _, row in by_zone.head(CHART_ROWS).iterrows()]
    legend = [(translate("Reports", HEADERS["houses_covered"]), green),
              (translate("Reports", HEADERS["unreached"]), UNREACHED)]
    return rows, legend


def backtest_rows(levels: pd.DataFrame) -> tuple:
    """The back-test: events per house after the date, one bar per level in its colour."""
    rows = [(translate("Reports", HEADERS[row.level]), [(float(row.per_house or 0), PALETTE["levels"][row.level]["color"])])
            for row in levels.itertuples()]
    return rows, [(translate("Reports", HEADERS["per_house"]), PALETTE["levels"]["red"]["color"])]


def backtest_caption(summary: pd.DataFrame) -> str:
    """One line of the back-test's figures, in the interface's language."""
    row = summary.iloc[0]
    return translate("Reports", BACKTEST_CAPTION).format(
        date=row["date"], days=int(row["horizon_days"]), lift=row["lift_red"], precision=row["red_precision"],
        visits=row["visits_precision"], auc=row["auc"])


def month_rows(by_month: pd.DataFrame) -> tuple:
    """The latest months' events as stacked bars, closed then open."""
    closed, still_open = MAP_COLORS["reach"], PALETTE["levels"]["red"]["color"]
    rows = [(str(row.month), [(int(row.closed), closed), (int(row.open), still_open)])
            for row in by_month.tail(CHART_ROWS).itertuples()]
    return rows, [(translate("Reports", HEADERS["closed"]), closed), (translate("Reports", HEADERS["open"]), still_open)]


def loop_caption(recent: pd.DataFrame) -> str:
    """Closure today, this month and in all, in the interface's language."""
    rows = recent.set_index("period")

    def rate(period):
        value = rows.loc[period, "closure_rate"]
        return "—" if pd.isna(value) else f"{value:.1%}"

    return translate("Reports", LOOP_CAPTION).format(
        today=rate("today"), today_events=int(rows.loc["today", "events"]), month=rate("this_month"),
        month_events=int(rows.loc["this_month", "events"]), all=rate("all"), all_events=int(rows.loc["all", "events"]),
        day=rows.loc["today", "since"])
