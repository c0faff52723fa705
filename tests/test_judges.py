"""The offline selection (`make test-fast`, and the judges `make mutation` runs against each mutant) holds the verdict
tests (issue 15 must-haves 3 and 5).

A test is marked `live` when it asks for a fixture named like one that starts a server (conftest.LIVE_FIXTURES). A
verdict test whose own fixture shares such a name is then silently left out of `-m "not live"`: the real-corpus
comparison was (its fixture was called `scanned`, like the live Linux-hosts one), so no mutant was ever judged by it.
"""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

# The tests that compare verdicts with hand-written expectations: each must run without the live servers.
VERDICT_TESTS = (
    "tests/test_real_corpus.py::test_scanner_agrees_except_the_listed_disagreements",
    "tests/test_real_corpus.py::test_agreement_table_per_vendor",
    "tests/test_answers.py::test_config_verdicts_match_the_answer_file",
    "tests/test_answers.py::test_linux_verdicts_match_the_answer_file",
)


def test_verdict_tests_are_in_the_offline_selection():
    files = sorted({t.split("::")[0] for t in VERDICT_TESTS})
    r = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-p", "no:cacheprovider",
                        "-m", "not live", *files], cwd=ROOT, capture_output=True, text=True, timeout=120)
    collected = {line.split("[")[0] for line in r.stdout.splitlines() if "::" in line}
    missing = [t for t in VERDICT_TESTS if t not in collected]
    assert not missing, f"left out of `-m 'not live'` (a fixture named like a live one?): {missing}"
