"""What every finding tells the reader (issue 15 must-have 3): the evidence it cites is the input's own line, and the
reason is written in the report's two languages.

- GB/T 28448-2019 asks the assessor to record the 测评证据 (the configuration actually found): a cited line must be
  the line of the input at that number, the same text (secrets masked), never a line number that points elsewhere.
- The report is bilingual (README: reason_zh for the Chinese report, reason_en for the English one): the Chinese
  reason is Chinese, the English one carries no Chinese words (a name of a thing the device holds, such as a user or
  an interface, is the device's own text and may be anything, so only the scanner's wording is judged here).
"""
from __future__ import annotations

import re

import pytest

from scanner.engine import assess_config_file
from scanner.live import scan_raw

from conftest import CONFIGS, FIXTURES

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")
MASK = "******"
CASES = sorted([*CONFIGS.glob("*/*.cfg"), *(FIXTURES / "real").glob("*/*.cfg")])
RAW = sorted(p for p in (FIXTURES / "linux").iterdir() if p.is_dir())


def _same_line(cited: str, line: str) -> bool:
    """The cited text is the input line, with each secret replaced by the mask."""
    if cited == line.rstrip():
        return True
    if MASK not in cited:
        return False
    pattern = r"\s*".join(re.escape(p.strip()) for p in cited.split(MASK))
    return re.fullmatch(r"\s*" + pattern.replace(r"\s*", r".+?", cited.count(MASK)) + r"\S*\s*", line) is not None \
        or all(part.strip() in line for part in cited.split(MASK))


@pytest.fixture
def assessed(ctx):
    """Each input assessed in the test that reads it, never cached across tests: mutmut runs, for a mutant, only the
    tests that called the mutated function themselves, so a finding cached by an earlier test would leave the later
    tests (both languages, evidence lines) judging nothing. (Not a global either: mutmut forks each mutant's run from
    a process that already imported this module.)"""
    cache: dict = {}

    def get(path):
        if path not in cache:
            cache[path] = scan_raw(path, ctx).assets[0] if path.is_dir() else assess_config_file(path, ctx)
        return cache[path]
    return get


@pytest.mark.parametrize("path", CASES, ids=[p.relative_to(FIXTURES).as_posix() for p in CASES])
def test_cited_lines_are_the_configs_own_lines(path, assessed):
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    asset = assessed(path)
    wrong = [(f.check, e.line, e.text) for f in asset.findings for e in f.evidence
             if e.source == "config" and e.line is not None
             and not (1 <= e.line <= len(lines) and _same_line(e.text, lines[e.line - 1]))]
    assert not wrong, f"cited lines that are not the config's own line at that number: {wrong[:5]}"


@pytest.mark.parametrize("path", CASES + RAW, ids=[p.relative_to(FIXTURES).as_posix() for p in CASES + RAW])
def test_reasons_are_written_in_both_languages(path, assessed):
    asset = assessed(path)
    cited = " ".join(e.text for f in asset.findings for e in f.evidence)
    bad = []
    for f in asset.findings:
        if not f.reason_zh or not CJK.search(f.reason_zh):
            bad.append((f.check, "zh", f.reason_zh))
        english = f.reason_en
        for word in set(re.findall(r"\S*" + CJK.pattern + r"+\S*", english)):
            if word.strip(",;:()") not in cited:      # a device's own Chinese name (a description) may appear
                bad.append((f.check, "en", english))
                break
        if not english:
            bad.append((f.check, "en", english))
    assert not bad, f"reasons not in their language: {bad[:5]}"


@pytest.mark.parametrize("path", CASES, ids=[p.relative_to(FIXTURES).as_posix() for p in CASES])
def test_each_advisory_named_is_cited_with_its_source(path, assessed):
    # 入侵防范 e): a release judged vulnerable (or possibly so) names the advisories, and the evidence gives each one
    # with where it was published, so the reader can check it against the vendor's bulletin
    f = next((f for f in assessed(path).findings if f.check == "firmware_known_vulnerabilities_fixed"), None)
    if f is None or not (f.status.value == "fail" or f.reason_en.startswith("possibly affected")):
        return                                  # no advisory named (none matched, or the release is unknown)
    ids = f.reason_en.split(": ", 1)[1].split(", ")
    notes = {e.text.split(" ", 1)[0]: e for e in f.evidence}
    for advisory in ids:
        assert advisory in notes and notes[advisory].source == "advisory", (advisory, f.evidence)
        assert advisory in f.reason_zh
        if f.status.value == "fail":
            assert "source: " in notes[advisory].text
