"""The plugin's dependencies as wheels, for QGIS machines without internet: `make wheelhouse`.

    python scripts/wheelhouse.py [--platform linux|windows|all] [--out out/wheelhouse]

Downloads every pin of resources/requirements-qgis.txt (those QGIS usually has too, since a machine may lack
them) as binary wheels for the Python the QGIS at hand runs: Debian's QGIS (CPython 3.11, manylinux x86-64)
and the Windows QGIS 3.34 / 3.40 installers (CPython 3.12, win_amd64).  Each set goes to OUT/<platform>/ and
to dist/gridgov-wheelhouse-<platform>.zip, which *Install from a wheelhouse…* takes as it is.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT.parent))
from gridgov.plugin.dependencies import requirements  # noqa: E402  (the plugin's own list of pins)

PLATFORMS = {
    "linux": ["--python-version", "3.11", "--platform", "manylinux2014_x86_64", "--platform", "manylinux_2_17_x86_64",
              "--platform", "manylinux_2_28_x86_64"],
    "windows": ["--python-version", "3.12", "--platform", "win_amd64"],
}


def download(platform: str, out: Path) -> Path:
    folder = out / platform
    folder.mkdir(parents=True, exist_ok=True)
    pins = [f"{r.name}=={r.pin}" for r in requirements()]
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "--only-binary=:all:", "--implementation", "cp", *PLATFORMS[platform], "--dest", str(folder),
                    *pins], check=True)
    pinned = tuple(f"{r.name.lower()}-{r.pin}-" for r in requirements())
    for stale in (wheel for wheel in folder.glob("*.whl") if not wheel.name.lower().startswith(pinned)):
        stale.unlink()          # a pin changed since the folder was filled: the old version's wheel goes
    archive = ROOT / "dist" / f"gridgov-wheelhouse-{platform}.zip"
    archive.parent.mkdir(exist_ok=True)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as written:       # wheels are zips already
        for wheel in sorted(folder.glob("*.whl")):
            written.write(wheel, wheel.name)
    print(f"{platform}: {len(pins)} packages, {archive} ({archive.stat().st_size / 1e6:.0f} MB)")
    return folder


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__)
    arguments.add_argument("--platform", choices=[*PLATFORMS, "all"], default="all")
    arguments.add_argument("--out", type=Path, default=ROOT / "out" / "wheelhouse")
    given = arguments.parse_args()
    for platform in PLATFORMS if given.platform == "all" else [given.platform]:
        download(platform, given.out)


if __name__ == "__main__":
    main()
