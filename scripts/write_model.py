"""Write the example model (resources/models/gridgov_street.model3) from the algorithms' parameters: `make models`."""
from gridgov.atlas.headless import start_qgis
from gridgov.plugin.model import MODEL_FILE, build_model
from gridgov.plugin.provider import GridGovProvider


def main() -> None:
    start_qgis()
    from qgis.core import QgsApplication

    provider = GridGovProvider()          # the children are gridgov's algorithms: registered first
    QgsApplication.processingRegistry().addProvider(provider)
    MODEL_FILE.parent.mkdir(exist_ok=True)
    if not build_model().toFile(str(MODEL_FILE)):
        raise SystemExit(f"could not write {MODEL_FILE}")
    print(f"wrote {MODEL_FILE}")


if __name__ == "__main__":
    main()
