"""Read the project's own source (AST only, nothing imported) for the architecture tests.

Two questions: which private names of other projects does our code touch
(``private_name_violations``), and which of our modules import each other in a
circle (``import_cycles``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# Top-level modules that are ours; everything else (stdlib included) is another project's.
OWN_TOP_LEVEL = {"plugins", "tasks", "pelicanconf", "publishconf"}
ATTRIBUTE_BUILTINS = {"getattr", "setattr", "hasattr", "delattr"}
# Names with a leading underscore that their project documents as public API: the
# Python documentation describes ``os._exit`` (« Exit the process with status n,
# without calling cleanup handlers ») among the process management functions.
DOCUMENTED = {"os._exit"}


@dataclass(frozen=True, order=True)
class Violation:
    """A private name of another project, where our source uses it."""

    path: str
    line: int
    name: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.name}"


@dataclass(frozen=True)
class SourceFile:
    """One scanned Python file: its path from the project root, module name and tree."""

    path: str
    module: str
    tree: ast.Module


def is_private(name: str) -> bool:
    """``_x`` or ``__x``, but not a dunder such as ``__file__``."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def is_own_module(module: str) -> bool:
    return module.split(".")[0] in OWN_TOP_LEVEL


def module_name(path: Path, root: Path) -> str:
    """``plugins/build/__init__.py`` → ``plugins.build``; ``tasks.py`` → ``tasks``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def scanned_files(root: Path = PROJECT_ROOT) -> list[SourceFile]:
    """Every ``.py`` under plugins/, plus tasks.py, pelicanconf.py and publishconf.py."""
    paths = sorted((root / "plugins").rglob("*.py"))
    paths += [root / name for name in ("tasks.py", "pelicanconf.py", "publishconf.py")]
    return [
        SourceFile(
            path.relative_to(root).as_posix(),
            module_name(path, root),
            ast.parse(path.read_text(encoding="utf-8"), filename=str(path)),
        )
        for path in paths
        if path.is_file()
    ]


def is_package(source: SourceFile) -> bool:
    return source.path.endswith("/__init__.py")


def resolve_from(source: SourceFile, node: ast.ImportFrom) -> str:
    """The absolute module of ``from <module> import …``, relative imports resolved."""
    if not node.level:
        return node.module or ""
    package = source.module.split(".")
    if not is_package(source):
        package.pop()
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


# --- Private names ---------------------------------------------------------------


def imported_names(source: SourceFile) -> dict[str, str]:
    """Each name a file binds by an import → the absolute module it comes from."""
    names: dict[str, str] = {}
    for node in ast.walk(source.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    names[top] = top
        elif isinstance(node, ast.ImportFrom):
            module = resolve_from(source, node)
            for alias in node.names:
                names[alias.asname or alias.name] = f"{module}.{alias.name}"
    return names


def root_name(node: ast.expr) -> str | None:
    """``a`` for ``a``, ``a.b``, ``a.b.c``; None for anything else (a call, a subscript…)."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def foreign_classes(files: list[SourceFile]) -> set[str]:
    """Our classes that inherit, directly or through our classes, from another project's.

    Classes are matched by name across files: good enough for a project this size.
    """
    bases: dict[str, set[str]] = {}
    foreign: set[str] = set()
    for source in files:
        imports = imported_names(source)
        for node in ast.walk(source.tree):
            if not isinstance(node, ast.ClassDef):
                continue
            bases.setdefault(node.name, set())
            for base in node.bases:
                name = root_name(base)
                if name is None:
                    continue
                origin = imports.get(name)
                if origin is not None and not is_own_module(origin):
                    foreign.add(node.name)
                bases[node.name].add(base.attr if isinstance(base, ast.Attribute) else name)
    changed = True
    while changed:
        inheriting = {cls for cls, parents in bases.items() if parents & foreign}
        changed = not inheriting <= foreign
        foreign |= inheriting
    return foreign


def class_members(cls: ast.ClassDef) -> Iterator[tuple[str, int]]:
    """Methods, nested classes and class attributes (dataclass fields included)."""
    for node in cls.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name, node.lineno
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        yield name.id, node.lineno


def self_attributes(cls: ast.ClassDef) -> Iterator[tuple[str, int]]:
    """Attributes a class's methods assign on ``self`` (or ``cls``)."""
    for node in ast.walk(cls):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name)
            and node.value.id in {"self", "cls"}
        ):
            yield node.attr, node.lineno


def module_bindings(tree: ast.Module) -> Iterator[str]:
    """Functions, classes and variables a module defines at its top level."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.If, ast.Try)):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Store):
                    yield inner.id
                elif isinstance(inner, (ast.FunctionDef, ast.ClassDef)):
                    yield inner.name


def own_private_names(
    files: list[SourceFile], foreign: set[str]
) -> tuple[set[str], list[Violation]]:
    """Private names the project defines, and the overrides of another project's ones.

    A private member of a class that inherits from another project's class may be
    the base's own (``_parse_metadata`` in a reader): without importing the base we
    cannot tell, so every such member counts as an override, hence a violation.
    """
    defined: set[str] = set()
    overrides: list[Violation] = []
    for source in files:
        defined.update(name for name in module_bindings(source.tree) if is_private(name))
        classes = [node for node in ast.walk(source.tree) if isinstance(node, ast.ClassDef)]
        members = {id(member) for cls in classes if cls.name in foreign for member in cls.body}
        for node in ast.walk(source.tree):
            is_function = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            if is_function and is_private(node.name) and id(node) not in members:
                defined.add(node.name)  # nested helpers; class members are sorted below
        for cls in classes:
            if is_private(cls.name):
                defined.add(cls.name)
            for name, line in [*class_members(cls), *self_attributes(cls)]:
                if not is_private(name):
                    continue
                if cls.name in foreign:
                    label = f"{cls.name}.{name} (member of a subclass of another project's class)"
                    overrides.append(Violation(source.path, line, label))
                else:
                    defined.add(name)
    return defined, overrides


def private_imports(source: SourceFile, node: ast.Import | ast.ImportFrom) -> Iterator[Violation]:
    """``from pelican.x import _y``, ``import markdown._private``, ``from gettext import _z``."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if not is_own_module(alias.name) and any(map(is_private, alias.name.split("."))):
                yield Violation(source.path, node.lineno, alias.name)
        return
    module = resolve_from(source, node)
    if is_own_module(module):
        return
    for alias in node.names:
        if any(map(is_private, module.split("."))) or is_private(alias.name):
            yield Violation(source.path, node.lineno, f"{module}.{alias.name}")


def private_attributes(source: SourceFile, defined: set[str]) -> Iterator[Violation]:
    """``obj._x`` (or ``getattr(obj, "_x")``) where ``_x`` is not ours.

    On a name imported from another project (``gettext._x``, ``LimitFilter._x``)
    it is a violation even when we happen to define a ``_x`` of our own.
    """
    imports = imported_names(source)
    # Assignments on self are definitions, or overrides reported by own_private_names.
    self_stores = {
        id(node)
        for cls in ast.walk(source.tree)
        if isinstance(cls, ast.ClassDef)
        for node in ast.walk(cls)
        if isinstance(node, ast.Attribute)
        and isinstance(node.ctx, ast.Store)
        and isinstance(node.value, ast.Name)
        and node.value.id in {"self", "cls"}
    }
    for node in ast.walk(source.tree):
        if isinstance(node, ast.Attribute):
            obj, name = node.value, node.attr
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ATTRIBUTE_BUILTINS
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            obj, name = node.args[0], node.args[1].value
        else:
            continue
        if not is_private(name) or id(node) in self_stores:
            continue
        origin = imports.get(root_name(obj) or "")
        if f"{origin}.{name}" in DOCUMENTED and ast.unparse(obj) == origin:
            continue
        foreign_object = origin is not None and not is_own_module(origin)
        if foreign_object or name not in defined:
            yield Violation(source.path, node.lineno, ast.unparse(obj) + "." + name)


def private_name_violations(files: list[SourceFile]) -> list[Violation]:
    """Every use of another project's private name in our source, sorted."""
    foreign = foreign_classes(files)
    defined, violations = own_private_names(files, foreign)
    for source in files:
        violations.extend(private_attributes(source, defined))
        for node in ast.walk(source.tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                violations.extend(private_imports(source, node))
    return sorted(set(violations))


# --- Import cycles ---------------------------------------------------------------


@dataclass(frozen=True)
class Edge:
    """``source`` imports ``target``, written at ``path:line``."""

    source: str
    target: str
    path: str
    line: int


def is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, except under ``if TYPE_CHECKING:``."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield node
        return
    for field, value in ast.iter_fields(node):
        if isinstance(node, ast.If) and is_type_checking(node) and field == "body":
            continue
        children = value if isinstance(value, list) else [value]
        for child in children:
            if isinstance(child, ast.AST):
                yield from runtime_imports(child)


def own_module(name: str, modules: set[str]) -> str | None:
    """``name`` or its longest prefix that is one of our modules, or None."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def import_edges(files: list[SourceFile]) -> list[Edge]:
    """The written imports between our modules (``plugins.*`` and ``tasks``)."""
    graph_files = [f for f in files if f.module == "tasks" or f.module.split(".")[0] == "plugins"]
    modules = {f.module for f in graph_files}
    edges: list[Edge] = []
    for source in graph_files:
        for node in runtime_imports(source.tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                module = resolve_from(source, node)
                targets = [
                    f"{module}.{alias.name}" if f"{module}.{alias.name}" in modules else module
                    for alias in node.names
                ]
            for target in targets:
                resolved = own_module(target, modules)
                if resolved is not None and resolved != source.module:
                    edges.append(Edge(source.module, resolved, source.path, node.lineno))
    return edges


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, each sorted, in a stable order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(components)


def shortest_path(graph: dict[str, set[str]], start: str, goal: str, within: set[str]) -> list[str]:
    """The shortest path start → … → goal inside ``within`` (breadth first)."""
    previous: dict[str, str] = {}
    frontier = [start]
    seen = {start}
    while frontier:
        following = []
        for node in frontier:
            if node == goal:
                path = [goal]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return path[::-1]
            for successor in sorted(graph.get(node, set()) & within):
                if successor not in seen:
                    seen.add(successor)
                    previous[successor] = node
                    following.append(successor)
        frontier = following
    raise ValueError(f"no path {start} → {goal}")


def import_cycles(edges: list[Edge]) -> list[list[Edge]]:
    """Cycles covering every import edge inside every component of more than one module.

    For each edge a → b inside a component, the cycle is a → b → (shortest way back) → a;
    each distinct cycle is listed once, so every import to remove appears.
    """
    graph: dict[str, set[str]] = {}
    first: dict[tuple[str, str], Edge] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
        first.setdefault((edge.source, edge.target), edge)
    cycles: list[list[Edge]] = []
    seen: set[tuple[str, ...]] = set()
    for component in strongly_connected(graph):
        if len(component) < 2:
            continue
        members = set(component)
        for source, target in sorted(first):
            if source not in members or target not in members:
                continue
            nodes = [source, *shortest_path(graph, target, source, members)]
            ring = nodes[:-1]
            turn = ring.index(min(ring))
            key = tuple(ring[turn:] + ring[:turn])
            if key not in seen:
                seen.add(key)
                cycles.append([first[pair] for pair in zip(nodes, nodes[1:], strict=False)])
    return cycles


def describe_cycle(cycle: list[Edge]) -> str:
    """``a → b → a`` then, for each arrow, the line that writes the import."""
    chain = " → ".join([cycle[0].source, *(edge.target for edge in cycle)])
    lines = [f"  {e.path}:{e.line}: {e.source} imports {e.target}" for e in cycle]
    return "\n".join([chain, *lines])
