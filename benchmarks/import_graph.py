"""The package's import graph in numbers: modules, edges, levels, edges pointing up, cycles and
function-local imports.

    python benchmarks/import_graph.py [PACKAGE_DIR]     # default: this checkout's wildrydes/

Read from the source with ``ast`` (nothing is imported), so it measures any checkout, before or
after a move. An edge is "module A imports module B" for two modules of the package, wherever
the import statement stands (module level, inside a function, or under ``TYPE_CHECKING``). An
edge points up when it goes from a lower layer to a higher one: tools (4) above notebook (3)
above the core (2) above the embedded backend (1) above the foundation (0: errors, state, and
the SRP maths and password policy that the kit and its Cognito service share), the layers
``make lint`` enforces. Names from before the moves of issue 18 are mapped too, so the
same script measures the old tree.
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from pathlib import Path

__all__ = ["Graph", "layer_of", "main", "read_graph"]

# (prefix, layer): the first prefix that matches wins. Old names (before issue 18) are listed
# beside the new ones so that an old checkout is measured by the same rule.
LAYERS = (
    ("wildrydes.tools", 4),
    ("wildrydes.cli", 4),
    ("wildrydes.batch", 4),
    ("wildrydes.hub", 4),
    ("wildrydes.workspace", 4),
    ("wildrydes.redact", 4),
    ("wildrydes.__main__", 4),
    ("wildrydes.notebook", 3),  # also matches the old notebook_support and notebook_errors
    ("wildrydes.displays", 3),
    ("wildrydes.widgets", 3),
    ("wildrydes.explorer", 3),
    ("wildrydes.site_check", 3),
    ("wildrydes.screenshots", 3),
    ("wildrydes.local", 1),
    ("wildrydes.errors", 0),
    ("wildrydes.state", 0),
    ("wildrydes.srp", 0),
    ("wildrydes.policy", 0),
    ("wildrydes.home", 0),
)
LAYER_NAMES = {4: "tools", 3: "notebook", 2: "core", 1: "local", 0: "foundation"}


def layer_of(module: str) -> int:
    for prefix, layer in LAYERS:
        if module == prefix or module.startswith(prefix + ".") or module.startswith(prefix + "_"):
            return layer
    return 2


class Graph:
    """Modules, their import statements, and the edges between modules of the package."""

    def __init__(self) -> None:
        self.modules: dict[str, Path] = {}
        self.edges: Counter[tuple[str, str]] = Counter()
        self.local_imports: Counter[str] = Counter()  # import statements inside functions
        self.lines: dict[str, int] = {}

    def resolve(self, name: str) -> str | None:
        """The package's module that ``name`` is, or is in (a name imported from a module)."""
        while name:
            if name in self.modules:
                return name
            name = name.rpartition(".")[0]
        return None

    def levels(self) -> dict[str, int]:
        """Each module's level: 0 for a module that imports none of the package, else one
        more than the highest module it imports (a cycle's modules share one level)."""
        components = self.cycles(all_components=True)
        of = {m: i for i, group in enumerate(components) for m in group}
        level: dict[int, int] = {}

        def visit(i: int, seen: frozenset[int] = frozenset()) -> int:
            if i in level:
                return level[i]
            below = {of[b] for (a, b) in self.edges if of[a] == i and of[b] != i}
            level[i] = 1 + max((visit(j, seen | {i}) for j in below), default=-1)
            return level[i]

        return {m: visit(of[m]) for m in self.modules}

    def cycles(self, *, all_components: bool = False) -> list[list[str]]:
        """Strongly connected components (Tarjan); only those of two or more modules unless
        ``all_components``."""
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        stack: list[str] = []
        on_stack: set[str] = set()
        found: list[list[str]] = []
        targets: dict[str, list[str]] = {m: [] for m in self.modules}
        for a, b in self.edges:
            targets[a].append(b)

        def connect(v: str) -> None:
            index[v] = low[v] = len(index)
            stack.append(v)
            on_stack.add(v)
            for w in targets[v]:
                if w not in index:
                    connect(w)
                    low[v] = min(low[v], low[w])
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
            if low[v] == index[v]:
                group = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    group.append(w)
                    if w == v:
                        break
                found.append(sorted(group))

        sys.setrecursionlimit(10_000)
        for v in sorted(self.modules):
            if v not in index:
                connect(v)
        return [g for g in found if all_components or len(g) > 1]


def _module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.Module) -> list[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement with whether it stands inside a function."""
    found: list[tuple[ast.Import | ast.ImportFrom, bool]] = []

    def walk(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.append((child, in_function))
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            walk(child, inside)

    walk(tree, False)
    return found


def read_graph(root: Path) -> Graph:
    graph = Graph()
    paths = sorted(root.rglob("*.py"))
    for path in paths:
        graph.modules[_module_name(root, path)] = path
    for path in paths:
        name = _module_name(root, path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        text = path.read_text()
        graph.lines[name] = len(text.splitlines())
        for node, in_function in _imports(ast.parse(text)):
            if in_function:
                graph.local_imports[name] += 1
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{alias.name}" for alias in node.names] or [base]
            for target in targets:
                found = graph.resolve(target)
                if found and found != name:
                    graph.edges[(name, found)] += 1
    return graph


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "wildrydes"
    graph = read_graph(root.resolve())
    levels = graph.levels()
    up = sorted((a, b) for (a, b) in graph.edges if layer_of(a) < layer_of(b))
    cycles = graph.cycles()
    per_layer = Counter(LAYER_NAMES[layer_of(m)] for m in graph.modules)
    print(f"package:                 {root}")
    print(f"modules:                 {len(graph.modules)}  ({sum(graph.lines.values())} lines)")
    print("  by layer:              " + ", ".join(f"{k} {v}" for k, v in sorted(per_layer.items())))
    print(f"levels:                  {max(levels.values()) + 1}")
    print(f"import edges:            {len(graph.edges)}")
    print(f"edges pointing up:       {len(up)}")
    for a, b in up:
        print(f"  {a} ({LAYER_NAMES[layer_of(a)]}) -> {b} ({LAYER_NAMES[layer_of(b)]})")
    print(f"cycles:                  {len(cycles)}")
    for group in cycles:
        print("  " + " <-> ".join(group))
    print(f"function-local imports:  {sum(graph.local_imports.values())}")
    for name, n in graph.local_imports.most_common(8):
        print(f"  {n:3d}  {name}")
    longest = sorted(graph.lines.items(), key=lambda kv: -kv[1])[:5]
    print("longest modules:         " + ", ".join(f"{n} ({k})" for k, n in longest))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
