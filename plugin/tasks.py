"""Long core work off QGIS's interface thread, in a QgsTask: progress shows, cancel works.

The core reports through ``progress(fraction, text)``; here that drives the
task's progress (QGIS's task bar and the dock's own bar) and raises when the
user has cancelled, so the core stops at its next step.
"""
from __future__ import annotations

import traceback

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsTask
from qgis.PyQt.QtCore import pyqtSignal


class Cancelled(Exception):
    pass


class CoreTask(QgsTask):
    """Runs ``work(progress)`` in a worker thread; ``done(task)`` is then called on the interface thread."""

    message = pyqtSignal(str)

    def __init__(self, description: str, work, done):
        super().__init__(description, QgsTask.CanCancel)
        self.work = work
        self.done = done
        self.result = None
        self.error = ""        # what went wrong, for the user; empty on success and on cancel

    def progress(self, fraction: float, text: str):
        if self.isCanceled():
            raise Cancelled()
        self.setProgress(100 * fraction)
        self.message.emit(text)

    def run(self) -> bool:
        try:
            self.result = self.work(self.progress)
            return True
        except Cancelled:
            return False
        except Exception as error:    # shown to the user; the trace goes to the log
            self.error = str(error) or type(error).__name__
            QgsMessageLog.logMessage(traceback.format_exc(), "gridgov", Qgis.Critical)
            return False

    def finished(self, ok: bool):
        self.done(self)


def start(task: CoreTask) -> CoreTask:
    """Hand the task to QGIS's task manager (which keeps it alive until it is finished)."""
    QgsApplication.taskManager().addTask(task)
    return task
