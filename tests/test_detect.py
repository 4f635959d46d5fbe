"""Layer kinds proposed from a layer's name, fields and geometry (the plugin's layer picker)."""
import pyogrio

from gridgov.layers.detect import Candidate, missing_required, propose
from gridgov.layers.schema import SCHEMA

GEOMETRY = {"Polygon": "polygon", "MultiPolygon": "polygon", "Point": "point", "LineString": "line",
            "MultiLineString": "line"}


def test_every_layer_of_the_demo_street_is_proposed_for_its_own_kind(tiny_demo_dir):
    gpkg = next(tiny_demo_dir.glob("*.gpkg"))
    candidates = []
    for name, geometry in pyogrio.list_layers(gpkg):
        if name in SCHEMA:
            fields = tuple(pyogrio.read_info(gpkg, layer=name)["fields"])
            candidates.append(Candidate(name, name, fields, GEOMETRY.get(geometry, "none")))
    assert len(candidates) >= 10
    assert propose(candidates) == {c.key: c.key for c in candidates}


def test_chinese_names_and_fields_are_recognised_and_misfits_refused():
    candidates = [
        Candidate("a", "小河街道网格2024", ("WGBH", "网格名称"), "polygon"),
        Candidate("b", "layer_17", ("房屋编号", "标准地址", "层数"), "polygon"),     # by fields alone
        Candidate("c", "实有人口", ("姓名", "公民身份号码", "地址"), "none"),         # a table without geometry
        Candidate("d", "社区", ("社区编号", "社区名称"), "polygon"),
        Candidate("e", "道路", ("name",), "polygon"),                                # roads must be lines
        Candidate("f", "notes", ("text",), "point"),                                 # nothing points to a kind
    ]
    assert propose(candidates) == {"grids": "a", "houses": "b", "people": "c", "communities": "d"}


def test_required_fields_the_names_do_not_give_are_listed_until_the_user_maps_them():
    assert missing_required(["WG", "名称"], "grids", {}) == ["grid_id"]
    assert missing_required(["WG", "名称"], "grids", {"grid_id": "WG"}) == []
