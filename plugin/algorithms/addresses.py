"""Processing: an address column cleaned into its parts, on any table or layer open in QGIS."""
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
)
from qgis.PyQt.QtCore import QVariant

from .base import GridGovAlgorithm

PREFIX = "parsed_"


class ParseAddresses(GridGovAlgorithm):
    NAME = "parseaddresses"
    TITLE = "Parse addresses 地址拆分"
    HELP = ("Reads the addresses of a table or layer (a 三实 export, a record layer) the way gridgov's matching "
            "reads them and adds one field per part: road (or lane), door number, compound, building, unit, floor, "
            "room, village, group and the note in brackets. Half-width, numerals, 栋/座/号楼, shorthand such as "
            "356号13-2-1102 and brackets are understood (resources/addresses.toml). The input is not changed. "
            "按 gridgov 的规则拆分地址，逐项写入新字段。")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource("INPUT", "Table or layer 表格或图层",
                                                              [QgsProcessing.TypeVector]))
        self.addParameter(QgsProcessingParameterField("FIELD", "Address field 地址字段", parentLayerParameterName="INPUT",
                                                      type=QgsProcessingParameterField.String))
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", "Parsed 拆分结果"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        import pandas as pd

        from ...grid_tools.address import components, components_summary

        source = self.parameterAsSource(parameters, "INPUT", context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, "INPUT"))
        field = self.parameterAsString(parameters, "FIELD", context)
        features = list(source.getFeatures())
        values = [feature[field] for feature in features]
        addresses = pd.Series([v if isinstance(v, str) else None for v in values], dtype=object)
        parts = components(addresses)
        fields = QgsFields(source.fields())
        for name in parts.columns:
            fields.append(QgsField(PREFIX + name, QVariant.String))
        sink, destination = self.parameterAsSink(parameters, "OUTPUT", context, fields, source.wkbType(),
                                                 source.sourceCrs())
        rows = parts.astype(object).where(parts.notna(), None).to_numpy()
        for number, (feature, row) in enumerate(zip(features, rows)):
            if feedback.isCanceled():
                break
            out = QgsFeature(fields)
            out.setGeometry(feature.geometry())
            out.setAttributes(list(feature.attributes()) + [None if v is None else str(v) for v in row])
            sink.addFeature(out, QgsFeatureSink.FastInsert)
            feedback.setProgress(100 * (number + 1) / max(len(features), 1))
        for line in components_summary(addresses, parts):
            feedback.pushInfo(line)
        return {"OUTPUT": destination}
