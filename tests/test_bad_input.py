"""Bad input never crashes and never passes: each case gets a clear per-asset status."""
from __future__ import annotations

import pytest

from scanner.engine import assess_config_bytes, assess_config_file
from scanner.model import AssetStatus, CheckStatus, ItemResult

from conftest import CONFIGS, run_mlps

WEAK_HW = (CONFIGS / "huawei_vrp/weak_s5700_v200r005.cfg").read_text(encoding="utf-8")


def _assess(data: bytes, ctx, platform=None):
    return assess_config_bytes(data, ctx, platform, "dev", "mem")


@pytest.mark.parametrize("data,code", [
    (b"", "empty"), (b"  \n\n", "empty"),
    (bytes(range(256)) * 64, "binary"), (b"\x7fELF\x02\x01\x01" + b"\x00" * 4000, "binary"),
    (b"set system host-name fw1\nset interfaces ge-0/0/0 unit 0\n", "unknown_platform"),
])
def test_unreadable_inputs_are_errors(data, code, ctx):
    a = _assess(data, ctx)
    assert a.status == AssetStatus.ERROR and a.reason_code == code and a.reason
    assert a.controls and all(c.result == ItemResult.ERROR for c in a.controls)   # never a pass
    assert a.findings == []


def test_truncated_config_is_an_error_not_a_pass(ctx):
    cut = "\n".join(WEAK_HW.splitlines()[:90])                     # no closing 'return'
    a = _assess(cut.encode(), ctx)
    assert a.status == AssetStatus.ERROR and a.reason_code == "truncated" and a.platform == "huawei_vrp"
    assert "return" in a.reason


def test_gbk_descriptions_are_read(ctx):
    text = WEAK_HW.replace("description Uplink", "description 上联核心交换机").replace(
        "sysname", "sysname", 1)
    text = text.replace("#\nreturn", "#\ninterface GigabitEthernet0/0/2\n description 财务部办公区\n#\nreturn")
    a = _assess(text.encode("gbk"), ctx)
    assert a.status == AssetStatus.ASSESSED and a.platform == "huawei_vrp"
    assert any(f.status == CheckStatus.FAIL for f in a.findings)


def test_utf16_capture_is_read(ctx):
    a = _assess(WEAK_HW.encode("utf-16"), ctx)
    assert a.status == AssetStatus.ASSESSED and a.platform == "huawei_vrp"


def test_fifty_megabyte_file_is_refused_with_the_limit(tmp_path, ctx):
    big = tmp_path / "huge.cfg"
    with big.open("wb") as f:
        f.write(b"#\nsysname x\n")
        f.write(b"interface GigabitEthernet0/0/1\n description x\n" * (50 * 1024 * 1024 // 48))
    a = assess_config_file(big, ctx)
    assert a.status == AssetStatus.ERROR and a.reason_code == "too_large" and "MiB" in a.reason


def test_unreadable_file_is_an_error(tmp_path, ctx):
    d = tmp_path / "dir.cfg"
    d.mkdir()
    a = assess_config_file(d, ctx)
    assert a.status == AssetStatus.ERROR and a.reason_code == "read_error"


def test_parser_crash_costs_one_asset(ctx):
    # A platform given by the user for text of another vendor must still not crash.
    a = _assess(b"\x1b[0m<HW>display current-configuration\n  ---- More ----\x08\x08\n", ctx, "cisco_ios")
    assert a.status == AssetStatus.ERROR


def test_cli_scans_a_folder_of_mixed_good_and_bad_files(tmp_path):
    src = tmp_path / "cfg"
    src.mkdir()
    (src / "good.cfg").write_text(WEAK_HW, encoding="utf-8")
    (src / "empty.cfg").write_bytes(b"")
    (src / "blob.bin").write_bytes(bytes(range(256)) * 10)
    out = tmp_path / "out"
    r = run_mlps("scan", "--configs", str(src), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stdout + r.stderr
    import json
    data = json.loads((out / "scan.json").read_text(encoding="utf-8"))
    status = {a["name"]: (a["status"], a["reason_code"]) for a in data["assets"]}
    assert status == {"good": ("assessed", None), "empty": ("error", "empty"), "blob": ("error", "binary")}
    assert (out / "report.html").stat().st_size > 10_000


@pytest.mark.parametrize("args,needle", [
    (["scan", "--configs", "/nonexistent/x.cfg"], "no such file"),
    (["scan", "--configs", "tests/fixtures/configs", "--platform", "junos"], "unknown platform"),
    (["scan", "tests/fixtures/configs"], "--configs"),
    (["scan", "--configs", "tests/fixtures/configs", "--lang", "fr"], "--lang"),
])
def test_cli_bad_input_exits_2_with_one_message(args, needle, tmp_path):
    r = run_mlps(*args, "--out", str(tmp_path / "o"))
    assert r.returncode == 2
    assert needle in r.stderr and "Traceback" not in r.stderr


def test_cli_bad_policy_names_file_line_and_field(tmp_path):
    pol = tmp_path / "p.yaml"
    pol.write_text("password_min_length: 8\nidle_timeout_max_s: -5\n", encoding="utf-8")
    r = run_mlps("scan", "--configs", "tests/fixtures/configs", "--policy", str(pol), "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and str(pol) in r.stderr and "idle_timeout_max_s" in r.stderr
    pol.write_text("password_min_length: [\n", encoding="utf-8")
    r = run_mlps("scan", "--configs", "tests/fixtures/configs", "--policy", str(pol), "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "line" in r.stderr
