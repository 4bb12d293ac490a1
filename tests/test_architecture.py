"""The shape of the code (docs/architecture.md), read from the source with Python's ast."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

#: Packages of app/ that are not domains: core may import these.
SHARED = {"core", "extensions", "errors", "models", "config"}

#: What "the reporting line" is: only app.org.lines defines it.
REPORTING_LINE = {"acting_line", "acting_for", "may_supervise", "supervised_ids",
                  "supervises_anyone", "line_below", "is_in_line", "ActingAssignment",
                  "ActingKind"}


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in APP.rglob("*.py")}


def imports_of(path: Path):
    """(module, names) for every import of an app module, at any depth of the file."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app"):
            yield node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("app."):
                    yield alias.name, []


def test_core_imports_no_domain():
    found = [f"{name}: {module}" for name, path in MODULES.items()
             if name.startswith("app.core")
             for module, _names in imports_of(path)
             if module != "app" and module.split(".")[1] not in SHARED]
    assert found == []


def test_the_reporting_line_is_asked_of_org():
    found = [f"{name}: {module} {sorted(set(names) & REPORTING_LINE)}"
             for name, path in MODULES.items() for module, names in imports_of(path)
             if module.startswith("app.feedback") and set(names) & REPORTING_LINE]
    assert found == []
    defined = [name for name, path in MODULES.items()
               for node in ast.parse(path.read_text()).body
               if isinstance(node, (ast.FunctionDef, ast.ClassDef))
               and node.name in REPORTING_LINE and name not in {"app.org.lines",
                                                                "app.org.models"}]
    assert defined == []


def test_views_leave_the_commit_to_the_boundary():
    commits = {name: path.read_text().count(".commit(") for name, path in MODULES.items()
               if name.rsplit(".", 1)[-1] in {"views", "api"}}
    assert sum(commits.values()) <= 5, {k: v for k, v in commits.items() if v}


def test_no_module_over_700_lines():
    long = {name: n for name, path in MODULES.items()
            if (n := len(path.read_text().splitlines())) > 700}
    assert long == {}


def edges() -> dict[str, set[str]]:
    graph = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for module, names in imports_of(path):
            targets = [f"{module}.{n}" for n in names if f"{module}.{n}" in MODULES]
            graph[name].update(targets or ([module] if module in MODULES else []))
    return graph


def test_no_two_modules_import_each_other_round_a_loop():
    """Strongly connected components of the import graph (the factory, which imports every
    domain and is imported back only lazily by the queue, is left out)."""
    graph = {k: {t for t in v if t != "app"} for k, v in edges().items() if k != "app"}
    index, low, stack, on_stack, loops = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                loops.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    assert loops == []


@pytest.mark.parametrize("path", ["docs/architecture.md"])
def test_the_architecture_page_is_short(path):
    text = (APP.parent / path).read_text()
    assert len(text.split()) < 1300  # five minutes of reading
