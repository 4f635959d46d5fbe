"""The dialog that says which packages are missing and installs them: from the internet, or from a wheelhouse
the user points to, with pip's output as it comes and a bar per package."""
from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QProcess, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from .dependencies import activate, install_message, missing_packages, pip_command, problems, unpacked


class InstallDialog(QDialog):
    """Missing packages, in words, and one click to install them into the profile."""
    installed = pyqtSignal(bool)        # True when every package the core needs is there afterwards

    def __init__(self, folder: Path, parent=None):
        super().__init__(parent)
        self.folder = folder
        self.process = None
        self.setWindowTitle(self.tr("gridgov: install dependencies"))
        self.message = QLabel(install_message(problems(), folder))
        self.message.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setVisible(False)
        self.online = QPushButton(self.tr("Install from the internet"))
        self.offline = QPushButton(self.tr("Install from a wheelhouse…"))
        self.close_button = QPushButton(self.tr("Close"))
        self.online.clicked.connect(lambda: self.install())
        self.offline.clicked.connect(self.choose_wheelhouse)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.online, self.offline, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        for widget in (self.message, self.progress, self.log):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.resize(640, 320)

    def choose_wheelhouse(self):
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Wheelhouse (.zip), or any wheel in its folder"), "",
                                              "Wheelhouse (*.zip *.whl)")
        if path:
            self.install(Path(path) if path.endswith(".zip") else Path(path).parent)

    def install(self, wheelhouse: Path | None = None):
        """pip in a QProcess: the interface stays alive, the log fills as pip works."""
        self.folder.mkdir(parents=True, exist_ok=True)
        command = pip_command(self.folder, unpacked(wheelhouse) if wheelhouse else None)
        packages = len(missing_packages())
        self.progress.setRange(0, max(packages, 1))
        self.progress.setValue(0)
        for widget in (self.progress, self.log):
            widget.setVisible(True)
        for button in (self.online, self.offline):
            button.setEnabled(False)
        self.log.appendPlainText(" ".join(command))
        self.process = QProcess(self)
        self.process.setProcessChannelMode(QProcess.MergedChannels)
        self.process.readyReadStandardOutput.connect(self._read)
        self.process.finished.connect(self._finished)
        self.process.start(command[0], command[1:])

    def _read(self):
        text = bytes(self.process.readAllStandardOutput()).decode("utf-8", "replace")
        for line in text.splitlines():
            self.log.appendPlainText(line)
            if line.lstrip().startswith("Processing "):       # pip's line as it takes each wheel
                self.progress.setValue(self.progress.value() + 1)

    def _finished(self, code: int, _status):
        activate(self.folder)
        left = problems()
        done = code == 0 and not left
        self.progress.setValue(self.progress.maximum() if done else self.progress.value())
        self.message.setText(self.tr("Installed. gridgov is ready.") if done else
                             self.tr("pip stopped with exit code {code}; see the log.").format(code=code)
                             + ("\n" + "; ".join(left) if left else ""))
        for button in (self.online, self.offline):
            button.setEnabled(not done)
        self.installed.emit(done)
