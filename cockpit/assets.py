"""Leaflet and its heat-map plugin, read from the npm packages `make` installs, to inline in the page."""
from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path

NODE_MODULES = Path(__file__).resolve().parent / "node_modules"
FILES = {
    "leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet.css": "leaflet/dist/leaflet.css",
    "leaflet-heat.js": "leaflet.heat/dist/leaflet-heat.js",
}


class MissingAssets(RuntimeError):
    """The npm packages are not installed next to the cockpit."""


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    path = NODE_MODULES / FILES[name]
    if not path.exists():
        raise MissingAssets(f"{path} is missing: run `make setup` (or `npm ci --prefix {NODE_MODULES.parent}`) "
                            "to install the web map's scripts")
    text = path.read_text(encoding="utf-8")
    return _inline_images(text, path.parent) if name.endswith(".css") else text


def _inline_images(css: str, folder: Path) -> str:
    """url(images/x.png) → a data: URI, so that the page asks for nothing."""
    def data_uri(match):
        image = folder / match.group(1)
        if not image.exists():
            return "none"
        return f"url(data:image/png;base64,{base64.b64encode(image.read_bytes()).decode()})"
    return re.sub(r"url\((images/[^)]+\.png)\)", data_uri, css)


def script_tag(name: str) -> str:
    return f"<script>{asset(name)}</script>"


def style_tag(name: str) -> str:
    return f"<style>{asset(name)}</style>"
