"""The shape of the package, checked: layers import only downwards, no module borrows another's private
names, and no module grows past what one person reads in a few minutes (docs/architecture.md)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "desktop_app"

# Lowest first; a module may import from its own layer and the layers below it.
LAYERS = (
    ("values", ("desktop_app.core.",)),  # modules directly in core/ (money, models, chain …)
    ("surveys", ("desktop_app.core.surveys",)),  # questionnaires, export readers, analysis: pure logic
    ("storage", ("desktop_app.core.storage",)),
    ("sync", ("desktop_app.core.sync",)),  # package format, keys, what travels, records applied at the county
    ("queries", ("desktop_app.core.queries",)),
    ("documents", ("desktop_app.core.documents",)),
    ("builders", ("desktop_app.core.notices", "desktop_app.core.exports", "desktop_app.core.survey_report")),
    ("services", ("desktop_app.core.services",)),
    ("demo", ("desktop_app.core.demo",)),
    ("interfaces", ("desktop_app.cli", "desktop_app.gui", "desktop_app.__main__")),
)
MAX_LINES = 600


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    if module == "desktop_app" or module == "desktop_app.core":
        return 0
    best = None
    for rank, (_name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + ".") or (prefix.endswith(".") and module.startswith(prefix)):
                if prefix.endswith(".") and "." in module[len(prefix):]:
                    continue  # a sub-package of core, matched by its own entry
                best = rank if best is None else max(best, rank)
    assert best is not None, f"{module} belongs to no layer: add it to LAYERS"
    return best


def modules() -> dict[str, ast.Module]:
    return {module_name(p): ast.parse(p.read_text(encoding="utf-8")) for p in PACKAGE.rglob("*.py")}


def imports(tree: ast.Module):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("desktop_app"):
            yield node.module, [alias.name for alias in node.names], node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("desktop_app"):
                    yield alias.name, [], node.lineno


def test_layers_import_only_downwards():
    wrong = []
    for name, tree in modules().items():
        for target, names, line in imports(tree):
            targets = [f"{target}.{n}" for n in names] if names else [target]
            for full in targets:
                module = full if full in MODULES else target
                if layer_of(module) > layer_of(name):
                    wrong.append(f"{name}:{line} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_no_module_imports_another_modules_private_names():
    wrong = [f"{name}:{line} imports {target}.{n}"
             for name, tree in modules().items()
             for target, names, line in imports(tree)
             for n in names if n.startswith("_") and not n.startswith("__") and target != name]
    assert not wrong, "\n".join(wrong)


def test_no_module_reaches_into_another_modules_private_names():
    """`module._name` through an imported module is a borrowed private name too."""
    wrong = []
    for name, tree in modules().items():
        aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("desktop_app"):
                for alias in node.names:
                    if f"{node.module}.{alias.name}" in MODULES:
                        aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in MODULES and alias.asname:
                        aliases[alias.asname] = alias.name
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                wrong.append(f"{name}:{node.lineno} uses {aliases[node.value.id]}.{node.attr}")
    assert not wrong, "\n".join(wrong)


def test_no_module_is_too_long_to_read():
    long = {module_name(p): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long


MODULES = set(modules())
