"""Fixes an engineer can paste (issue 12 must-have 3): one script per device in its own platform's syntax and
release, with the values the scan knows filled in, each block commented with its items, wrapped in the
platform's enter/leave/save commands, and no fix the release cannot run."""
from __future__ import annotations

import json
import re
import stat

import pytest

from reports.fixscript import fix_script
from scanner.engine import ScanContext, scan_configs
from scanner.model import Asset, AssetStatus, CheckStatus, Finding, FixKind, ScanResult, Severity

from conftest import CONFIGS, run_mlps


@pytest.fixture(scope="module")
def result() -> ScanResult:
    return scan_configs([CONFIGS], ScanContext.default())


def _asset(result, name) -> Asset:
    return next(a for a in result.assets if a.name == name)


def _commands(script: str, mark: str) -> list[str]:
    return [ln for ln in script.splitlines() if ln.strip() and not ln.startswith(mark)]


def test_comware_5_gets_comware_5_syntax_and_comware_7_its_own(result):
    v5 = fix_script(_asset(result, "weak_s5120_v5"), result)
    cmds = _commands(v5, "#")
    assert "user-interface vty 0 4" in cmds and not any(c.startswith("line ") for c in cmds)
    assert not any("user-role" in c for c in cmds)               # Comware 5 has levels, not roles
    assert cmds[0] == "system-view" and cmds[-2:] == ["return", "save force"]


def test_every_configurable_failure_is_a_commented_block(result):
    a = _asset(result, "weak_s5700_v200r005")
    script = fix_script(a, result)
    cmds = _commands(script, "#")
    assert cmds[0] == "system-view" and cmds[-3:] == ["return", "save", "y"]
    for f in a.findings:
        if f.status == CheckStatus.FAIL and f.fix_kind == FixKind.CONFIG and f.remediation:
            assert f"# [{' '.join(f.controls)}] {f.title_zh}" in script, f.check
    cisco = fix_script(_asset(result, "weak_c2960_15.0"), result)
    cc = _commands(cisco, "!")
    assert cc[0] == "configure terminal" and cc[-2:] == ["end", "write memory"]


def test_known_values_are_filled_in(result):
    """The fleet's log servers (other devices already log there) replace <syslog-server-ip>; a loopback is none."""
    hosts = {h for a in result.assets if a.fleet for h in a.fleet.syslog_hosts if not h.startswith("127.")}
    assert hosts
    script = fix_script(_asset(result, "weak_c2960_15.0"), result)
    given = set(re.findall(r"^logging host (\S+)$", script, re.M))
    assert given and given <= hosts and "<syslog-server-ip>" not in script


def test_a_fix_the_release_cannot_run_is_not_given(result):
    """IOS 15.0 cannot store the secrets in a non-reversible form it lacks: the script says upgrade first and
    gives no commands for it; a release with a known exploited CVE ends the script with the upgrade."""
    a = _asset(result, "weak_c2960_15.0")
    script = fix_script(a, result)
    head, _, tail = script.partition("upgrade first, then rescan ====\n")
    needing = [f for f in a.findings if f.status == CheckStatus.FAIL and f.fix_kind == FixKind.FIRMWARE]
    assert needing and tail
    for f in needing:
        assert f"[{' '.join(f.controls)}] {f.title_zh}" in tail and f"[{' '.join(f.controls)}] {f.title_zh}" not in head
    assert _commands(tail, "!") == []
    isr = fix_script(_asset(result, "weak_isr4331_16.9"), result)
    assert "CVE-2023-20198" in isr.partition("upgrade first")[2]


def _vrp_fix_script(f: Finding) -> str:
    """The fix script of a Huawei VRP switch whose one finding is `f`."""
    from datetime import datetime, timezone

    from scanner.model import ScanMeta
    a = Asset(name="sw", platform="huawei_vrp", kind="network_device", status=AssetStatus.ASSESSED, findings=[f])
    now = datetime.now(timezone.utc)
    r = ScanResult(meta=ScanMeta(tool_version="t", catalog="c", catalog_version="1", policy="p", started_at=now,
                                 finished_at=now), assets=[a], items=[])
    return fix_script(a, r)


def test_values_a_check_found_fill_their_placeholder():
    """The idle ports a check found become one `interface` view each, with the line under it."""
    f = Finding(check="idle_ports_shutdown", title_zh="闲置端口已关闭", title_en="Idle ports are shut down",
                status=CheckStatus.FAIL, severity=Severity.MEDIUM, controls=["8.1.3.1.b"], reason_zh="2个闲置端口",
                remediation="interface <unused-port>\n shutdown", fix_kind=FixKind.CONFIG,
                fix_values={"unused-port": ["GigabitEthernet0/0/7", "GigabitEthernet0/0/9"]})
    cmds = _commands(_vrp_fix_script(f), "#")
    assert cmds[1:7] == ["interface GigabitEthernet0/0/7", " shutdown", "quit",
                         "interface GigabitEthernet0/0/9", " shutdown", "quit"]


def test_fix_format_writes_one_private_file_per_device_and_the_report_shows_it(tmp_path):
    out = tmp_path / "out"
    r = run_mlps("scan", "--configs", str(CONFIGS), "-o", str(out), "-q", "--format", "json,html,fix")
    assert r.returncode == 0, r.stderr
    scan = json.loads((out / "scan.json").read_text(encoding="utf-8"))
    with_fixes = {a["name"] for a in scan["assets"] if any(f["status"] == "fail" and f["fix_kind"] == "config"
                                                           and f["remediation"] for f in a["findings"])}
    files = {p.stem: p for p in (out / "fix").iterdir()}
    assert with_fixes and with_fixes <= set(files)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files.values())
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count('class="fix-script"') == len(files)


@pytest.mark.parametrize("name, mark, back", [("weak_s5700_v200r005", "#", "quit"), ("weak_s5120_v5", "#", "quit"),
                                              ("weak_c2960_15.0", "!", "exit")])
def test_a_block_that_enters_a_view_leaves_it(result, name, mark, back):
    """Pasted line by line, the next block's first command must run in the configuration view again."""
    lines = [ln for ln in fix_script(_asset(result, name), result).splitlines() if ln.strip() and ln[0] != mark]
    for prev, line in zip(lines, lines[1:]):
        if prev.startswith(" ") and not line.startswith(" "):
            assert line == back, (prev, line)


def test_the_fleets_time_sources_fill_the_ntp_fix(result):
    """A device with no time source gets the NTP servers the rest of the fleet already uses (issue 12 must-have 3:
    'the fleet's log and NTP servers'), in its own syntax; a loopback or unconfigured value is never offered."""
    clocks = {h for a in result.assets if a.fleet for h in a.fleet.ntp_hosts}
    assert clocks and not any(h.startswith("127.") for h in clocks)
    syntax = {"weak_c2960_15.0": r"^ntp server (\S+)$", "weak_s5700_v200r005": r"^ntp-service unicast-server (\S+)$"}
    for name, pattern in syntax.items():
        a = _asset(result, name)
        assert any(f.check == "time_sync_configured" and f.status == CheckStatus.FAIL for f in a.findings), name
        script = fix_script(a, result)
        given = set(re.findall(pattern, script, re.M))
        assert given and given <= clocks and "<ntp-server-ip>" not in script, name


@pytest.mark.parametrize("line, host", [
    ("ntp server 10.0.0.1", "10.0.0.1"), ("ntp server vrf MGMT 10.0.0.2 prefer", "10.0.0.2"),
    ("ntp server ipv6 2001:db8::1", "2001:db8::1"), ("ntp peer ip ntp.example.net", "ntp.example.net")])
def test_cisco_ntp_server_address_is_read(line, host):
    from scanner.platforms import get
    dev = get("cisco_ios").parse_config(["hostname r", line, "end"])
    assert dev.ntp_hosts == [host]


@pytest.mark.parametrize("line, host", [
    ("ntp-service unicast-server 10.0.0.1", "10.0.0.1"),
    ("ntp-service unicast-server ipv6 2001:db8::1 source-interface Vlanif1", "2001:db8::1"),
    ("ntp-service ipv6 unicast-server 2001:db8::2", "2001:db8::2"),
    ("ntp-service unicast-server 10.0.0.3 vpn-instance mgmt", "10.0.0.3")])
def test_vrp_ntp_server_address_is_read(line, host):
    from scanner.platforms import get
    dev = get("huawei_vrp").parse_config(["sysname s", line, "return"])
    assert dev.ntp_hosts == [host]


def test_an_old_ios_release_gets_commands_it_accepts(result):
    """IOS 15.0 predates type-9 secrets and `aaa common-criteria`: its script asks for `secret` (type 5) and never for
    `algorithm-type scrypt` or a common-criteria policy; IOS-XE 16.9 gets the scrypt form."""
    old = "\n".join(_commands(fix_script(_asset(result, "weak_c2960_15.0"), result), "!"))
    assert "algorithm-type" not in old and "common-criteria" not in old
    assert re.search(r"^username <name> (privilege \S+ )?secret <", old, re.M), old
    new = fix_script(_asset(result, "weak_isr4331_16.9"), result)
    assert "algorithm-type scrypt secret" in new


def test_the_test_accounts_a_check_found_are_named_in_the_fix():
    """Issue 12 must-have 3: the account names the scan knows are filled in; inside the `aaa` view each account
    gets its own `undo local-user` line, and the view is left once."""
    from scanner.engine import remediation_texts
    f = Finding(check="temporary_accounts_absent", title_zh="无多余、过期或共享账户", title_en="No temporary accounts",
                status=CheckStatus.FAIL, severity=Severity.MEDIUM, controls=["8.1.4.2.c"], reason_zh="test01、temp",
                remediation=remediation_texts()["huawei_vrp"]["temporary_accounts_absent"], fix_kind=FixKind.CONFIG,
                fix_values={"test-account": ["test01", "temp"]})
    cmds = _commands(_vrp_fix_script(f), "#")
    assert cmds[1:5] == ["aaa", " undo local-user test01", " undo local-user temp", "quit"]
    assert not any("<" in c for c in cmds)
