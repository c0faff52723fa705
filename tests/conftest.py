from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scanner.engine import ScanContext

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CONFIGS = FIXTURES / "configs"
CORPUS = FIXTURES / "corpus"
EXPECTED = ROOT / "tests" / "expected"
MLPS = [sys.executable, "-m", "scanner.cli"]


@pytest.fixture(scope="session")
def ctx() -> ScanContext:
    return ScanContext.default()


def run_mlps(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, COLUMNS="200")
    return subprocess.run([*MLPS, *args], capture_output=True, text=True, cwd=cwd or ROOT, env=env, timeout=120)
