"""The gridgov Processing provider: every step as an algorithm, and the example model that chains them, for the
toolbox, the Modeler and qgis_process."""
from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..resources import ICON
from .algorithms import ALGORITHMS
from .model import StreetModel


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
        self.addAlgorithm(StreetModel())      # the example chain, ready to run or to open in the Modeler
