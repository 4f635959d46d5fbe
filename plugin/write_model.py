"""`make models`: write the example model (resources/models/gridgov_street.model3) from the algorithms as
registered, QGIS headless (a module of its own: the provider imports the model)."""
from qgis.core import QgsApplication

from ..atlas.headless import start_qgis
from .model import MODEL_FILE, build_model
from .provider import GridGovProvider


def write_model_file() -> None:
    start_qgis()
    provider = GridGovProvider()          # the children are gridgov's algorithms: registered first
    QgsApplication.processingRegistry().addProvider(provider)
    MODEL_FILE.parent.mkdir(exist_ok=True)
    if not build_model().toFile(str(MODEL_FILE)):
        raise SystemExit(f"could not write {MODEL_FILE}")
    print(f"wrote {MODEL_FILE}")


if __name__ == "__main__":
    write_model_file()
