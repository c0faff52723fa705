"""Which mutants that survived the judges the wording lock would kill (the "with the lock" figure).

    python mutation/lock_pass.py [modules...]      # after mutation/run.py; the same module arguments
    python mutation/lock_pass.py --names .mutation-work/last-sample.txt   # one sample's survivors only

The judges of `make mutation` leave out tests/test_reasons_lock.py, a snapshot of every check's reason and evidence
on the fixtures (a snapshot kills any change, right or wrong). This pass runs that comparison once per surviving
mutant, in one process on the mutated copy (.mutation-work/mutants/: mutmut's trampolines pick the mutant named in
MUTANT_UNDER_TEST at each call), and prints each module's kill rate without and with it. Nothing is written to
mutmut's records: run.py's figures stay those of the judges.

A lock kill is "wording only" when every check of every fixture keeps its status (only a reason or a cited line
changed): the report's wording has no source but the authors, so the snapshot is its judge. A lock kill that changes
a status is a verdict the judges missed: it stays a survivor in issue 15's figure (judges + wording-only kills).
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
        killed_by_lock, wording, left = [], [], []
        for name in survivors:
            os.environ["MUTANT_UNDER_TEST"] = name
            signal.alarm(PER_MUTANT_S)
            try:
                effect = lock_effect({case: lock_test.findings(case, ctx) for case in lock_test.CASES}, lock)
            except Exception:                      # noqa: BLE001  (a crash or a hang fails the lock test too)
                effect = "verdict"
            finally:
                signal.alarm(0)
                os.environ["MUTANT_UNDER_TEST"] = ""
            (left if effect is None else killed_by_lock).append(name)
            if effect == "wording":
                wording.append(name)
        judged = c["killed"] + c["timeout"] + c["survived"]
        before = (c["killed"] + c["timeout"]) / judged if judged else None
        after = (c["killed"] + c["timeout"] + len(killed_by_lock)) / judged if judged else None
        words = (c["killed"] + c["timeout"] + len(wording)) / judged if judged else None
        rows.append({"module": module, "judged": judged, "survived": len(survivors),
                     "killed_by_lock": len(killed_by_lock), "wording_only": wording, "left": left,
                     "without": before, "with": after, "with_wording_only": words})
        fmt = (lambda r: "-" if r is None else f"{100 * r:.1f} %")
        print(f"{module:<40}  {len(survivors):>8}  {len(killed_by_lock):>10}  {len(left):>4}  "
              f"{fmt(before)} -> {fmt(after)}  (wording only: {len(wording)}, {fmt(words)})")
    for r in rows:
        for name in r["left"]:
            print("  left:", name)
        for name in r["wording_only"]:
            print("  wording only:", name)
    total = {k: sum(len(r[k]) if isinstance(r[k], list) else r[k] for r in rows)
             for k in ("judged", "survived", "killed_by_lock", "wording_only")}
    if total["judged"]:
        killed = total["judged"] - total["survived"]
        print(f"\nall: judges {killed}/{total['judged']}; + wording-only lock kills "
              f"{killed + total['wording_only']}/{total['judged']}; + every lock kill "
              f"{killed + total['killed_by_lock']}/{total['judged']}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


def lock_effect(got: dict, lock: dict) -> str | None:
    """What a mutant changes in the lock: None (nothing), "wording" (only reasons or evidence: every check keeps its
    status and no check appears or disappears) or "verdict" (a status, the set of checks, or the asset's status).
    Only "wording" counts as killed for issue 15's figure: a verdict change the judges miss stays a survivor."""
    if got == lock:
        return None
    for case, want in lock.items():
        have = got[case]
        if have.keys() != want.keys() or any(have[k][0] != want[k][0] for k in want):
            return "verdict"
    return "wording"


if __name__ == "__main__":
    sys.exit(main())
