"""Real running configurations from public sources, judged by hand before the scanner saw them (issue 9 must-have 1).

tests/fixtures/real/EXPECTED.yaml holds the expected item results and high-risk cases (written first, see git history);
DISAGREEMENTS.yaml lists where the scanner is still wrong, with the reason. Every other verdict must match, and every
listed disagreement must still occur exactly as listed, so the list can only shrink as the scanner is fixed. A config the
scanner refuses to assess is listed once with `item: ASSET` (expected `assessed`, scanner `error`); every verdict on it then
counts as a disagreement.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter

import pytest
import yaml

from scanner.engine import assess_config_file
from scanner.model import AssetStatus

from conftest import FIXTURES

REAL = FIXTURES / "real"
CONFIGS = sorted(REAL.glob("*/*.cfg"))
EXCLUDED_REPOS = ("mpenning/ciscoconfparse", "kido5217/faddr")   # kept for independent verification
CLASSES = {"unread line", "VRP8 state block", "loopback log host", "per-line Cisco auth", "IPv4-IPv6 toggles",
           "ntp-service server disable", "redundancy mode none", "open version range", "high-risk condition", "other"}


def _rel(path) -> str:
    return path.relative_to(REAL).as_posix()


def _load(name: str) -> dict:
    return yaml.safe_load((REAL / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def expected() -> dict:
    return _load("EXPECTED.yaml")["configs"]


@pytest.fixture(scope="module")
def disagreements() -> dict:
    out = {}
    for d in _load("DISAGREEMENTS.yaml")["disagreements"]:
        key = (d["config"], d.get("item") or "HR " + d["high_risk"])  # item ASSET: the whole config is refused
        assert key not in out, f"listed twice: {key}"
        out[key] = d
    return out


@pytest.fixture(scope="module")
def corpus_results(ctx, disagreements) -> dict:
    """Every real config assessed once: {relative path: (item results, raised high-risk ids, asset status)}."""
    out = {}
    for path in CONFIGS:
        asset = assess_config_file(path, ctx)
        if asset.status != AssetStatus.ASSESSED and (_rel(path), "ASSET") in disagreements:
            out[_rel(path)] = ({}, set(), asset.status.value)
            continue
        assert asset.status == AssetStatus.ASSESSED, (path.name, asset.reason)
        assert asset.platform == path.parent.name, (path.name, asset.platform)
        raised = {h.id for h in asset.high_risks if not getattr(h, "compensated", False)}
        out[_rel(path)] = ({c.id: c.result.value for c in asset.controls}, raised, asset.status.value)
    return out


def _source_rows() -> list[list[str]]:
    rows = []
    for line in (REAL / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            rows.append([c.strip().strip("`") for c in line.strip("|").split("|")])
    return rows


def test_sources_list_every_file_with_its_hash_and_no_excluded_source():
    rows = _source_rows()
    assert sorted(r[0] for r in rows) == sorted(_rel(p) for p in CONFIGS)
    for file, repo, path, commit, licence, device, sha in rows:
        assert repo and path and re.fullmatch(r"[0-9a-f]{12}", commit) and licence and device, file
        assert not any(x in repo for x in EXCLUDED_REPOS) and "github.io" not in repo, file
        assert not path.endswith("vrpcfg.cfg") and not file.endswith("vrpcfg.cfg"), file
        assert hashlib.sha256((REAL / file).read_bytes()).hexdigest()[:12] == sha, f"{file} changed since it was recorded"


def test_every_config_has_expectations_with_a_reason(expected):
    assert sorted(expected) == sorted(_rel(p) for p in CONFIGS)
    for name, e in expected.items():
        assert e["items"], name
        for item, v in e["items"].items():
            assert v["result"] in {"compliant", "partial", "noncompliant", "manual", "not_applicable"}, (name, item)
            assert v["reason"].strip(), (name, item)


def test_listed_disagreements_are_well_formed(disagreements, expected):
    for (name, key), d in disagreements.items():
        assert name in expected, name
        assert d["class"] in CLASSES and d["wrong"] in {"scanner", "expectation"} and d["why"].strip(), (name, key)
        if key.startswith("HR "):
            assert {d["expected"], d["scanner"]} == {"raised", "not raised"}, (name, key)
        elif key == "ASSET":
            assert (d["expected"], d["scanner"]) == ("assessed", "error"), (name, key)
        else:
            assert expected[name]["items"][key]["result"] == d["expected"], (name, key)


def _compare(expected, disagreements, corpus_results):
    """Rows of (config, key, expected, scanner, listed disagreement or None)."""
    rows = []
    for name, e in expected.items():
        got, raised, status = corpus_results[name]
        refused = disagreements.get((name, "ASSET"))
        if refused is not None:
            rows.append((name, "ASSET", "assessed", status, refused))
            if status != "assessed":   # every verdict on a refused config is part of the one listed disagreement
                rows += [(name, item, v["result"], status, refused) for item, v in e["items"].items()]
                rows += [(name, "HR " + h, "raised", status, refused) for h in e["high_risks"]]
                continue
        for item, v in e["items"].items():
            rows.append((name, item, v["result"], got.get(item), disagreements.get((name, item))))
        for hid in sorted(raised | set(e["high_risks"])):
            want = "raised" if hid in e["high_risks"] else "not raised"
            have = "raised" if hid in raised else "not raised"
            rows.append((name, "HR " + hid, want, have, disagreements.get((name, "HR " + hid))))
    return rows


def test_scanner_agrees_except_the_listed_disagreements(expected, disagreements, corpus_results):
    rows = _compare(expected, disagreements, corpus_results)
    new = [(n, k, want, got) for n, k, want, got, d in rows if got != want and d is None]
    gone = [(n, k, want, got, d["scanner"]) for n, k, want, got, d in rows if d is not None and got != d["scanner"]]
    listed = {(n, k) for n, k, *_ in rows}
    stale = [key for key in disagreements if key not in listed]
    assert not new, "new disagreements (config, item, expected, scanner): judge them and fix a side:\n" + \
        "\n".join(map(str, new))
    assert not gone, "listed disagreements no longer occur as listed (config, item, expected, scanner now, listed): " \
        "remove or update them in DISAGREEMENTS.yaml:\n" + "\n".join(map(str, gone))
    assert not stale, f"disagreements about verdicts nobody expects: {stale}"


def test_agreement_table_per_vendor(expected, disagreements, corpus_results, capsys):
    table = {}
    for name, key, want, got, _ in _compare(expected, disagreements, corpus_results):
        t = table.setdefault(name.split("/")[0], Counter())
        t["configs_" + name] = 1
        if key == "ASSET":
            continue
        if key.startswith("HR "):
            t["hr false alarms"] += want == "not raised" and got == "raised"
            t["hr missed"] += want == "raised" and got == "not raised"
            continue
        t["judged"] += 1
        t["agreed"] += got == want
        t["false passes"] += got == "compliant" and want != "compliant"
        t["false fails"] += want == "compliant" and got in ("partial", "noncompliant")
    cols = ("judged", "agreed", "false passes", "false fails", "hr false alarms", "hr missed")
    lines = [f"{'vendor':12} {'configs':>7} " + " ".join(f"{c:>15}" for c in cols)]
    total = Counter()
    for vendor, t in sorted(table.items()):
        n = sum(1 for k in t if k.startswith("configs_"))
        total["configs"] += n
        for c in cols:
            total[c] += t[c]
        lines.append(f"{vendor:12} {n:>7} " + " ".join(f"{t[c]:>15}" for c in cols))
    lines.append(f"{'all':12} {total['configs']:>7} " + " ".join(f"{total[c]:>15}" for c in cols)
                 + f"   agreement {total['agreed'] / total['judged']:.1%}")
    with capsys.disabled():
        print("\nreal corpus, scanner vs expectations\n" + "\n".join(lines))
    assert total["configs"] == len(CONFIGS)
    item_disagreements = sum(1 for (_, k) in disagreements if not k.startswith("HR ") and k != "ASSET")
    item_disagreements += sum(len(expected[n]["items"]) for (n, k) in disagreements if k == "ASSET")
    assert total["judged"] - total["agreed"] == item_disagreements
