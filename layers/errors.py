"""The one error type for bad input: it always says which file and why."""


class InputError(ValueError):
    """An input that cannot be used as it is.

    The message names the file (and layer, field and example rows where they
    are known) so that a planner can fix the data without reading code.
    """

    def __init__(self, message: str, source: str = "", layer: str = ""):
        where = " / ".join(part for part in (source, layer) if part)
        super().__init__(f"{where}: {message}" if where else message)
        self.source = source
        self.layer = layer
