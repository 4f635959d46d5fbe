"""Helpers for tests: crafted inputs written to real files and read back."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

import geopandas as gpd
import shapely

from gridgov.layers import Project, load_street
from gridgov.layers.project import InputSpec

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "out" / "test-artifacts"


def in_chromium(page: Path, screenshot: Path, script: str = "check_page.mjs", *arguments) -> dict:
    """Open a page in Debian's headless Chromium with the network cut: errors, requests, what it shows
    (``script`` in tests/browser/ says what is looked at; its arguments come before the screenshot's path)."""
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["node", str(ROOT / "tests/browser" / script), str(page), *map(str, arguments),
                             str(screenshot)],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "GRIDGOV_NODE_MODULES": str(ROOT / "cockpit/node_modules")})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def sha256(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def square(x, y, size=100.0):
    return shapely.box(x, y, x + size, y + size)


def street_from_frames(tmp_path, crs="EPSG:4549", **frames):
    """Write frames into a GeoPackage, read them back as a street (the full path a user's data takes)."""
    path = tmp_path / "input.gpkg"
    inputs = {}
    for kind, frame in frames.items():
        if not isinstance(frame, gpd.GeoDataFrame):
            frame = gpd.GeoDataFrame(frame, crs=crs)
        frame.to_file(path, layer=kind, driver="GPKG")
        inputs[kind] = InputSpec(kind, str(path), layer=kind)
    return load_street(Project(name="test", inputs=inputs))


def codes(report, layer=None) -> set:
    return {f.code for f in report.findings if layer is None or f.layer == layer}


def options_with_defaults(monkeypatch, tmp_path, **defaults):
    """resources/options.toml with these defaults changed in its text, made the declarations in force."""
    import re

    from gridgov import options

    text = options.OPTIONS_FILE.read_text(encoding="utf-8")
    for name, value in defaults.items():
        text, count = re.subn(rf"(\[{name}\][^\[]*?\ndefault = )[^\n]+", rf"\g<1>{json.dumps(value)}", text)
        assert count == 1, name
    changed = tmp_path / "options.toml"
    changed.write_text(text, encoding="utf-8")
    monkeypatch.setattr(options, "OPTIONS", options.load_options(changed))
    return options.OPTIONS
