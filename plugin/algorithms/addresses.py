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
    QgsWkbTypes,
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
            "356号13-2-1102 and brackets are understood (resources/addresses.toml). A spreadsheet QGIS opened as it was "
            "written (fields Field1, Field2 …, or a CSV's named by its title) is read as its records: named by its "
            "header, without the title above it and the totals below (said in the log). The input is not changed. "
            "按 gridgov 的规则拆分地址，逐项写入新字段；表格的标题行和合计行不计为记录。")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource("INPUT", "Table or layer 表格或图层",
                                                              [QgsProcessing.TypeVector]))
        self.addParameter(QgsProcessingParameterField("FIELD", "Address field 地址字段", parentLayerParameterName="INPUT",
                                                      type=QgsProcessingParameterField.String))
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", "Parsed 拆分结果"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        import pandas as pd

        from ...grid_tools.address import components, components_summary
        from ...layers.tables import records_of_sheet, skipped_rows
        from ..conversion import python_value

        source = self.parameterAsSource(parameters, "INPUT", context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, "INPUT"))
        field = self.parameterAsString(parameters, "FIELD", context)
        features = list(source.getFeatures())
        cells = pd.DataFrame([[python_value(v) for v in feature.attributes()] for feature in features],
                             columns=source.fields().names(), dtype=object)
        table, skipped = cells, []
        if source.wkbType() == QgsWkbTypes.NoGeometry:   # a table: a spreadsheet's title, header and total rows
            read = records_of_sheet(cells, field)
            table, skipped = read.table, skipped_rows(read.title, read.footer)
        renamed = list(table.columns) != list(cells.columns)      # named by the header QGIS read as a feature
        column = table.columns[list(cells.columns).index(field)]
        addresses = table[column].map(lambda v: v if isinstance(v, str) else None)
        parts = components(addresses)
        fields = QgsFields() if renamed else QgsFields(source.fields())
        for name in (list(table.columns) if renamed else []) + [PREFIX + name for name in parts.columns]:
            fields.append(QgsField(name, QVariant.String))
        sink, destination = self.parameterAsSink(parameters, "OUTPUT", context, fields, source.wkbType(),
                                                 source.sourceCrs())
        rows = parts.astype(object).where(parts.notna(), None).to_numpy()
        for number, (at, own, row) in enumerate(zip(table.index, table.to_numpy(dtype=object), rows)):
            if feedback.isCanceled():
                break
            feature = features[at]
            own = [None if v is None else str(v) for v in own] if renamed else list(feature.attributes())
            out = QgsFeature(fields)
            out.setGeometry(feature.geometry())
            out.setAttributes(own + [None if v is None else str(v) for v in row])
            sink.addFeature(out, QgsFeatureSink.FastInsert)
            feedback.setProgress(100 * (number + 1) / max(len(table), 1))
        for line in skipped:
            feedback.pushWarning(line)
        for line in components_summary(addresses, parts):
            feedback.pushInfo(line)
        return {"OUTPUT": destination}
