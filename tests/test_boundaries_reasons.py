"""What a network check's reason and evidence say at its boundaries (issue 15 must-have 3): the reason names the
deciding value and the threshold it was held against, the evidence cites the configuration lines that set it.

The thresholds are the standard's (MLPS-L3.md §2.2 / §2.9, GB/T 28448-2019 指导书 [S1]): password >= 8 characters of
>= 2 classes, changed within 90 days, lockout after <= 5 failures for >= 300 s, idle sessions closed within 600 s. A
report that says "too weak" without the value found and the value asked for cannot be acted on, and a finding must
cite the line it rests on (测评证据).
"""
from __future__ import annotations

import pytest

from checks.network import audit
from checks.network import identification as ident
from checks.network import services
from scanner.checkkit import Facts
from scanner.facts import (
    Interface, LocalUser, Lockout, Logging, MgmtLine, NetworkDevice, PasswordPolicy, PasswordStorage, SshServer, SyslogHost,
    Toggle,
)
from scanner.policy import Policy

CONFIG = [f"config line {i}" for i in range(1, 31)]


def verdict(check, dev: NetworkDevice):
    return check.evaluate(Facts({k: dev for k in check.needs}, {"config": CONFIG}, str), Policy())


def device(**kw) -> NetworkDevice:
    dev = NetworkDevice(platform="test")
    for k, v in kw.items():
        setattr(dev, k, v)
    return dev


def cited(v) -> list[tuple[int, str]]:
    return [(e.line, e.text) for e in v.evidence]


# 身份鉴别 a): at least 8 characters of at least 2 classes
@pytest.mark.parametrize("length, classes, status, en, zh", [
    (7, 2, "fail", ["minimum length 7 < 8"], ["最小长度7<8"]),
    (8, 1, "fail", ["1 character class(es) required < 2"], ["要求字符类型1种<2种"]),
    (6, 1, "fail", ["minimum length 6 < 8", "1 character class(es) required < 2"], ["最小长度6<8", "1种<2种"]),
    (8, 2, "pass", ["minimum length 8", "2 character classes"], ["口令最小长度8", "至少2类字符"]),
    (12, 3, "pass", ["minimum length 12", "3 character classes"], ["口令最小长度12", "至少3类字符"]),
])
def test_complexity_reason_names_length_and_classes(length, classes, status, en, zh):
    v = verdict(ident._complexity, device(password_policy=PasswordPolicy(
        enabled=True, min_length=length, min_classes=classes, lines=[4, 5])))
    assert v.status.value == status
    assert all(s in v.reason_en for s in en) and all(s in v.reason_zh for s in zh), (v.reason_en, v.reason_zh)
    assert cited(v) == [(4, "config line 4"), (5, "config line 5")]


def test_complexity_off_cites_its_line():
    v = verdict(ident._complexity, device(password_policy=PasswordPolicy(enabled=False, lines=[9])))
    assert v.status.value == "fail" and "no password complexity" in v.reason_en and "未启用" in v.reason_zh
    assert cited(v) == [(9, "config line 9")]


# 身份鉴别 a): changed within 90 days; 0 = never expires
@pytest.mark.parametrize("days, status, en, zh", [
    (91, "fail", ["91 days > 90"], ["91天>90天"]),
    (90, "pass", ["90 days"], ["90天"]),
    (30, "pass", ["30 days"], ["30天"]),
    (0, "fail", ["never expire"], ["永不过期"]),
])
def test_expiry_reason_names_the_lifetime(days, status, en, zh):
    v = verdict(ident._expiry, device(password_policy=PasswordPolicy(max_age_days=days, lines=[12])))
    assert v.status.value == status
    assert all(s in v.reason_en for s in en) and all(s in v.reason_zh for s in zh), (v.reason_en, v.reason_zh)
    assert cited(v) == [(12, "config line 12")]


# 身份鉴别 b): lock after at most 5 failures, for at least 300 s; 0 s = until an administrator unlocks
@pytest.mark.parametrize("attempts, seconds, status, en, zh", [
    (6, 300, "fail", ["6 attempts allowed > 5"], ["允许连续失败6次>5次"]),
    (5, 299, "fail", ["locked 299s < 300s"], ["锁定299秒<300秒"]),
    (5, 1, "fail", ["locked 1s < 300s"], ["锁定1秒<300秒"]),      # 1 s is a lock, too short (0 s: until unlocked)
    (5, 300, "pass", ["locked after 5 failures"], ["连续失败5次后锁定300秒"]),
    (3, 0, "pass", ["locked after 3 failures"], ["连续失败3次后需管理员解锁"]),
    (5, None, "pass", ["locked after 5 failures"], ["锁定时长未知"]),
])
def test_lockout_reason_names_attempts_and_lock_time(attempts, seconds, status, en, zh):
    v = verdict(ident._lockout, device(lockout=Lockout(enabled=True, max_attempts=attempts, lock_seconds=seconds,
                                                       lines=[7, 8])))
    assert v.status.value == status
    assert all(s in v.reason_en for s in en) and all(s in v.reason_zh for s in zh), (v.reason_en, v.reason_zh)
    assert cited(v) == [(7, "config line 7"), (8, "config line 8")]


def test_lockout_off_cites_its_line():
    v = verdict(ident._lockout, device(lockout=Lockout(enabled=False, lines=[3])))
    assert v.status.value == "fail" and "lockout" in v.reason_en and "锁定" in v.reason_zh
    assert cited(v) == [(3, "config line 3")]


def _line(name: str, timeout: int | None, line: int) -> MgmtLine:
    return MgmtLine(kind="vty", name=name, line=line, auth="aaa", idle_timeout_s=timeout, lines=[line, line + 1])


# 身份鉴别 b): idle sessions close within 600 s; 0 = never
def test_idle_timeout_failure_names_the_line_its_value_and_the_limit():
    v = verdict(ident._idle_timeout, device(mgmt_lines=[_line("vty 0 4", 300, 10), _line("vty 5 15", 900, 20),
                                                         _line("con 0", 0, 25)]))
    assert v.status.value == "fail"
    assert "600s" in v.reason_en and "vty 5 15" in v.reason_en and "con 0" in v.reason_en
    assert "vty 0 4" not in v.reason_en
    assert "≤600秒" in v.reason_zh and "vty 5 15:900秒" in v.reason_zh and "con 0:永不超时" in v.reason_zh
    assert [ln for ln, _ in cited(v)] == [25, 26, 20, 21]


def test_idle_timeout_pass_names_every_line_and_its_value():
    v = verdict(ident._idle_timeout, device(mgmt_lines=[_line("vty 0 4", 600, 10), _line("con 0", 300, 20)]))
    assert v.status.value == "pass"
    assert "≤600秒" in v.reason_zh and "vty 0 4:600秒" in v.reason_zh and "con 0:300秒" in v.reason_zh
    assert "within limit" in v.reason_en
    assert [ln for ln, _ in cited(v)] == [10, 20]


# 边界防护 b): idle ports (administratively up, no link) are to be shut down; the reason counts them and names them
# (the first ten), the fix script gets every one of them
def test_idle_ports_reason_counts_and_names_them():
    from checks.network import resilience
    states = {f"GE0/0/{i}": (True, False) for i in range(1, 13)}
    states |= {"GE0/0/20": (True, True), "GE0/0/21": (False, False)}          # in use; shut down
    v = resilience._idle_ports.evaluate(Facts({"interface_state": states}, {}, str), Policy())
    idle = [f"GE0/0/{i}" for i in range(1, 13)]
    assert v.status.value == "fail"
    assert v.reason_en == "12 idle ports are not shut down: " + ", ".join(idle[:10])
    assert v.reason_zh == "12个闲置端口未关闭：" + "、".join(idle[:10])
    assert list(dict(v.fix_values)["unused-port"]) == idle


def test_no_idle_port_says_so():
    from checks.network import resilience
    v = resilience._idle_ports.evaluate(Facts({"interface_state": {"GE0/0/1": (True, True)}}, {}, str), Policy())
    assert v.status.value == "pass" and v.reason_en == "idle ports are shut down" and v.reason_zh == "闲置端口均已关闭"


# 入侵防范 e): equipment support and advisories; the reason names the model, the date and each advisory, the evidence
# gives the catalogue entry with its published source
def _equipment(**kw):
    from scanner.equipment import EquipmentFacts
    return EquipmentFacts(model="S5700-28C-EI", release="V200R005C00SPC500", **kw)


def _lifecycle(replacement=None):
    from datetime import date

    from scanner.equipment import Lifecycle
    return Lifecycle(match="S5700-*-EI", end_of_sale=date(2017, 1, 1), end_of_support=date(2030, 6, 30),
                     replacement=replacement, source="https://support.example/eos", low_confidence=False)


def test_supported_equipment_cites_its_lifecycle_entry():
    from checks.network import lifecycle
    v = lifecycle._support.evaluate(Facts({"equipment": _equipment(lifecycle=_lifecycle(), support_ended=False)},
                                          {}, str), Policy())
    assert v.status.value == "pass" and "2030-06-30" in v.reason_en and "S5700-28C-EI" in v.reason_zh
    assert [(e.source, e.text) for e in v.evidence] == [
        ("lifecycle", "S5700-*-EI: end of support 2030-06-30; source: https://support.example/eos")]


def test_unsupported_equipment_names_its_replacement():
    from checks.network import lifecycle
    eq = _equipment(lifecycle=_lifecycle(replacement="S5735-L24T4X"), support_ended=True)
    v = lifecycle._support.evaluate(Facts({"equipment": eq}, {}, str), Policy())
    assert v.status.value == "fail" and "可替换为S5735-L24T4X" in v.reason_zh and "2030-06-30" in v.reason_en
    assert v.evidence[0].source == "lifecycle" and "source: https://support.example/eos" in v.evidence[0].text


def test_each_confirmed_advisory_is_named_and_cited():
    from checks.network import lifecycle
    from scanner.equipment import Advisory
    adv = [Advisory(id=i, advisory=f"huawei-sa-{i}", title="t", severity="high", cvss=8.1, fixed_in=None,
                    source="https://example/sa", why="range") for i in ("CVE-2017-1", "CVE-2018-2")]
    v = lifecycle._advisories.evaluate(Facts({"equipment": _equipment(confirmed=adv)}, {}, str), Policy())
    assert v.status.value == "fail" and v.reason_en.endswith(": CVE-2017-1, CVE-2018-2")
    assert "CVE-2017-1（high）、CVE-2018-2（high）" in v.reason_zh
    assert [e.text.split()[:2] for e in v.evidence] == [["CVE-2017-1", "huawei-sa-CVE-2017-1"],
                                                       ["CVE-2018-2", "huawei-sa-CVE-2018-2"]]
    assert all(e.source == "advisory" for e in v.evidence)


# 身份鉴别 a): every login identifies its user. A remote (vty) line that asks for no login at all identifies nobody,
# even when another line (the console) logs in with local accounts (survivor of the sampled mutation run, session 7)
def test_a_vty_line_without_login_fails_even_beside_a_local_console():
    console = MgmtLine(kind="console", name="con 0", line=3, auth="local", lines=[3, 4])
    vty = MgmtLine(kind="vty", name="vty 0 4", line=6, auth="none", protocols=frozenset({"ssh"}), lines=[6, 7])
    users = [LocalUser(name="ops", line=1, storage=PasswordStorage.HASH, lines=[1])]
    v = verdict(ident._individual, device(mgmt_lines=[console, vty], users=users))
    assert v.status.value == "fail" and "vty 0 4" in v.reason_en and "vty 0 4" in v.reason_zh
    assert "con 0" not in v.reason_en and "without any login" in v.reason_en
    assert cited(v) == [(6, "config line 6"), (7, "config line 7")]
    closed = MgmtLine(kind="vty", name="vty 5 15", line=9, auth="none", protocols=frozenset(), lines=[9])
    assert verdict(ident._individual, device(mgmt_lines=[console, closed], users=users)).status.value == "pass"


def test_an_account_without_password_is_named_in_both_languages():
    users = [LocalUser(name="guest", line=2, storage=PasswordStorage.NONE, lines=[2]),
             LocalUser(name="ops", line=1, storage=PasswordStorage.HASH, lines=[1])]
    v = verdict(ident._empty_password, device(users=users))
    assert v.status.value == "fail" and "guest" in v.reason_zh and "accounts without a password: guest" in v.reason_en
    assert cited(v) == [(2, "config line 2")]


# 入侵防范 b): unneeded services off. Each service found on is named; the evidence is the line that turned it on, or,
# for one on by the release's default (no line), a note saying so
def test_legacy_services_on_are_named_and_cited_by_line_or_default():
    dev = device(legacy_services={"pad": Toggle(enabled=True, line=8), "cdp": Toggle(enabled=True, note="default"),
                                  "bootp": Toggle(enabled=False, line=9), "source_route": Toggle(enabled=False)})
    v = verdict(services._legacy, dev)
    assert v.status.value == "fail" and "PAD, CDP" in v.reason_en and "PAD服务、CDP协议" in v.reason_zh
    assert [(e.line, e.text) for e in v.evidence] == [(8, "config line 8"), (None, "CDP: on (default)")]


def test_ftp_state_unknown_is_manual_in_both_languages():
    v = verdict(services._ftp, device())
    assert v.status.value == "manual" and "FTP" in v.reason_zh and v.reason_en.startswith("FTP server state unknown")


# 安全审计 c): records go to a separate log server. The reason names every server (each one, apart); a server
# configured while logging is off sends nothing: the evidence cites the line that turns logging off and each server line
def test_log_servers_are_each_named_and_logging_off_cites_both_kinds_of_line():
    hosts = [SyslogHost("10.0.0.5", 11), SyslogHost("10.0.0.6", 12)]
    on = verdict(audit._remote_host, device(logging=Logging(enabled=Toggle(True, 10), hosts=hosts)))
    assert on.status.value == "pass" and "10.0.0.5、10.0.0.6" in on.reason_zh and "10.0.0.5, 10.0.0.6" in on.reason_en
    assert cited(on) == [(11, "config line 11"), (12, "config line 12")]
    off = verdict(audit._remote_host, device(logging=Logging(enabled=Toggle(False, 10), hosts=hosts)))
    assert off.status.value == "fail" and "logging is off" in off.reason_en
    assert cited(off) == [(10, "config line 10"), (11, "config line 11"), (12, "config line 12")]


# 通信传输: management over SSH. Whatever the verdict, it cites the line that turns SSH on or off
@pytest.mark.parametrize("ssh_on, v1, telnet, http, status", [
    (False, None, False, False, "pass"),        # no remote management at all: local only
    (False, None, True, False, "fail"),         # Telnet instead of SSH
    (False, None, None, None, "manual"),        # Telnet/HTTP on release defaults
    (True, None, False, False, "manual"),       # SSHv1 compatibility unknown
])
def test_ssh_verdicts_cite_the_ssh_line(ssh_on, v1, telnet, http, status):
    dev = device(ssh=SshServer(enabled=Toggle(ssh_on, 14), v1_allowed=Toggle(v1)), telnet=Toggle(telnet, 15),
                 http=Toggle(http, 16))
    v = verdict(services._ssh, dev)
    assert v.status.value == status
    assert (14, "config line 14") in cited(v)


# 安全审计 c): a log host written as an IPv4-mapped IPv6 address is the device itself only when the IPv4 address is
# one of its own; another mapped address is a separate server
@pytest.mark.parametrize("address, status", [("::ffff:10.0.0.1", "fail"), ("::ffff:10.0.0.9", "pass"),
                                             ("::ffff:127.0.0.1", "fail"), ("2001:db8::9", "pass")])
def test_mapped_log_host_is_the_device_only_when_its_address_is_own(address, status):
    itf = Interface(name="Vlanif1", line=3, physical=False, shutdown=False, addresses=["10.0.0.1"])
    dev = device(interfaces=[itf], logging=Logging(enabled=Toggle(True, 10), hosts=[SyslogHost(address, 11)]))
    assert verdict(audit._remote_host, dev).status.value == status


# A reason opens with the condition that decided it (the assessor reads the first words in a long table), then
# names the accounts, lines or algorithms at stake. Survivors of the session-8 mutation sample (wording changed).
def _user(name, privilege, line, tag="t", length=12, common=False, named=False, storage=PasswordStorage.HASH):
    from scanner.secrets import PasswordTraits
    return LocalUser(name=name, line=line, storage=storage, lines=[line], privilege=privilege,
                     is_admin=privilege is not None and privilege >= 3,
                     password_traits=PasswordTraits(length, common, named, tag))


def test_every_account_with_a_privilege_is_named_with_its_level():
    from checks.network import access_control as acc
    v = verdict(acc._roles, device(users=[_user("admin", 15, 3), _user("mon", 1, 5)]))
    assert v.status.value == "pass" and v.reason_zh.startswith("账户均已分配权限：admin(15)、mon(1)")
    assert v.reason_en.startswith("every account has an explicit privilege") and [e.line for e in v.evidence] == [3, 5]


def test_least_privilege_without_a_local_administrator_says_so_first():
    from checks.network import access_control as acc
    v = verdict(acc._least_privilege, device(users=[_user("mon", 1, 5)]))
    assert v.status.value == "manual" and v.reason_en.startswith("no local administrator")
    assert v.reason_zh.startswith("无本地管理员账户") and cited(v) == [(5, "config line 5")]


def test_md5_beside_clear_text_names_md5_and_its_accounts():
    from checks.network import data_protection as dp
    dev = device(users=[_user("admin", 15, 3, storage=PasswordStorage.WEAK_HASH),
                        _user("ops", 15, 4, storage=PasswordStorage.PLAINTEXT)])
    v = dp._strong_hash.evaluate(Facts({k: dev for k in dp._strong_hash.needs}, {"config": CONFIG}, str), Policy())
    assert v.status.value == "pass" and v.reason_en.startswith("MD5-crypt") and v.reason_en.endswith(": admin")
    assert v.reason_zh.startswith("MD5弱散列（admin）") and cited(v) == [(3, "config line 3")]


def test_weak_and_shared_passwords_are_two_clauses_each_naming_its_accounts():
    dev = device(users=[_user("admin", 15, 3, length=5), _user("a", 15, 4, tag="s"), _user("b", 15, 6, tag="s")])
    v = verdict(ident._weak_password, dev)
    assert v.status.value == "fail"
    assert v.reason_zh.startswith("弱口令账户：admin；多个账户使用相同口令：a、b")
    assert v.reason_en.startswith("weak passwords: admin; same password on: a, b")
    assert [ln for ln, _ in cited(v)] == [3, 4, 6]


def test_ssh_v1_accepted_names_both_versions():
    dev = device(ssh=SshServer(enabled=Toggle(True, 14), v1_allowed=Toggle(True, 15)), telnet=Toggle(False, 16),
                 http=Toggle(False, 17), mgmt_lines=[MgmtLine(kind="vty", name="vty 0 4", line=20, auth="password")])
    v = verdict(services._ssh, dev)
    assert v.status.value == "fail" and cited(v) == [(15, "config line 15")]
    for reason in (v.reason_zh, v.reason_en):
        assert "SSHv1" in reason and "SSHv2" in reason


def test_no_release_no_advisory_match_and_no_handshake_offline_say_why():
    from checks.network import lifecycle, ssh_algorithms
    from scanner.equipment import EquipmentFacts
    v = lifecycle._advisories.evaluate(Facts({"equipment": EquipmentFacts(model="S5700", release=None)}, {}, str),
                                       Policy())
    assert v.status.value == "manual" and v.reason_en.startswith("software release unknown")
    assert "软件版本" in v.reason_zh
    off = ssh_algorithms._strong.evaluate(Facts({}, {}, str), Policy())
    assert off.status.value == "not_applicable" and off.reason_en.startswith("no SSH handshake")
    assert "SSH握手" in off.reason_zh


def test_every_local_account_with_a_password_is_cited():
    dev = device(users=[_user("admin", 15, 3), _user("ops", 2, 7)])
    v = verdict(ident._empty_password, dev)
    assert v.status.value == "pass" and cited(v) == [(3, "config line 3"), (7, "config line 7")]


def test_lines_on_release_defaults_are_each_named():
    lines = [MgmtLine(kind="vty", name="vty 0 4", line=6, auth=None, lines=[6]),
             MgmtLine(kind="vty", name="vty 5 9", line=9, auth=None, lines=[9])]
    v = verdict(ident._mgmt_lines, device(mgmt_lines=lines))
    assert v.status.value == "manual" and v.reason_en.endswith("): vty 0 4, vty 5 9")
    assert v.reason_zh.endswith("：vty 0 4、vty 5 9") and cited(v) == [(6, "config line 6"), (9, "config line 9")]


def test_no_anonymous_console_says_so_first():
    from checks.network import access_control as acc
    console = MgmtLine(kind="console", name="con 0", line=4, auth="password", lines=[4])
    v = verdict(acc._anonymous, device(mgmt_lines=[console]))
    assert v.status.value == "not_applicable" and v.reason_en.startswith("no console or AUX line gives")
    assert v.reason_en.endswith("administrator rights without a login")
    assert v.reason_zh.startswith("无无需登录即具管理员权限的")


def test_https_web_management_is_named_as_the_encrypted_path():
    dev = device(ssh=SshServer(enabled=Toggle(False, 2)), https=Toggle(True, 5), web_login=Toggle(True, 5),
                 mgmt_lines=[MgmtLine(kind="vty", name="vty 0 4", line=7, auth="aaa", protocols=frozenset({"ssh"}))])
    v = verdict(services._encrypted_path, dev)
    assert v.status.value == "pass" and cited(v) == [(5, "config line 5")]
    assert v.reason_en.startswith("HTTPS web management") and v.reason_zh.startswith("可通过HTTPS加密Web管理")


def test_a_confirmed_advisory_is_noted_by_its_own_fields_only():
    # the note shows the advisory id, the vendor's advisory number when there is one, its title, why the release is
    # affected and the source: an advisory without a vendor number shows no placeholder for it
    from checks.network import lifecycle
    from scanner.equipment import Advisory
    adv = Advisory(id="CVE-2017-17250", advisory=None, title="HTTP server overflow", severity="high", cvss=None,
                   fixed_in=None, source="https://example.invalid/sa", why="release in range")
    v = lifecycle._advisories.evaluate(Facts({"equipment": _equipment(confirmed=[adv])}, {}, str), Policy())
    assert v.status.value == "fail" and [e.source for e in v.evidence] == ["advisory"]
    assert v.evidence[0].text.split() == ["CVE-2017-17250", "HTTP", "server", "overflow", "—", "release", "in",
                                          "range;", "source:", "https://example.invalid/sa"]
    assert v.reason_en.startswith("release V200R005C00SPC500 has known high-risk vulnerabilities: CVE-2017-17250")
    from scanner.equipment import EquipmentFacts
    unknown = lifecycle._advisories.evaluate(Facts({"equipment": EquipmentFacts(model="S5700", release=None)}, {},
                                                   str), Policy())
    assert unknown.status.value == "manual" and unknown.reason_zh.startswith("配置中未包含软件版本")


def test_reasons_of_logging_time_monitoring_and_redundancy_open_with_their_finding():
    from checks.network import resilience
    from scanner.facts import Snmp
    ntp = verdict(audit._ntp, device(ntp_servers=[8, 9]))
    assert ntp.status.value == "pass" and ntp.reason_en.startswith("time is synchronised by NTP")
    assert ntp.reason_zh.startswith("已配置2个NTP时间源") and cited(ntp) == [(8, "config line 8"), (9, "config line 9")]
    itf = Interface(name="Vlanif1", line=3, physical=False, shutdown=False, addresses=["10.0.0.1"])
    own = verdict(audit._remote_host, device(interfaces=[itf], logging=Logging(enabled=Toggle(True, 10),
                                                                                hosts=[SyslogHost("10.0.0.1", 11)])))
    assert own.status.value == "fail" and own.reason_en.startswith("the log hosts are the device itself (10.0.0.1: ")
    snmp = verdict(resilience._monitoring, device(snmp=Snmp(enabled=True, versions=frozenset({"v3"}), lines=[5])))
    assert snmp.status.value == "pass" and snmp.reason_en.startswith("SNMP enabled for central monitoring")
    red = verdict(resilience._redundancy, device(redundancy_lines=[12]))
    assert red.status.value == "pass" and red.reason_en.startswith("redundancy evidence (stack/IRF/VRRP")


def test_high_risk_services_are_each_named():
    dev = device(ftp=Toggle(True, 4), tftp=Toggle(True, 5))
    v = verdict(services._high_risk_services, dev)
    assert v.status.value == "fail" and v.reason_en.startswith("high-risk services enabled: FTP, TFTP")
    assert v.reason_zh.startswith("开启了高危服务：FTP服务、TFTP服务")


def test_snmp_with_its_communities_removed_says_so_first():
    from scanner.facts import Snmp
    v = verdict(services._snmp_default_community, device(snmp=Snmp(enabled=True, versions=None)))
    assert v.status.value == "manual" and v.reason_en.startswith("SNMP is on but the configuration shows no community")


def test_ssh_state_unknown_and_v1_by_default_say_so():
    unknown = verdict(services._ssh, device(ssh=SshServer(enabled=Toggle(None)), telnet=Toggle(False, 2)))
    assert unknown.status.value == "manual" and unknown.reason_en.startswith("SSH server state not in the config")
    v1 = verdict(services._ssh, device(ssh=SshServer(enabled=Toggle(True, 14), v1_allowed=Toggle(True))))
    assert v1.status.value == "fail" and [(e.source, e.text) for e in v1.evidence] == [
        ("scanner", "SSHv1 compatibility on")]


def test_weak_ssh_algorithms_reason_opens_with_the_finding_in_both_languages():
    from checks.network import ssh_algorithms
    rec = {"offered": {"cipher": ["aes128-cbc", "aes256-ctr"]}}
    v = ssh_algorithms._strong.evaluate(Facts({"ssh_algorithms": rec}, {}, str), Policy())
    assert v.status.value == "fail" and v.reason_zh.startswith("SSH服务提供弱算法：加密算法 aes128-cbc")
    assert v.reason_en.startswith("the SSH server offers weak algorithms: cipher aes128-cbc")


def test_no_stored_credential_and_hashed_passwords_are_said():
    from checks.network import data_protection as dp
    none = device(users=[_user("admin", 15, 3, storage=PasswordStorage.NONE)])
    v = dp._not_plaintext.evaluate(Facts({k: none for k in dp._not_plaintext.needs}, {"config": CONFIG}, str), Policy())
    assert v.status.value == "manual" and v.reason_en.startswith("no login credential is stored")
    assert v.reason_en.endswith("how the device stores one is not shown")
    hashed = device(users=[_user("admin", 15, 3, length=12), _user("ops", 15, 4, storage=PasswordStorage.HASH)])
    hashed.users[1].password_traits = None
    ok = verdict(ident._weak_password, hashed)
    assert ok.status.value == "pass" and "1个口令以不可逆方式存储" in ok.reason_zh


@pytest.mark.parametrize("web, status", [(0, "fail"), (300, "pass"), (601, "fail")])
def test_web_sessions_that_never_time_out_fail(web, status):
    # 8.1.4.1.b: web management sessions are logins too; a web idle timeout of 0 means never
    line = MgmtLine(kind="vty", name="vty 0 4", line=6, auth="aaa", idle_timeout_s=300, lines=[6])
    dev = device(mgmt_lines=[line], https=Toggle(True, 8), web_idle_timeout_s=web, web_idle_timeout_line=9)
    v = verdict(ident._idle_timeout, dev)
    assert v.status.value == status
    if status == "fail":
        assert "web" in v.reason_en and (9, "config line 9") in cited(v)


@pytest.mark.parametrize("kind, signals", [("aux", ("local_only",)), ("console", ("local_only",)), ("vty", ())])
def test_a_weak_line_password_on_local_lines_only_is_local(kind, signals):
    from scanner.secrets import PasswordTraits
    line = MgmtLine(kind=kind, name=f"{kind} 0", line=6, auth="password", lines=[6],
                    password_traits=PasswordTraits(4, False, False, "t"))
    v = verdict(ident._weak_password, device(mgmt_lines=[line]))
    assert v.status.value == "fail" and tuple(v.signals) == signals


def test_possible_advisories_are_each_noted():
    from checks.network import lifecycle
    from scanner.equipment import Advisory
    adv = [Advisory(id=i, advisory=None, title="t", severity="high", cvss=None, fixed_in=None, source=None,
                    why="needs the feature") for i in ("CVE-1", "CVE-2")]
    v = lifecycle._advisories.evaluate(Facts({"equipment": _equipment(possible=adv)}, {}, str), Policy())
    assert v.status.value == "manual" and [e.text.split()[0] for e in v.evidence] == ["CVE-1", "CVE-2"]
    assert v.reason_en.endswith("CVE-1, CVE-2")


def test_a_probed_default_community_is_said_in_both_languages():
    from scanner.facts import Snmp
    from scanner.snmp_facts import SnmpExposure
    dev = device(snmp=Snmp(enabled=True, versions=frozenset({"v2c"})))
    v = services._snmp_default_community.evaluate(Facts({"device.snmp": dev, "snmp_exposure": SnmpExposure(True)},
                                                        {"config": CONFIG}, str), Policy())
    assert v.status.value == "fail" and "默认SNMP团体名" in v.reason_zh and "default SNMP community" in v.reason_en
    assert v.evidence[0].text.startswith("SNMPv2c GET with a well-known community")


def test_rights_through_the_shared_enable_password_cite_it():
    from checks.network import access_control as acc
    from scanner.facts import LocalUser
    enable = LocalUser(name="enable", line=2, storage=PasswordStorage.HASH, lines=[2])
    dev = device(users=[_user("ops", 1, 5), _user("mon", 1, 7)], enable_secret=enable)
    v = verdict(acc._separation, dev)
    assert v.status.value == "fail" and "enable" in v.reason_en
    assert cited(v) == [(2, "config line 2"), (5, "config line 5"), (7, "config line 7")]


@pytest.mark.parametrize("access, acl, flagged", [("rw", None, True), ("ro", None, False), ("rw", "2000", False)])
def test_only_a_read_write_community_without_an_acl_is_a_management_acl_problem(access, acl, flagged):
    # 访问控制 / 8.1.4.1.c: a community that can change the configuration is a management path; read-only is not
    from scanner.facts import Snmp, SnmpCommunity
    dev = device(snmp=Snmp(enabled=True, versions=frozenset({"v2c"}),
                           communities=[SnmpCommunity(access=access, line=4, acl=acl)]))
    v = verdict(services._mgmt_acl, dev)
    assert ("a read-write SNMP community has no ACL" in v.reason_en) is flagged
    assert ((4, "config line 4") in cited(v)) is flagged


def test_strong_algorithms_without_a_negotiated_session_cite_nothing():
    from checks.network import ssh_algorithms
    v = ssh_algorithms._strong.evaluate(Facts({"ssh_algorithms": {"offered": {"kex": ["curve25519-sha256"]}}}, {}, str),
                                        Policy())
    assert v.status.value == "pass" and not v.evidence
