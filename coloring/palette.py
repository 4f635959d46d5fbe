"""The one palette (resources/palette.toml) and the QGIS styles made from it.

`python -m gridgov.coloring.palette` (or `make styles`) writes the QML files in
resources/styles/; a test checks that the committed files are what the palette
gives, so the colours live in one place.
"""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

from ..layers.toml import read_toml
from ..resources import RESOURCES, STYLES

PALETTE = read_toml(RESOURCES / "palette.toml")
MAP_COLORS = PALETTE["map"]     # colours by role: zones, bases, reach, roads, water, …
LABEL_FONT = "WenQuanYi Micro Hei"


def ordered(group: str) -> list:
    """(name, entry) of the levels or grades, most serious first."""
    return sorted(PALETTE[group].items(), key=lambda item: item[1]["order"])


def rgba(hex_color: str, alpha: int = 255) -> str:
    h = hex_color.lstrip("#")
    return ",".join(str(int(h[i:i + 2], 16)) for i in (0, 2, 4)) + f",{alpha}"


def label(entry: dict) -> str:
    return f"{entry['zh']} {entry['en']}"


def _symbol(index: int, kind: str, color: str, shape: str = "circle") -> str:
    outline = PALETTE["outline"]
    if kind == "fill":
        props = {"color": rgba(color), "style": "solid", "outline_color": rgba(outline["color"]),
                 "outline_style": "solid", "outline_width": str(outline["width_mm"]), "outline_width_unit": "MM"}
        layer_class = "SimpleFill"
    else:
        props = {"color": rgba(color), "name": shape, "size": "4", "size_unit": "MM",
                 "outline_color": rgba("#ffffff"), "outline_width": "0.4"}
        layer_class = "SimpleMarker"
    lines = "\n".join(f"          <prop k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in props.items())
    return (f'      <symbol type="{kind}" name="{index}" alpha="1" clip_to_extent="1" force_rhr="0">\n'
            f'        <layer class="{layer_class}" enabled="1" locked="0" pass="0">\n{lines}\n'
            f"        </layer>\n      </symbol>")


def _labeling(expression: str) -> str:
    return ('  <labeling type="simple">\n    <settings calloutType="simple">\n'
            f'      <text-style fieldName={quoteattr(expression)} isExpression="1" fontFamily="{LABEL_FONT}" '
            'fontSize="8" fontSizeUnit="Point" textColor="0,0,0,255">\n'
            '        <text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor="255,255,255,255"/>\n'
            '      </text-style>\n      <placement placement="1"/>\n'
            '      <rendering scaleVisibility="1" scaleMin="0" scaleMax="5000" obstacle="1"/>\n'
            "    </settings>\n  </labeling>\n")


def categorized_qml(field: str, group: str, kind: str, label_expression: str | None = None) -> str:
    """A QGIS style: one category (colour, bilingual label) per level or grade."""
    entries = ordered(group)
    categories = "\n".join(f'      <category value={quoteattr(name)} symbol="{i}" label={quoteattr(label(e))} '
                           f'render="true"/>' for i, (name, e) in enumerate(entries))
    symbols = "\n".join(_symbol(i, kind, e["color"], e.get("shape", "circle")) for i, (_, e) in enumerate(entries))
    labels_enabled = "1" if label_expression else "0"
    return ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
            f'<qgis version="3.22.0" styleCategories="Symbology|Labeling" labelsEnabled="{labels_enabled}">\n'
            f'  <renderer-v2 type="categorizedSymbol" attr={quoteattr(field)} symbollevels="0" enableorderby="0" '
            'forceraster="0">\n'
            f"    <categories>\n{categories}\n    </categories>\n"
            f"    <symbols>\n{symbols}\n    </symbols>\n  </renderer-v2>\n"
            + (_labeling(label_expression) if label_expression else "") + "</qgis>\n")


# file name -> how it is made
STYLE_FILES = {
    "houses_risk.qml": lambda: categorized_qml("risk_level", "levels", "fill"),
    "houses_risk_labelled.qml": lambda: categorized_qml(
        "risk_level", "levels", "fill", "CASE WHEN \"risk_level\" = 'red' THEN \"building\" || '幢 ' || "
                                        "format_number(\"risk_score\", 0) END"),
    "warnings_grade.qml": lambda: categorized_qml("grade", "grades", "marker"),
}


def write_styles(folder: Path = STYLES) -> list:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in STYLE_FILES.items():
        (folder / name).write_text(make(), encoding="utf-8")
        written.append(folder / name)
    return written


if __name__ == "__main__":
    for path in write_styles():
        print(f"wrote {path}")
