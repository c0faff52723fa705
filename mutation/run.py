"""`make mutation`: mutmut over the verdict logic, judged by the fast offline tests; prints the kill rate per module
and lists the survivors.

    python mutation/run.py                                   # every module in [tool.mutmut] only_mutate
    python mutation/run.py scanner/rollup.py scanner/scoring.py --jobs 2 --diff
    python mutation/run.py scanner/rollup.py --survivors    # after adding tests: run only the last survivors again
    python mutation/run.py checks/network/audit.py --sample 40   # a random sample (seed 7), stratified by function
    python mutation/run.py --report-only --names .mutation-work/last-sample.txt   # the figures of that sample only
    python mutation/run.py --sample 10 --seed 12 --exclude seen.txt   # a fresh sample that avoids mutants seen before

A mutant is killed when a test fails (or it hangs past mutmut's timeout); it survives when every test that runs
the mutated function still passes. Mutants listed in mutation/equivalent.txt (name and why) cannot change any
behaviour: they are shown apart and left out of the rate. The set of tests, the modules and the exclusions live in
pyproject.toml [tool.mutmut]. A benchmark: never part of `make test`.

mutmut leaves decorated functions alone, and every check's logic is a function decorated with `@check(...)`. So
mutmut runs on a copy of the repository in .mutation-work/ where each `@check(...)`/`@fleet_check(...)` decorator is
applied by assignment after its function instead (`_x = check(...)(_x)`: the same object under the same name); the
results stay in .mutation-work/mutants/ (delete the folder to start afresh).
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation-work"
UNWRAP = ("check", "fleet_check")
MUTMUT = [sys.executable, "-m", "mutmut"]
KILLED = {1: "killed", 3: "killed", 37: "killed", 36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout",
          255: "timeout", 0: "survived", 5: "no tests", 33: "no tests", None: "not checked"}
# mangled names: scanner.rollup.x_combine__mutmut_3, scanner.platforms.linux.xǁLinuxHostǁparse__mutmut_1
NAME_RE = re.compile(r"^(?P<module>.+?)\.x(?:_|ǁ)(?P<function>.+)__mutmut_\d+$")


def module_glob(path: str) -> str:
    """scanner/rollup.py -> scanner.rollup.*  (a folder or a shell glob works too: checks/network/*.py)."""
    p = path.removesuffix(".py").rstrip("/").replace("/", ".")
    return p if p.endswith("*") else p + ".*"


def unwrap_decorators(source: str) -> str:
    """`@check(...)` above `def _x` becomes `_x = check(...)(_x)` below it, so that mutmut mutates `_x`."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    for node in sorted((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.decorator_list),
                       key=lambda n: n.lineno, reverse=True):
        decs = node.decorator_list
        if not all(isinstance(d, ast.Call) and isinstance(d.func, ast.Name) and d.func.id in UNWRAP for d in decs):
            continue
        applied = node.name
        for d in reversed(decs):
            applied = f"{ast.get_source_segment(source, d)}({applied})"
        lines.insert(node.end_lineno, f"{node.name} = {applied}\n")
        del lines[decs[0].lineno - 1:node.lineno - 1]
    return "".join(lines)


def prepare_work() -> None:
    """Copy the repository's files into WORK (only those that changed, so mutmut keeps its earlier results), with the
    check decorators unwrapped."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    for rel in listed:
        src = ROOT / rel
        if not src.is_file():
            continue
        data = src.read_bytes()
        if rel.startswith("checks/") and rel.endswith(".py"):
            data = unwrap_decorators(data.decode("utf-8")).encode("utf-8")
        dst = WORK / rel
        if not dst.exists() or dst.read_bytes() != data:
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(data)


GENERATE = """
import os, mutmut.__main__ as m
m.set_mutant_under_test("mutant_generation")
os.makedirs("mutants", exist_ok=True)
m.copy_src_dir(); m.copy_also_copy_files(); m.setup_source_paths(); m.store_lines_covered_by_tests()
print(m.create_mutants(1))
"""


def generate_mutants() -> None:
    """mutmut's own first step (its "Generating mutants"), alone: the mutant names are known before any test runs,
    so that a sample can be drawn from them."""
    subprocess.run([sys.executable, "-c", GENERATE], cwd=WORK, check=True)


def sample(statuses: dict[str, str], n: int, seed: int) -> list[str]:
    """n mutant names of one module, drawn at random (fixed seed) and stratified by function: each function gets
    its share of n in proportion to its number of mutants (largest remainders), so the sampled rate estimates the
    module's rate without over-weighting small functions."""
    import random
    by_function: dict[str, list[str]] = defaultdict(list)
    for name in sorted(statuses):
        by_function[NAME_RE.match(name)["function"]].append(name)
    total = len(statuses)
    n = min(n, total)
    quota = {f: n * len(ns) / total for f, ns in by_function.items()}
    share = {f: int(q) for f, q in quota.items()}
    for f in sorted(quota, key=lambda f: (share[f] - quota[f], f))[:n - sum(share.values())]:
        share[f] += 1
    rng = random.Random(seed)
    return sorted(name for f, ns in sorted(by_function.items()) for name in rng.sample(ns, share[f]))


def draw(by_module: dict[str, dict[str, str]], n: int, seed: int, seen: frozenset[str] | set[str] = frozenset()
         ) -> list[str]:
    """Each module's sample (above) among its mutants not in `seen`, keeping those not run yet."""
    return [name for st in by_module.values()
            for name in sample({k: v for k, v in st.items() if k not in seen}, n, seed) if st[name] == "not checked"]


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion k/n (sound for small n and rates near 1)."""
    if not n:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def equivalent_mutants() -> dict[str, str]:
    out = {}
    f = ROOT / "mutation" / "equivalent.txt"
    for line in f.read_text(encoding="utf-8").splitlines() if f.exists() else []:
        if line.strip() and not line.startswith("#"):
            name, _, why = line.partition(" ")
            out[name] = why.strip()
    return out


LAST_SAMPLE = WORK / "last-sample.txt"


def results(globs: list[str], names: set[str] | None = None) -> dict[str, dict[str, str]]:
    """module -> {mutant name: status} from mutmut's per-file .meta records (only `names`, when given: one sample's
    figures apart from the mutants earlier runs judged)."""
    import fnmatch
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for meta in sorted((WORK / "mutants").rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        for name, code in codes.items():
            m = NAME_RE.match(name)
            if m and (not globs or any(fnmatch.fnmatch(name, g) for g in globs)) and (names is None or name in names):
                out[m["module"]][name] = KILLED.get(code, "suspicious")
    return out


def read_names(path: Path | None) -> set[str] | None:
    return set(path.read_text(encoding="utf-8").split()) if path else None


def report(by_module: dict[str, dict[str, str]], equivalent: dict[str, str], diff: bool, sample: bool = False) -> dict:
    rows, survivors = [], []
    width = max([len(m) for m in by_module] + [6])
    print(f"\n{'module':<{width}}  mutants  killed  timeout  survived  equiv.  unchecked  kill rate")
    total = Counter()
    for module, statuses in sorted(by_module.items()):
        c = Counter("equivalent" if n in equivalent and s == "survived" else s for n, s in statuses.items())
        judged = c["killed"] + c["timeout"] + c["survived"]
        rate = (c["killed"] + c["timeout"]) / judged if judged else None
        total.update(c)
        sampled = (sample or c["not checked"] > 0) and judged > 0
        low, high = wilson(c["killed"] + c["timeout"], judged) if sampled else (rate, rate)
        rows.append({"module": module, "mutants": len(statuses), **c, "kill_rate": rate, "sampled": sampled,
                     "ci95": [low, high] if sampled else None})
        print(f"{module:<{width}}  {len(statuses):>7}  {c['killed']:>6}  {c['timeout']:>7}  {c['survived']:>8}  "
              f"{c['equivalent']:>6}  {c['not checked'] + c['no tests']:>9}  "
              + (f"{100 * rate:8.1f} %" if rate is not None else "       -")
              + (f"  sampled, 95 % CI {100 * low:.1f}-{100 * high:.1f} %" if sampled else ""))
        survivors += sorted(n for n, s in statuses.items() if s == "survived" and n not in equivalent)
    judged = total["killed"] + total["timeout"] + total["survived"]
    overall = (total["killed"] + total["timeout"]) / judged if judged else None
    print(f"{'all':<{width}}  {sum(total.values()):>7}  {total['killed']:>6}  {total['timeout']:>7}  "
          f"{total['survived']:>8}  {total['equivalent']:>6}  {total['not checked'] + total['no tests']:>9}  "
          + (f"{100 * overall:8.1f} %" if overall is not None else "       -"))
    print(f"\nsurvivors ({len(survivors)}):" if survivors else "\nno survivors")
    for name in survivors:
        print(" ", name)
        if diff:
            shown = subprocess.run([*MUTMUT, "show", name], cwd=WORK, capture_output=True, text=True).stdout
            print("    " + "\n    ".join(shown.strip().splitlines()))
    eq = sorted(n for s in by_module.values() for n in s if n in equivalent)
    if eq:
        print(f"\nequivalent ({len(eq)}, mutation/equivalent.txt):")
        for name in eq:
            print(f"  {name}: {equivalent[name]}")
    return {"modules": rows, "kill_rate": overall, "survivors": survivors, "equivalent": eq}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("modules", nargs="*", help="source files or globs to mutate (default: all of only_mutate)")
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("MUTATION_JOBS", "1")),
                    help="mutants tested at once (default 1: the machine is shared)")
    ap.add_argument("--diff", action="store_true", help="show each survivor's change")
    ap.add_argument("--report-only", action="store_true", help="print the last results without running")
    ap.add_argument("--survivors", action="store_true",
                    help="run again only the mutants that survived last time (after adding tests)")
    ap.add_argument("--sample", type=int, metavar="N",
                    help="run only N mutants of each module, drawn at random and stratified by function (the rate "
                         "is then labelled sampled, with its 95 %% Wilson interval)")
    ap.add_argument("--seed", type=int, default=7, help="the sample's seed (default 7)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--names", type=Path, metavar="FILE",
                    help="report only the mutants named in FILE (one a line; a sampled run writes its own names to "
                         ".mutation-work/last-sample.txt): one sample's figures apart from earlier runs'")
    ap.add_argument("--exclude", type=Path, metavar="FILE",
                    help="with --sample: never draw the mutants named in FILE (e.g. the ones tests were just written "
                         "for, so that the new sample is independent of them)")
    args = ap.parse_args(argv)
    globs = [module_glob(m) for m in args.modules]
    if not args.report_only:
        env = dict(os.environ, HYPOTHESIS_PROFILE="ci")    # the same examples for every mutant
        names = globs
        prepare_work()
        if args.sample and not results(globs):
            generate_mutants()
        if args.survivors:
            names = sorted(n for st in results(globs, read_names(args.names)).values() for n, s in st.items()
                           if s == "survived")
            if not names:
                print("no survivors to run again")
        elif args.sample:
            names = draw(results(globs), args.sample, args.seed, read_names(args.exclude) or set())
            print(f"sampled {len(names)} mutants not run yet (seed {args.seed})")
            LAST_SAMPLE.write_text("\n".join(names) + "\n", encoding="utf-8")
        run = subprocess.run([*MUTMUT, "run", "--max-children", str(args.jobs), *names], cwd=WORK, env=env) \
            if names else subprocess.CompletedProcess([], 0)
        if run.returncode not in (0, 1):
            print(f"mutmut run failed (exit {run.returncode})", file=sys.stderr)
            return 2
    figures = report(results(globs, read_names(args.names)), equivalent_mutants(), args.diff, bool(args.names))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
