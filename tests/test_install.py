"""The same verdicts however the scanner is installed: a wheel built from this tree, installed in a fresh venv, scans
the fixture configs to the verdicts the source tree gives; its data files (catalogue, equipment, fix commands,
scoring, the demo lab) are in the wheel; a data file missing from an installation stops the scan with exit 2."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, run_mlps

CONFIGS = FIXTURES / "configs"


def _run(cmd: list[str], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run(cmd, cwd=cwd, env=env | {"COLUMNS": "200"}, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv holding only the wheel of this tree; its dependencies come from the test venv's site-packages
    by a .pth line (the test venv's own editable hook is not processed there, so `scanner` can only come from the
    wheel). Returns the venv."""
    tmp = tmp_path_factory.mktemp("wheel")
    build = tmp / "build"
    shutil.copytree(ROOT, build, ignore=shutil.ignore_patterns(".venv", ".git", "*.egg-info", "build", "dist",
                                                               "__pycache__", "mlps-out", "demo-out", "bench-out"))
    r = _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(tmp / "dist"),
              str(build)], cwd=tmp)
    assert r.returncode == 0, r.stderr
    wheel = next((tmp / "dist").glob("mlps_scanner-*.whl"))
    venv = tmp / "venv"
    assert _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp).returncode == 0
    site = Path(sysconfig.get_paths(vars={"base": str(venv), "platbase": str(venv)})["purelib"])
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    r = _run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q", "--no-deps",
              str(wheel)], cwd=tmp)
    assert r.returncode == 0, r.stderr
    where = _run([str(venv / "bin" / "python"), "-c", "import scanner, checks; print(scanner.__file__); "
                  "print(checks.__file__)"], cwd=tmp).stdout.split()
    assert len(where) == 2 and all(w.startswith(str(site)) for w in where), where
    return venv


def _verdicts(scan_json: Path) -> dict:
    d = json.loads(scan_json.read_text(encoding="utf-8"))
    return {
        "assets": {a["name"]: {"status": a["status"], "controls": {c["id"]: c["result"] for c in a["controls"]},
                               "findings": {f["check"]: f["status"] for f in a["findings"]},
                               "high_risks": sorted(h["id"] for h in a["high_risks"])} for a in d["assets"]},
        "items": {i["id"]: i["result"] for i in d["items"]},
        "score": d["score"],
        "ruleset": d["meta"]["ruleset_sha256"],
    }


def test_wheel_scans_to_the_source_trees_verdicts(installed, tmp_path):
    src = run_mlps("scan", "--configs", str(CONFIGS), "-o", str(tmp_path / "src"), "-q")
    assert src.returncode == 0, src.stderr
    whl = _run([str(installed / "bin" / "mlps"), "scan", "--configs", str(CONFIGS), "-o", str(tmp_path / "whl"),
                "-q"], cwd=tmp_path)
    assert whl.returncode == 0, whl.stderr
    a, b = _verdicts(tmp_path / "src" / "scan.json"), _verdicts(tmp_path / "whl" / "scan.json")
    assert len(a["assets"]) >= 10
    # lifecycle and advisory checks read the equipment data: a wheel without it changed these verdicts before
    assert any(f.get("firmware_known_vulnerabilities_fixed") == "fail" or f.get("hardware_vendor_supported") == "fail" for f in (x["findings"] for x in a["assets"].values()))
    assert b == a


def test_wheel_holds_every_data_file(installed):
    wheel = next(installed.parent.glob("dist/mlps_scanner-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    data = ("checks/catalog", "checks/remediation", "scanner/lab/data", "reports/data", "reports/templates")
    expected = [p.relative_to(ROOT).as_posix() for d in data
                for p in (ROOT / d).rglob("*") if p.is_file() and p.name != "SOURCES.md"]
    assert len(expected) > 40
    assert [e for e in expected if e not in names] == []


def test_wheel_demo_lab_data_is_packaged(installed, tmp_path):
    r = _run([str(installed / "bin" / "python"), "-c", "from scanner import lab; import yaml; "
              "spec = yaml.safe_load(lab.DEFAULT_SPEC.read_text()); "
              "print(sum((lab.DEFAULT_SPEC.parent / d['data'] / 'device.yaml').is_file() for d in spec['devices']), "
              "len(spec['devices']), lab.DEFAULT_INVENTORY.is_file())"], cwd=tmp_path)
    found, total, inventory = r.stdout.split()
    assert int(total) >= 10 and found == total and inventory == "True", r.stderr


@pytest.mark.parametrize("missing", ["checks/catalog/equipment/huawei_vrp.yaml", "checks/catalog/scoring.yaml",
                                     "checks/remediation/linux.yaml", "checks/catalog/applicability.yaml"])
def test_a_missing_data_file_stops_the_scan(installed, tmp_path, missing):
    """Deleting a data file from an installation must not give a quieter scan: exit 2 naming the file."""
    copy = tmp_path / "venv"
    shutil.copytree(installed, copy, symlinks=True)
    site = Path(sysconfig.get_paths(vars={"base": str(copy), "platbase": str(copy)})["purelib"])
    (site / missing).unlink()
    r = _run([str(copy / "bin" / "python"), "-m", "scanner.cli", "scan", "--configs", str(CONFIGS), "-o",
              str(tmp_path / "out")], cwd=tmp_path)
    assert r.returncode == 2, (r.returncode, r.stdout[-400:], r.stderr[-400:])
    assert missing in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "out" / "scan.json").exists()


@pytest.mark.live          # builds the bundle from the package index (or pip's cache): not for the offline target
def test_the_offline_bundle_installs_with_no_index(tmp_path):
    """`make bundle` (what `make wheelhouse` runs) packs the tool and every dependency; the README's two commands
    install it in a fresh venv with --no-index, and the installed tool scans and writes every report format."""
    wh = tmp_path / "wheelhouse"
    r = _run(["make", "-s", "bundle", f"BIN={Path(sys.executable).parent}", f"WHEELHOUSE={wh}"], cwd=ROOT, timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr
    tarball = wh.with_suffix(".tar.gz")
    assert tarball.is_file() and any(wh.glob("mlps_scanner-*.whl"))
    target = tmp_path / "target"                 # the machine with no internet: only the tarball is carried over
    target.mkdir()
    assert _run(["tar", "xzf", str(tarball)], cwd=target).returncode == 0
    assert _run([sys.executable, "-m", "venv", str(target / "mlps")], cwd=target).returncode == 0
    pip = [str(target / "mlps/bin/pip"), "install", "-q", "--no-index", "--find-links", "wheelhouse", "mlps-scanner"]
    r = _run(pip, cwd=target, timeout=600)
    assert r.returncode == 0, r.stderr
    mlps = str(target / "mlps/bin/mlps")
    assert _run([mlps, "--version"], cwd=target).stdout.startswith("mlps-scanner ")
    r = _run([mlps, "scan", "--configs", str(CONFIGS), "-o", str(target / "out"), "-q",
              "--format", "json,html,pdf,xlsx,junit,sarif,codequality"], cwd=target, timeout=600)
    assert r.returncode == 0, r.stderr
    assert len(list((target / "out").iterdir())) == 7
