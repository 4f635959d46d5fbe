"""The bad-input corpus (tests/bad_inputs/cases.py): every case through the command line, as a user runs it.

For every case: no traceback; the class of answer expected (stop / warn / run) and the words it must hold;
every input file unchanged, byte for byte; where a result is written, every input record matched or
unmatched; and the web page made from it escapes what it shows.
"""
from __future__ import annotations

import shutil

import pandas as pd
import pyogrio
import pytest
from bad_inputs.base import write_base
from bad_inputs.cases import CASES, LOCKS

from gridgov.cli import main
from gridgov.coloring.rules import DEFAULT_RULES
from gridgov.layers.encoding import detect_file_encoding

from helpers import sha256
from real_streets import require_shared_data


@pytest.fixture(scope="session")
def base_street(tmp_path_factory):
    require_shared_data()
    folder = tmp_path_factory.mktemp("base_street")
    project = write_base(folder)
    shutil.copy(DEFAULT_RULES, folder / "rules.toml")
    assert main(["run", str(project)]) == 0            # the result webmap/atlas cases start from
    return folder


def _hashes(folder, skip_outputs: bool) -> dict:
    return {p.relative_to(folder): sha256(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and not (skip_outputs and p.parts[len(folder.parts)] == "out")}


def _accounted(folder, people: int | None):
    result = folder / "out" / "gridgov_result.gpkg"
    report = pyogrio.read_dataframe(result, layer="match_report", read_geometry=False)
    encoding, _ = detect_file_encoding(folder / "people.csv")
    expected = people if people is not None else len(pd.read_csv(folder / "people.csv", dtype=str, sep=None,
                                                                 engine="python", encoding=encoding))
    assert report.loc[report["source"] == "people", "records"].sum() == expected


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case, base_street, tmp_path, capsys):
    folder = tmp_path / "street"
    shutil.copytree(base_street, folder)
    case.mutate(folder)
    runs = case.argv[0] == "run"
    before = _hashes(folder, skip_outputs=runs)
    argv = [a.format(project=folder / "street.toml", folder=folder, result=folder / "out" / "gridgov_result.gpkg")
            for a in case.argv]
    if runs:
        shutil.rmtree(folder / "out", ignore_errors=True)
    try:
        code = main(argv)
    except SystemExit as stop:           # argparse
        code = stop.code
    finally:
        while LOCKS:
            LOCKS.pop().close()
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert _hashes(folder, skip_outputs=runs) == {k: v for k, v in before.items()
                                                   if (folder / k).exists()} == before, "an input was changed"
    if case.cls == "stop":
        assert code in (1, 2), output
        if runs:
            assert not (folder / "out" / "gridgov_result.gpkg").exists()
    else:
        assert code == 0, output
    for words in case.expect:
        assert words in output, f"{words!r} not in:\n{output[-3000:]}"
    if runs and code == 0:
        _accounted(folder, case.people if case.people is not None or case.name != "twenty_stray_points"
                   else None)
        assert main(["webmap", str(folder / "out" / "gridgov_result.gpkg"), "--out",
                     str(folder / "out" / "cockpit.html")]) == 0
        page = (folder / "out" / "cockpit.html").read_text(encoding="utf-8")
        assert "<script>alert" not in page and "<img src=x" not in page
    if case.check:
        case.check(folder, output)


def test_the_corpus_is_wide():
    assert len(CASES) >= 60
    assert {c.cls for c in CASES} == {"stop", "warn", "run"}
