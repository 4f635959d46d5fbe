"""Build the plugin zip for plugins.qgis.org: dist/gridgov-VERSION.zip, one top folder `gridgov`.

The files are those git tracks (less tests, benchmarks, docs and CI), plus the
web map's front-end assets from cockpit/node_modules, which `make` installs from
npm and which the zip must carry because QGIS users have no npm, and the
compiled translations (.qm), which `make` builds from the .ts files.
"""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEFT_OUT = ("tests/", "bench/", "docs/", ".ci/", "scripts/", ".gitignore", "constraints.txt")
ASSETS = ("cockpit/node_modules/leaflet/dist/leaflet.js", "cockpit/node_modules/leaflet/dist/leaflet.css",
          "cockpit/node_modules/leaflet/dist/images", "cockpit/node_modules/leaflet.heat/dist/leaflet-heat.js",
          "cockpit/node_modules/leaflet/LICENSE", "cockpit/node_modules/leaflet.heat/LICENSE",
          "resources/i18n/gridgov_zh_CN.qm")


def files() -> list:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    chosen = [name for name in tracked if not name.startswith(LEFT_OUT)]
    for asset in ASSETS:
        path = ROOT / asset
        if not path.exists():
            if asset.endswith("LICENSE"):
                continue
            sys.exit(f"{path} is missing: run `make setup` first")
        chosen += [str(p.relative_to(ROOT)) for p in ([path] if path.is_file() else sorted(path.rglob("*")))]
    return sorted(set(chosen))


def version() -> str:
    for line in (ROOT / "metadata.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("version="):
            return line.split("=", 1)[1].strip()
    sys.exit("metadata.txt has no version")


def build(out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in files():
            archive.write(ROOT / name, f"gridgov/{name}")
    return out


if __name__ == "__main__":
    print(build(ROOT / "dist" / f"gridgov-{version()}.zip"))
