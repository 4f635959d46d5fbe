"""qgis_process sees the gridgov provider (registered in initProcessing), runs its algorithms, and exits cleanly."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest

import gridgov

pytestmark = pytest.mark.qgis    # starts QGIS: runs after the core's tests (conftest.py)

QGIS_PROCESS = "/usr/bin/qgis_process.bin"   # Debian's /usr/bin/qgis_process wrapper passes an option it rejects


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    """A throwaway QGIS profile with the plugin folder installed and enabled."""
    home = tmp_path_factory.mktemp("home")
    plugins = tmp_path_factory.mktemp("plugins")
    (plugins / "gridgov").symlink_to(gridgov.PACKAGE_DIR, target_is_directory=True)
    site = next(p for p in sys.path if p.endswith("site-packages") and Path(sys.prefix) in Path(p).parents)
    env = {**os.environ, "HOME": str(home), "QGIS_PLUGINPATH": str(plugins), "PYTHONPATH": site,
           "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([QGIS_PROCESS, "plugins", "enable", "gridgov"], env=env, capture_output=True, timeout=120)
    return env


ALGORITHMS = ("validate", "join", "score", "coverage", "analyse", "fieldmaps", "webmap", "demo", "parseaddresses",
              "street_model")


def run(env, *args):
    return subprocess.run([QGIS_PROCESS, *args], env=env, capture_output=True, text=True, timeout=600)


def test_the_provider_is_listed_and_qgis_exits_cleanly(environment):
    result = run(environment, "list")
    assert result.returncode == 0, result.stderr[-2000:]     # no crash at exit (one GDAL, one PROJ)
    for algorithm in ALGORITHMS:
        assert f"gridgov:{algorithm}" in result.stdout


def test_an_algorithm_runs_through_qgis_process(environment, tiny_demo_dir):
    result = run(environment, "--json", "run", "gridgov:validate", "--",
                 f"PROJECT={tiny_demo_dir / 'gridgov_demo.toml'}")
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout)["results"]["ERRORS"] == 0


def test_the_whole_analysis_through_qgis_process(environment, tiny_demo_dir, tmp_path):
    out = tmp_path / "results.gpkg"
    result = run(environment, "--json", "run", "gridgov:analyse", "--",
                 f"PROJECT={tiny_demo_dir / 'gridgov_demo.toml'}", f"OUTPUT={out}")
    assert result.returncode == 0, result.stderr[-2000:]
    results = json.loads(result.stdout)["results"]
    assert results["RED"] > 0 and 0.5 < results["COVERED_SHARE"] <= 1 and out.exists()


@pytest.mark.parametrize("algorithm", ["join", "score", "coverage", "fieldmaps", "webmap", "demo"])
def test_every_other_algorithm_runs_through_qgis_process(environment, algorithm, tiny_demo_dir, tiny_results,
                                                         tmp_path):
    project = f"PROJECT={tiny_demo_dir / 'gridgov_demo.toml'}"
    parameters = {
        "join": [project, f"OUTPUT={tmp_path / 'out.gpkg'}"],
        "score": [project, f"OUTPUT={tmp_path / 'out.gpkg'}"],
        "coverage": [project, "THRESHOLD_S=240", f"OUTPUT={tmp_path / 'out.gpkg'}"],
        "fieldmaps": [f"RESULTS={tiny_results}", "GRIDS=WG001,WG002", f"OUTPUT={tmp_path / 'maps.pdf'}"],
        "webmap": [f"RESULTS={tiny_results}", f"OUTPUT={tmp_path / 'cockpit.html'}"],
        "demo": ["AREA=0", "SCALE=0.02", f"OUTPUT={tmp_path / 'demo'}"],
    }[algorithm]
    result = run(environment, "--json", "run", f"gridgov:{algorithm}", "--", *parameters)
    assert result.returncode == 0, result.stderr[-2000:]
    outputs = json.loads(result.stdout)["results"]
    written = outputs.get("GEOPACKAGE") or outputs.get("OUTPUT")
    assert written and Path(written).exists() and Path(written).stat().st_size > 10_000


def test_a_step_takes_layers_and_writes_its_sinks_through_qgis_process(environment, tiny_demo_dir, tmp_path):
    """No project file: the layers by their sources, houses and warnings written where asked."""
    demo = tiny_demo_dir / "gridgov_demo.gpkg"
    layers = [f"{kind.upper()}={demo}|layername={kind}" for kind in
              ("houses", "grids", "patrol_zones", "defense_zones", "communities", "people", "units", "events", "sensors")]
    result = run(environment, "--json", "run", "gridgov:score", "--", *layers, f"OUTPUT={tmp_path / 'out.gpkg'}",
                 f"RESULT_HOUSES={tmp_path / 'houses.gpkg'}", f"RESULT_WARNINGS={tmp_path / 'warnings.gpkg'}")
    assert result.returncode == 0, result.stderr[-2000:]
    outputs = json.loads(result.stdout)["results"]
    houses = pyogrio.read_dataframe(outputs["RESULT_HOUSES"], read_geometry=False)
    assert (houses["risk_level"] == "red").sum() == outputs["RED"] > 0
    assert len(pyogrio.read_dataframe(outputs["RESULT_WARNINGS"])) == len(pyogrio.read_dataframe(
        outputs["OUTPUT"], layer="warnings"))
