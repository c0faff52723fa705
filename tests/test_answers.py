"""Every fixture config and Linux capture judged against its hand-written answer file (issue 15 must-have 1).

The answers in tests/expected/answers/ were written from the fixture, ANSWERS.md, MLPS-L3.md and the vendor documents
(docs/vendor-defaults.md), never by regenerating the scanner's output (README.md there says how). Each check and each
item carries its expected status and a one-line reason; any difference from the scanner fails, and changing an answer
is a deliberate edit whose reason goes in the commit message.
"""
from __future__ import annotations

import pytest
import yaml

from scanner.engine import assess_config_file
from scanner.model import AssetStatus
from scanner.live import scan_raw

from conftest import CONFIGS, EXPECTED, FIXTURES

ANSWERS = EXPECTED / "answers"
COMMON = yaml.safe_load((ANSWERS / "_common.yaml").read_text(encoding="utf-8"))
CONFIG_CASES = sorted(CONFIGS.glob("*/*.cfg"))
LINUX_CASES = sorted(p for p in (FIXTURES / "linux").iterdir() if p.is_dir())


def _answer(name: str) -> dict:
    return yaml.safe_load((ANSWERS / f"{name}.yaml").read_text(encoding="utf-8"))


def _expected_items(answer: dict, kind: str) -> dict[str, str]:
    items = {k: v[0] for k, v in answer["items"].items()}
    for status in ("manual", "not_applicable"):
        for item in COMMON[kind][status]["items"]:
            assert item not in items, f"{item} is both common and device-specific"
            items[item] = status
    return items


def _differences(asset, answer: dict, kind: str) -> list[str]:
    out = []
    got_checks = {f.check: f.status.value for f in asset.findings}
    want_checks = {k: v[0] for k, v in answer["checks"].items()}
    for check in sorted(set(got_checks) | set(want_checks)):
        if got_checks.get(check) != want_checks.get(check):
            why = answer["checks"].get(check, [None, "not in the answer"])[1]
            out.append(f"check {check}: answer {want_checks.get(check)}, scanner {got_checks.get(check)} ({why})")
    got_items = {c.id: c.result.value for c in asset.controls}
    want_items = _expected_items(answer, kind)
    for item in sorted(set(got_items) | set(want_items)):
        if got_items.get(item) != want_items.get(item):
            out.append(f"item {item}: answer {want_items.get(item)}, scanner {got_items.get(item)}")
    got_hr, want_hr = sorted({h.id for h in asset.high_risks}), sorted(answer["high_risks"] or {})
    if got_hr != want_hr:
        out.append(f"high risks: answer {want_hr}, scanner {got_hr}")
    return out


def test_every_fixture_has_an_answer_file():
    names = {p.stem for p in CONFIG_CASES} | {p.name for p in LINUX_CASES}
    answered = {p.stem for p in ANSWERS.glob("*.yaml") if not p.stem.startswith("_")}
    assert names == answered


@pytest.mark.parametrize("path", CONFIG_CASES, ids=[p.stem for p in CONFIG_CASES])
def test_config_verdicts_match_the_answer_file(path, ctx):
    answer = _answer(path.stem)
    asset = assess_config_file(path, ctx)
    assert asset.status == AssetStatus.ASSESSED, asset.reason
    assert asset.platform == answer["platform"] == path.parent.name
    diffs = _differences(asset, answer, "network_device")
    assert not diffs, "scanner and answer file differ:\n" + "\n".join(diffs)


@pytest.mark.parametrize("path", LINUX_CASES, ids=[p.name for p in LINUX_CASES])
def test_linux_verdicts_match_the_answer_file(path, ctx):
    answer = _answer(path.name)
    asset = scan_raw(path, ctx).assets[0]
    assert asset.status == AssetStatus.ASSESSED and asset.kind == "server", asset.reason
    diffs = _differences(asset, answer, "server")
    assert not diffs, "scanner and answer file differ:\n" + "\n".join(diffs)


def test_every_answer_gives_a_reason():
    for path in ANSWERS.glob("[!_]*.yaml"):
        answer = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section in ("checks", "items"):
            for key, value in answer[section].items():
                assert isinstance(value, list) and len(value) == 2 and value[1].strip(), (path.name, key)
        for key, why in (answer["high_risks"] or {}).items():
            assert why.strip(), (path.name, key)
