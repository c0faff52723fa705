"""Boundary tables for the network-device checks (issue 15 must-have 2): each threshold or condition below, at and
above its edge. The values come from the standard and the vendor documents, not from the code:

- MLPS-L3.md §2.2 / §2.9 (GB/T 28448-2019 指导书 [S1]): password >= 8 characters with >= 2 character classes; changed
  within 3 months (90 days); lockout after <= 5 failures, locked >= 5 minutes (300 s); idle sessions closed within
  5-15 minutes, <= 10 minutes (600 s) in the H3C list; a weak password is shorter than 6 characters [S4, S5].
- MLPS-L3.md §2.2 通信传输 / 入侵防范: management over SSH v2 / HTTPS only; SNMP v1/v2c send communities in clear, SNMPv3
  must use authPriv without MD5/DES; default communities (public/private) and read-write communities without ACL are
  the T/ISEAA 6.4.2.1 case.
The checks are pure functions of the facts: each case builds the facts a parser would give and calls the check.
"""
from __future__ import annotations

import pytest

from checks.network import identification as ident
from checks.network import services
from scanner.checkkit import Facts
from scanner.facts import (
    Lockout, MgmtLine, NetworkDevice, PasswordPolicy, Snmp, SnmpCommunity, SnmpUser, Toggle,
)
from scanner.policy import Policy
from scanner.secrets import PasswordTraits


def status(check, dev: NetworkDevice, **extra) -> str:
    values = {k: dev for k in check.needs}
    values.update(extra)
    return check.evaluate(Facts(values, {"config": ["x"] * 20}, str), Policy()).status.value


def device(**kw) -> NetworkDevice:
    dev = NetworkDevice(platform="test")
    for k, v in kw.items():
        setattr(dev, k, v)
    return dev


# 身份鉴别 a): minimum length 8 (S1: "至少在8位以上"), at least two character classes
@pytest.mark.parametrize("length, classes, want", [
    (7, 2, "fail"), (8, 2, "pass"), (9, 2, "pass"),
    (8, 1, "fail"), (8, 3, "pass"), (12, 0, "fail"),
])
def test_password_length_and_classes(length, classes, want):
    dev = device(password_policy=PasswordPolicy(enabled=True, min_length=length, min_classes=classes))
    assert status(ident._complexity, dev) == want


@pytest.mark.parametrize("policy, want", [
    (PasswordPolicy(enabled=False, min_length=12, min_classes=4), "fail"),   # H3C values inert while disabled
    (PasswordPolicy(enabled=True, min_length=None, min_classes=2), "manual"),  # release default, not in the file
    (PasswordPolicy(enabled=True, min_length=8, min_classes=None), "manual"),
])
def test_password_policy_off_or_unknown(policy, want):
    assert status(ident._complexity, device(password_policy=policy)) == want


# 身份鉴别 a): change within 3 months = 90 days (S1 "3-6个月", H3C/Linux "≤90天"); 0 = never expires
@pytest.mark.parametrize("days, want", [(89, "pass"), (90, "pass"), (91, "fail"), (1, "pass"), (0, "fail"),
                                        (None, "manual")])
def test_password_lifetime_days(days, want):
    assert status(ident._expiry, device(password_policy=PasswordPolicy(max_age_days=days))) == want


# 身份鉴别 b): lock after at most 5 failures (S1 "连续登录失败5次"), for at least 5 minutes; 0 = until an admin unlocks
@pytest.mark.parametrize("attempts, seconds, want", [
    (4, 300, "pass"), (5, 300, "pass"), (6, 300, "fail"),
    (5, 299, "fail"), (5, 301, "pass"), (5, 1800, "pass"), (5, 0, "pass"), (5, None, "pass"),
    (1, 60, "fail"),
])
def test_lockout_attempts_and_lock_time(attempts, seconds, want):
    dev = device(lockout=Lockout(enabled=True, max_attempts=attempts, lock_seconds=seconds))
    assert status(ident._lockout, dev) == want


@pytest.mark.parametrize("lockout, want", [(Lockout(enabled=False), "fail"), (Lockout(enabled=None), "manual"),
                                           (Lockout(enabled=True, max_attempts=None), "manual")])
def test_lockout_off_or_unknown(lockout, want):
    assert status(ident._lockout, device(lockout=lockout)) == want


def _line(kind: str, timeout: int | None, **kw) -> MgmtLine:
    return MgmtLine(kind=kind, name=f"{kind} 0", line=1, auth="aaa", idle_timeout_s=timeout, lines=[1], **kw)


# 身份鉴别 b): idle sessions close within 10 minutes (600 s; S1 "5~15分钟", H3C ≤ 600 s); 0 = never
@pytest.mark.parametrize("seconds, want", [(599, "pass"), (600, "pass"), (601, "fail"), (300, "pass"),
                                           (0, "fail"), (None, "manual")])
def test_idle_timeout_seconds(seconds, want):
    dev = device(mgmt_lines=[_line("console", 300), _line("vty", seconds)])
    assert status(ident._idle_timeout, dev) == want


def test_idle_timeout_every_line_counts():
    # one line within the limit does not excuse another that never times out
    assert status(ident._idle_timeout, device(mgmt_lines=[_line("vty", 300), _line("console", 0)])) == "fail"


# weak password: shorter than 6 characters (S4/S5), a common/default one, or the account's own name
@pytest.mark.parametrize("length, common, equals_name, want", [
    (5, False, False, "fail"), (6, False, False, "pass"), (7, False, False, "pass"),
    (12, True, False, "fail"), (12, False, True, "fail"),
])
def test_weak_password_rules(length, common, equals_name, want):
    from scanner.facts import LocalUser, PasswordStorage
    user = LocalUser(name="ops", line=1, storage=PasswordStorage.PLAINTEXT, lines=[1],
                     password_traits=PasswordTraits(length, common, equals_name, "t1"))
    dev = device(users=[user])
    assert status(ident._weak_password, dev) == want


def test_one_password_on_two_accounts_is_shared():
    from scanner.facts import LocalUser, PasswordStorage
    users = [LocalUser(name=n, line=i, storage=PasswordStorage.PLAINTEXT, lines=[i],
                       password_traits=PasswordTraits(12, False, False, "same")) for i, n in ((1, "a"), (2, "b"))]
    assert status(ident._weak_password, device(users=users)) == "fail"


# 通信传输 / 入侵防范: SNMP v3 only; any v1/v2c version or community sends it in clear
@pytest.mark.parametrize("versions, communities, want", [
    (frozenset({"v3"}), [], "pass"),
    (frozenset({"v2c", "v3"}), [], "fail"),
    (frozenset({"v1"}), [], "fail"),
    (frozenset({"v3"}), [SnmpCommunity(access="ro", line=2, acl="10")], "fail"),
    (None, [], "manual"),
])
def test_snmp_versions(versions, communities, want):
    dev = device(snmp=Snmp(enabled=True, versions=versions, communities=communities))
    assert status(services._snmp_v3, dev) == want


def test_snmp_off_is_not_v1():
    assert status(services._snmp_v3, device(snmp=Snmp(enabled=False))) == "pass"


# SNMPv3 must be authPriv, without MD5 or DES (MLPS-L3.md §2.3 / §2.5: `privacy`/`priv`, SHA + AES)
@pytest.mark.parametrize("auth, priv, want", [
    ("sha", "aes128", "pass"), ("sha2-256", "aes256", "pass"),
    ("sha", None, "fail"), (None, "aes128", "fail"), ("md5", "aes128", "fail"),
    ("sha", "des56", "fail"), ("sha", "3des", "pass"),
])
def test_snmpv3_user_algorithms(auth, priv, want):
    dev = device(snmp=Snmp(enabled=True, versions=frozenset({"v3"}), users=[SnmpUser("nms", 3, auth, priv)]))
    assert status(services._snmp_priv, dev) == want


# T/ISEAA 6.4.2.1 / 入侵防范 b): default communities and read-write communities without an ACL
@pytest.mark.parametrize("community, want", [
    (SnmpCommunity(access="ro", line=2, well_known=True), "fail"),
    # a read-write community without an ACL is an access-control defect (mgmt_access_restricted, 8.1.4.4.c),
    # not a default credential: this check judges publicly known names only (issue 9 must-have 5)
    (SnmpCommunity(access="rw", line=2, acl=None), "pass"),
    (SnmpCommunity(access="rw", line=2, acl="2001"), "pass"),
    (SnmpCommunity(access="ro", line=2, acl=None), "pass"),
    (SnmpCommunity(access="ro", line=2, name_hidden=True), "manual"),
])
def test_snmp_community_rules(community, want):
    dev = device(snmp=Snmp(enabled=True, versions=frozenset({"v2c"}), communities=[community]))
    assert status(services._snmp_default_community, dev) == want


def test_no_community_is_not_applicable():
    dev = device(snmp=Snmp(enabled=True, versions=frozenset({"v3"})))
    assert status(services._snmp_default_community, dev) == "not_applicable"


# 身份鉴别 c): remote management over SSH v2 only; SSH off while Telnet or HTTP is on is no encrypted management
@pytest.mark.parametrize("ssh, v1, telnet, http, want", [
    (True, False, False, False, "pass"),
    (True, True, False, False, "fail"),
    (True, None, False, False, "manual"),
    (False, None, True, False, "fail"),
    (False, None, False, True, "fail"),
    (False, None, False, False, "pass"),       # no remote management at all
    (False, None, None, False, "manual"),      # Telnet state rests on a release default
    (None, None, False, False, "manual"),
])
def test_ssh_version_and_clear_text_alternatives(ssh, v1, telnet, http, want):
    from scanner.facts import SshServer
    dev = device(ssh=SshServer(enabled=Toggle(ssh, 1), v1_allowed=Toggle(v1, 2)), telnet=Toggle(telnet, 3),
                 http=Toggle(http, 4))
    assert status(services._ssh, dev) == want


# 入侵防范 c): management access restricted by source address; an ACL that permits any source restricts nothing
@pytest.mark.parametrize("rules, want", [
    ([("permit", "10.0.0.0 0.0.0.255"), ("deny", "any")], "pass"),
    ([("permit", "any")], "fail"),
    ([], "fail"),
])
def test_vty_acl(rules, want):
    from scanner.facts import Acl, AclRule
    acl = Acl(name="2001", line=5, rules=[AclRule(a, s, 6 + i) for i, (a, s) in enumerate(rules)])
    vty = MgmtLine(kind="vty", name="vty 0 4", line=1, auth="aaa", protocols=frozenset({"ssh"}), acl_in="2001",
                   lines=[1])
    assert status(services._mgmt_acl, device(mgmt_lines=[vty], acls={"2001": acl})) == want


# A port scan that reaches Telnet (23, or its alternative 2323) decides whatever the configuration says; another
# clear-text port (FTP 21, HTTP 80) is not Telnet and leaves the Telnet verdict to the configuration.
@pytest.mark.parametrize("ports, want", [({23}, "fail"), ({2323}, "fail"), ({21}, "pass"), ({80}, "pass"),
                                         ({22}, "pass"), (set(), "pass")])
def test_telnet_reached_by_the_port_scan(ports, want):
    from scanner.facts import SshServer
    dev = device(telnet=Toggle(False, 1), ssh=SshServer(enabled=Toggle(True, 2)))
    facts = Facts({"device.mgmt": dev, "device.services": dev, "open_ports": ports}, {"config": ["x"] * 5}, str)
    v = services._telnet.evaluate(facts, Policy())
    assert v.status.value == want
    if want == "fail":
        assert "Telnet" in v.reason_zh and "Telnet" in v.reason_en and v.evidence[0].source == "ports"


@pytest.mark.parametrize("ports, want", [({21}, "fail"), ({445}, "fail"), ({23}, "fail"), ({22}, "pass"),
                                         ({443}, "pass")])
def test_high_risk_port_reached_by_the_port_scan(ports, want):
    dev = device(ftp=Toggle(False, 1), tftp=Toggle(False, 2))
    facts = Facts({"device.services": dev, "open_ports": ports}, {"config": ["x"] * 5}, str)
    v = services._high_risk_services.evaluate(facts, Policy())
    assert v.status.value == want
    if want == "fail":
        assert str(next(iter(ports))) in v.reason_en and v.evidence[0].source == "ports"


def test_every_high_risk_port_found_by_the_scan_is_named():
    dev = device(ftp=Toggle(False, 1), tftp=Toggle(False, 2))
    facts = Facts({"device.services": dev, "open_ports": {23, 21, 22}}, {"config": ["x"] * 5}, str)
    v = services._high_risk_services.evaluate(facts, Policy())
    assert v.status.value == "fail"
    assert v.reason_en.startswith("port scan found high-risk ports reachable: 21, 23")
    assert "21/" in v.reason_zh and "、23/" in v.reason_zh and "22" not in v.reason_zh
    assert [e.source for e in v.evidence] == ["ports", "ports"]


# 身份鉴别 c) asks how remote management protects credentials in transit; with every vty line refusing logins, a web
# listener whose login the configuration cannot show to succeed proves no remote path either (Catalyst 3850: HTTPS
# with `ip http authentication local` and no account): the item is asked, not passed. A web login that is decided
# possible (True) is a remote path, and the Telnet verdict then rests on the Telnet toggle.
@pytest.mark.parametrize("http, https, web_login, want", [
    (False, False, True, "manual"),      # no listener at all
    (False, True, None, "manual"),       # HTTPS on, its login undecided
    (True, False, None, "manual"),       # HTTP on, its login undecided
    (False, True, True, "pass"),         # HTTPS on and its login works: a remote path, Telnet is off
    (True, True, False, "manual"),       # web logins shown impossible: no remote path at all
])
def test_no_proven_remote_path_beside_refusing_vty_lines(http, https, web_login, want):
    vty = MgmtLine(kind="vty", name="vty 0 4", line=1, auth="refused", lines=[1])
    dev = device(mgmt_lines=[vty], telnet=Toggle(False, 2), http=Toggle(http, 3), https=Toggle(https, 4),
                 web_login=Toggle(web_login, 3))
    assert status(services._telnet, dev) == want


# T/ISEAA 6.4.2.1: a device answering a well-known community is a default credential (a high-risk signal), whether
# the config shows the community or only the live probe does
@pytest.mark.parametrize("communities", [[], [SnmpCommunity(access="ro", line=2, well_known=True)]])
def test_a_probed_default_community_is_a_default_credential(communities):
    from scanner.snmp_facts import SnmpExposure
    dev = device(snmp=Snmp(enabled=True, versions=frozenset({"v2c"}), communities=communities))
    facts = Facts({"device.snmp": dev, "snmp_exposure": SnmpExposure(True)}, {"config": ["x"] * 5}, str)
    v = services._snmp_default_community.evaluate(facts, Policy())
    assert (v.status.value, tuple(v.signals)) == ("fail", ("default_credential",))
    assert v.evidence[0].source == "snmp" and [e.line for e in v.evidence[1:]] == [c.line for c in communities]
    quiet = Facts({"device.snmp": dev, "snmp_exposure": SnmpExposure(False)}, {"config": ["x"] * 5}, str)
    assert services._snmp_default_community.evaluate(quiet, Policy()).status.value == ("fail" if communities
                                                                                       else "pass")


def test_the_encrypted_path_cites_the_ssh_switch_and_the_vty_lines_taking_ssh():
    """The evidence of an SSH path is the line that enables the server and the vty lines that accept SSH (`protocol
    inbound ssh`, `transport input ssh`), not a vty that takes Telnet only or refuses logins."""
    from scanner.facts import SshServer
    vtys = [MgmtLine(kind="vty", name="vty 0 4", line=7, auth="aaa", protocols=frozenset({"ssh"})),
            MgmtLine(kind="vty", name="vty 5 9", line=9, auth="aaa", protocols=frozenset({"telnet"})),
            MgmtLine(kind="vty", name="vty 10 14", line=11, auth="refused", protocols=frozenset({"ssh"})),
            MgmtLine(kind="vty", name="vty 15 15", line=13, auth="aaa", protocols=frozenset({"ssh", "telnet"}))]
    dev = device(ssh=SshServer(enabled=Toggle(True, 3)), mgmt_lines=vtys)
    facts = Facts({"device.services": dev, "device.mgmt": dev}, {"config": ["x"] * 20}, str)
    v = services._encrypted_path.evaluate(facts, Policy())
    assert v.status.value == "pass" and [e.line for e in v.evidence] == [3, 7, 13]
    telnet_only = device(ssh=SshServer(enabled=Toggle(True, 3)), mgmt_lines=vtys[1:3], telnet=Toggle(True, 4))
    facts = Facts({"device.services": telnet_only, "device.mgmt": telnet_only}, {"config": ["x"] * 20}, str)
    assert services._encrypted_path.evaluate(facts, Policy()).status.value == "fail"


def judge(check, dev, **extra):
    values = {k: dev for k in check.needs}
    values.update(extra)
    return check.evaluate(Facts(values, {"config": ["x"] * 30}, str), Policy())


# 入侵防范 b) / 通信传输: FTP sends passwords and files in clear (vendor default: off on VRP/Comware/IOS unless enabled)
@pytest.mark.parametrize("ftp, want", [(Toggle(None), "manual"), (Toggle(False, 4), "not_applicable"),
                                       (Toggle(True, 4), "fail"), (Toggle(True, None, "release default"), "fail")])
def test_ftp_server(ftp, want):
    v = judge(services._ftp, device(ftp=ftp))
    assert v.status.value == want
    if want == "fail":
        assert [e.line for e in v.evidence] == [4] if ftp.line else "release default" in v.evidence[0].text


# SNMP v1/v2c send communities in clear: v3 only; the versions named, the version and community lines cited
@pytest.mark.parametrize("snmp, want, named", [
    (Snmp(enabled=False), "pass", None),
    (Snmp(enabled=True, versions=None, lines=[3]), "manual", None),
    (Snmp(enabled=True, versions=frozenset({"v2c", "v3"}), versions_line=3,
          communities=[SnmpCommunity(access="ro", line=4)]), "fail", "v2c"),
    (Snmp(enabled=True, versions=frozenset({"v1", "v2c"}), versions_line=3), "fail", "v1/v2c"),
    (Snmp(enabled=True, versions=frozenset({"v3"}), versions_line=3, communities=[SnmpCommunity(access="ro",
                                                                                               line=4)]),
     "fail", "v1/v2c"),
    (Snmp(enabled=True, versions=frozenset({"v3"}), versions_line=3, v3_groups_priv=[5]), "pass", None),
])
def test_snmp_v3_only(snmp, want, named):
    v = judge(services._snmp_v3, device(snmp=snmp))
    assert v.status.value == want
    if named:
        assert f"SNMP {named} " in v.reason_en and f"SNMP {named}，" in v.reason_zh
        assert [e.line for e in v.evidence] == [3] + [c.line for c in snmp.communities]
    if want == "pass" and snmp.enabled:
        assert [e.line for e in v.evidence] == [3, 5]


# SNMPv3 authPriv, neither MD5 authentication nor DES privacy (MLPS-L3.md §2.2 通信传输)
@pytest.mark.parametrize("user, groups_weak, want", [
    (SnmpUser("u", 6, auth="sha", priv="aes128"), [], "pass"),
    (SnmpUser("u", 6, auth="SHA2-256", priv="AES256"), [], "pass"),
    (SnmpUser("u", 6, auth="md5", priv="aes128"), [], "fail"),
    (SnmpUser("u", 6, auth="MD5", priv="aes128"), [], "fail"),
    (SnmpUser("u", 6, auth="sha", priv="des"), [], "fail"),
    (SnmpUser("u", 6, auth="sha", priv="DES56"), [], "fail"),
    (SnmpUser("u", 6, auth="sha", priv="3des"), [], "pass"),
    (SnmpUser("u", 6, auth="sha", priv=None), [], "fail"),
    (SnmpUser("u", 6, auth=None, priv=None), [], "fail"),
    (None, [7], "fail"),
    (None, [], "not_applicable"),
])
def test_snmp_v3_auth_priv(user, groups_weak, want):
    snmp = Snmp(enabled=True, versions=frozenset({"v3"}), users=[user] if user else [], v3_groups_weak=groups_weak)
    v = judge(services._snmp_priv, device(snmp=snmp))
    assert v.status.value == want
    if want in ("pass", "fail") and (user or groups_weak):
        assert [e.line for e in v.evidence] == groups_weak + ([6] if user else [])
    v2 = judge(services._snmp_priv, device(snmp=Snmp(enabled=True, versions=frozenset({"v2c"}))))
    assert v2.status.value == "not_applicable"


# 入侵防范 b): high-risk services; an enabled one listens (the high-risk signal) unless it is the Telnet listener no
# line lets log in
@pytest.mark.parametrize("ftp, tftp, legacy, want, signals", [
    (Toggle(False), Toggle(False), {}, "pass", ()),
    (Toggle(None), Toggle(False), {}, "manual", ()),
    (Toggle(True, 5), Toggle(False), {}, "fail", ("service_listening",)),
    (Toggle(False), Toggle(True, 6), {}, "fail", ("service_listening",)),
    (Toggle(False), Toggle(False), {"finger": Toggle(True, 7)}, "fail", ("service_listening",)),
    (Toggle(False), Toggle(False), {"telnet_listener": Toggle(True, 8)}, "fail", ()),
    (Toggle(False), Toggle(False), {"finger": Toggle(False, 7), "pad": Toggle(True, 9)}, "pass", ()),
])
def test_high_risk_services_and_the_listening_signal(ftp, tftp, legacy, want, signals):
    v = judge(services._high_risk_services, device(ftp=ftp, tftp=tftp, legacy_services=legacy))
    assert (v.status.value, tuple(v.signals)) == (want, signals)
    if want == "fail":
        on = [t.line for t in (ftp, tftp, *legacy.values()) if t.enabled]
        assert [e.line for e in v.evidence] == on


@pytest.mark.parametrize("legacy, want", [
    ({}, "not_applicable"), ({"pad": Toggle(False), "bootp": Toggle(False), "source_route": Toggle(False),
                              "cdp": Toggle(False)}, "pass"),
    ({"pad": Toggle(False), "cdp": Toggle(None)}, "pass"),
    ({"pad": Toggle(True, 4), "cdp": Toggle(True, None, "default")}, "fail"),
])
def test_legacy_services(legacy, want):
    v = judge(services._legacy, device(legacy_services=legacy))
    assert v.status.value == want
    if want == "fail":
        assert "PAD服务、CDP协议" in v.reason_zh and "PAD, CDP" in v.reason_en
        assert v.evidence[0].line == 4 and "CDP: on (default)" in v.evidence[1].text


# 入侵防范 c): the SSH server's ACL limits an SSH-only vty; an undefined or empty ACL limits nothing
def test_mgmt_acl_from_the_ssh_server_and_undefined_acls():
    from scanner.facts import Acl, AclRule, SshServer
    acl = Acl(name="2001", line=5, rules=[AclRule("permit", "10.0.0.0 0.0.0.255", 6)])
    ssh_only = MgmtLine(kind="vty", name="vty 0 4", line=1, auth="aaa", protocols=frozenset({"ssh"}), lines=[1, 2])
    both = MgmtLine(kind="vty", name="vty 0 4", line=1, auth="aaa", protocols=frozenset({"ssh", "telnet"}),
                    lines=[1, 2])
    ssh = SshServer(enabled=Toggle(True, 3), acl="2001", acl_line=3)
    assert judge(services._mgmt_acl, device(mgmt_lines=[ssh_only], acls={"2001": acl}, ssh=ssh)).status.value == \
        "pass"
    assert judge(services._mgmt_acl, device(mgmt_lines=[both], acls={"2001": acl}, ssh=ssh)).status.value == "fail"
    undefined = MgmtLine(kind="vty", name="vty 0 4", line=1, auth="aaa", protocols=frozenset({"ssh"}), acl_in="3000",
                         lines=[1, 2])
    v = judge(services._mgmt_acl, device(mgmt_lines=[undefined], acls={"2001": acl}))
    assert v.status.value == "fail" and "3000" in v.reason_en and [e.line for e in v.evidence] == [1, 2]
    refused = MgmtLine(kind="vty", name="vty 5 9", line=9, auth="refused", protocols=frozenset({"ssh"}))
    assert judge(services._mgmt_acl, device(mgmt_lines=[refused])).status.value == "manual"
    rw = judge(services._mgmt_acl, device(mgmt_lines=[refused], snmp=Snmp(
        enabled=True, communities=[SnmpCommunity(access="rw", line=12)])))
    assert rw.status.value == "fail" and [e.line for e in rw.evidence] == [12]


# 安全审计 c) / 8.1.5.4.d: records go to an independent log server (not the device: loopback, an own address, or
# those written IPv4-mapped); each host named, each line cited; logging switched off sends nothing
@pytest.mark.parametrize("hosts, enabled, want, named", [
    ([("10.9.9.9", 7)], True, "pass", "10.9.9.9"),
    ([("10.9.9.9", 7), ("10.9.9.10", 8)], True, "pass", "10.9.9.9、10.9.9.10"),
    ([("syslog.example", 7)], True, "pass", "syslog.example"),
    ([("127.0.0.1", 7)], True, "fail", "127.0.0.1：回环地址"),
    ([("::1", 7)], True, "fail", "::1：回环地址"),
    ([("::ffff:127.0.0.1", 7)], True, "fail", "回环地址"),
    ([("10.1.1.1", 7)], True, "fail", "10.1.1.1：设备自身接口地址"),
    ([("::ffff:10.1.1.1", 7)], True, "fail", "设备自身接口地址"),
    ([("10.1.1.1", 7), ("10.9.9.9", 8)], True, "pass", "10.9.9.9"),
    ([("10.9.9.9", 7)], False, "fail", "日志功能关闭"),
    ([], True, "fail", "未配置日志服务器"),
])
def test_remote_log_host_is_independent(hosts, enabled, want, named):
    from scanner.facts import Interface, Logging, SyslogHost
    from checks.network import audit
    dev = device(logging=Logging(enabled=Toggle(enabled, 3), hosts=[SyslogHost(a, ln) for a, ln in hosts]),
                 interfaces=[Interface("Vlanif10", 10, False, False, addresses=["10.1.1.1"])])
    v = judge(audit._remote_host, dev)
    assert v.status.value == want and named in v.reason_zh
    if want == "pass":
        assert [e.line for e in v.evidence] == [ln for a, ln in hosts if a != "10.1.1.1"]
        assert all(a in v.reason_en for a, _ in hosts if a != "10.1.1.1")
    elif hosts and enabled is False:
        assert [e.line for e in v.evidence] == [3, 7]
    elif hosts:
        assert [e.line for e in v.evidence] == [7]


@pytest.mark.parametrize("servers, want", [([], "fail"), ([9], "pass"), ([9, 10], "pass")])
def test_ntp_servers(servers, want):
    from checks.network import audit
    v = judge(audit._ntp, device(ntp_servers=servers))
    assert v.status.value == want
    if servers:
        assert f"{len(servers)}个NTP" in v.reason_zh and [e.line for e in v.evidence] == servers


@pytest.mark.parametrize("toggle, want", [(Toggle(True, 4), "pass"), (Toggle(False, 4), "fail"),
                                          (Toggle(None), "manual")])
def test_logging_switches(toggle, want):
    from scanner.facts import Logging
    from checks.network import audit
    for check, field in ((audit._logging_on, "enabled"), (audit._timestamps, "timestamps_datetime"),
                         (audit._login_events, "login_events")):
        v = judge(check, device(logging=Logging(**{field: toggle})))
        assert v.status.value == want, check.id


# 数据保密性 b): no credential stored in clear or reversibly (Cisco type 0/7, VRP/Comware `simple`/`cipher`); each
# named with its form, its line cited; an unknown form is left to review
def _dp(users=(), enable=None, lines=(), keys=()):
    from scanner.facts import Aaa
    return device(users=list(users), enable_secret=enable, mgmt_lines=list(lines), aaa=Aaa(keys=list(keys)))


def test_credentials_stored_in_clear_or_reversibly_are_named_with_their_form():
    from scanner.facts import LocalUser, PasswordStorage as PS
    from checks.network import data_protection as dp
    dev = _dp(users=[LocalUser("ops", 4, PS.PLAINTEXT), LocalUser("adm", 5, PS.HASH)],
              enable=LocalUser("enable", 6, PS.REVERSIBLE),
              lines=[MgmtLine(kind="vty", name="vty 0 4", line=8, password_storage=PS.REVERSIBLE, password_line=9)],
              keys=[(PS.PLAINTEXT, 11), (PS.HASH, 12)])
    v = judge(dp._not_plaintext, dev)
    assert v.status.value == "fail"
    assert v.reason_zh.endswith("ops(明文)、enable(可逆加密)、vty 0 4线路口令(可逆加密)、AAA服务器共享密钥(明文)")
    assert v.reason_en.endswith("ops, enable, vty 0 4 line password, AAA server shared key")
    assert [e.line for e in v.evidence] == [4, 6, 9, 11]


@pytest.mark.parametrize("storages, want", [
    (["hash", "weak_hash"], "pass"), (["hash", "unknown"], "manual"), (["none", "none"], "manual"),
    (["none", "hash"], "pass"), ([], "pass"),
])
def test_credential_storage_verdicts(storages, want):
    from scanner.facts import LocalUser, PasswordStorage as PS
    from checks.network import data_protection as dp
    users = [LocalUser(f"u{i}", 4 + i, PS(s)) for i, s in enumerate(storages)]
    v = judge(dp._not_plaintext, _dp(users=users))
    assert v.status.value == want
    if want == "manual" and "unknown" in storages:
        assert "u1" in v.reason_zh and [e.line for e in v.evidence] == [5]
    if want == "pass" and users:
        assert [e.line for e in v.evidence] == [u.line for u in users]


@pytest.mark.parametrize("storages, want", [(["plaintext"], "not_applicable"), (["hash"], "pass"),
                                            (["weak_hash"], "fail"), (["hash", "weak_hash"], "fail")])
def test_password_hash_strength(storages, want):
    from scanner.facts import LocalUser, PasswordStorage as PS
    from checks.network import data_protection as dp
    users = [LocalUser(f"u{i}", 4 + i, PS(s)) for i, s in enumerate(storages)]
    v = judge(dp._strong_hash, _dp(users=users))
    assert v.status.value == want
    if want == "fail":
        assert f"u{storages.index('weak_hash')}" in v.reason_zh
    if want == "not_applicable":    # the reader learns why nothing was judged: no password is stored as a hash
        assert "no hashed password" in v.reason_en and "散列" in v.reason_zh


# Survivors of the seed-12 sample (issue 15 round 2): boundaries at their edge, and reasons naming the deciding
# condition in their opening words (or the value after the label), never a whole-string snapshot.
def test_central_aaa_review_cites_the_aaa_lines():
    # 身份鉴别 a)/b) under central AAA: the assessor reviews the server named by the `aaa` lines the evidence gives
    from scanner.facts import Aaa
    dev = device(aaa=Aaa(remote_login=True, servers=[3], lines=[3, 4, 5, 6]), lockout=Lockout(enabled=False))
    v = judge(ident._aaa_review, dev)
    assert v.status.value == "manual" and [e.line for e in v.evidence] == [3, 4, 5]


def test_unstated_password_policy_values_are_named():
    v = judge(ident._complexity, device(password_policy=PasswordPolicy(enabled=True, min_length=None, min_classes=2)))
    assert v.status.value == "manual" and v.reason_zh.startswith("口令策略取值未在配置中体现")


def test_idle_timeout_failure_lists_each_line_with_its_value():
    v = judge(ident._idle_timeout, device(mgmt_lines=[_line("console", 0), _line("vty", 900)]))
    assert v.status.value == "fail" and v.reason_zh.startswith("登录连接超时退出未满足（≤600秒）：")
    assert v.reason_zh.split("：", 1)[1].split("、") == ["console 0:永不超时", "vty 0:900秒"]


# a shared line password is a password too: weak below 6 characters (S4/S5), not at 6
@pytest.mark.parametrize("length, want", [(5, "fail"), (6, "pass"), (7, "pass")])
def test_weak_line_password_length_edge(length, want):
    from scanner.facts import PasswordStorage
    line = _line("vty", 300, password_traits=PasswordTraits(length, False, False, "l1"), password_line=2,
                 password_storage=PasswordStorage.PLAINTEXT)
    assert status(ident._weak_password, device(mgmt_lines=[line])) == want


def test_possible_advisories_cite_the_advisory_catalogue():
    from checks.network import lifecycle
    from scanner.equipment import Advisory, EquipmentFacts
    adv = Advisory(id="CVE-2020-1", advisory=None, title="t", severity="high", cvss=None, fixed_in=None,
                   source=None, why="precondition unknown")
    eq = EquipmentFacts(model="S5700-28C-EI", release="V200R005C00SPC500", possible=[adv])
    v = lifecycle._advisories.evaluate(Facts({"equipment": eq}, {}, str), Policy())
    assert v.status.value == "manual" and v.reason_en.endswith(": CVE-2020-1")
    assert [e.source for e in v.evidence] == ["advisory"]


def test_unsupported_equipment_without_replacement_names_none():
    from datetime import date

    from checks.network import lifecycle
    from scanner.equipment import EquipmentFacts, Lifecycle
    lc = Lifecycle(match="S5700-*-EI", end_of_sale=date(2017, 1, 1), end_of_support=date(2020, 6, 30),
                   replacement=None, source="https://support.example/eos", low_confidence=False)
    eq = EquipmentFacts(model="S5700-28C-EI", release="V200R005C00SPC500", lifecycle=lc, support_ended=True)
    v = lifecycle._support.evaluate(Facts({"equipment": eq}, {}, str), Policy())
    assert v.status.value == "fail" and v.reason_zh.endswith("需更换设备")


def test_all_high_risk_services_off_is_named():
    dev = device()
    dev.ftp, dev.tftp = Toggle(False, 3), Toggle(False, 4)
    v = judge(services._high_risk_services, dev)
    assert v.status.value == "pass" and v.reason_zh.startswith("FTP/TFTP等高危服务已关闭")


# SNMPv1 authenticates by community exactly as v2c does (RFC 1157 / RFC 3584): a v1 agent is community SNMP in use
@pytest.mark.parametrize("versions", [{"v1"}, {"v2c"}, {"v1", "v3"}])
def test_snmp_v1_is_community_snmp(versions):
    dev = device(snmp=Snmp(enabled=True, versions=frozenset(versions)))
    assert status(services._snmp_default_community, dev) != "not_applicable"


def test_unstated_snmp_versions_are_named():
    v = judge(services._snmp_v3, device(snmp=Snmp(enabled=True, versions=None, lines=[5])))
    assert v.status.value == "manual" and v.reason_en.startswith("SNMP versions not stated")


@pytest.mark.parametrize("model, eos, ended, want", [
    (None, "2020-06-30", True, "manual"),          # model unknown: nothing to look up
    ("S5700-28C-EI", None, False, "not_applicable"),    # no lifecycle entry for the model
    ("S5700-28C-EI", "", False, "not_applicable"),      # an entry without an end-of-support date
    ("S5700-28C-EI", "2020-06-30", True, "fail"),       # past end of support: no more security patches
    ("S5700-28C-EI", "2030-06-30", False, "pass"),      # still supported
])
def test_equipment_support_status(model, eos, ended, want):
    # a device past its vendor's end of support gets no security patches (GB/T 22239 8.1.4.4 vulnerabilities found
    # and patched in time); without the model or a known end-of-support date it cannot be judged as either
    # (seed-13 survivor lifecycle._support 19: a verdict change)
    from datetime import date

    from checks.network import lifecycle
    from scanner.equipment import EquipmentFacts, Lifecycle
    lc = None if eos is None else Lifecycle(
        match="S5700-*-EI", end_of_sale=date(2017, 1, 1), end_of_support=date.fromisoformat(eos) if eos else None,
        replacement=None, source="https://support.example/eos", low_confidence=False)
    eq = EquipmentFacts(model=model, release="V200R005C00SPC500", lifecycle=lc, support_ended=ended)
    v = lifecycle._support.evaluate(Facts({"equipment": eq}, {}, str), Policy())
    assert v.status.value == want and v.reason_zh and v.reason_en


@pytest.mark.parametrize("user", [SnmpUser("u", 6, auth="sha", priv=None), SnmpUser("u", 6, auth="md5", priv="des"),
                                  SnmpUser("u", 6, auth="sha", priv="aes128")])
def test_snmp_v3_verdict_says_why_in_both_languages(user):
    # the report prints a Chinese and an English reason for every verdict (seed-21 survivor services._snmp_priv 38)
    v = judge(services._snmp_priv, device(snmp=Snmp(enabled=True, versions=frozenset({"v3"}), users=[user])))
    assert isinstance(v.reason_zh, str) and "SNMPv3" in v.reason_zh and isinstance(v.reason_en, str) and v.reason_en


# Session 11 (mut11n), seed-41 survivors of checks/network/services.py. The evidence a reader checks a verdict
# against: an SSHv2-only pass cites the line that turns the server on and the one that refuses SSHv1 (`ip ssh version
# 2`, `undo ssh server compatible-ssh1x enable`); a Telnet failure cites the server switch and the lines of every vty
# that takes Telnet logins (`protocol inbound telnet|all`, `transport input telnet`), not those that take SSH only.
def test_an_sshv2_only_pass_cites_the_server_and_the_v1_refusal():
    from scanner.facts import SshServer
    vty = [MgmtLine(kind="vty", name="vty 0 4", line=7, auth="aaa", protocols=frozenset({"ssh"}))]
    dev = device(ssh=SshServer(enabled=Toggle(True, 3), v1_allowed=Toggle(False, 5)), mgmt_lines=vty,
                 telnet=Toggle(False, 4), http=Toggle(False, 6))
    v = judge(services._ssh, dev)
    assert v.status.value == "pass" and [e.line for e in v.evidence] == [3, 5]


def test_a_telnet_failure_cites_the_vty_lines_taking_telnet():
    vtys = [MgmtLine(kind="vty", name="vty 0 4", line=7, auth="aaa", protocols=frozenset({"telnet", "ssh"}),
                     lines=[7, 8]),
            MgmtLine(kind="vty", name="vty 5 9", line=10, auth="aaa", protocols=frozenset({"ssh"}), lines=[10, 11])]
    v = judge(services._telnet, device(telnet=Toggle(True, 4), mgmt_lines=vtys))
    assert v.status.value == "fail" and [e.line for e in v.evidence] == [4, 7, 8]


# An unknown state is said to be unknown, naming what is unknown first, in both languages (a manual verdict asks the
# assessor to find out exactly that)
@pytest.mark.parametrize("field, zh, en", [("enabled", "日志功能", "logging"),
                                           ("login_events", "登录事件", "whether logins are logged"),
                                           ("timestamps_datetime", "日志时间戳", "log timestamp")])
def test_an_unknown_logging_state_is_named_as_unknown(field, zh, en):
    from scanner.facts import Logging
    from checks.network import audit
    check = {"enabled": audit._logging_on, "login_events": audit._login_events,
             "timestamps_datetime": audit._timestamps}[field]
    v = judge(check, device(logging=Logging(**{field: Toggle(None)})))
    assert v.status.value == "manual"
    assert v.reason_zh.startswith(zh) and "未知" in v.reason_zh
    assert v.reason_en.startswith(en) and "unknown" in v.reason_en


def test_an_unknown_ftp_server_leaves_the_high_risk_services_to_review_and_says_so():
    dev = device()
    dev.ftp, dev.tftp = Toggle(None), Toggle(False, 4)
    v = judge(services._high_risk_services, dev)
    assert v.status.value == "manual" and v.reason_zh.startswith("FTP") and "未知" in v.reason_zh
    assert v.reason_en.startswith("FTP") and "unknown" in v.reason_en


# Seed 42. With no SSH/HTTPS path and no clear-text one: when every switch is known to be off there is no remote
# management to protect in transit (not applicable); when one is left to a release default, whether a path exists
# is not known (manual, verify live)
@pytest.mark.parametrize("unknown, want", [(None, "not_applicable"), ("ssh", "manual"), ("telnet", "manual"),
                                           ("http", "manual"), ("https", "manual")])
def test_no_remote_path_known_or_left_to_defaults(unknown, want):
    from scanner.facts import SshServer
    switches = {k: Toggle(None if unknown == k else False, n) for n, k in enumerate(("telnet", "http", "https"), 4)}
    ssh = SshServer(enabled=Toggle(None if unknown == "ssh" else False, 3))
    dev = device(ssh=ssh, ftp=Toggle(False, 7), **switches)
    assert judge(services._encrypted_path, dev).status.value == want


# A pass of no default community cites the community lines it judged (the reader checks each name is no default)
def test_no_default_community_pass_cites_the_communities():
    dev = device(snmp=Snmp(enabled=True, versions=frozenset({"v2c"}),
                           communities=[SnmpCommunity(access="ro", line=5), SnmpCommunity(access="ro", line=6)]))
    v = judge(services._snmp_default_community, dev)
    assert v.status.value == "pass" and [e.line for e in v.evidence] == [5, 6]


# Log hosts that are the device itself (a loopback address, one of its own interface addresses) are no independent
# log server (8.1.4.3.c): each is named with why, as one item of the list
def test_each_self_pointing_log_host_is_named_with_why():
    from checks.network import audit
    from scanner.facts import Interface, Logging, SyslogHost
    dev = device(logging=Logging(hosts=[SyslogHost("127.0.0.1", 5), SyslogHost("10.0.0.1", 6)]),
                 interfaces=[Interface(name="Vlanif10", line=3, physical=False, shutdown=False,
                                       addresses=["10.0.0.1"])])
    v = judge(audit._remote_host, dev)
    assert v.status.value == "fail" and [e.line for e in v.evidence] == [5, 6]
    listed = v.reason_zh[v.reason_zh.index("（") + 1:v.reason_zh.index("）")].split("、")
    assert [x.split("：")[0] for x in listed] == ["127.0.0.1", "10.0.0.1"], v.reason_zh
    listed = v.reason_en[v.reason_en.index("(") + 1:v.reason_en.index(")")].split(", ")
    assert [x.split(": ")[0] for x in listed] == ["127.0.0.1", "10.0.0.1"], v.reason_en


# Login events switched off (8.1.4.3.a: audit covers important security events, logins first): the failure opens by
# saying logins are not recorded, in both languages
def test_unlogged_login_events_fail_saying_so():
    from scanner.facts import Logging
    from checks.network import audit
    v = judge(audit._login_events, device(logging=Logging(login_events=Toggle(False, 4))))
    assert v.status.value == "fail" and [e.line for e in v.evidence] == [4]
    assert v.reason_zh.startswith("未记录登录") and "not logged" in v.reason_en
