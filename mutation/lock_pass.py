"""Which mutants that survived the judges the wording lock would kill (the "with the lock" figure).

    python mutation/lock_pass.py [modules...]      # after mutation/run.py; the same module arguments
    python mutation/lock_pass.py --names .mutation-work/last-sample.txt   # one sample's survivors only

The judges of `make mutation` leave out tests/test_reasons_lock.py, a snapshot of every check's reason and evidence
on the fixtures (a snapshot kills any change, right or wrong). This pass runs that comparison once per surviving
mutant, in one process on the mutated copy (.mutation-work/mutants/: mutmut's trampolines pick the mutant named in
MUTANT_UNDER_TEST at each call), and prints each module's kill rate without and with it. Nothing is written to
mutmut's records: run.py's figures stay those of the judges.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import run  # noqa: E402  (mutation/run.py)

MUTANTS = run.WORK / "mutants"
PER_MUTANT_S = 60


class _Timeout(Exception):
    pass


def _alarm(*_):
    raise _Timeout()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("modules", nargs="*")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--names", type=Path, metavar="FILE", help="only the mutants named in FILE (see run.py --names)")
    args = ap.parse_args(argv)
    globs = [run.module_glob(m) for m in args.modules]
    by_module = run.results(globs, run.read_names(args.names))
    equivalent = run.equivalent_mutants()
    os.chdir(run.WORK)
    sys.path[:0] = [str(MUTANTS), str(run.WORK / "tests")]
    os.environ["MUTANT_UNDER_TEST"] = ""
    import checks                # the mutated copies, imported before the test puts the unmutated root on the path
    import scanner
    from scanner.engine import ScanContext
    assert all(Path(m.__file__).is_relative_to(MUTANTS) for m in (checks, scanner)), scanner.__file__
    import test_reasons_lock as lock_test
    ctx = ScanContext.default()
    lock = json.loads(lock_test.LOCK.read_text(encoding="utf-8"))
    assert all(lock_test.findings(c, ctx) == lock[c] for c in lock_test.CASES), "the lock fails on unmutated code"
    signal.signal(signal.SIGALRM, _alarm)
    rows = []
    print(f"\n{'module':<40}  survived  lock kills  left  kill rate without -> with the lock")
    for module, statuses in sorted(by_module.items()):
        c = Counter("equivalent" if n in equivalent and s == "survived" else s for n, s in statuses.items())
        survivors = sorted(n for n, s in statuses.items() if s == "survived" and n not in equivalent)
        killed_by_lock, left = [], []
        for name in survivors:
            os.environ["MUTANT_UNDER_TEST"] = name
            signal.alarm(PER_MUTANT_S)
            try:
                dead = any(lock_test.findings(case, ctx) != lock[case] for case in lock_test.CASES)
            except Exception:                      # noqa: BLE001  (a crash or a hang fails the lock test too)
                dead = True
            finally:
                signal.alarm(0)
                os.environ["MUTANT_UNDER_TEST"] = ""
            (killed_by_lock if dead else left).append(name)
        judged = c["killed"] + c["timeout"] + c["survived"]
        before = (c["killed"] + c["timeout"]) / judged if judged else None
        after = (c["killed"] + c["timeout"] + len(killed_by_lock)) / judged if judged else None
        rows.append({"module": module, "judged": judged, "survived": len(survivors),
                     "killed_by_lock": len(killed_by_lock), "left": left, "without": before, "with": after})
        fmt = (lambda r: "-" if r is None else f"{100 * r:.1f} %")
        print(f"{module:<40}  {len(survivors):>8}  {len(killed_by_lock):>10}  {len(left):>4}  "
              f"{fmt(before)} -> {fmt(after)}")
    for r in rows:
        for name in r["left"]:
            print("  left:", name)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
