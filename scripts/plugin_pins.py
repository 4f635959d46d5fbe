"""The packages the plugin installs into QGIS, in a folder of their own, so that the core's tests can run on
them (`make test` runs them a second time with the folder first on PYTHONPATH).

    python scripts/plugin_pins.py [--out out/plugin-pins]

Inside QGIS the core runs on resources/requirements-qgis.txt's pins (pandas 2.2, geopandas 1.0), the venv on
the newest (pandas 3): code that only the newest accepts passes the venv's tests and fails a planner in QGIS.
Every pin QGIS does not usually bring itself (those marked "if missing" are left to the venv, as QGIS's own
are left to QGIS) is installed as the plugin's *Install dependencies* installs it from the index: binary
wheels, no dependencies.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT.parent))
from gridgov.plugin.dependencies import requirements  # noqa: E402  (the plugin's own list of pins)


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--out", type=Path, default=ROOT / "out" / "plugin-pins")
    given = arguments.parse_args()
    pins = [f"{r.name}=={r.pin}" for r in requirements() if not r.if_missing]
    marker = given.out / ".installed"
    if marker.is_file() and marker.read_text() == "\n".join(pins):
        return
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "--only-binary=:all:", "--upgrade", "--target", str(given.out), *pins], check=True)
    marker.write_text("\n".join(pins))
    print(f"{len(pins)} pinned packages in {given.out}")


if __name__ == "__main__":
    main()
