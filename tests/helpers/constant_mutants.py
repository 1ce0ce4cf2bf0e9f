"""Mutants that mutmut 3 does not make, each run in a fresh process.

mutmut 3 mutates only the bodies of undecorated functions and methods. A module's
constants (limits, enum values, the role-permission tables), a class's field defaults
(a dataclass's ``intake_max_age_days = 90``) and the bodies of decorated functions
(``@property``, ``@cache``) are left alone, and a ``@cache`` filled before the fork hides
even the mutants it does make. This tool makes those mutants too: a number one higher,
a string changed, True and False swapped, one element left out of a set, tuple, list or
dict, a comparison or arithmetic operator swapped. For each it writes the changed module
into a copy of the package and runs the tests that import it (directly or through other
modules) in a child process that imports afresh the mutated module and every module that
imports it, directly or through others, so nothing computed from the unmutated module is
kept (a cache, a value made at import). The rest of the package and the libraries are
loaded once, before the children are forked: a module that does not import the mutated
one cannot hold anything made from it, and not importing it again in every child makes
the run several times cheaper. ``--reimport-all`` imports the whole package afresh in
each child instead (slower; the earlier behaviour). When a file's baseline fails with its
dependents alone imported again, that file falls back to importing everything afresh.

    .venv/bin/python -m tests.helpers.constant_mutants clinic_desk/domain \
        --tests tests/unit --json /tmp/constant-mutants.json

A mutant is killed when pytest exits non-zero (a failing test, or the module no longer
imports). Prints one line per surviving mutant and a table per file.
"""

from __future__ import annotations

import argparse
import ast
import copy
import importlib
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from importlib.metadata import entry_points
from pathlib import Path

_PLAIN_DECORATORS = {"staticmethod", "classmethod"}
_COMPARE_SWAPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In,
    ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}  # fmt: skip
_BINOP_SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div, ast.Mod: ast.Div, ast.BitOr: ast.BitAnd, ast.BitAnd: ast.BitOr,
}  # fmt: skip


@dataclass(frozen=True)
class Mutant:
    file: str
    line: int
    original: str
    replacement: str
    status: str = "not run"


def _mutated_regions(tree: ast.Module) -> Iterator[ast.AST]:
    """The statements mutmut 3 leaves alone: module and class level, decorated bodies."""
    for statement in _skip_docstring(tree.body):
        yield from _region(statement)


def _region(statement: ast.stmt) -> Iterator[ast.AST]:
    if isinstance(statement, ast.Import | ast.ImportFrom):
        return
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
        names = {d.id for d in statement.decorator_list if isinstance(d, ast.Name)}
        plain = len(statement.decorator_list) == len(names) and names <= _PLAIN_DECORATORS
        if not plain:
            yield from _skip_docstring(statement.body)
        return
    if isinstance(statement, ast.ClassDef):
        for inner in _skip_docstring(statement.body):
            yield from _region(inner)
        return
    if isinstance(statement, ast.AnnAssign):
        if statement.value is not None:
            yield statement.value
        return
    yield statement


def _skip_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        return body[1:]
    return body


def _walk_values(node: ast.AST) -> Iterator[ast.AST]:
    """Every node below, except annotations and the insides of f-strings."""
    yield node
    for name, value in ast.iter_fields(node):
        if name in {"annotation", "returns", "decorator_list"} or isinstance(
            node, ast.JoinedStr
        ):
            continue
        children = value if isinstance(value, list) else [value]
        for child in children:
            if isinstance(child, ast.AST):
                yield from _walk_values(child)


def _variants(node: ast.AST) -> Iterator[ast.AST]:
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            yield ast.Constant(not value)
        elif isinstance(value, int | float):
            yield ast.Constant(value + 1)
        elif isinstance(value, str):
            yield ast.Constant(f"XX{value}XX")
    elif isinstance(node, ast.Set | ast.List | ast.Tuple) and node.elts:
        for index in range(len(node.elts)):
            smaller = copy.deepcopy(node)
            del smaller.elts[index]
            if isinstance(smaller, ast.Set) and not smaller.elts:
                yield ast.Call(ast.Name("set"), [], [])
            else:
                yield smaller
    elif isinstance(node, ast.Dict) and node.keys:
        for index in range(len(node.keys)):
            fewer = copy.deepcopy(node)
            del fewer.keys[index]
            del fewer.values[index]
            yield fewer
    elif isinstance(node, ast.Compare):
        for index, op in enumerate(node.ops):
            if type(op) in _COMPARE_SWAPS:
                swapped = copy.deepcopy(node)
                swapped.ops[index] = _COMPARE_SWAPS[type(op)]()
                yield swapped
    elif isinstance(node, ast.BinOp) and type(node.op) in _BINOP_SWAPS:
        yield ast.BinOp(node.left, _BINOP_SWAPS[type(node.op)](), node.right)
    elif isinstance(node, ast.BoolOp):
        yield ast.BoolOp(ast.Or() if isinstance(node.op, ast.And) else ast.And(), node.values)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield node.operand


def mutants_of(path: Path, shown_as: str) -> list[tuple[Mutant, bytes]]:
    source = path.read_bytes()
    tree = ast.parse(source)
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    found: list[tuple[Mutant, bytes]] = []
    for region in _mutated_regions(tree):
        for node in _walk_values(region):
            if not isinstance(node, ast.expr) or node.end_lineno is None:
                continue
            begin = starts[node.lineno - 1] + node.col_offset
            end = starts[node.end_lineno - 1] + (node.end_col_offset or 0)
            for variant in _variants(node):
                text = f"({ast.unparse(variant)})"
                changed = source[:begin] + text.encode() + source[end:]
                try:
                    compile(changed, str(path), "exec")
                except SyntaxError:
                    continue
                original = source[begin:end].decode()
                found.append((Mutant(shown_as, node.lineno, original, text), changed))
    return found


def _imports(path: Path, package: str) -> set[str]:
    tree = ast.parse(path.read_bytes())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return {n for n in names if n.split(".")[0] == package}


def tests_reaching(
    module: str, tests: list[Path], root: Path, package: str, *, direct: bool = False
) -> list[Path]:
    """The test files that import `module`, directly or through the package's modules
    (`direct`: only those naming it, fewer and faster, so kills may be undercounted)."""
    graph = {
        ".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__"): p
        for p in (root / package).rglob("*.py")
    }
    edges = {name: _imports(path, package) & graph.keys() for name, path in graph.items()}
    reached: list[Path] = []
    for test in tests:
        if direct:
            if module in _imports(test, package):
                reached.append(test)
            continue
        seen: set[str] = set()
        todo = list(_imports(test, package) & graph.keys())
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(edges[name])
        if module in seen:
            reached.append(test)
    return reached


def dependents(module: str, root: Path, package: str) -> set[str]:
    """`module` and every module of the package that imports it, directly or through
    others (imports inside functions count: the package has no relative or dynamic ones)."""
    graph = {
        ".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__"): p
        for p in (root / package).rglob("*.py")
    }
    edges = {name: _imports(path, package) & graph.keys() for name, path in graph.items()}
    closure = {module}
    grown = True
    while grown:
        grown = False
        for name, imported in edges.items():
            if name not in closure and imported & closure:
                closure.add(name)
                grown = True
    return closure


def _run(
    copy_root: Path,
    tests: list[Path],
    timeout: float,
    mutant: str = "",
    *,
    fresh: bool = True,
    forget: frozenset[str] = frozenset(),
) -> str:
    """pytest in a child forked from this process. `fresh`: every module of the package
    and of the tests is forgotten first; `forget`: only these modules and the tests'. The
    child imports them afresh from the copy (caches empty, the mutated module as
    written), while the heavy libraries stay loaded."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 3
        try:
            os.chdir(copy_root)
            quiet = os.open(os.devnull, os.O_WRONLY)
            os.dup2(quiet, 1)
            os.dup2(quiet, 2)
            if fresh:
                _forget_own_modules(copy_root)
            elif forget:
                for name in list(sys.modules):
                    if name in forget or name.split(".")[0] == "tests":
                        del sys.modules[name]
                importlib.invalidate_caches()
            if mutant:  # one of mutmut's mutants, chosen by its trampolines at call time
                os.environ["MUTANT_UNDER_TEST"] = mutant
            import pytest

            # The plugins were imported before the fork (see _warm_up), too early for
            # pytest to rewrite their asserts: it warns, and the project makes warnings errors.
            quiet_plugins = ["-W", "ignore::pytest.PytestAssertRewriteWarning"]
            args = ["-x", "-q", "-p", "no:cacheprovider", *quiet_plugins, *map(str, tests)]
            code = int(pytest.main(args))
        finally:
            os._exit(code)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "timeout"
        time.sleep(0.02)
    return "survived" if os.waitstatus_to_exitcode(status) == 0 else "killed"


_STAMPS = iter(range(1_000_000_000, 2_000_000_000))


def _write(target: Path, text: bytes) -> None:
    """Write a module with a modification time never used before, so that Python never
    takes a cached .pyc of another version of it (the other modules keep theirs)."""
    target.write_bytes(text)
    stamp = next(_STAMPS)
    os.utime(target, (stamp, stamp))


def _forget_own_modules(copy_root: Path) -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in {"clinic_desk", "tests"}:
            del sys.modules[name]
    sys.path[:] = [str(copy_root), *(p for p in sys.path if p not in {"", str(Path.cwd())})]
    importlib.invalidate_caches()


def _warm_up(copy_root: Path, *, keep_package: bool = False) -> None:
    """Load the libraries and pytest's plugins once, in this process, from the copy (and
    the package too with `keep_package`: for mutmut's mutants, whose trampolines choose
    the mutant at call time, and for the constant mutants, whose children import again
    only the mutated module and its dependents)."""
    _forget_own_modules(copy_root)
    importlib.import_module("clinic_desk.app")
    importlib.import_module("pytest")
    # pytest's plugins (pytest-qt, xdist...) too: loaded here, not again in every child.
    for plugin in entry_points(group="pytest11"):
        plugin.load()
    if not keep_package:
        _forget_own_modules(copy_root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="e.g. clinic_desk/domain")
    parser.add_argument("--tests", type=Path, default=Path("tests/unit"))
    parser.add_argument("--only", nargs="*", default=[], help="file names to limit to")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--direct", action="store_true", help="only tests naming the module")
    parser.add_argument(
        "--reimport-all", action="store_true", help="import the whole package afresh per child"
    )
    parser.add_argument(
        "--survivors-of", type=Path, nargs="*", default=[],
        help="run again only the mutants that survived in these JSON files",
    )
    parser.add_argument(
        "--also", nargs="*", default=[], type=Path,
        help="test files run for every mutant besides those found (e.g. the module's area)",
    )
    parser.add_argument(
        "--literal-tests", action="store_true",
        help="also run the test files that spell out the mutated literal",
    )
    args = parser.parse_args(argv)
    again = _survivor_keys(args.survivors_of)
    root = Path.cwd()
    package = args.folder.parts[0]
    skipped = {"test_packaging.py", "test_startup_imports.py"}  # they build from the checkout
    all_tests = [t for t in sorted(args.tests.glob("test_*.py")) if t.name not in skipped]
    with tempfile.TemporaryDirectory(prefix="constant-mutants-") as temp:
        copy_root = Path(temp)
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(root / package, copy_root / package, ignore=ignore)
        shutil.copytree(root / "tests", copy_root / "tests", ignore=ignore)
        shutil.copy(root / "pyproject.toml", copy_root / "pyproject.toml")
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _warm_up(copy_root, keep_package=not args.reimport_all)
        results: list[Mutant] = []
        paths = sorted(args.folder.glob("*.py"))
        if args.only:  # in the order given
            paths = [args.folder / name for name in args.only if (args.folder / name).is_file()]
        for path in paths:
            module = ".".join(path.with_suffix("").parts)
            reaching = tests_reaching(module, all_tests, root, package, direct=args.direct)
            tests = [copy_root / t for t in reaching]
            target = copy_root / path
            original = target.read_bytes()
            fresh = args.reimport_all
            forget = frozenset() if fresh else frozenset(dependents(module, root, package))
            started = time.monotonic()
            baseline = (
                _run(copy_root, tests, 600, fresh=fresh, forget=forget) if tests else "no tests"
            )
            if tests and baseline != "survived" and not fresh:
                print(f"baseline red with its dependents alone: {path}; all afresh", flush=True)
                fresh, forget = True, frozenset()
                started = time.monotonic()
                baseline = _run(copy_root, tests, 600)
            timeout = max(30.0, 5 * (time.monotonic() - started))
            for mutant, changed in mutants_of(path, str(path)):
                if again and _key(mutant) not in again:
                    continue
                chosen = tests + [copy_root / t for t in args.also if copy_root / t not in tests]
                if args.literal_tests:
                    chosen = tests + [copy_root / t for t in _spelling(mutant, all_tests, root)
                                      if copy_root / t not in tests]
                if baseline != "survived" or not chosen:  # no test, or a red baseline
                    status = "survived" if not chosen else "baseline red"
                else:
                    _write(target, changed)
                    try:
                        status = _run(copy_root, chosen, timeout, fresh=fresh, forget=forget)
                    finally:
                        _write(target, original)
                done = Mutant(mutant.file, mutant.line, mutant.original, mutant.replacement, status)
                results.append(done)
                if status != "killed":
                    print(f"{status}: {done.file}:{done.line} {done.original!r} -> "
                          f"{done.replacement!r}", flush=True)  # fmt: skip
                if args.json and len(results) % 25 == 0:  # a long file cut short keeps some
                    args.json.write_text(json.dumps([asdict(r) for r in results]), "utf-8")
            print(f"done: {path} ({len(results)} mutants so far)", flush=True)
            if args.json:  # after every file, so that a run cut short keeps what it did
                args.json.write_text(json.dumps([asdict(r) for r in results], indent=1), "utf-8")
    _table(results)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=1), "utf-8")
    return 0


def _key(mutant: Mutant) -> tuple[str, int, str, str]:
    return (mutant.file, mutant.line, mutant.original, mutant.replacement)


def _survivor_keys(paths: list[Path]) -> set[tuple[str, int, str, str]]:
    rows = [row for path in paths for row in json.loads(path.read_text("utf-8"))]
    return {(r["file"], r["line"], r["original"], r["replacement"]) for r in rows
            if r["status"] not in {"killed", "timeout"}}


def _spelling(mutant: Mutant, tests: list[Path], root: Path) -> list[Path]:
    """The test files (at most eight) that spell out the literal the mutant changes: a
    message's first 30 characters, or a number as written; tests that check a message or
    a limit word for word through the app's facade, without naming the module (which
    `--direct` alone cannot find)."""
    try:
        value = ast.literal_eval(f"({mutant.original})")
    except (ValueError, SyntaxError):
        return []
    if isinstance(value, str) and len(value) >= 6:
        probes = [value[:30]]
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10:
        probes = [mutant.original, str(value)]
    else:
        return []
    found = [t for t in tests if any(p in t.read_text("utf-8") for p in probes)]
    return [t.relative_to(root) if t.is_absolute() else t for t in found][:8]


def _table(results: list[Mutant]) -> None:
    files = sorted({r.file for r in results})
    for name in files:
        mine = [r for r in results if r.file == name]
        killed = sum(r.status in {"killed", "timeout"} for r in mine)
        print(f"{name}\t{killed}/{len(mine)}\t{100 * killed / len(mine):.0f} %")


if __name__ == "__main__":
    raise SystemExit(main())
