"""The Python packages the core needs inside QGIS: which are missing or too old, and installing them into the
QGIS profile with pip, from the package index or from a wheelhouse (a folder or zip of wheels, for offline
machines), as resources/requirements-qgis.txt pins them.

They go into <profile>/python/dependencies/gridgov, which the plugin puts first on the path when it loads, so
a profile holds its own set and nothing is installed into QGIS's Python itself.
"""
from __future__ import annotations

import importlib
import importlib.metadata
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..resources import RESOURCES

REQUIREMENTS = RESOURCES / "requirements-qgis.txt"
LINE = re.compile(r"^(?P<name>[A-Za-z0-9_.\-]+)==(?P<pin>\S+)\s*#\s*needs\s+(?P<needs>[0-9.]+)(?P<optional>,\s*if missing)?")


@dataclass(frozen=True)
class Requirement:
    name: str
    pin: str              # the version installed
    needs: str            # the least version the core works with
    if_missing: bool      # installed only when QGIS's Python has none at all

    def installed(self) -> str | None:
        try:
            return importlib.metadata.version(self.name)
        except importlib.metadata.PackageNotFoundError:
            return None

    def problem(self) -> str:
        """'' when the installed copy serves; else what is wrong, for the notice."""
        version = self.installed()
        if version is None:
            return f"{self.name}: missing"
        if _numbers(version) < _numbers(self.needs):
            return "" if self.if_missing else f"{self.name}: {version} is too old (needs {self.needs})"
        return ""


def _numbers(version: str) -> tuple:
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])


def requirements() -> list:
    return [Requirement(m["name"], m["pin"], m["needs"], bool(m["optional"]))
            for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines() if (m := LINE.match(line))]


def problems() -> list:
    """What keeps the core from running here: each package missing or too old, in words."""
    return [problem for requirement in requirements() if (problem := requirement.problem())]


def missing_packages() -> list:
    """The names of the packages to install (missing, or older than the core works with)."""
    return [r.name for r in requirements() if r.problem()]


def dependencies_folder() -> Path:
    """The profile's folder for gridgov's packages."""
    from qgis.core import QgsApplication

    return Path(QgsApplication.qgisSettingsDirPath()) / "python" / "dependencies" / "gridgov"


def activate(folder: Path) -> None:
    """Put the folder first on the path (once), so its packages win over older ones of QGIS's Python."""
    if folder.is_dir() and str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
        importlib.invalidate_caches()


def python_executable() -> str:
    """The Python that QGIS runs (sys.executable is QGIS itself there): python.exe beside it on Windows
    (OSGeo4W and the standalone installer), python3 on the path elsewhere."""
    if Path(sys.executable).name.lower().startswith("python"):
        return sys.executable
    for candidate in (Path(sys.exec_prefix) / "python.exe", Path(sys.exec_prefix) / "python3.exe",
                      Path(sys.exec_prefix) / "bin" / "python3"):
        if candidate.is_file():
            return str(candidate)
    return shutil.which("python3") or shutil.which("python") or "python3"


def pip_command(target: Path, wheelhouse: Path | None = None) -> list:
    """pip installing the pinned packages still needed into ``target``: from the index, or only from the
    wheelhouse folder when one is given."""
    pins = [f"{r.name}=={r.pin}" for r in requirements() if r.problem()]
    command = [python_executable(), "-m", "pip", "install", "--no-deps", "--only-binary=:all:", "--upgrade",
               "--disable-pip-version-check", "--no-input", "--target", str(target), *pins]
    if wheelhouse is not None:
        command += ["--no-index", "--find-links", str(wheelhouse)]
    return command


def unpacked(wheelhouse: Path) -> Path:
    """A wheelhouse as a folder: a zip is unpacked into a temporary one (its wheels may sit in a subfolder)."""
    if wheelhouse.is_dir():
        return wheelhouse
    folder = Path(tempfile.mkdtemp(prefix="gridgov-wheelhouse-"))
    with zipfile.ZipFile(wheelhouse) as archive:
        archive.extractall(folder)
    wheels = {path.parent for path in folder.rglob("*.whl")}
    return wheels.pop() if len(wheels) == 1 else folder


def install(target: Path, wheelhouse: Path | None = None, log=print) -> int:
    """Run pip (as pip_command says), each line of its output to ``log``; pip's exit code.  For the command
    line and tests; the plugin's dialog runs the same command in a QProcess."""
    target.mkdir(parents=True, exist_ok=True)
    command = pip_command(target, unpacked(wheelhouse) if wheelhouse else None)
    log(" ".join(command))
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in process.stdout:
        log(line.rstrip())
    return process.wait()


HOW_TO_INSTALL = (
    "gridgov needs these Python packages in QGIS: {problems}.\n"
    "gridgov 需要以下 Python 包：{problems}。\n\n"
    "Install dependencies (安装依赖) puts the exact versions gridgov is tested with into this QGIS profile "
    "({folder}), from the internet or, offline, from a wheelhouse (a folder or .zip of wheels that "
    "`make wheelhouse` builds). Nothing is installed into QGIS's own Python.\n"
    "可从网络安装，或在离线环境中选择离线安装包（wheelhouse 文件夹或 zip）。"
)


def install_message(found: list, folder: Path) -> str:
    return HOW_TO_INSTALL.format(problems="; ".join(found), folder=folder)
