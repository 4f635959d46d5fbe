"""Chinese when QGIS runs in Chinese: the plugin's Qt translations and the language of its labels.

The interface's source texts are English; resources/i18n/gridgov_zh_CN.ts holds
the Chinese, built to .qm by `make` (lrelease).  Labels that come from the
core's declarations (layer kinds, result layers, findings) carry both languages
and are picked with ``chinese()``.
"""
from __future__ import annotations

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

from ..resources import I18N


def chinese() -> bool:
    return QgsApplication.locale().lower().startswith("zh")


def install_translator() -> QTranslator | None:
    """Load the .qm for QGIS's locale (zh_CN, or zh for any Chinese); None when there is none."""
    locale = QgsApplication.locale()
    for name in (locale, locale[:2], "zh_CN" if chinese() else None):
        qm = I18N / f"gridgov_{name}.qm"
        if name and qm.is_file():
            translator = QTranslator()
            if translator.load(str(qm)):
                QCoreApplication.installTranslator(translator)
                return translator
    return None


def remove_translator(translator: QTranslator | None):
    if translator is not None:
        QCoreApplication.removeTranslator(translator)


def translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)
