"""Shared fixtures: a tiny demo street, built by the same generator as the real one."""
from __future__ import annotations

from pathlib import Path

import pytest

from gridgov.demo import build_demo, write_demo
from gridgov.layers import load_project, load_street

TINY_SCALE = 0.05


@pytest.fixture(scope="session")
def tiny_demo():
    """The Xiaohe demo street at 5 % of its people and events (houses are not thinned below 1)."""
    return build_demo("xiaohe", scale=TINY_SCALE)


@pytest.fixture(scope="session")
def tiny_demo_dir(tiny_demo, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    write_demo(tiny_demo, folder)
    return folder


@pytest.fixture(scope="session")
def tiny_street(tiny_demo_dir):
    return load_street(load_project(tiny_demo_dir / "gridgov_demo.toml"))



@pytest.fixture(scope="session")
def tiny_results(tiny_street, tmp_path_factory) -> Path:
    """The whole pipeline on the tiny street, written as `gridgov run` writes it."""
    from gridgov.pipeline import analyse, context_layers, write_results

    return write_results(analyse(tiny_street), tmp_path_factory.mktemp("results") / "gridgov_result.gpkg",
                         extra_layers=context_layers(tiny_street))


# QGIS, once started in this process, sets GDAL options for every later GDAL call
# (it opens shapefiles without recoding), which would change how the core tests'
# own fixture files are written.  The core runs without QGIS, so its tests run
# first; tests marked `qgis` (pyproject.toml's markers) run after them.
def pytest_collection_modifyitems(session, config, items):
    items.sort(key=lambda item: item.get_closest_marker("qgis") is not None)


@pytest.fixture(scope="session")
def qgis_app():
    """QGIS offscreen with Processing, and a throw-away profile (settings do not leak between runs)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.testing import start_app

    from gridgov.atlas.headless import start_qgis

    app = start_app()       # with widgets, for the dock; start_qgis adds Processing to it
    start_qgis()
    return app


@pytest.fixture
def iface(qgis_app):
    """QGIS's interface, recording calls, with a real main window to parent actions, docks and dialogs."""
    from unittest.mock import MagicMock

    from qgis.gui import QgisInterface
    from qgis.PyQt.QtWidgets import QMainWindow

    iface = MagicMock(spec=QgisInterface)
    window = QMainWindow()
    iface.mainWindow.return_value = window
    yield iface
    window.deleteLater()


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def postgis_server():
    """A throwaway PostgreSQL cluster with PostGIS on a Unix socket (owned by 'postgres' when we are root);
    its URL."""
    import glob
    import os
    import shutil
    import subprocess
    import tempfile

    import sqlalchemy

    bindir = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))[-1]
    folder = tempfile.mkdtemp(prefix="gridgov-pg-")
    os.chmod(folder, 0o755)
    as_user = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = os.path.join(folder, "data"), _free_port()
    run = lambda *args: subprocess.run([*as_user, *args], check=True, capture_output=True, text=True)  # noqa: E731
    run(f"{bindir}/initdb", "-D", data, "-A", "trust", "-U", "gridgov", "-E", "UTF8", "--no-locale")
    run(f"{bindir}/pg_ctl", "-D", data, "-w", "-l", os.path.join(folder, "log"), "-o",
        f"-k {folder} -p {port} -c listen_addresses=''", "start")
    url = f"postgresql://gridgov@/postgres?host={folder}&port={port}"
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text("CREATE EXTENSION postgis"))
    engine.dispose()
    yield url
    run(f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "stop")
    shutil.rmtree(folder, ignore_errors=True)
