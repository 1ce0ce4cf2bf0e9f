"""One table of mutation scores per file: mutmut 3's mutants (function bodies) read from
its ``mutants/`` folder, plus the constant mutants of ``constant_mutants`` (module and
class level, decorated bodies) read from that tool's JSON.

    .venv/bin/python -m tests.helpers.mutation_scores mutants/clinic_desk/domain \
        --constants /tmp/constant-mutants.json --survivors

Killed counts killed, timeouts and mutants the import or type checks caught; "no tests"
and "survived" count against the score; a mutant not yet checked is listed apart.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

_KILLED = {1, 3, 36, 37, -24, 24, 152, 255, -11, -9}
_LEFT = {0, 5, 33}


def mutmut_counts(folder: Path) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    for meta in sorted(folder.glob("*.py.meta")):
        codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
        tally: Counter[str] = Counter()
        for code in codes.values():
            tally["killed" if code in _KILLED else "left" if code in _LEFT else "unchecked"] += 1
        counts[meta.name.removesuffix(".meta")] = tally
    return counts


def mutmut_survivors(folder: Path) -> list[str]:
    left: list[str] = []
    for meta in sorted(folder.glob("*.py.meta")):
        codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
        left.extend(f"{name} ({code})" for name, code in codes.items() if code in _LEFT)
    return left


def constant_counts(path: Path) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    for row in json.loads(path.read_text("utf-8")):
        name = Path(row["file"]).name
        status = row["status"]
        key = "killed" if status in {"killed", "timeout"} else "left"
        counts.setdefault(name, Counter())[key] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="e.g. mutants/clinic_desk/domain")
    parser.add_argument("--constants", type=Path)
    parser.add_argument("--survivors", action="store_true")
    args = parser.parse_args(argv)
    functions = mutmut_counts(args.folder)
    constants = constant_counts(args.constants) if args.constants else {}
    print("| file | functions killed/total | constants killed/total | all | % |")
    print("|---|---|---|---|---|")
    grand: Counter[str] = Counter()
    for name in sorted(set(functions) | set(constants)):
        f, c = functions.get(name, Counter()), constants.get(name, Counter())
        f_total, c_total = f["killed"] + f["left"], c["killed"] + c["left"]
        killed, total = f["killed"] + c["killed"], f_total + c_total
        grand.update({"killed": killed, "total": total, "unchecked": f["unchecked"]})
        if total == 0:
            continue
        unchecked = f" ({f['unchecked']} unchecked)" if f["unchecked"] else ""
        print(f"| {name} | {f['killed']}/{f_total}{unchecked} | {c['killed']}/{c_total} | "
              f"{killed}/{total} | {100 * killed / total:.1f} |")  # fmt: skip
    if grand["total"]:
        share = 100 * grand["killed"] / grand["total"]
        print(f"| **all** | | | {grand['killed']}/{grand['total']} | {share:.1f} |")
    if args.survivors:
        for line in mutmut_survivors(args.folder):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
