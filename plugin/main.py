"""The plugin object QGIS creates: toolbar, menu and the Processing provider."""
from __future__ import annotations

from qgis.core import QgsApplication, Qgis
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QFileDialog, QMessageBox

from .. import RESOURCES
from .dependencies import install_message, missing_packages

MENU = "&gridgov"
ICON = str(RESOURCES / "icon.svg")


class GridGovPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.actions = []
        self.missing = missing_packages()

    def initProcessing(self):  # noqa: N802 (QGIS names)
        """Called by QGIS (and qgis_process) so the algorithms exist without a GUI."""
        if self.missing or self.provider is not None:
            return
        from .provider import GridGovProvider

        self.provider = GridGovProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()
        validate = QAction(QIcon(ICON), self.tr("Validate a street project… 校验街道项目…"),
                           self.iface.mainWindow())
        validate.triggered.connect(self.validate_project)
        validate.setEnabled(not self.missing)
        self.iface.addToolBarIcon(validate)
        self.iface.addPluginToMenu(MENU, validate)
        self.actions.append(validate)
        if self.missing:
            self.iface.messageBar().pushMessage(
                "gridgov", install_message(self.missing).splitlines()[0], level=Qgis.Warning, duration=0)

    def unload(self):
        for action in self.actions:
            self.iface.removePluginMenu(MENU, action)
            self.iface.removeToolBarIcon(action)
            action.deleteLater()
        self.actions = []
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None

    @staticmethod
    def tr(text: str) -> str:
        return text

    def validate_project(self):
        """Ask for a project file, check it and show the report."""
        path, _ = QFileDialog.getOpenFileName(self.iface.mainWindow(), "gridgov", "",
                                              "gridgov project (*.toml)")
        if not path:
            return
        from ..layers import InputError, load_project, load_street

        try:
            report = load_street(load_project(path)).report
        except InputError as error:
            QMessageBox.critical(self.iface.mainWindow(), "gridgov", str(error))
            return
        box = QMessageBox(QMessageBox.Information if report.ok else QMessageBox.Warning,
                          "gridgov", f"{len(report.errors)} errors 错误, {len(report.warnings)} warnings 警告",
                          parent=self.iface.mainWindow())
        box.setDetailedText(report.to_text())
        box.exec_()
