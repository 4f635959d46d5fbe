"""The gridgov Processing provider: every step as an algorithm, for the toolbox and qgis_process."""
from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..resources import ICON
from .algorithms import ALGORITHMS


class GridGovProvider(QgsProcessingProvider):
    def id(self):
        return "gridgov"

    def name(self):
        return "gridgov"

    def longName(self):  # noqa: N802
        return "gridgov 街道网格化治理"

    def icon(self):
        return QIcon(str(ICON))

    def loadAlgorithms(self):  # noqa: N802
        for algorithm in ALGORITHMS:
            self.addAlgorithm(algorithm())
