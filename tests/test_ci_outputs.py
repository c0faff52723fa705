"""What CI systems take from a scan (issue 14 must-haves 2, 3): SARIF that passes GitHub's ingestion rules as
Microsoft's SARIF multitool checks them, GitLab Code Quality, JUnit with time and file, distinct exit codes, progress
lines off a terminal, formats whose native needs are missing named before the scan, --version and completion."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import CONFIGS, MLPS, ROOT, run_mlps

LAB_RAW = ROOT / "scanner/lab/data/raw"
DEFAULT_MULTITOOL = ROOT / ".tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"


def multitool() -> str:
    tool = os.environ.get("MLPS_SARIF_MULTITOOL") or str(DEFAULT_MULTITOOL)
    if not Path(tool).is_file():
        pytest.fail(f"SARIF multitool not found at {tool}: `make deps` installs it from the npm registry")
    return tool


def _scan(out: Path, *args: str) -> subprocess.CompletedProcess:
    r = run_mlps("scan", *args, "-o", str(out), "-q", "--format", "json,sarif,codequality,junit")
    assert r.returncode == 0, r.stderr
    return r


@pytest.fixture(scope="module")
def from_configs(tmp_path_factory) -> Path:
    """Saved configs scanned from the repository root, as a pipeline over a folder of backups runs it."""
    out = tmp_path_factory.mktemp("ci-configs")
    _scan(out, "--configs", str(CONFIGS.relative_to(ROOT)))
    return out


@pytest.fixture(scope="module")
def from_live(tmp_path_factory) -> Path:
    """The lab's live captures: devices with no file in the repository."""
    out = tmp_path_factory.mktemp("ci-live")
    _scan(out, "--raw", str(LAB_RAW))
    return out


@pytest.mark.parametrize("which", ["from_configs", "from_live"])
@pytest.mark.parametrize("kinds, levels", [("Gh;Ghas", "Error;Warning"), ("Sarif", "Error")])
def test_sarif_passes_githubs_ingestion_rules(which, kinds, levels, request, tmp_path):
    """GitHub's rules (Gh: code scanning, Ghas: Advanced Security) with their warnings; the SARIF schema's own rules
    at error level (their warnings are advice such as a tool homepage URI, which this project does not have)."""
    sarif = request.getfixturevalue(which) / "results.sarif"
    log = tmp_path / "validation.sarif"
    r = subprocess.run([multitool(), "validate", "--rule-kind", kinds, "--level", levels,
                        "--log", "ForceOverwrite", "-o", str(log), str(sarif)],
                       capture_output=True, text=True, timeout=300, env=dict(os.environ, DOTNET_CLI_TELEMETRY_OPTOUT="1"))
    assert r.returncode == 0 and "Analysis completed successfully" in r.stdout, r.stdout + r.stderr
    run = json.loads(log.read_text(encoding="utf-8-sig"))["runs"][0]
    assert run.get("results", []) == [], r.stdout[-3000:]


def test_sarif_rules_carry_help_severity_and_tags(from_configs):
    run = json.loads((from_configs / "results.sarif").read_text(encoding="utf-8"))["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules and {r["ruleId"] for r in run["results"]} == set(rules)
    for rule in rules.values():
        assert rule["help"]["text"] and rule["help"]["markdown"]
        sev = float(rule["properties"]["security-severity"])
        assert 0.0 < sev <= 10.0 and "security" in rule["properties"]["tags"]
    # the rule of a check that raised a T/ISEAA high risk on some asset scores as critical on GitHub (>= 9.0)
    scan = json.loads((from_configs / "scan.json").read_text(encoding="utf-8"))
    raised = {h["check"] for a in scan["assets"] for h in a["high_risks"]}
    assert raised and all(float(rules[c]["properties"]["security-severity"]) >= 9.0 for c in raised)
    assert all(float(r["properties"]["security-severity"]) < 9.0 for c, r in rules.items() if c not in raised)
    telnet = rules["remote_mgmt_telnet_disabled"]
    assert all(c in telnet["help"]["markdown"] for c in telnet["properties"]["controls"])


def test_sarif_config_results_are_repository_relative(from_configs):
    run = json.loads((from_configs / "results.sarif").read_text(encoding="utf-8"))["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.as_uri() + "/"
    telnet = next(r for r in run["results"] if r["ruleId"] == "remote_mgmt_telnet_disabled"
                  and r["properties"]["asset"] == "weak_s5700_v200r005")
    loc = telnet["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "tests/fixtures/configs/huawei_vrp/weak_s5700_v200r005.cfg",
                                       "uriBaseId": "%SRCROOT%"}
    assert loc["region"]["startLine"] == 13
    assert (ROOT / loc["artifactLocation"]["uri"]).read_text().splitlines()[12].strip().startswith("telnet")
    assert all(r["partialFingerprints"]["mlpsAssetCheck/v1"] for r in run["results"])


def test_sarif_live_devices_have_a_logical_location(from_live):
    run = json.loads((from_live / "results.sarif").read_text(encoding="utf-8"))["runs"][0]
    assert run["results"]
    for r in run["results"]:
        (loc,) = r["locations"]
        assert "physicalLocation" not in loc and "ssh://" not in json.dumps(loc)
        assert loc["logicalLocations"][0]["name"] == r["properties"]["asset"]


def test_gitlab_code_quality_points_at_the_deciding_line(from_configs, from_live):
    issues = json.loads((from_configs / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    scan = json.loads((from_configs / "scan.json").read_text(encoding="utf-8"))
    fails = [(a["name"], f["check"]) for a in scan["assets"] for f in a["findings"] if f["status"] == "fail"]
    assert len(issues) == len(fails) and len({i["fingerprint"] for i in issues}) == len(issues)
    for i in issues:
        assert set(i) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert i["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert not i["location"]["path"].startswith("/") and i["location"]["lines"]["begin"] >= 1
    telnet = next(i for i in issues if i["check_name"] == "remote_mgmt_telnet_disabled"
                  and i["description"].startswith("weak_s5700_v200r005:"))
    assert telnet["location"] == {"path": "tests/fixtures/configs/huawei_vrp/weak_s5700_v200r005.cfg",
                                  "lines": {"begin": 13}}
    live = json.loads((from_live / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert live and all("://" not in i["location"]["path"] for i in live)


def test_junit_has_time_and_file(from_configs):
    root = ET.parse(from_configs / "junit.xml").getroot()
    assert float(root.get("time")) > 0
    suite = next(s for s in root.findall("testsuite") if s.get("name") == "weak_s5700_v200r005")
    assert suite.get("file") == "tests/fixtures/configs/huawei_vrp/weak_s5700_v200r005.cfg"
    cases = suite.findall("testcase")
    assert cases and all(c.get("file") == suite.get("file") and c.get("time") is not None for c in cases)


# ------------------------------------------------------------------------------------------------- exit codes

def test_exit_codes_are_distinct(tmp_path):
    cfg = str(CONFIGS / "huawei_vrp/weak_s5700_v200r005.cfg")
    assert run_mlps("scan", "--configs", cfg, "-o", str(tmp_path / "ok"), "-q").returncode == 0
    gate = run_mlps("gate", str(tmp_path / "ok/scan.json"), "--min-score", "99")
    assert gate.returncode == 1 and "gate failed" in gate.stderr
    bad = run_mlps("scan", "--configs", str(tmp_path / "missing.cfg"), "-o", str(tmp_path / "bad"))
    assert bad.returncode == 2
    # an internal error (any exception escaping a command) is 3, one line, no traceback: a command added to the
    # real app through Typer's own API raises one
    code = ("import sys, scanner.cli as c\n"
            "@c.app.command()\ndef boom():\n    raise RuntimeError('a bug')\n"
            "sys.argv = ['mlps', 'boom']\nc.main()\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                       env={k: v for k, v in os.environ.items() if k != "MLPS_DEBUG"})
    assert r.returncode == 3 and "internal error: RuntimeError: a bug" in r.stderr and "Traceback" not in r.stderr


def test_progress_off_a_terminal_is_one_line_per_device(tmp_path):
    """Three devices on a closed port: each fails to connect, and each gets its own progress line in the log."""
    inv = tmp_path / "inv.yaml"
    inv.write_text("credentials:\n  c: {ssh: {username: u, password: {env: MLPS_TEST_NOPE}}}\nassets:\n" + "".join(
        f"  - {{name: d{i}, address: 127.0.0.1, port: 1, platform: cisco_ios, credentials: c}}\n" for i in range(3)),
        encoding="utf-8")
    r = subprocess.run([*MLPS, "scan", str(inv), "-o", str(tmp_path / "out"), "--timeout", "3", "--retries", "0"],
                       capture_output=True, text=True, cwd=ROOT, timeout=120,
                       env=dict(os.environ, MLPS_TEST_NOPE="x"))
    lines = [x for x in r.stderr.splitlines() if x.startswith("progress:")]
    assert "live scan: 3 device(s)" in r.stderr
    assert [re.match(r"progress: (\d)/3 devices, 0 collected, (\d) failed", x).groups() for x in lines] == \
        [("1", "1"), ("2", "2"), ("3", "3")], r.stderr


# --------------------------------------------------------------------------------- installs anywhere (preflight)

def test_a_pdf_without_cjk_font_is_named_before_the_scan_and_the_rest_is_written(tmp_path):
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{tmp_path / "none"}</dir>'
                    f'<cachedir>{tmp_path / "cache"}</cachedir></fontconfig>\n', encoding="utf-8")
    out = tmp_path / "out"
    r = subprocess.run([*MLPS, "scan", "--configs", str(CONFIGS / "huawei_vrp"), "-o", str(out), "-q",
                        "--format", "json,pdf,xlsx,sarif"], capture_output=True, text=True, cwd=ROOT, timeout=300,
                       env=dict(os.environ, FONTCONFIG_FILE=str(conf)))
    assert r.returncode == 3, r.stderr
    assert "pdf report will not be written" in r.stderr and "fonts-wqy-microhei" in r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["report.xlsx", "results.sarif", "scan.json"]


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare"), reason="needs root and unshare (CI is root)")
def test_a_pdf_without_pango_is_named_and_the_rest_is_written(tmp_path):
    """Pango hidden in a private mount namespace (the library file becomes /dev/null), as on a server without it."""
    lib = next(Path("/usr/lib").rglob("libpango-1.0.so.0")).resolve()
    out = tmp_path / "out"
    cmd = " ".join([*MLPS, "scan", "--configs", str(CONFIGS / "huawei_vrp"), "-o", str(out), "-q",
                    "--format", "json,pdf,xlsx"])
    r = subprocess.run(["unshare", "--mount", "sh", "-c", f"mount --bind /dev/null {lib} && exec {cmd}"],
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 3, r.stderr
    assert "WeasyPrint cannot load Pango" in r.stderr and "libpango-1.0-0" in r.stderr
    assert "-----" not in r.stdout                     # WeasyPrint's own banner stays out of the output
    assert sorted(p.name for p in out.iterdir()) == ["report.xlsx", "scan.json"]


def test_version_completion_and_choices():
    v = run_mlps("--version")
    assert v.returncode == 0 and re.fullmatch(r"mlps-scanner \d+\.\d+\.\d+\S*\n", v.stdout)
    h = run_mlps("scan", "--help").stdout
    assert "<zh|en>" in h
    flat = " ".join(h.replace("│", " ").split())
    assert "json, html, pdf, xlsx, junit, sarif, codequality" in flat and "cisco_ios, hp_comware" in flat
    mlps = str(Path(sys.executable).parent / "mlps")        # the installed command: completion keys on its name
    comp = subprocess.run([mlps], capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env=dict(os.environ, _MLPS_COMPLETE="complete_bash", COMP_WORDS="mlps scan --format json,s",
                                   COMP_CWORD="3"))
    assert comp.stdout.split() == ["json,sarif"]
    # the script `mlps --install-completion` installs for bash (asked of click directly: --show-completion detects
    # the calling shell, which is sh under make)
    script = subprocess.run([mlps], capture_output=True, text=True, timeout=60,
                            env=dict(os.environ, _MLPS_COMPLETE="source_bash"))
    assert script.returncode == 0 and "_MLPS_COMPLETE" in script.stdout and "complete " in script.stdout
