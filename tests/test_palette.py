"""One palette: the committed QML styles are exactly what the palette gives."""
import xml.etree.ElementTree as ET

from gridgov.coloring.palette import PALETTE, STYLE_FILES, STYLES, rgba


def test_committed_styles_match_the_palette():
    for name, make in STYLE_FILES.items():
        assert (STYLES / name).read_text(encoding="utf-8") == make(), f"run `make styles` ({name})"


def test_house_style_has_the_three_levels_in_order():
    root = ET.parse(STYLES / "houses_risk.qml").getroot()
    categories = root.findall(".//category")
    assert [c.get("value") for c in categories] == ["red", "yellow", "green"]
    assert categories[0].get("label") == "红色（高风险） Red (high risk)"
    colors = [layer.find("prop[@k='color']").get("v") for layer in root.findall(".//symbol/layer")]
    assert colors == [rgba(PALETTE["levels"][level]["color"]) for level in ("red", "yellow", "green")]


def test_warnings_have_marks_of_their_own_not_the_risk_colours():
    root = ET.parse(STYLES / "warnings_grade.qml").getroot()
    layers = root.findall(".//symbol/layer")
    colors = {layer.find("prop[@k='color']").get("v") for layer in layers}
    assert not colors & {rgba(e["color"]) for e in PALETTE["levels"].values()}
    assert {layer.find("prop[@k='name']").get("v") for layer in layers} <= {"triangle", "diamond"}
