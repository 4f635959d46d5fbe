"""Which Python packages the core needs, and how to get them where QGIS runs."""
from __future__ import annotations

import importlib.util

REQUIRED = ("geopandas", "shapely", "pyogrio", "pyproj", "pandas", "scipy", "openpyxl", "rapidfuzz", "pyarrow", "folium")
HOW_TO_INSTALL = (
    "gridgov needs these Python packages: {missing}.\n"
    "gridgov 需要安装以下 Python 包：{missing}。\n\n"
    "Windows (OSGeo4W / QGIS installer): open the OSGeo4W Shell and run\n"
    "    python -m pip install {packages}\n"
    "Linux (Debian/Ubuntu): sudo apt install {debian}\n"
    "    or: python3 -m pip install --user {packages}\n"
    "Then restart QGIS. 安装后请重启 QGIS。"
)
DEBIAN_NAMES = {"geopandas": "python3-geopandas", "shapely": "python3-shapely", "pyogrio": "python3-pyogrio",
                "pyproj": "python3-pyproj", "pandas": "python3-pandas", "scipy": "python3-scipy",
                "openpyxl": "python3-openpyxl", "rapidfuzz": "python3-rapidfuzz", "pyarrow": "python3-pyarrow",
                "folium": "python3-folium"}


def missing_packages() -> list:
    return [name for name in REQUIRED if importlib.util.find_spec(name) is None]


def install_message(missing) -> str:
    return HOW_TO_INSTALL.format(missing=", ".join(missing), packages=" ".join(missing),
                                 debian=" ".join(DEBIAN_NAMES[m] for m in missing))
