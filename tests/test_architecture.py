"""The house's one-way rules, read from the imports of every module of the package."""
import ast
from functools import cache
from pathlib import Path

import gridgov

ROOT = Path(gridgov.__file__).parent
NOT_PACKAGE = ("tests", "bench", "scripts", ".venv", "build", "cockpit/node_modules", "out")
QGIS_SIDE = ("plugin", "atlas")        # the two places that may import qgis


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(("gridgov",) + (parts[:-1] if parts[-1] == "__init__" else parts))


def modules() -> dict:
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if not relative.startswith(NOT_PACKAGE):
            found[module_name(path)] = path
    return found


def imports(name: str, path: Path, known: set) -> set:
    """Every module (of ours, or foreign by its top name) this one imports, at any depth of its code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:      # `from . import records` names a module; `from .x import f` does not
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return found


@cache
def graph() -> dict:
    found = modules()
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def side(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_only_the_plugin_and_the_field_maps_import_qgis():
    offenders = {name for name, used in graph().items()
                 if any(u == "qgis" or u.startswith(("qgis.", "PyQt", "processing")) for u in used)
                 and side(name) not in QGIS_SIDE}
    assert offenders == set()
    assert {side(name) for name, used in graph().items() if any(u.startswith("qgis") for u in used)} == set(QGIS_SIDE)


def test_nothing_outside_the_plugin_imports_it():
    """Only QGIS's entry point (classFactory in the root __init__) reaches into plugin/."""
    offenders = {name for name, used in graph().items() if side(name) != "plugin" and name != "gridgov"
                 and any(u.startswith("gridgov.plugin") for u in used)}
    assert offenders == set()


def test_the_core_does_not_import_the_field_maps():
    """atlas/ is an output package: the command line and the plugin use it, the core never does."""
    users = {name for name, used in graph().items() if any(u.startswith("gridgov.atlas") for u in used)}
    assert {side(name) or name for name in users} <= {"atlas", "plugin", "cli"}
    assert "gridgov.cli" in users


def test_no_import_cycles():
    edges = {name: {u for u in used if u in graph()} for name, used in graph().items()}
    assert sum(map(len, edges.values())) > 100           # the imports were read
    edges["gridgov"] -= {"gridgov.plugin.main"}        # classFactory's import runs only when QGIS calls it
    cycles, stack, state = [], [], {}

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(edges[node]):
            if state.get(target) == "open":
                cycles.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert cycles == []
