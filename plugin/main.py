"""The plugin object QGIS creates: the dock, toolbar and menu, the Processing provider, the translations."""
from __future__ import annotations

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from ..resources import ICON
from .dependencies import activate, dependencies_folder, missing_packages
from .i18n import install_translator, remove_translator

MENU = "&gridgov"


class GridGovPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.dock = None
        self.actions = []
        self.install_dialog = None
        activate(dependencies_folder())       # what Install dependencies put in this profile, first on the path
        self.missing = missing_packages()
        self.translator = install_translator()

    def initProcessing(self):  # noqa: N802 (QGIS names)
        """Called by QGIS (and qgis_process) so the algorithms exist without a GUI."""
        if self.missing or self.provider is not None:
            return
        from .provider import GridGovProvider

        self.provider = GridGovProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()
        action = QAction(QIcon(str(ICON)), self.tr("gridgov street grid governance"), self.iface.mainWindow())
        action.setCheckable(True)
        action.toggled.connect(self.show_dock)
        self.iface.addToolBarIcon(action)
        self.iface.addPluginToMenu(MENU, action)
        self.actions.append(action)
        if self.missing:    # a dialog that installs them; the button brings it back until they are there
            self.offer_install()

    def offer_install(self):
        from .install_dialog import InstallDialog

        if self.install_dialog is None:
            self.install_dialog = InstallDialog(dependencies_folder(), self.iface.mainWindow())
            self.install_dialog.installed.connect(self.dependencies_installed)
        self.install_dialog.show()
        self.install_dialog.raise_()

    def dependencies_installed(self, complete: bool):
        self.missing = missing_packages()
        if complete and not self.missing:
            self.initProcessing()

    def show_dock(self, visible: bool = True):
        if self.missing:
            self.actions[0].setChecked(False)
            if visible:
                self.offer_install()
            return
        if self.dock is None:
            from .dock import GridGovDock

            self.dock = GridGovDock(self.iface, self.iface.mainWindow())
            self.dock.visibilityChanged.connect(self.actions[0].setChecked)
            self.iface.addDockWidget(Qt.RightDockWidgetArea, self.dock)
        self.dock.setVisible(visible)

    def unload(self):
        for action in self.actions:
            self.iface.removePluginMenu(MENU, action)
            self.iface.removeToolBarIcon(action)
            action.deleteLater()
        self.actions = []
        if self.install_dialog is not None:
            self.install_dialog.close()
            self.install_dialog.deleteLater()
            self.install_dialog = None
        if self.dock is not None:
            self.dock.shutdown()
            self.iface.removeDockWidget(self.dock)
            self.dock.deleteLater()
            self.dock = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        remove_translator(self.translator)

    @staticmethod
    def tr(text: str) -> str:
        return QCoreApplication.translate("GridGovPlugin", text)
