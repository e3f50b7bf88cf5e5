"""The package's layers, held by its import graph (read from the source with ``ast``; imports inside
functions count): each layer imports only layers below it, no two packages of one layer import each other,
no module imports itself back through a cycle, xlwings is imported only by the Excel skin and python_calamine
only by the safety gate. A newcomer can trust the layout: the flow reads from the bottom up."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# From the bottom: the domain, bytes and files, the neutral sheet model and the registry, the grassroots
# workbook and the letters, then one level of the campaign per layer, the renderers, and the skins.
LAYERS: list[tuple[str, ...]] = [
    ("validators",),
    ("addin",),  # the package itself: the version and the project root
    ("addin.io",),
    ("addin.sheets", "addin.registry"),
    ("addin.cdcs", "addin.documents"),
    ("addin.mail",),  # files received by e-mail: below the district, which reads their receipt times
    ("addin.district",),
    ("addin.dossier",),
    ("addin.province",),
    ("addin.render", "addin.sample"),
    ("addin.demo", "addin.excel"),
    ("addin.cli_support",),  # what every verb shares: the app, options, console, error handling
    ("addin.cli",),  # the command line is the skin of every verb, the demo and the Excel build included
]


def _modules() -> dict[str, Path]:
    found = {}
    for top in ("addin", "validators"):
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] in ("__init__", "__main__"):
                parts = parts[:-1] if parts[-1] == "__init__" else parts
            found[".".join(parts)] = path
    return found


def _imports(path: Path, module: str, is_package: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = module.split(".") if is_package else module.split(".")[:-1]
                pkg = pkg[: len(pkg) - node.level + 1]
                base = ".".join(pkg + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


MODULES = _modules()


def _graph() -> dict[str, set[str]]:
    graph = {}
    for mod, path in MODULES.items():
        raw = _imports(path, mod, path.name == "__init__.py")
        graph[mod] = {name for name in raw if name in MODULES and name != mod}
    return graph


def _layer(module: str) -> tuple[int, str]:
    best = None
    for index, group in enumerate(LAYERS):
        for prefix in group:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > len(best[1]):
                    best = (index, prefix)
    assert best is not None, f"{module} is in no layer: add it to LAYERS"
    return best


def test_every_module_has_a_layer():
    for mod in MODULES:
        _layer(mod)


def test_each_layer_imports_only_layers_below_it():
    wrong = []
    for mod, deps in _graph().items():
        level, unit = _layer(mod)
        for dep in deps:
            dep_level, dep_unit = _layer(dep)
            if dep_level > level or (dep_level == level and dep_unit != unit):
                wrong.append(f"{mod} -> {dep}")
    assert not wrong, "imports against the layers:\n" + "\n".join(sorted(wrong))


def test_no_import_cycle():
    graph = _graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if dep.startswith(node + "."):
                continue  # a package importing its own submodule is loading it, not a cycle
            if state.get(dep) == 1:
                cycles.append(" -> ".join(stack[stack.index(dep):] + [dep]))
            elif dep not in state:
                visit(dep, stack + [dep])
        state[node] = 2

    for mod in sorted(graph):
        if mod not in state:
            visit(mod, [mod])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def _importers_of(package: str) -> set[str]:
    users = set()
    for mod, path in MODULES.items():
        raw = _imports(path, mod, path.name == "__init__.py")
        if any(name == package or name.startswith(package + ".") for name in raw):
            users.add(mod)
    return users


def test_xlwings_only_in_the_excel_skin():
    assert {m for m in _importers_of("xlwings") if not m.startswith("addin.excel")} == set()


def test_python_calamine_only_in_the_gate():
    assert _importers_of("python_calamine") <= {"addin.io.gate.workbook"}, _importers_of("python_calamine")


def test_validators_never_import_addin():
    assert {m for m in _importers_of("addin") if m.startswith("validators")} == set()
