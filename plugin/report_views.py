"""The dock's report views: any table as a sortable Qt table, and a bar chart where one says more."""
from __future__ import annotations

import pandas as pd
from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, QRectF, QSize, QSortFilterProxyModel, Qt
from qgis.PyQt.QtGui import QColor, QPainter
from qgis.PyQt.QtWidgets import QAbstractItemView, QHeaderView, QSizePolicy, QTableView, QWidget


class FrameModel(QAbstractTableModel):
    """A DataFrame, read-only; sorting goes by value (numbers as numbers), display by text."""

    def __init__(self, frame: pd.DataFrame, headers: dict | None = None):
        super().__init__()
        self.frame = frame.reset_index(drop=True)
        self.headers = headers or {}

    def rowCount(self, parent=QModelIndex()):  # noqa: N802, B008 (Qt's names and idiom)
        return 0 if parent.isValid() else len(self.frame)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.frame.columns)

    def data(self, index, role=Qt.DisplayRole):
        value = self.frame.iat[index.row(), index.column()]
        missing = value is None or (not isinstance(value, str) and pd.isna(value))
        if role == Qt.DisplayRole:
            if missing:
                return ""
            if isinstance(value, float):
                return f"{value:.1%}" if self._is_share(index.column()) else f"{value:,.1f}"
            return str(value)
        if role == Qt.UserRole:             # the sort key
            if missing:
                return None
            return value.item() if hasattr(value, "item") else value
        if role == Qt.TextAlignmentRole and not isinstance(value, str):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Horizontal:
            column = str(self.frame.columns[section])
            return self.headers.get(column, column)
        return str(section + 1)

    def _is_share(self, column: int) -> bool:
        return str(self.frame.columns[column]).endswith("share")


def table_view(frame: pd.DataFrame, headers: dict | None = None, parent=None) -> QTableView:
    """A sortable table of the frame (click a header to sort)."""
    view = QTableView(parent)
    proxy = QSortFilterProxyModel(view)
    proxy.setSourceModel(FrameModel(frame, headers))
    proxy.setSortRole(Qt.UserRole)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.AscendingOrder)     # the frame's own order until the user sorts
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    view.verticalHeader().setVisible(False)
    return view


class BarChart(QWidget):
    """Horizontal stacked bars: one row per label, segments (value, colour) drawn to a common scale."""

    ROW, GAP, LABEL = 16, 4, 90

    def __init__(self, rows: list, legend: list = (), parent=None):
        """rows: [(label, [(value, "#rrggbb"), …]), …]; legend: [(text, "#rrggbb"), …]."""
        super().__init__(parent)
        self.rows = rows
        self.legend = list(legend)
        self.scale = max((sum(v for v, _ in segments) for _, segments in rows), default=0) or 1
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setMinimumHeight(self.sizeHint().height())

    def sizeHint(self):  # noqa: N802
        return QSize(320, (len(self.rows) + (1 if self.legend else 0)) * (self.ROW + self.GAP) + self.GAP)

    def paintEvent(self, event):  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        width = max(self.width() - self.LABEL - 8, 10)
        y = self.GAP
        for label, segments in self.rows:
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(0, y, self.LABEL - 6, self.ROW), int(Qt.AlignRight | Qt.AlignVCenter), label)
            x = float(self.LABEL)
            for value, color in segments:
                length = width * value / self.scale
                painter.fillRect(QRectF(x, y, length, self.ROW), QColor(color))
                x += length
            y += self.ROW + self.GAP
        x = float(self.LABEL)
        for text, color in self.legend:
            painter.fillRect(QRectF(x, y + 3, 10, 10), QColor(color))
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(x + 14, y, 120, self.ROW), int(Qt.AlignLeft | Qt.AlignVCenter), text)
            x += 24 + painter.fontMetrics().horizontalAdvance(text)
        painter.end()
