"""Keep the benchmark scripts working (tiny sizes; the figures themselves come from `make bench`)."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_offline_benchmark_runs(tmp_path):
    r = subprocess.run([sys.executable, "bench/offline.py", "--configs", "20", "--floor-sample", "5", "--json",
                        str(tmp_path / "o.json")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert '"configs": 20' in (tmp_path / "o.json").read_text()


def test_lab_benchmark_runs(tmp_path):
    r = subprocess.run([sys.executable, "bench/lab_scan.py", "--devices", "4", "--base-port", "44601", "--json",
                        str(tmp_path / "l.json")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert '"assessed": 4' in (tmp_path / "l.json").read_text()
