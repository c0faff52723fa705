"""Issue 12, must-have 1: the cover block's facts come from `--system FILE`; a file that cannot be used stops the
scan with exit 2 and one line naming the file, the line and the field (as the policy and waiver files do)."""
from __future__ import annotations

import os

import pytest

from scanner.system import load_system

from conftest import CONFIGS, run_mlps

CFG = CONFIGS / "huawei_vrp" / "weak_s5700_v200r005.cfg"

# (file content, line, field, words of the message); line/field None: the error names neither
BAD = {
    "level_not_3": ("被测单位: 某单位\n等级: 2\n", 2, "等级", "must be 3"),
    "repeated_key": ("被测单位: 甲\n系统名称: x\n被测单位: 乙\n", 3, "被测单位", "given twice"),
    "unknown_field": ("被测单位: 某单位\n系统: 交易平台\n", 2, "系统", "Extra inputs"),
    "yaml_syntax": ("被测单位: [某单位\n系统名称: x\n", 2, None, "invalid YAML"),
    "not_a_mapping": ("- 被测单位\n- 系统名称\n", 1, None, "mapping"),
    "control_character": ("系统名称: \"交易\\e[31m平台\"\n", 1, "系统名称", "control characters"),
    "too_long": ("备案号: " + "9" * 201 + "\n", 1, "备案号", "200"),
    "nested_value": ("被测单位: 某单位\n报告编号:\n  a: 1\n", 3, "报告编号", "string"),
    "empty_value": ("被测单位: ''\n", 1, "被测单位", "at least 1"),
    "bad_date": ("测评时间: 2026-13-45\n", 1, None, "not a valid date"),
    "not_utf8": (b"\xff\xfe\x00\x01\x80\x81\n", None, None, "UTF-8"),
    "too_large": ("# " + "x" * 70000 + "\n", None, None, "KiB"),
}


def _write(tmp_path, name: str, content) -> os.PathLike:
    p = tmp_path / f"{name}.yaml"
    p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return p


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_system_file_exits_2_naming_file_line_and_field(name, tmp_path):
    content, line, field, words = BAD[name]
    p = _write(tmp_path, name, content)
    r = run_mlps("scan", "--configs", str(CFG), "-o", str(tmp_path / "out"), "--system", str(p), "-q")
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and str(p) in r.stderr
    where = f"{p}:{line}" if line else str(p)
    assert where in r.stderr, r.stderr
    if field:
        assert f"field '{field}'" in r.stderr, r.stderr
    assert words in r.stderr, r.stderr
    assert not (tmp_path / "out" / "scan.json").exists()                  # nothing scanned on bad input


def test_a_folder_a_fifo_or_a_missing_file_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    for p, words in ((tmp_path, "directory"), (fifo, "not a regular file"), (tmp_path / "nope.yaml", "No such")):
        r = run_mlps("scan", "--configs", str(CFG), "-o", str(tmp_path / "out"), "--system", str(p), "-q")
        assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_english_keys_numbers_and_an_empty_file_are_accepted(tmp_path):
    s = load_system(_write(tmp_path, "en", "organisation: Example Co\nsystem_name: Trading\nlevel: 3\n"
                                          "filing_no: 4101009999920001\nassessed_period: 2026-11-02\n"))
    assert (s.organisation, s.filing_no, s.assessed_period, s.level) == ("Example Co", "4101009999920001",
                                                                          "2026-11-02", 3)
    empty = load_system(_write(tmp_path, "empty", ""))
    assert empty is not None and empty.organisation is None and empty.level == 3
    assert load_system(None) is None


def test_without_system_file_the_cover_shows_blanks(tmp_path):
    r = run_mlps("scan", "--configs", str(CFG), "-o", str(tmp_path / "out"), "--format", "json,html", "-q")
    assert r.returncode == 0, r.stderr
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    for key in ("org", "system_name", "filing_no", "report_no", "period", "assessor"):
        assert f'<td data-cover="{key}"><span class="blank">（待填写）</span></td>' in page, key
    assert '<td data-cover="level">第三级</td>' in page
