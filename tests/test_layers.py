"""The package's modules form layers without an import circle (read with ``ast``, not imported).

Every import counts, also those inside functions: an import moved into a function to dodge a
circle is still a circle. Content (the content core, models, blocks) never imports the outputs
(API, templates, structured data) or delivery.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "wagtail_acupuncture"
NAME = PACKAGE.name

#: Modules the content layers may not import.
OUTPUTS = (
    f"{NAME}.api",
    f"{NAME}.structured_data",
    f"{NAME}.templatetags",
    f"{NAME}.invalidation",
    f"{NAME}.webhooks",
    f"{NAME}.signals",
    f"{NAME}.purge",
    f"{NAME}.modeladmin",
    f"{NAME}.admin_views",
    f"{NAME}.admin_reports",
    f"{NAME}.editor_checks",
    f"{NAME}.delivery",
)
#: The one place content still reaches delivery: page models serve through the render cache's
#: mixin (``CachedServeMixin``), until the HTML render cache works at the serve view.
ALLOWED = {(f"{NAME}.models.pages", f"{NAME}.delivery.render_cache")}
#: The content layers.
CONTENT = (f"{NAME}.content", f"{NAME}.models", f"{NAME}.blocks", f"{NAME}.outline")


def module_files():
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def imports_of(module, path, modules):
    """``{imported package module}`` of one file, function-local imports included."""
    return _package_targets(module, path, ast.parse(path.read_text()), modules)


def function_local_imports():
    """``[(module, line)]`` of package imports made inside functions."""
    modules = module_files()
    found = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text())
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    fake = ast.Module(body=[node], type_ignores=[])
                    if _package_targets(module, path, fake, modules):
                        found.append((module, node.lineno))
    return sorted(set(found))


def _package_targets(module, path, tree, modules):
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            candidates = [target, *(f"{target}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        found.update(c for c in candidates if c in modules and c != module)
    return found


def import_graph():
    modules = module_files()
    return {module: imports_of(module, path, modules) for module, path in modules.items()}


def strongly_connected(graph):
    index, low, stack, on_stack, result, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            result.append(component)

    for node in graph:
        if node not in index:
            visit(node)
    return result


def test_the_graph_is_read():
    graph = import_graph()
    assert f"{NAME}.content.resolver" in graph
    assert f"{NAME}.content.resolver" in graph[f"{NAME}.blocks.stream"]


def test_no_import_circle():
    circles = [sorted(c) for c in strongly_connected(import_graph()) if len(c) > 1]
    assert circles == []


def test_a_circle_would_be_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert sorted(map(sorted, strongly_connected(graph))) == [["a", "b", "c"], ["d"]]


def _within(module, packages):
    """Whether ``module`` is one of ``packages`` or inside one."""
    return any(module == package or module.startswith(f"{package}.") for package in packages)


def test_content_never_imports_outputs():
    offending = {
        module: sorted(
            t for t in targets if _within(t, OUTPUTS) and (module, t) not in ALLOWED
        )
        for module, targets in import_graph().items()
        if _within(module, CONTENT)
    }
    assert {module: targets for module, targets in offending.items() if targets} == {}


def test_function_local_imports_are_few():
    """Only where Django's app loading needs them (``AppConfig.ready``)."""
    local = function_local_imports()
    assert len(local) < 10, local
    assert all(module == f"{NAME}.apps" for module, _line in local), local
