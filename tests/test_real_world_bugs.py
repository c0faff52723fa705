"""Bugs seen on real configurations (issue 9), each with a minimal config per vendor and its siblings."""
from __future__ import annotations

import pytest

from scanner.engine import ScanContext, assess_config_bytes

VRP = "sysname {name}\n#\ninterface Vlanif10\n ip address 10.0.10.1 255.255.255.0\n#\n{body}\n#\nreturn\n"
COMWARE = " sysname {name}\n#\ninterface Vlan-interface10\n ip address 10.0.10.1 255.255.255.0\n#\n{body}\n#\nreturn\n"
IOS = "hostname {name}\n!\ninterface Vlan10\n ip address 10.0.10.1 255.255.255.0\n ipv6 address 2001:DB8::1/64\n!\n{body}\n!\nend\n"
TEMPLATES = {"huawei_vrp": VRP, "hp_comware": COMWARE, "cisco_ios": IOS}


@pytest.fixture(scope="module")
def ctx():
    return ScanContext.default()


def finding(ctx, platform: str, body: str, check: str):
    text = TEMPLATES[platform].format(name="d1", body=body).encode()
    asset = assess_config_bytes(text, ctx, platform, "d1", "d1.cfg")
    assert asset.status.value == "assessed", asset.reason
    return next(f for f in asset.findings if f.check == check)


LOG = "logging_remote_host_configured"


@pytest.mark.parametrize("platform, body, status", [
    ("huawei_vrp", "info-center loghost 127.0.0.1", "fail"),           # loopback: the device itself
    ("huawei_vrp", "info-center loghost 10.0.10.1", "fail"),           # its own Vlanif address
    ("huawei_vrp", "info-center loghost 10.0.10.20", "pass"),          # a server on that subnet
    ("huawei_vrp", "info-center loghost 127.0.0.1\ninfo-center loghost 192.0.2.5", "pass"),
    ("hp_comware", "info-center loghost 127.0.0.1", "fail"),
    ("hp_comware", "info-center loghost 10.0.10.1", "fail"),
    ("hp_comware", "info-center loghost 192.0.2.5", "pass"),
    ("cisco_ios", "logging host 127.0.0.1", "fail"),
    ("cisco_ios", "logging host 127.5.5.5", "fail"),                   # all of 127.0.0.0/8
    ("cisco_ios", "logging host ipv6 ::1", "fail"),
    ("cisco_ios", "logging host 10.0.10.1", "fail"),
    ("cisco_ios", "logging host ipv6 2001:db8::1", "fail"),            # own IPv6 address, other spelling
    ("cisco_ios", "logging host 192.0.2.5", "pass"),
    ("cisco_ios", "logging host syslog.example.net", "pass"),          # a name is a server
])
def test_a_log_host_on_the_device_itself_is_no_log_server(ctx, platform, body, status):
    f = finding(ctx, platform, body, LOG)
    assert f.status.value == status, (f.reason_en, [e.text for e in f.evidence])
    if status == "fail" and "127.0.0.1" in body and "192.0.2.5" not in body:
        assert "loopback" in f.reason_en


def test_only_the_real_log_server_is_cited(ctx):
    f = finding(ctx, "huawei_vrp", "info-center loghost 127.0.0.1\ninfo-center loghost 192.0.2.5", LOG)
    assert [e.text for e in f.evidence] == ["info-center loghost 192.0.2.5"]


NTP = "time_sync_configured"


@pytest.mark.parametrize("platform, body, status", [
    ("huawei_vrp", "ntp-service server disable", "fail"),               # the server role off: no time source
    ("huawei_vrp", "ntp-service server disable\nntp-service ipv6 server disable", "fail"),
    ("huawei_vrp", "ntp-service server disable\nntp-service unicast-server 192.0.2.123", "pass"),
    ("huawei_vrp", "ntp server disable", "fail"),                         # VRP8 spelling
    ("huawei_vrp", "ntp server disable\nntp unicast-server 192.0.2.123", "pass"),
    ("huawei_vrp", "ntp-service ipv6 unicast-server 2001:db8::123", "pass"),
    ("hp_comware", "ntp-service enable\nntp-service unicast-server 192.0.2.123", "pass"),
    ("hp_comware", "ntp-service enable", "fail"),
    ("cisco_ios", "ntp server 192.0.2.123", "pass"),
    ("cisco_ios", "ntp master 3", "fail"),                                # serving time is no time source
])
def test_ntp_server_role_is_not_a_time_source(ctx, platform, body, status):
    f = finding(ctx, platform, body, NTP)
    assert f.status.value == status, (f.reason_en, [e.text for e in f.evidence])
    if status == "pass":
        assert all("disable" not in e.text for e in f.evidence)


TELNET, FTP, SSH2 = "remote_mgmt_telnet_disabled", "high_risk_services_disabled", "remote_mgmt_ssh_v2_only"


@pytest.mark.parametrize("platform, body, check, status", [
    # IPv4 off, IPv6 on, in either order: Telnet is on
    ("huawei_vrp", "telnet server disable\ntelnet ipv6 server enable", TELNET, "fail"),
    ("huawei_vrp", "telnet ipv6 server enable\ntelnet server disable", TELNET, "fail"),
    ("huawei_vrp", "telnet server disable\ntelnet ipv6 server disable", TELNET, "pass"),
    ("huawei_vrp", "telnet ipv6 server disable\ntelnet server disable", TELNET, "pass"),
    ("huawei_vrp", "undo telnet server enable\nundo telnet ipv6 server enable", TELNET, "pass"),
    ("huawei_vrp", "undo telnet server enable\ntelnet ipv6 server enable", TELNET, "fail"),
    ("hp_comware", "telnet ipv6 server enable\nundo telnet server enable", TELNET, "fail"),
    ("hp_comware", "undo telnet server enable\nundo telnet ipv6 server enable", TELNET, "pass"),
    ("huawei_vrp", "ftp ipv6 server enable\nundo ftp server enable\ntelnet server disable", FTP, "fail"),
    ("hp_comware", "ftp ipv6 server enable\nundo ftp server enable", FTP, "fail"),
    ("hp_comware", "undo ftp server enable\nundo ftp ipv6 server enable", FTP, "pass"),
])
def test_ipv4_and_ipv6_servers_are_separate_switches(ctx, platform, body, check, status):
    f = finding(ctx, platform, body, check)
    assert f.status.value == status, (f.reason_en, [e.text for e in f.evidence])


VRP8_USERS = """aaa
 local-user admin password irreversible-cipher $1c$abcdefghijklmnopqrstuvwxyz0123456789$
 local-user admin service-type ssh
 local-user admin level 3
 local-user admin state block fail-times 3 interval 5
"""


def test_vrp8_state_block_with_fail_times_is_a_lockout_policy_not_a_blocked_account(ctx):
    text = VRP.format(name="ce1", body=VRP8_USERS).encode()
    asset = assess_config_bytes(text, ctx, "huawei_vrp", "ce1", "ce1.cfg")
    lockout = next(f for f in asset.findings if f.check == "login_lockout_enabled")
    assert lockout.status.value == "pass", lockout.reason_en
    assert any("fail-times 3" in e.text for e in lockout.evidence)
    # the account is still an administrator every user check sees (not a disabled account left out)
    individual = next(f for f in asset.findings if f.check == "passwords_not_plaintext")
    assert individual.status.value == "pass" and any("local-user admin" in e.text for e in individual.evidence)


def test_plain_state_block_still_blocks_the_account(ctx):
    body = VRP8_USERS.replace(" local-user admin state block fail-times 3 interval 5\n",
                              " local-user admin state block\n")
    text = VRP.format(name="ce1", body=body).encode()
    from scanner import platforms
    dev = platforms.get("huawei_vrp").parse_config(text.decode().split("\n"))
    assert [u.disabled for u in dev.users if u.name == "admin"] == [True]
    assert dev.lockout.enabled is not True


AAA = "aaa new-model\naaa authentication login default group tacacs+ local\n{lists}username admin privilege 15 secret 9 $9$abcdefghijklmn$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ\n"


def _cisco_lines(ctx, lists: str, con: str, vty: str):
    body = AAA.format(lists=lists) + f"line con 0\n{con}line vty 0 4\n{vty} transport input ssh\n"
    text = IOS.format(name="r1", body=body).encode()
    asset = assess_config_bytes(text, ctx, "cisco_ios", "r1", "r1.cfg")
    return {f.check: f for f in asset.findings}


@pytest.mark.parametrize("lists, con, vty, login_required, individual", [
    # a named list that says `none`: the console logs in without authentication
    ("aaa authentication login CON none\n", " login authentication CON\n", "", "fail", "pass"),
    # `line`: the shared line password
    ("aaa authentication login VTY line\n", "", " password 7 0822455D0A16\n login authentication VTY\n", "pass", "fail"),
    # `enable`: the shared enable password
    ("aaa authentication login VTY enable\n", "", " login authentication VTY\n", "pass", "fail"),
    # `local` and `group` are individual accounts
    ("aaa authentication login VTY local\n", "", " login authentication VTY\n", "pass", "pass"),
    ("", "", "", "pass", "pass"),                                        # default list: group tacacs+ local
    # a named list that is not defined: not decidable from the config
    ("", "", " login authentication NOSUCH\n", "manual", "manual"),
])
def test_cisco_login_resolved_per_line_through_its_method_list(ctx, lists, con, vty, login_required, individual):
    f = _cisco_lines(ctx, lists, con, vty)
    assert f["auth_login_required"].status.value == login_required, f["auth_login_required"].reason_en
    assert f["auth_individual_accounts"].status.value == individual, f["auth_individual_accounts"].reason_en


def test_cisco_central_aaa_only_when_the_vty_list_uses_a_server_group(ctx):
    local_vty = _cisco_lines(ctx, "aaa authentication login VTY local\n", "", " login authentication VTY\n")
    assert local_vty["aaa_server_policy_reviewed"].status.value == "not_applicable"
    group_vty = _cisco_lines(ctx, "", "", "")
    assert group_vty["aaa_server_policy_reviewed"].status.value == "manual"


RED = "device_redundancy_present"


@pytest.mark.parametrize("body, status", [
    ("redundancy\n mode none", "manual"),                 # no standby supervisor: no redundancy evidence
    ("redundancy", "manual"),                             # no mode at all
    ("redundancy\n mode sso", "pass"),
    ("switch 1 provision c9300-48p", "manual"),           # a stack of one
    ("switch 1 provision c9300-48p\nswitch 2 provision c9300-48p", "pass"),
    ("stackwise-virtual\n domain 1", "pass"),
])
def test_cisco_redundancy_needs_a_second_unit(ctx, body, status):
    f = finding(ctx, "cisco_ios", body, RED)
    assert f.status.value == status, (f.reason_en, [e.text for e in f.evidence])


def _cisco(ctx, body: str):
    text = IOS.format(name="r1", body=body).encode()
    a = assess_config_bytes(text, ctx, "cisco_ios", "r1", "r1.cfg")
    return a, {f.check: f for f in a.findings}


def test_cisco_vty_login_without_a_password_refuses_every_login(ctx):
    a, f = _cisco(ctx, "line con 0\n login\n password 0 Console#2024x\nline vty 0 4\n login\n transport input telnet ssh")
    assert f["remote_mgmt_telnet_disabled"].status.value == "manual"      # no remote path at all
    assert "refuse" in f["remote_mgmt_telnet_disabled"].reason_en
    assert a.fleet.remote_mgmt != "unrestricted"
    assert not [h for h in a.high_risks if h.id in ("6.4.1.2", "6.4.1.3", "6.5.1.1")]
    a, f = _cisco(ctx, "line vty 0 4\n login\n password 0 Vty#2024xyz\n transport input telnet ssh")
    assert f["remote_mgmt_telnet_disabled"].status.value == "fail"        # with a password it is a way in


@pytest.mark.parametrize("body, status", [
    ("login on-success log", "fail"),                                     # failures go unrecorded
    ("login on-failure log", "pass"),
    ("login on-success log\nlogin on-failure log", "pass"),
    ("login on-failure log\nlogin on-success log", "pass"),
])
def test_cisco_login_failures_must_be_logged(ctx, body, status):
    _, f = _cisco(ctx, body)
    assert f["login_events_logged"].status.value == status


@pytest.mark.parametrize("body, not_plain, strong, item", [
    ("username a privilege 15 password 0 Xx#12345678", "fail", "not_applicable", "noncompliant"),   # nothing hashed
    ("username a privilege 15 secret 9 $9$abcdefghijklmn$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ\n"
     "tacacs server T1\n address ipv4 192.0.2.9\n key 7 113D39061611184123306676786161", "fail", "pass", "partial"),
    ("username a privilege 15 secret 9 $9$abcdefghijklmn$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ\n"
     "tacacs server T1\n address ipv4 192.0.2.9\n key 6 SRhGUd^PJcZMQdXLaCVNGWMhCeOfeSPFAAB", "pass", "pass", "compliant"),
    ("username a privilege 15 secret 9 $9$abcdefghijklmn$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ\n"
     "radius-server host 192.0.2.8 key Clear#Key99", "fail", "pass", "partial"),
    ("username a privilege 15 secret 9 $9$abcdefghijklmn$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ\n"
     "line con 0\n password *****\n login", "fail", "pass", "partial"),     # a clear line password
])
def test_cisco_stored_credentials_include_line_passwords_and_aaa_keys(ctx, body, not_plain, strong, item):
    a, f = _cisco(ctx, body)
    assert f["passwords_not_plaintext"].status.value == not_plain, f["passwords_not_plaintext"].reason_en
    assert f["password_hash_strong"].status.value == strong
    assert next(c.result.value for c in a.controls if c.id == "8.1.4.8.b") == item


def test_cisco_smart_install_client_is_a_high_risk_service(ctx):
    a, f = _cisco(ctx, "vstack")
    assert f["high_risk_services_disabled"].status.value == "fail" and "Smart Install" in f["high_risk_services_disabled"].reason_en
    assert any(h.id == "6.4.3.1" for h in a.high_risks)
    _, f = _cisco(ctx, "no vstack")
    assert f["high_risk_services_disabled"].status.value == "pass"


def test_cisco_no_line_with_an_account_is_no_individual_login(ctx):
    _, f = _cisco(ctx, "line con 0\n no login\nline vty 0 4\n login\n transport input ssh")
    assert f["auth_individual_accounts"].status.value == "fail"
    _, f = _cisco(ctx, "username a privilege 15 secret 9 $9$abcdefghijklmn$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ\n"
                       "line vty 0 4\n login local\n transport input ssh\nline vty 5 15\n no login\n transport input none")
    assert f["auth_individual_accounts"].status.value == "pass"           # a line with no transport is no way in
