"""The result contract (resources/results.toml): what is written is what is declared, read through one reader."""
from dataclasses import replace

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from gridgov.layers import InputError
from gridgov.pipeline import analyse, write_results
from gridgov.results import CONTRACT, ResultContractError, check_results, markdown, problems, read_results

from helpers import ROOT

ALL_STEPS = {"inputs", "join", "risk", "coverage", "siting", "dispatch"}


def read_back(path) -> dict:
    frames = {}
    for name, _ in pyogrio.list_layers(path):
        frames[name] = pyogrio.read_dataframe(path, layer=name, read_geometry=not CONTRACT[name].table)
    return frames


def test_every_layer_and_table_written_is_declared_and_keeps_its_declaration(tiny_results):
    frames = read_back(tiny_results)
    assert {name: problems(name, frame, ALL_STEPS) for name, frame in frames.items()} == \
        {name: [] for name in frames}
    analysis_entries = {name for name, e in CONTRACT.entries.items() if e.step not in ("inputs",)}
    # the tiny demo street runs every step: every analysis layer and table the contract declares is there
    assert analysis_entries - set(frames) == set()
    assert frames["houses"]["risk_level"].isin(["red", "yellow", "green"]).all()
    assert frames["houses"]["house_id"].is_unique


def test_the_writer_refuses_what_the_contract_does_not_declare_and_writes_nothing(tiny_street, tmp_path):
    analysis = analyse(tiny_street, steps=("risk",))
    analysis.houses = analysis.houses.assign(risk_mood="grumpy")           # a column nobody declared
    out = tmp_path / "result.gpkg"
    with pytest.raises(ResultContractError, match=r"houses\.risk_mood: not declared"):
        write_results(analysis, out)
    analysis.houses = analysis.houses.drop(columns="risk_mood").assign(note="a planner's own column")
    with pytest.raises(ResultContractError, match=r"houses\.note: not declared"):
        write_results(analysis, out)               # not in the input houses either
    street = analysis.street
    analysis.street = replace(street, layers={**street.layers, "houses": street.houses.assign(note="")})
    assert write_results(analysis, out).exists()   # the user's own column passes through
    out.unlink()
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_types_geometry_and_required_fields_are_checked():
    houses = gpd.GeoDataFrame({"house_id": ["H1"], "risk_score": ["high"], "risk_level": ["red"]},
                              geometry=[shapely.LineString([(0, 0), (1, 1)])], crs=4549)
    found = problems("houses", houses, {"join", "risk"})
    assert any(p.startswith("houses.risk_score: declared float, written as ") for p in found)
    assert any("declared polygon_or_point, has LineString" in p for p in found)
    assert "houses: lacks required risk_reasons" in found
    assert problems("houses", houses.drop(columns=["risk_score", "risk_level"]).assign(
        geometry=shapely.box(0, 0, 1, 1)), {"join"}) == []                    # risk did not run: not required
    assert problems("risk_by_grid", pd.DataFrame({"grid_id": ["G1"]}), {"risk"})[0].startswith("risk_by_grid: lacks")
    with pytest.raises(ResultContractError, match="mystery: not declared"):
        check_results({"mystery": pd.DataFrame()}, ALL_STEPS)


def test_the_one_reader_leaves_people_out_unless_asked(tiny_results):
    declared = set(CONTRACT["people_matched"].personal)
    assert declared == {"name", "id_number", "phone"}         # from schema.toml's personal flags
    default = read_results(tiny_results, names=["people_matched", "houses", "findings"])
    assert declared.isdisjoint(default.layers["people_matched"].columns)
    assert "house_id" in default.layers["people_matched"] and "findings" in default.tables
    opted = read_results(tiny_results, names=["people_matched"], with_people=True)
    assert declared <= set(opted.layers["people_matched"].columns)


def test_the_reader_says_what_a_file_lacks(tiny_street, tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_results(tmp_path / "nope.gpkg")
    (tmp_path / "text.gpkg").write_text("not a GeoPackage")
    with pytest.raises(InputError, match="cannot be read as a GeoPackage"):
        read_results(tmp_path / "text.gpkg")
    joined_only = write_results(analyse(tiny_street, steps=()), tmp_path / "join.gpkg")
    assert set(read_results(joined_only).layers) >= {"houses", "unmatched"}
    with pytest.raises(InputError, match=r"carry no risk colouring \(risk_score, risk_level, risk_reasons.*"
                                         r"gridgov score"):
        read_results(joined_only, steps=("risk",))
    with pytest.raises(InputError, match="has no layer 'grids'.*it has .*houses"):
        read_results(joined_only, need=("houses", "grids"))


def test_the_readme_shows_the_contract():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("\n", readme.index("<!-- results:")) + 1
    assert readme[start:readme.index("<!-- /results -->")] == markdown(), "run `python -m gridgov.results`"


def test_houses_read_from_an_earlier_result_are_analysed_again(tiny_street):
    """`gridgov demo` writes its result into the demo's own file: a run on that project reads houses that
    already carry risk and coverage columns, and this run's replace them."""
    first = analyse(tiny_street, steps=("risk",))
    again = analyse(replace(tiny_street, layers={**tiny_street.layers, "houses": first.houses}), steps=("risk",))
    assert list(again.houses.columns).count("risk_score") == 1
    assert again.houses["risk_level"].equals(first.houses["risk_level"])
