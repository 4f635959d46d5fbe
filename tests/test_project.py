import pytest

from gridgov.layers import InputError, load_project

PROJECT = """
[street]
name = "小河街道"

[inputs.grids]
path = "data/网格.shp"
[inputs.grids.fields]
grid_id = "WGBH"

[inputs.people]
path = "data/people.csv"
x = "GPS经度"
y = "GPS纬度"

[inputs.roads]
path = "postgresql://gis@localhost/street"
table = "public.roads"
"""


def write(tmp_path, text):
    path = tmp_path / "street.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_project_file(tmp_path):
    project = load_project(write(tmp_path, PROJECT))
    assert project.name == "小河街道"
    assert project.inputs["grids"].path == str(tmp_path / "data" / "网格.shp")
    assert project.inputs["grids"].fields == {"grid_id": "WGBH"}
    assert project.inputs["people"].x == "GPS经度"
    assert project.inputs["roads"].path.startswith("postgresql://") and project.inputs["roads"].layer == "public.roads"
    assert project.output_dir == tmp_path / "out"


@pytest.mark.parametrize("text, message", [
    ("[inputs.grid]\npath = 'a.gpkg'", "unknown layer kind"),
    ("[inputs.grids]\npath = 'a.gpkg'\n[inputs.grids.fields]\ngrid_no = 'x'",
     r"line 4: .*unknown field 'grid_no' \(did you mean grid_id\?\)"),
    ("[inputs.grids]\npath = 'a.gpkg'\nencodng = 'gbk'", r"line 3: .*no key 'encodng' \(did you mean encoding\?\)"),
    ("[inputs.grids]\nlayer = 'a'", "needs a path"),
    ("[street]\nname = 'x'", "no \\[inputs\\]"),
    ("[inputs.grids\npath = 'a'", "not valid TOML.*line 1"),
])
def test_bad_project_files_say_what_is_wrong(tmp_path, text, message):
    with pytest.raises(InputError, match=message) as error:
        load_project(write(tmp_path, text))
    assert "street.toml" in str(error.value)
