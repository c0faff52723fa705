"""Hostile device text cannot turn a spreadsheet cell into a formula or crash any format, and one format that
fails costs only itself (exit 3, the format named)."""
from __future__ import annotations

import json
import os
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from scanner.engine import ScanContext, assess_config_file, build_result

from conftest import CONFIGS, run_mlps

ALL = "json,html,pdf,xlsx,junit,sarif"
FORMULAS = ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(1)", "\t=1", "\r=1"]
CONTROLS = "".join(chr(c) for c in range(0x20) if c != 0x0A) + "\x7f\ufffe\uffff"
# A file name cannot hold '/' or NUL; \xff is not UTF-8, so Python hands the name over with a lone surrogate.
HOSTILE_FILE = (b"=cmd|' -C calc'!A0 " + bytes(c for c in range(1, 0x20) if c != 0x0A) + b"\x7f"
                + "\ufffe".encode() + b"\xff.cfg")


def _hostile_config() -> str:
    cfg = (CONFIGS / "cisco_ios/weak_c2960_15.0.cfg").read_text()
    cfg = cfg.replace("hostname CD-BR-ACC-C2960-05", "hostname @SUM(1)" + CONTROLS.replace("\r", ""), 1)
    cfg = cfg.replace("version 15.0", "version 15.0 =1\x01\x1f\x7f\ufffe", 1)
    return cfg.replace("line vty 5 15", "line vty 5 15 =cmd|' /C calc'!A0\x01\x02\x1b\x7f\ufffe\uffff", 1)


def _check_outputs(out: Path) -> dict[str, str]:
    """Every format is there and parses; returns the text of each for more assertions."""
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["scan.json", "report.html", "report.pdf", "report.xlsx", "junit.xml", "results.sarif"])
    texts = {"scan.json": (out / "scan.json").read_text(encoding="utf-8"),
             "results.sarif": (out / "results.sarif").read_text(encoding="utf-8"),
             "report.html": (out / "report.html").read_text(encoding="utf-8")}
    json.loads(texts["scan.json"])
    json.loads(texts["results.sarif"])
    ET.parse(out / "junit.xml")                                   # well-formed XML 1.0
    with zipfile.ZipFile(out / "report.xlsx") as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                body = z.read(name)
                ET.fromstring(body)                                # every part of the workbook parses
                assert b"<f>" not in body and b"<f " not in body, name   # no formula anywhere
    text = subprocess.run(["pdftotext", str(out / "report.pdf"), "-"], capture_output=True, text=True)
    assert text.returncode == 0 and "第 1 页" in text.stdout
    texts["report.pdf"] = text.stdout
    for name in ("report.html", "results.sarif"):
        assert not any(c in texts[name] for c in CONTROLS.replace("\t", "").replace("\r", "")), name
    return texts


def _xlsx_strings(path: Path) -> list:
    from openpyxl import load_workbook
    cells = [c for ws in load_workbook(path) for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type in ("s", "n") for c in cells), {c.data_type for c in cells}
    return [c.value for c in cells if isinstance(c.value, str)]


def test_hostile_file_name_and_config_text_reach_every_format(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / os.fsdecode(HOSTILE_FILE)).write_text(_hostile_config(), encoding="utf-8")
    out = tmp_path / "out"
    r = run_mlps("scan", "--configs", str(src), "--out", str(out), "--format", ALL, "-q")
    assert r.returncode == 0, r.stdout + r.stderr
    texts = _check_outputs(out)
    assert "\\xff" in json.loads(texts["scan.json"])["assets"][0]["name"]       # the byte is shown, not lost
    strings = _xlsx_strings(out / "report.xlsx")
    assert "'=cmd|' -C calc'!A0 \\x01" in "\n".join(strings)                      # the asset name, as text
    assert not any(s.startswith(("=", "+", "-", "@", "\t", "\r")) for s in strings)
    assert "\\x01" in texts["report.html"] and "\\x1b" in texts["report.html"]    # evidence, escaped


def test_hostile_names_versions_and_evidence_in_scan_json(tmp_path):
    """`mlps report` on a scan.json whose inventory names, version headers and evidence start with formulas and
    carry every control character JSON can hold."""
    first = tmp_path / "first"
    assert run_mlps("scan", "--configs", str(CONFIGS), "--out", str(first), "-q",
                    "--format", "json").returncode == 0
    data = json.loads((first / "scan.json").read_text())
    for i, a in enumerate(data["assets"]):
        bad = FORMULAS[i % len(FORMULAS)]
        a["name"], a["hostname"], a["software_version"] = bad + CONTROLS + str(i), bad + "\x00", bad + CONTROLS
        a["source"] = bad + "\x08.cfg"
        for j, f in enumerate(a["findings"]):
            f["reason_zh"] = FORMULAS[j % len(FORMULAS)] + CONTROLS
            for e in f["evidence"]:
                e["text"] = FORMULAS[j % len(FORMULAS)] + "\x00\x0b" + e["text"] + CONTROLS
        for c in a["controls"]:
            c["reason_zh"] = "-1" + CONTROLS
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out"
    r = run_mlps("report", str(hostile), "--format", ALL, "--out", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    _check_outputs(out)
    strings = _xlsx_strings(out / "report.xlsx")
    assert not any(s.startswith(("=", "+", "-", "@", "\t", "\r")) for s in strings)
    for shown in ["'=cmd|' /C calc'!A0", "'+1", "'-1", "'@SUM(1)", "'\t=1", "\\x0d=1"]:   # CR is escaped
        assert any(s.startswith(shown + "\\x00") for s in strings), shown


def test_a_format_that_fails_costs_only_itself(tmp_path):
    out = tmp_path / "out"
    (out / "report.pdf").mkdir(parents=True)                       # the PDF cannot be written over a folder
    (out / "report.pdf" / "keep").write_text("x")
    r = run_mlps("scan", "--configs", str(CONFIGS / "huawei_vrp"), "--out", str(out), "--format", ALL, "-q")
    assert r.returncode == 3, r.stdout + r.stderr
    assert "pdf report not written" in r.stderr and "report.pdf" in r.stderr and "Traceback" not in r.stderr
    for name in ("scan.json", "report.html", "report.xlsx", "junit.xml", "results.sarif"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    assert (out / "report.pdf" / "keep").read_text() == "x"         # what was in the way is left alone
    r = run_mlps("report", str(out / "scan.json"), "--format", "pdf,junit", "--out", str(out))
    assert r.returncode == 3 and "pdf report not written" in r.stderr and "junit.xml" in r.stdout


def test_console_summary_shows_device_names_literally(tmp_path):
    cfg = (CONFIGS / "cisco_ios/weak_c2960_15.0.cfg").read_text()
    (tmp_path / "[bold]sw1[red].cfg").write_text(cfg)
    (tmp_path / "sw2\x1b[31m.cfg").write_text(cfg)
    r = run_mlps("scan", "--configs", str(tmp_path), "--out", str(tmp_path / "out"), "--format", "json")
    assert r.returncode == 0, r.stderr
    assert "[bold]sw1[red]" in r.stdout and "\x1b" not in r.stdout and "sw2\\x1b[31m" in r.stdout


# Any code point, and often the ones that break formats (Hypothesis itself never draws a lone surrogate).
any_char = st.one_of(st.characters(codec=None, categories=None),
                     st.sampled_from([*CONTROLS, "\ud800", "\udcff", "\udfff", "\x85", "\u2028", "<", "&", '"']))
device_text = st.one_of(st.text(any_char, max_size=40),
                        st.tuples(st.sampled_from(FORMULAS), st.text(any_char, max_size=10)).map("".join))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(name=device_text, version=device_text, evidence=device_text)
def test_any_device_text_gives_valid_outputs(name, version, evidence, tmp_path_factory):
    """Arbitrary text (any code point) as asset name, version header and evidence: JSON, HTML, XLSX, JUnit and SARIF
    are written and parse, and no cell is a formula (the PDF, slower, is covered above)."""
    from openpyxl import load_workbook
    from reports import render
    a = _ONE_ASSET.model_copy(update={"name": name or "x", "software_version": version, "findings": [
        f.model_copy(update={"evidence": [e.model_copy(update={"text": evidence}) for e in f.evidence]})
        for f in _ONE_ASSET.findings]})
    out = tmp_path_factory.mktemp("o")
    render(build_result([a], ScanContext.default(), datetime.now(timezone.utc)),
           ["json", "html", "xlsx", "junit", "sarif"], out)
    json.loads((out / "scan.json").read_text(encoding="utf-8"))
    json.loads((out / "results.sarif").read_text(encoding="utf-8"))
    ET.parse(out / "junit.xml")
    (out / "report.html").read_text(encoding="utf-8")
    for ws in load_workbook(out / "report.xlsx"):
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f" and not (isinstance(c.value, str) and c.value.startswith(FORMULA_CHARS))


FORMULA_CHARS = ("=", "+", "-", "@", "\t", "\r")
_ONE_ASSET = assess_config_file(CONFIGS / "cisco_ios/weak_c2960_15.0.cfg", ScanContext.default())
