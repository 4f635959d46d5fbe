"""What every gridgov algorithm shares: group, help, and progress through the feedback."""
from qgis.core import QgsProcessingAlgorithm, QgsProcessingException


class GridGovAlgorithm(QgsProcessingAlgorithm):
    NAME = ""
    TITLE = ""
    HELP = ""

    def name(self):
        return self.NAME

    def displayName(self):  # noqa: N802
        return self.TITLE

    def group(self):
        return ""            # the algorithms sit right under the gridgov provider: one level in the toolbox

    def groupId(self):  # noqa: N802
        return ""

    def shortHelpString(self):  # noqa: N802
        return self.HELP

    def createInstance(self):  # noqa: N802
        return type(self)()

    @staticmethod
    def progress(feedback):
        """A core progress callback that reports to Processing and honours cancel."""
        def report(fraction, text):
            if feedback.isCanceled():
                raise QgsProcessingException("cancelled 已取消")
            feedback.setProgress(100 * fraction)
            feedback.pushInfo(text)
        return report
