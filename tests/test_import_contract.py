"""The house rules of shared/design.md on imports, checked on the source (no import needed).

* the core (constants, flavor, numerics, results, validation) imports only the core;
* a capability (pairing, oile, renp, forces, gradient) imports only the core and itself — never
  another capability, never io, plotting, scenarios, sweep or cli;
* io and plotting import only the core; scenarios import anything but the command line and sweeps.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import nupair

ROOT = Path(nupair.__file__).parent
CORE = {"constants", "flavor", "numerics", "results", "validation", "_version"}
CAPABILITIES = {"pairing", "oile", "renp", "forces", "gradient"}


def _package_of(path: Path) -> str:
    rel = path.relative_to(ROOT).parts
    return rel[0].removesuffix(".py")


def _nupair_imports(path: Path) -> set[str]:
    """Top-level nupair subpackages/modules imported by a file (absolute and relative imports)."""
    found = set()
    own = _package_of(path)
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("nupair."):
                    found.add(a.name.split(".")[1])
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: stays inside its own package unless it climbs to the root
                found.add(own if node.level == 1 and own != path.stem else (node.module or "").split(".")[0] or own)
            elif node.module == "nupair":
                found.update(a.name for a in node.names if a.name != "__version__")
            elif node.module and node.module.startswith("nupair."):
                found.add(node.module.split(".")[1])
    return found


def _files():
    return sorted(p for p in ROOT.rglob("*.py") if p.name != "__main__.py" and p.parent != ROOT or p.parent == ROOT)


def _allowed(pkg: str) -> set[str] | None:
    if pkg in CORE:
        return CORE
    if pkg in CAPABILITIES:
        return CORE | {pkg}
    if pkg in ("io", "plotting"):
        return CORE | {pkg}
    if pkg == "scenarios":
        return CORE | CAPABILITIES | {"io", "plotting", "scenarios"}
    return None  # sweep, cli, __init__, __main__: the edge may import anything


@pytest.mark.parametrize("path", [p for p in _files() if _allowed(_package_of(p)) is not None],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_follow_the_house_rules(path):
    pkg = _package_of(path)
    bad = _nupair_imports(path) - _allowed(pkg)
    assert not bad, f"{path.relative_to(ROOT)} ({pkg}) imports {sorted(bad)}"


def test_the_checker_sees_imports():
    # a capability importing another must be caught: check the checker on a known file's imports
    assert "constants" in _nupair_imports(ROOT / "forces" / "vacuum.py")
    assert "results" in _nupair_imports(ROOT / "renp" / "reach.py")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph() -> dict[str, set[str]]:
    """Module -> nupair modules it imports anywhere in the file (lazy, in-function imports too)."""
    modules = {_module_name(p): p for p in ROOT.rglob("*.py")}

    def resolve(name: str) -> str:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    graph = {}
    for mod, path in modules.items():
        deps = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("nupair"):
                deps.update(resolve(f"{node.module}.{a.name}") or resolve(node.module) for a in node.names)
            elif isinstance(node, ast.Import):
                deps.update(resolve(a.name) for a in node.names if a.name.startswith("nupair"))
        graph[mod] = deps - {mod, ""}
    return graph


def test_the_import_graph_has_no_circles():
    graph = _import_graph()
    state: dict[str, int] = {}  # 1 on the current path, 2 finished

    def visit(mod, path):
        state[mod] = 1
        for dep in sorted(graph.get(mod, ())):
            if state.get(dep) == 1:
                cycle = path[path.index(dep):] + [dep]
                pytest.fail("import circle: " + " -> ".join(cycle))
            if dep not in state:
                visit(dep, path + [dep])
        state[mod] = 2

    for mod in sorted(graph):
        if mod not in state:
            visit(mod, [mod])
    assert "nupair.pairing.linear" in graph["nupair.pairing.stability"]  # the checker sees edges


#: Compiled (Numba) kernels of the gas: arrays passed one by one because Numba's parallel loops
#: take them so; packing them into a layout is open work (their length and arity are exempt).
_COMPILED_KERNELS = {("oile/_gas_kernel.py", n) for n in
                     ("_encounter8", "_gather", "_scatter3", "_bucket_step", "_step_py", "_fused_leftovers")}


def _code_lines(node) -> int:
    """Lines of a function without its docstring."""
    body = node.body
    first = body[0]
    is_doc = isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None), ast.Constant) \
        and isinstance(first.value.value, str)
    doc_lines = (first.end_lineno - first.lineno + 1) if is_doc else 0
    return node.end_lineno - node.lineno + 1 - doc_lines


def test_functions_are_short_and_take_few_positional_arguments():
    long_ones = []
    for path in ROOT.rglob("*.py"):
        rel = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or (rel, node.name) in _COMPILED_KERNELS:
                continue
            positional = len(node.args.posonlyargs) + len(node.args.args)
            if _code_lines(node) > 80 or positional > 10:
                long_ones.append(f"{rel}:{node.lineno} {node.name} ({_code_lines(node)} lines, {positional} positional)")
    assert not long_ones, long_ones


def test_no_hand_written_input_messages_outside_validation():
    """One message shape: every refused input is worded by ``nupair.validation`` (its checks, or
    ``validation.refused(subject, allowed)`` for a rule no check covers); no module writes
    "... is not allowed ..." by hand (issue 22, item 6)."""
    written = [f"{p.relative_to(ROOT)}: {p.read_text().count('is not allowed')}" for p in ROOT.rglob("*.py")
               if p.name != "validation.py" and "is not allowed" in p.read_text()]
    assert not written, written


def test_refused_messages_keep_the_shape():
    from nupair import validation

    assert validation.refused("n=3", "must be even") == "n=3 is not allowed: must be even"
    with pytest.raises(ValueError, match=r"^x=-1 is not allowed: must be > 0$"):
        validation.require(False, "x", "-1", "must be > 0")


_CAPABILITY_NAMES = {"pairing", "oile", "renp", "forces", "gradient"}


def _capability_calls(fn: ast.FunctionDef) -> set[str]:
    """Calls ``cap.name(...)`` (or ``cap.sub.name(...)``) of a capability module inside ``fn``."""
    found = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Call):
            f, chain = node.func, []
            while isinstance(f, ast.Attribute):
                chain.append(f.attr)
                f = f.value
            if isinstance(f, ast.Name) and f.id in _CAPABILITY_NAMES and chain:
                found.add(f"{f.id}.{'.'.join(reversed(chain))}")
    return found


def _local_callees(fn: ast.FunctionDef, names: set[str]) -> set[str]:
    return {n.func.id for n in ast.walk(fn) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
            and n.func.id in names}


def test_scenarios_call_capabilities_only_in_their_tasks():
    """design.md, a scenario's anatomy: tasks compute (through one-call capability functions);
    assemble only packages, summary only reads, plot only draws. Checked on the source: no
    capability function is called from assemble/summary/plot or any module helper they reach."""
    import importlib

    from nupair.scenarios import REGISTRY, get_scenario

    bad = []
    for name in sorted(REGISTRY):
        scenario = get_scenario(name)
        for role in ("assemble", "summary", "plot"):
            fn = getattr(scenario, role)
            if fn is None:
                continue
            module = importlib.import_module(fn.__module__)
            tree = ast.parse(Path(module.__file__).read_text())
            defs = {d.name: d for d in tree.body if isinstance(d, ast.FunctionDef)}
            todo, seen = [fn.__name__], set()
            while todo:
                f = todo.pop()
                if f in seen or f not in defs:
                    continue
                seen.add(f)
                calls = _capability_calls(defs[f])
                if calls:
                    bad.append(f"{name}: {role} -> {f} calls {sorted(calls)}")
                todo.extend(_local_callees(defs[f], set(defs)) - seen)
    assert not bad, "\n".join(bad)


def test_every_scenario_module_has_its_test_file():
    """Tests mirror the package: src/nupair/scenarios/X.py is tested in tests/scenarios/test_X.py."""
    tests = Path(__file__).resolve().parent / "scenarios"
    missing = [p.name for p in sorted((ROOT / "scenarios").glob("*.py"))
               if not p.stem.startswith("_") and not (tests / f"test_{p.stem}.py").exists()]
    assert not missing, missing
