"""The gridgov dock: the whole workflow in one panel.

Layers (proposed from their names and fields, changeable) → fields where the
names did not tell → validate → analyse (join, risk, coverage) → field maps →
web map.  Long work runs in QgsTasks; results come back as styled layers in the
`gridgov` group and as sortable reports with charts.  The mapping is kept in
the project, the options in QgsSettings.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from qgis.core import QgsFeedback, QgsMapLayerProxyModel, QgsProject
from qgis.gui import QgsDockWidget, QgsFieldComboBox, QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..layers.detect import missing_required
from ..layers.fields import match_fields
from ..layers.schema import NEEDED, SCHEMA
from ..options import options as declared_options
from .i18n import chinese
from .inputs import RESULT_GROUP, output_dir, propose_mapping, street_project
from .report_views import BarChart, table_view
from .reports import backtest_caption, backtest_rows, coverage_rows, findings_frame, headers, loop_caption, month_rows, risk_rows
from .results import add_results, quiet_inputs, remove_results
from .settings import DOCK_GROUPS, Mapping, load_options, read_mapping, save_options, write_mapping
from .tasks import CoreTask, start

GEOMETRY_FILTERS = {
    "polygon": QgsMapLayerProxyModel.PolygonLayer,
    "point": QgsMapLayerProxyModel.PointLayer,
    "line": QgsMapLayerProxyModel.LineLayer,
    "polygon_or_point": QgsMapLayerProxyModel.PolygonLayer | QgsMapLayerProxyModel.PointLayer,
    "point_optional": QgsMapLayerProxyModel.PointLayer | QgsMapLayerProxyModel.NoGeometry,
}


class GridGovDock(QgsDockWidget):
    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("gridgov street grid governance"))
        self.setObjectName("GridGovDock")
        self.iface = iface
        self.project = QgsProject.instance()
        self.options = load_options()
        self.mapping = Mapping()
        self.layer_boxes = {}       # kind → QgsMapLayerComboBox
        self.task = None            # the running CoreTask
        self.feedback = None        # the running field-map export
        self.queue = []             # the steps still to run after this one (run all)
        self.result_path = None     # the last result GeoPackage
        self.result_has_risk = False
        self.adding_results = False
        self.outputs = {}           # step → file written
        tabs = QTabWidget()
        tabs.addTab(self._layers_tab(), self.tr("Layers"))
        tabs.addTab(self._run_tab(), self.tr("Run"))
        self.reports = QTabWidget()
        tabs.addTab(self.reports, self.tr("Reports"))
        self.tabs = tabs
        self.setWidget(tabs)
        self.project.readProject.connect(self.reload)
        self.project.layersAdded.connect(self._layers_added)
        self.reload()

    # ---- layers and fields ------------------------------------------------------------------------------
    def _layers_tab(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(QLabel(self.tr("Which layer is which? Proposed from names and fields; change what is wrong.")))
        table = QTableWidget(len(SCHEMA), 3)
        table.setHorizontalHeaderLabels([self.tr("Kind"), self.tr("Layer"), self.tr("Fields")])
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        for row, (kind, spec) in enumerate(SCHEMA.items()):
            item = QTableWidgetItem(spec.label_zh if chinese() else spec.label_en)
            item.setData(Qt.UserRole, kind)
            item.setFlags(item.flags() & ~Qt.ItemIsEditable)
            table.setItem(row, 0, item)
            combo = QgsMapLayerComboBox()
            combo.setFilters(GEOMETRY_FILTERS[spec.geometry])
            combo.setAllowEmptyLayer(True)
            combo.setLayer(None)
            combo.layerChanged.connect(lambda *_, kind=kind: self._layer_chosen(kind))
            table.setCellWidget(row, 1, combo)
            status = QTableWidgetItem("")
            status.setFlags(status.flags() & ~Qt.ItemIsEditable)
            table.setItem(row, 2, status)
            self.layer_boxes[kind] = combo
        table.currentCellChanged.connect(lambda row, *_: self._show_fields(self._kind_at(row)))
        self.layer_table = table
        box.addWidget(table)
        detect = QPushButton(self.tr("Propose layers again"))
        detect.clicked.connect(lambda: self.propose())
        box.addWidget(detect)
        self.fields_label = QLabel(self.tr("Pick a row to map its fields."))
        box.addWidget(self.fields_label)
        self.fields_table = QTableWidget(0, 2)
        self.fields_table.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Column")])
        self.fields_table.verticalHeader().setVisible(False)
        self.fields_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        box.addWidget(self.fields_table)
        return page

    def _kind_at(self, row: int):
        item = self.layer_table.item(row, 0)
        return item.data(Qt.UserRole) if item is not None else None

    def reload(self):
        """The mapping saved in the project (when there is one), completed by proposals."""
        self._show_mapping(propose_mapping(self.project, read_mapping(self.project)))

    def _layers_added(self, *_):
        """New layers may fill the kinds still without one; choices already made stay."""
        if not self.adding_results:      # our own result layers are never inputs
            self._show_mapping(propose_mapping(self.project, Mapping(self.current_layers(), self.mapping.fields)))

    def propose(self):
        """Start again from what the open layers' names and fields suggest."""
        self._show_mapping(propose_mapping(self.project, Mapping()))

    def _show_mapping(self, mapping: Mapping):
        self.mapping = mapping
        for kind, combo in self.layer_boxes.items():
            combo.blockSignals(True)
            combo.setLayer(self.project.mapLayer(mapping.layers.get(kind, "")))
            combo.blockSignals(False)
        self._mapping_changed()

    def current_layers(self) -> dict:
        return {kind: combo.currentLayer().id() for kind, combo in self.layer_boxes.items()
                if combo.currentLayer() is not None}

    def _layer_chosen(self, kind: str):
        self.mapping.fields.pop(kind, None)      # another layer, other columns
        self._mapping_changed()
        self._show_fields(kind)

    def _mapping_changed(self):
        self.mapping.layers = self.current_layers()
        for row in range(self.layer_table.rowCount()):
            kind = self._kind_at(row)
            self.layer_table.item(row, 2).setText(self._field_status(kind))
        write_mapping(self.project, self.mapping)

    def _field_status(self, kind: str) -> str:
        layer = self.layer_boxes[kind].currentLayer()
        if layer is None:
            return self.tr("needed") if kind in NEEDED else ""
        missing = self.missing_fields(kind)
        return self.tr("map: {}").format(", ".join(missing)) if missing else "✓"

    def missing_fields(self, kind: str) -> list:
        layer = self.layer_boxes[kind].currentLayer()
        return missing_required(layer.fields().names(), kind, self.mapping.fields.get(kind, {}))

    def _show_fields(self, kind):
        table = self.fields_table
        table.setRowCount(0)
        if kind is None:
            return
        layer = self.layer_boxes[kind].currentLayer()
        spec = SCHEMA[kind]
        self.fields_label.setText(self.tr("Fields of {}").format(spec.label_zh if chinese() else spec.label_en))
        if layer is None:
            return
        found = match_fields(layer.fields().names(), spec, self.mapping.fields.get(kind, {}))
        table.setRowCount(len(spec.fields))
        for row, (name, fspec) in enumerate(spec.fields.items()):
            item = QTableWidgetItem(name + (" *" if fspec.required else ""))
            item.setFlags(item.flags() & ~Qt.ItemIsEditable)
            table.setItem(row, 0, item)
            combo = QgsFieldComboBox()
            combo.setAllowEmptyFieldName(True)
            combo.setLayer(layer)
            combo.setField(found.get(name, ""))
            combo.fieldChanged.connect(lambda *_, kind=kind, name=name, combo=combo:
                                       self.map_field(kind, name, combo.currentField()))
            table.setCellWidget(row, 1, combo)

    def map_field(self, kind: str, name: str, column: str):
        """The user's choice of column for a canonical field (empty: let the names decide)."""
        chosen = self.mapping.fields.setdefault(kind, {})
        if column:
            chosen[name] = column
        else:
            chosen.pop(name, None)
        self._mapping_changed()

    # ---- options and steps ------------------------------------------------------------------------------
    def _run_tab(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        form = QFormLayout()
        self.out_widget = QgsFileWidget()
        self.out_widget.setStorageMode(QgsFileWidget.GetDirectory)
        self.out_widget.setFilePath(self.options.output_dir)
        self.out_widget.fileChanged.connect(lambda path: self._set_option("output_dir", path))
        form.addRow(self.tr("Output folder"), self.out_widget)
        self.option_widgets = {}
        for option in declared_options(*DOCK_GROUPS):
            widget = self._option_widget(option)
            widget.setToolTip(option.help)
            form.addRow(option.label(chinese()), widget)
            self.option_widgets[option.name] = widget
        self.step_boxes = {}
        for step, text in (("risk", self.tr("Colour houses by risk")),
                           ("coverage", self.tr("Five-minute coverage and new bases"))):
            check = QCheckBox(text)
            check.setChecked(getattr(self.options, step))
            check.toggled.connect(lambda on, step=step: self._set_option(step, on))
            form.addRow(self.tr("After the join") if step == "risk" else "", check)
            self.step_boxes[step] = check
        box.addLayout(form)
        self.buttons = {}
        for step, text in (("validate", self.tr("1 Validate")), ("analyse", self.tr("2 Analyse: join, then the steps ticked")),
                           ("field_maps", self.tr("3 Field maps (PDF)")), ("web_map", self.tr("4 Web map")),
                           ("run_all", self.tr("Run all"))):
            button = QPushButton(text)
            button.clicked.connect(getattr(self, step))
            box.addWidget(button)
            self.buttons[step] = button
        row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        row.addWidget(self.progress)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        row.addWidget(self.cancel_button)
        box.addLayout(row)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setOpenExternalLinks(True)
        self.status.setTextInteractionFlags(Qt.TextBrowserInteraction)
        box.addWidget(self.status)
        box.addStretch(1)
        return page

    def _option_widget(self, option) -> QWidget:
        """A spin box or a list for a declared option: its bounds, its unit, its saved value."""
        value = self.options.values[option.name]
        if option.type == "choice":
            combo = QComboBox()
            combo.addItems(list(option.choices))
            combo.setCurrentText(value)
            combo.currentTextChanged.connect(lambda text: self._set_value(option.name, text))
            return combo
        spin = QSpinBox() if option.type == "int" else QDoubleSpinBox()
        spin.setRange(option.min, option.max)
        spin.setValue(value)
        if option.unit:
            spin.setSuffix(f" {option.unit}")
        spin.valueChanged.connect(lambda number: self._set_value(option.name, number))
        return spin

    def _set_value(self, name: str, value):
        self.options.values[name] = value
        save_options(self.options)

    def _set_option(self, name: str, value):
        setattr(self.options, name, value)
        save_options(self.options)

    @property
    def busy(self) -> bool:
        return self.task is not None or self.feedback is not None

    def _set_busy(self, busy: bool):
        for button in self.buttons.values():
            button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        if busy:
            self.progress.setValue(0)

    def _say(self, text: str):
        self.status.setText(text)

    def _out_dir(self) -> Path:
        return output_dir(self.project, self.options.output_dir)

    def _street_project(self):
        """The chosen layers as a gridgov Project, or None (with the reasons shown) when something is wrong."""
        problems = []
        absent = [kind for kind in NEEDED if kind not in self.mapping.layers]
        if absent:
            problems.append(self.tr("choose a layer for: {}").format(", ".join(absent)))
        for kind in self.mapping.layers:
            layer = self.layer_boxes[kind].currentLayer()
            if not layer.isValid():
                problems.append(self.tr("layer {} cannot be read: check its source").format(layer.name()))
            elif layer.isSpatial() and not layer.crs().isValid():
                problems.append(self.tr("layer {} has no CRS: set it in the layer's properties").format(layer.name()))
            elif self.missing_fields(kind):
                problems.append(self.tr("map the fields {} of {}").format(", ".join(self.missing_fields(kind)), kind))
        if problems:
            self._say("⚠ " + "; ".join(problems))
            self.tabs.setCurrentIndex(0)
            self.queue = []
            return None
        name = self.project.baseName() or self.tr("street")
        return street_project(self.project, self.mapping, name, self._out_dir())

    def _start(self, description: str, work, done):
        self._set_busy(True)
        self._say(description)
        task = CoreTask(description, work, lambda finished: self._finished(finished, done))
        # bound methods of the dock: Qt queues the worker thread's signals to the interface thread
        task.progressChanged.connect(self._task_progress)
        task.message.connect(self._say)
        self.task = start(task)

    def _task_progress(self, value: float):
        self.progress.setValue(int(value))

    def _finished(self, task: CoreTask, done):
        self.task = None
        self._set_busy(False)
        if task.error or task.result is None:
            self.queue = []
            self._say(("✗ " + task.error) if task.error else self.tr("Cancelled."))
            return
        self.progress.setValue(100)
        done(task.result)

    def _next(self):
        if self.queue:
            self.queue.pop(0)()

    def cancel(self):
        self.queue = []
        if self.task is not None:
            self.task.cancel()
        if self.feedback is not None:
            self.feedback.cancel()

    def shutdown(self):
        """Before the plugin unloads: stop what runs and let go of the project's signals."""
        self.cancel()
        self.project.readProject.disconnect(self.reload)
        self.project.layersAdded.disconnect(self._layers_added)
        for combo in self.layer_boxes.values():      # the project's layers may go before the dock does
            combo.blockSignals(True)
        self.fields_table.setRowCount(0)

    def validate(self):
        from ..layers.street import load_street

        project = self._street_project()
        if project is not None:
            self._start(self.tr("gridgov: validating the layers"), lambda progress: load_street(project, progress),
                        self._validated)

    def _validated(self, street):
        self._show_reports(street.report)
        errors, warnings = len(street.report.errors), len(street.report.warnings)
        self._say(self.tr("Validation: {} errors, {} warnings.").format(errors, warnings))
        self._next()

    def analyse(self):
        from ..pipeline import RESULT_FILE, run_street, settings

        project = self._street_project()
        if project is None:
            return
        remove_results(self.project)          # releases the previous result file before it is replaced
        given = settings(self.options.values)
        out = self._out_dir() / RESULT_FILE
        steps = self.options.steps
        self._start(self.tr("gridgov: analysing the street"),
                    lambda progress: run_street(project, out, **given, progress=progress, steps=steps),
                    self._analysed)

    def _analysed(self, run):
        if run.analysis is None:
            self._show_reports(run.street.report)
            self.queue = []
            self._say(self.tr("The layers have errors: see the validation report."))
            return
        self.result_path = run.path
        self.result_has_risk = run.analysis.scores is not None
        self.outputs["analyse"] = run.path
        self.adding_results = True
        try:
            add_results(self.project, run.path, chinese())
            quiet_inputs(self.project, self.mapping.layers)
        finally:
            self.adding_results = False
        self._show_reports(run.street.report, run.analysis.tables)
        houses = run.analysis.houses
        text = self.tr("Analysed {} houses.").format(len(houses))
        if "risk_level" in houses:
            levels = houses["risk_level"].value_counts()
            text = self.tr("Analysed {} houses: {} red, {} yellow, {} green.").format(
                len(houses), levels.get("red", 0), levels.get("yellow", 0), levels.get("green", 0))
        if "covered" in houses:
            text += " " + self.tr("{:.1%} reached within the promise.").format(houses["covered"].mean())
        self._say(text + f' <a href="file://{run.path}">{run.path.name}</a>')
        self._next()

    def _need_results(self) -> bool:
        """Maps need an analysis with the risk step."""
        if self.result_path is None or not Path(self.result_path).exists() or not self.result_has_risk:
            self._say(self.tr("Analyse the street first, with risk colouring ticked."))
            self.queue = []
            return False
        return True

    def field_maps(self):
        """On the interface thread (QGIS layouts live there), page by page, with cancel."""
        from ..atlas.export import add_field_maps, export
        from ..layers.errors import InputError

        if not self._need_results():
            return
        results = self.project.layerTreeRoot().findGroup(RESULT_GROUP)
        group = results.addGroup(self.tr("Field-map layers")) if results is not None else None
        self.adding_results = True
        try:
            layout = add_field_maps(self.project, self.result_path, self.options.values["paper"], group)
        finally:
            self.adding_results = False
        out = self._out_dir() / "field_maps.pdf"
        self.feedback = QgsFeedback()
        self.feedback.progressChanged.connect(self._export_progress)
        self._set_busy(True)
        self._say(self.tr("gridgov: printing the field maps"))
        try:
            export(layout, out, feedback=self.feedback)
        except (InputError, RuntimeError) as error:
            self.queue = []
            self._say("✗ " + str(error))
            return
        finally:
            self.feedback = None
            self._set_busy(False)
        self.outputs["field_maps"] = out
        self.progress.setValue(100)
        self._say(self.tr("Field maps: layout '{}' in the project;").format(layout.name())
                  + f' <a href="file://{out}">{out.name}</a>')
        self._next()

    def _export_progress(self, value: float):
        self.progress.setValue(int(value))
        QCoreApplication.processEvents()     # the interface (and Cancel) stay alive between pages

    def web_map(self):
        from ..cockpit.page import CockpitOptions, read_cockpit_results, write_cockpit
        from ..cockpit.wall import WALL_PAGE, write_wall

        if not self._need_results():
            return
        gpkg, out = self.result_path, self._out_dir()
        options = CockpitOptions(basemap=self.options.values["basemap"])

        def work(progress):
            progress(0.1, "reading results")
            layers, tables = read_cockpit_results(gpkg)        # without people: privacy by default
            progress(0.4, "writing the web map")
            page = write_cockpit(out / "cockpit.html", layers, tables, options)
            progress(0.7, "writing the command-centre screen")
            return page, write_wall(out / WALL_PAGE, layers, tables, options)

        self._start(self.tr("gridgov: writing the web map"), work, self._web_map_written)

    def _web_map_written(self, paths):
        page, wall = paths
        self.outputs["web_map"], self.outputs["wall"] = page, wall
        self._say(self.tr("Web map written:") + f' <a href="file://{page}">{page.name}</a> · '
                  + self.tr("command-centre screen:") + f' <a href="file://{wall}">{wall.name}</a>')
        self._next()

    def run_all(self):
        self.queue = [self.field_maps, self.web_map]
        self.analyse()

    # ---- reports ----------------------------------------------------------------------------------------
    def _show_reports(self, report, tables: dict | None = None):
        self.reports.clear()
        self.reports.addTab(table_view(findings_frame(report, chinese()), headers()), self.tr("Validation"))
        tables = tables or {}
        if "match_report" in tables:
            self.reports.addTab(table_view(tables["match_report"], headers()), self.tr("Matching"))
        if "risk_by_grid" in tables:
            self.reports.addTab(self._chart_page(tables["risk_by_grid"], *risk_rows(tables["risk_by_grid"])),
                                self.tr("Risk by grid"))
        if "backtest" in tables and "backtest_levels" in tables:
            page = self._chart_page(tables["backtest_levels"], *backtest_rows(tables["backtest_levels"]))
            page.layout().insertWidget(0, QLabel(backtest_caption(tables["backtest"]), wordWrap=True))
            self.reports.addTab(page, self.tr("Back-test"))
        if "loop_stages" in tables:
            page = QWidget()
            box = QVBoxLayout(page)
            if "loop_recent" in tables:
                box.addWidget(QLabel(loop_caption(tables["loop_recent"]), wordWrap=True))
            if "loop_by_month" in tables:
                box.addWidget(BarChart(*month_rows(tables["loop_by_month"])))
            box.addWidget(table_view(tables["loop_stages"], headers()))
            box.addWidget(table_view(tables["loop_levels"], headers()))
            box.addWidget(table_view(tables["loop_by_grid"], headers()) if "loop_by_grid" in tables else QWidget())
            self.reports.addTab(page, self.tr("Closed loop"))
        for name, title in (("coverage_by_defense_zone", self.tr("Coverage by defense zone")),
                            ("coverage_by_patrol_zone", self.tr("Coverage by patrol zone"))):
            if name in tables:
                self.reports.addTab(self._chart_page(tables[name], *coverage_rows(tables[name])), title)

    def _chart_page(self, frame: pd.DataFrame, rows: list, legend: list) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(BarChart(rows, legend))
        box.addWidget(table_view(frame, headers()))
        return page
