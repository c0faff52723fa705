"""A lock for restructuring (issue 10): every verdict the scanner gives today on the fixtures and the demo lab's
captures, compared against tests/expected/refactor_lock.json.

This file is NOT an expectation of what is right (those are the hand-written answer files of test_answers.py,
tests/expected/answers/): it pins behaviour so that moving code around cannot change a verdict by accident. A change that is
meant to change verdicts updates the lock deliberately, with the reason in its commit:

    .venv/bin/python tests/test_refactor_lock.py --update
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LOCK = ROOT / "tests" / "expected" / "refactor_lock.json"
FIX = ROOT / "tests" / "fixtures"
CONFIG_SETS = {"configs": sorted((FIX / "configs").glob("*/*.cfg")),
               "corpus": sorted(p for p in (FIX / "corpus").glob("*/*.txt")),
               "secrets": sorted((FIX / "secrets").glob("*/*.cfg"))}
RAW_SETS = {"linux": FIX / "linux", "secrets_linux": FIX / "secrets" / "linux", "lab": ROOT / "scanner" / "lab" / "data" / "raw"}


def _verdicts(result) -> dict:
    out = {}
    for a in result.assets:
        out[a.name] = {"status": a.status.value, "reason_code": a.reason_code, "platform": a.platform,
                       "checks": {f.check: f.status.value for f in a.findings},
                       "items": {c.id: c.result.value for c in a.controls},
                       "high_risks": sorted({h.id for h in a.high_risks})}
    s = result.score
    return {"assets": out, "items": {i.id: i.result.value for i in result.items},
            "score": None if s is None else [s.overall, s.conclusion, s.items_scored, s.unresolved_high_risks]}


def current() -> dict:
    from scanner.engine import ScanContext, scan_configs
    from scanner.live import scan_raw
    ctx = ScanContext.default()
    got = {name: _verdicts(scan_configs(paths, ctx, None)) for name, paths in CONFIG_SETS.items()}
    got.update({name: _verdicts(scan_raw(root, ctx)) for name, root in RAW_SETS.items()})
    return json.loads(json.dumps(got))          # the same types as the stored lock


def test_verdicts_are_unchanged_by_restructuring():
    want = json.loads(LOCK.read_text(encoding="utf-8"))
    got = current()
    diffs = []
    for group in sorted(set(want) | set(got)):
        w, g = want.get(group, {}), got.get(group, {})
        for key in ("items", "score"):
            if w.get(key) != g.get(key):
                diffs.append(f"{group}: {key} differ")
        for name in sorted(set(w.get("assets", {})) | set(g.get("assets", {}))):
            wa, ga = w.get("assets", {}).get(name), g.get("assets", {}).get(name)
            if wa != ga:
                detail = {k: (wa or {}).get(k) for k in ("status", "reason_code") if (wa or {}).get(k) != (ga or {}).get(k)}
                for k in ("checks", "items"):
                    a, b = (wa or {}).get(k, {}), (ga or {}).get(k, {})
                    detail.update({f"{k}:{x}": (a.get(x), b.get(x)) for x in sorted(set(a) | set(b)) if a.get(x) != b.get(x)})
                diffs.append(f"{group}/{name}: {dict(list(detail.items())[:8])}")
    assert not diffs, "verdicts changed (locked, now):\n" + "\n".join(diffs[:40])


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: tests/test_refactor_lock.py --update   (rewrites the lock from the current code)")
    LOCK.write_text(json.dumps(current(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {LOCK}")
