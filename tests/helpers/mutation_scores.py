"""One table of mutation scores per file: mutmut 3's mutants (function bodies) read from
its ``mutants/`` folder, plus the constant mutants of ``constant_mutants`` (module and
class level, decorated bodies) read from that tool's JSON.

    .venv/bin/python -m tests.helpers.mutation_scores mutants/clinic_desk/domain \
        --constants /tmp/constant-mutants.json --survivors

Killed counts killed, timeouts and mutants the import or type checks caught; "no tests"
and "survived" count against the score; a mutant not yet checked is listed apart.

``--recheck OUT.json`` runs mutmut's survivors and "no tests" mutants again against the
tests as they are now (tests only ever get added or stricter, so a killed mutant stays
killed): each in a child forked after the mutated package (a copy of ``mutants/``) and the
libraries are loaded, with nothing called yet (no cache filled), ``MUTANT_UNDER_TEST``
naming the mutant (the trampolines choose it at call time), running
the test files that import its module by name (a kill through another module's tests is
not counted: the figures can only be too low). ``--rechecked OUT.json`` folds those verdicts in.
With ``--unchecked`` the recheck also runs the mutants mutmut has not reached yet (a run
that cannot finish in the time there is: its verdicts then stand for mutmut's).

``--constants A.json B.json``: a file measured in several takes the rows of the last one,
so a file measured again after new tests replaces its first measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from tests.helpers.constant_mutants import _run, _warm_up, tests_reaching

_KILLED = {1, 3, 36, 37, -24, 24, 152, 255, -11, -9}
_LEFT = {0, 5, 33}


_VERDICT_CODES = {"killed": 1, "timeout": 1, "survived": 0, "no tests": 33}


def _codes(meta: Path, rechecked: dict[str, str]) -> dict[str, int | None]:
    """mutmut's exit codes, with the verdicts of `--recheck` in their place (a mutant
    mutmut had not reached yet, checked with `--unchecked`, counts as checked)."""
    codes: dict[str, int | None] = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
    return {k: _VERDICT_CODES.get(rechecked.get(k, ""), v) for k, v in codes.items()}


def mutmut_counts(folder: Path, rechecked: dict[str, str]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    for meta in sorted(folder.glob("*.py.meta")):
        codes = _codes(meta, rechecked)
        tally: Counter[str] = Counter()
        for code in codes.values():
            tally["killed" if code in _KILLED else "left" if code in _LEFT else "unchecked"] += 1
        counts[meta.name.removesuffix(".meta")] = tally
    return counts


def mutmut_survivors(folder: Path, rechecked: dict[str, str]) -> list[str]:
    left: list[str] = []
    for meta in sorted(folder.glob("*.py.meta")):
        codes = _codes(meta, rechecked)
        left.extend(f"{name} ({code})" for name, code in codes.items() if code in _LEFT)
    return left


def recheck(
    folder: Path,
    out: Path,
    tests_folder: Path,
    only: list[str],
    *,
    unchecked: bool = False,
    fresh: bool = False,
) -> None:
    """Run mutmut's survivors again against the current tests (see the module's doc);
    `unchecked`: the mutants mutmut has not reached yet too; `fresh`: each child imports
    the package afresh, for a module that builds values when it is imported (the demo's
    name pools), before mutmut's trampolines can choose a mutant."""
    root = Path.cwd()
    mutants_root, package = folder.parent.parent, folder.parent.name  # mutants/clinic_desk/…
    skipped = {"test_packaging.py", "test_startup_imports.py"}
    all_tests = [t for t in sorted(tests_folder.glob("test_*.py")) if t.name not in skipped]
    verdicts: dict[str, str] = json.loads(out.read_text("utf-8")) if out.exists() else {}
    with tempfile.TemporaryDirectory(prefix="recheck-") as temp:
        copy_root = Path(temp)
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(mutants_root / package, copy_root / package, ignore=ignore)
        shutil.copytree(root / "tests", copy_root / "tests", ignore=ignore)
        shutil.copy(root / "pyproject.toml", copy_root / "pyproject.toml")
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _warm_up(copy_root, keep_package=True)
        metas = sorted(folder.glob("*.py.meta"))
        if only:  # in the order given
            metas = [m for m in (folder / f"{name}.meta" for name in only) if m.is_file()]
        for meta in metas:
            module = f"{package}.{folder.name}.{meta.name.removesuffix('.py.meta')}"
            wanted = _LEFT | {None} if unchecked else _LEFT
            left = [k for k, v in _codes(meta, verdicts).items() if v in wanted]
            if not left:
                continue
            reaching = tests_reaching(module, all_tests, root, package, direct=True)
            tests = [copy_root / t for t in reaching]
            for name in left:
                verdicts[name] = (
                    _run(copy_root, tests, 120, mutant=name, fresh=fresh) if tests else "no tests"
                )
                print(f"{verdicts[name]}: {name}", flush=True)
                if len(verdicts) % 25 == 0:  # a run cut short keeps what it checked
                    out.write_text(json.dumps(verdicts, indent=1), "utf-8")
            out.write_text(json.dumps(verdicts, indent=1), "utf-8")


def constant_rows(paths: list[Path]) -> list[dict[str, object]]:
    """The rows of every JSON file given; a file measured again in a later JSON (after new
    tests) takes its rows from the last one that holds it, never from both."""
    by_file: dict[str, list[dict[str, object]]] = {}
    for path in paths:
        fresh: dict[str, list[dict[str, object]]] = {}
        for row in json.loads(path.read_text("utf-8")):
            fresh.setdefault(str(row["file"]), []).append(row)
        by_file.update(fresh)
    return [row for rows in by_file.values() for row in rows]


def constant_counts(paths: list[Path]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    for row in constant_rows(paths):
        name = Path(str(row["file"])).name
        status = row["status"]
        key = "killed" if status in {"killed", "timeout"} else "left"
        counts.setdefault(name, Counter())[key] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="e.g. mutants/clinic_desk/domain")
    parser.add_argument("--constants", type=Path, nargs="*", default=[])
    parser.add_argument("--survivors", action="store_true")
    parser.add_argument("--recheck", type=Path, help="run survivors again; verdicts here")
    parser.add_argument("--rechecked", type=Path, help="fold these verdicts in")
    parser.add_argument("--tests", type=Path, default=Path("tests/unit"))
    parser.add_argument("--only", nargs="*", default=[], help="file names to recheck")
    parser.add_argument(
        "--unchecked", action="store_true", help="with --recheck: mutants not yet run too"
    )
    parser.add_argument(
        "--fresh", action="store_true", help="with --recheck: import the package afresh per child"
    )
    args = parser.parse_args(argv)
    if args.recheck:
        recheck(args.folder, args.recheck, args.tests, args.only, unchecked=args.unchecked,
                fresh=args.fresh)
        return 0
    rechecked = json.loads(args.rechecked.read_text("utf-8")) if args.rechecked else {}
    functions = mutmut_counts(args.folder, rechecked)
    constants = constant_counts(args.constants)
    print("| file | functions killed/total | constants killed/total | all | % |")
    print("|---|---|---|---|---|")
    grand: Counter[str] = Counter()
    for name in sorted(set(functions) | set(constants)):
        f, c = functions.get(name, Counter()), constants.get(name, Counter())
        f_total, c_total = f["killed"] + f["left"], c["killed"] + c["left"]
        killed, total = f["killed"] + c["killed"], f_total + c_total
        grand.update({"killed": killed, "total": total, "unchecked": f["unchecked"]})
        unchecked = f" ({f['unchecked']} unchecked)" if f["unchecked"] else ""
        if total == 0:  # nothing measured yet: listed, so that no file goes unseen
            if f["unchecked"]:
                print(f"| {name} | 0/0{unchecked} | 0/0 | 0/0 | not measured |")
            continue
        print(f"| {name} | {f['killed']}/{f_total}{unchecked} | {c['killed']}/{c_total} | "
              f"{killed}/{total} | {100 * killed / total:.1f} |")  # fmt: skip
    if grand["total"]:
        share = 100 * grand["killed"] / grand["total"]
        print(f"| **all** | ({grand['unchecked']} unchecked) | | "
              f"{grand['killed']}/{grand['total']} | {share:.1f} |")  # fmt: skip
    if args.survivors:
        for line in mutmut_survivors(args.folder, rechecked):
            print(line)
        for row in constant_rows(args.constants):
            if row["status"] not in {"killed", "timeout"}:
                print(f"{row['file']}:{row['line']} {row['original']!r} -> "
                      f"{row['replacement']!r} ({row['status']})")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
