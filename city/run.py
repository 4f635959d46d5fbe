"""Every street of a city on Dask distributed: one task per street, progress as streets finish, and a street
that fails reported with its error while the others finish.

A LocalCluster of worker processes by default (one thread each: a street run is
numpy-bound and holds the GIL), or an existing cluster given by its scheduler
address.  Each task runs the street exactly as `gridgov run` does and writes
the street's result file and cockpit page beside the others; what comes back
to the client is a small summary, never the frames.
"""
from __future__ import annotations

import os
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..pipeline import RESULT_FILE, run_street
from .project import StreetEntry

STREET_PAGE = "cockpit.html"


@dataclass
class StreetOutcome:
    """What a street's task reports back: its figures, or why it failed."""
    name: str
    seconds: float = 0.0
    error: str = ""
    figures: dict = field(default_factory=dict)
    worker: str = ""            # the Dask worker that ran it

    @property
    def ok(self) -> bool:
        return not self.error


def street_folder(out: Path, name: str) -> Path:
    return Path(out) / "streets" / name


def run_one_street(entry: StreetEntry, out: Path) -> StreetOutcome:
    """One street, start to end, in a worker: load, check, analyse, write its result and its cockpit page."""
    from ..cockpit.page import read_cockpit_results, write_cockpit
    from ..layers import load_project

    started = time.perf_counter()
    folder = street_folder(out, entry.name)
    outcome = StreetOutcome(entry.name, worker=_worker_address())
    try:
        folder.mkdir(parents=True, exist_ok=True)
        run = run_street(load_project(entry.project), folder / RESULT_FILE)
        if run.analysis is None:
            errors = "; ".join(finding.text_lines()[0] for finding in run.street.report.errors[:3])
            outcome.error = f"the inputs have errors: {errors}"
        else:
            write_cockpit(folder / STREET_PAGE, *read_cockpit_results(run.path))
            outcome.figures = street_figures(run.analysis)
    except Exception as error:      # noqa: BLE001 — any failure is this street's, reported; the city goes on
        outcome.error = traceback.format_exception_only(type(error), error)[-1].strip()
    outcome.seconds = time.perf_counter() - started
    return outcome


def _worker_address() -> str:
    from distributed import get_worker

    try:
        return get_worker().address
    except ValueError:          # run outside a worker (a test, the benchmark's serial loop)
        return ""


def street_figures(analysis) -> dict:
    """The street's line in the city's summary."""
    houses = analysis.houses
    levels = houses["risk_level"].value_counts() if "risk_level" in houses else {}
    report = analysis.join.match_report
    records = int(report["records"].sum())
    matched = int(report.loc[~report["outcome"].str.startswith("unmatched"), "records"].sum())
    return {"houses": len(houses), "red": int(levels.get("red", 0)), "yellow": int(levels.get("yellow", 0)),
            "green": int(levels.get("green", 0)),
            "warnings": 0 if analysis.warnings is None else len(analysis.warnings),
            "covered_share": float(houses["covered"].mean()) if "covered" in houses else None,
            "records": records, "matched_share": matched / records if records else None}


@contextmanager
def dask_client(streets: int, workers: int | None = None, memory_limit: str = "auto", scheduler: str | None = None):
    """A client of the cluster given, or of a LocalCluster of worker processes started (and stopped) here."""
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    count = workers or min(streets, os.cpu_count() or 1)
    with LocalCluster(n_workers=count, threads_per_worker=1, processes=True, memory_limit=memory_limit,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


def run_streets(client, streets: list, out: Path, progress=None) -> list:
    """Every street as a task on the client's cluster; the outcomes in the order given.
    ``progress(done, total, outcome)`` is called as each street finishes."""
    from distributed import as_completed

    futures = {client.submit(run_one_street, entry, Path(out), key=f"street-{number}", pure=False): entry
               for number, entry in enumerate(streets)}
    outcomes = {}
    for done, future in enumerate(as_completed(futures), start=1):
        entry = futures[future]
        try:
            outcome = future.result()
        except Exception as error:       # noqa: BLE001 — a worker lost (killed for memory): this street's failure
            outcome = StreetOutcome(entry.name, error=f"the worker running it failed: {error}")
        outcomes[entry.name] = outcome
        if progress:
            progress(done, len(futures), outcome)
    return [outcomes[entry.name] for entry in streets]
