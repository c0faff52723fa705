"""Keep the benchmark scripts working (tiny sizes; the figures themselves come from `make bench`)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT


def test_offline_benchmark_runs(tmp_path):
    r = subprocess.run([sys.executable, "bench/offline.py", "--configs", "20", "--floor-sample", "5", "--json",
                        str(tmp_path / "o.json")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert '"configs": 20' in (tmp_path / "o.json").read_text()


@pytest.mark.live
def test_live_benchmark_runs(tmp_path):
    """Scanner, tuned Nornir and the handshake floor against 6 simulated devices (defaults skipped: slow)."""
    r = subprocess.run([sys.executable, "bench/live.py", "--devices", "6", "--base-port", "27001", "--floor-workers", "6",
                        "--nornir-workers", "6", "--no-nornir-default", "--json", str(tmp_path / "l.json")],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    fig = json.loads((tmp_path / "l.json").read_text())
    assert fig["devices"] == 6 and fig["scanner_assessed"] == 6 and fig["scanner_s"] > 0
    assert fig["nornir_best_s"] > 0 and fig["floor_s"] > 0 and fig["scanner_rss_mb"] > 0
    assert "mlps-scanner" in r.stdout and "floor" in r.stdout


@pytest.mark.live
def test_linux_benchmark_and_summary_run(tmp_path):
    r = subprocess.run([sys.executable, "bench/linux.py", "--repeat", "1", "--no-lynis", "--json",
                        str(tmp_path / "linux.json")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert json.loads((tmp_path / "linux.json").read_text())["linux_scan_s"] > 0
    s = subprocess.run([sys.executable, "bench/summary.py", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert s.returncode == 0 and "Linux host over SSH" in s.stdout


def test_sizes_lists_largest_modules_and_longest_functions(tmp_path):
    r = subprocess.run([sys.executable, "bench/sizes.py", "--top", "3", "--json", str(tmp_path / "s.json")], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    fig = json.loads((tmp_path / "s.json").read_text())
    assert len(fig["modules"]) == 3 and len(fig["functions"]) == 3
    assert fig["modules"][0]["lines"] >= fig["modules"][2]["lines"] > 0
    assert all(f["where"].split(":")[0].endswith(".py") for f in fig["functions"])


def test_tree_memory_counts_a_forked_childs_own_pages_once(tmp_path):
    """bench/rss.py: a child that allocates 150 MB of its own is in the tree's peak (PSS) and in its own VmHWM, and
    the parent's high-water mark stays its own; wait4's ru_maxrss would give only the largest single process."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("bench_rss", ROOT / "bench" / "rss.py")
    rss = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rss)
    TreeMemory = rss.TreeMemory  # noqa: N806
    code = ("import os, time\nif os.fork() == 0:\n    b = bytearray(150 * 2**20)\n    time.sleep(2.5)\n    os._exit(0)\n"
            "os.wait()\n")
    p = subprocess.Popen([sys.executable, "-c", code])
    with TreeMemory(p.pid, interval=0.2) as m:
        p.wait(timeout=60)
    assert m.peak_pss_mb >= 150
    assert m.largest_mb >= 150 > m.root_mb > 0
    assert len(m.hwm) == 2
