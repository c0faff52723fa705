"""Bugs seen on real configurations (issue 9), each with a minimal config per vendor and its siblings."""
from __future__ import annotations

import pytest

from scanner.engine import ScanContext, assess_config_bytes

from conftest import COMWARE, VRP

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


# --- Huawei VRP / H3C Comware bugs from the real corpus (tests/fixtures/real/DISAGREEMENTS.yaml) ---

@pytest.mark.parametrize("platform, body, check, status", [
    # only the IPv6 server is switched off: the IPv4 server is at its release default (unknown on VRP)
    ("huawei_vrp", "telnet ipv6 server disable", TELNET, "manual"),
    ("huawei_vrp", "undo telnet ipv6 server enable", TELNET, "manual"),
    ("huawei_vrp", "ftp ipv6 server disable\ntelnet server disable", TELNET, "pass"),
    ("hp_comware", "undo telnet ipv6 server enable", TELNET, "manual"),     # release unknown: no default known
])
def test_an_ipv6_switch_alone_leaves_the_ipv4_server_at_its_default(ctx, platform, body, check, status):
    f = finding(ctx, platform, body, check)
    assert f.status.value == status, (f.reason_en, [e.text for e in f.evidence])


VTY_TELNET_ONLY = {
    "huawei_vrp": "telnet server enable\nstelnet server enable\nuser-interface vty 0 4\n authentication-mode aaa\n"
                  " protocol inbound telnet",
    "hp_comware": "telnet server enable\nssh server enable\nline vty 0 63\n authentication-mode scheme\n"
                  " protocol inbound telnet",
}


@pytest.mark.parametrize("platform", sorted(VTY_TELNET_ONLY))
def test_ssh_server_on_but_no_vty_accepts_ssh_is_no_ssh_management(ctx, platform):
    f = finding(ctx, platform, VTY_TELNET_ONLY[platform], SSH2)
    assert f.status.value == "fail", (f.reason_en, [e.text for e in f.evidence])
    assert any("protocol inbound telnet" in e.text for e in f.evidence)
    from scanner import platforms
    text = TEMPLATES[platform].format(name="d1", body=VTY_TELNET_ONLY[platform])
    dev = platforms.get(platform).parse_config(text.split("\n"))
    assert dev.ssh.enabled.enabled is False and "no vty line accepts" in dev.ssh.enabled.note
    both = platforms.get(platform).parse_config(text.replace("inbound telnet", "inbound all").split("\n"))
    assert both.ssh.enabled.enabled is True


@pytest.mark.parametrize("platform, body, status", [
    ("huawei_vrp", "stack", "manual"),                                       # an empty stack view: one unit
    ("huawei_vrp", "interface Eth-Trunk1\n mode lacp", "manual"),            # link aggregation is no second device
    ("huawei_vrp", "interface GigabitEthernet0/0/1\n eth-trunk 1", "manual"),
    ("huawei_vrp", "interface Vlanif20\n vrrp vrid 1 virtual-ip 10.0.20.1", "pass"),
    ("huawei_vrp", "hrp enable", "pass"),
    ("huawei_vrp", "stack\n stack member 1 priority 200\n stack member 2 priority 100", "pass"),
    ("hp_comware", "interface Bridge-Aggregation1\n link-aggregation mode dynamic", "manual"),
    ("hp_comware", "interface GigabitEthernet1/0/1\n port link-aggregation group 1", "manual"),
    # Comware 7 prints these on every standalone box
    ("hp_comware", "irf mac-address persistent timer\nirf auto-update enable\nirf member 1 priority 1", "manual"),
    ("hp_comware", "irf member 1 priority 32\nirf member 2 priority 1", "pass"),
    ("hp_comware", "irf-port 1/1\n port group interface FortyGigE1/0/49\n#\nirf-port 2/2\n"
                   " port group interface FortyGigE2/0/49", "pass"),
])
def test_vrp_comware_redundancy_needs_a_second_device(ctx, platform, body, status):
    f = finding(ctx, platform, body, RED)
    assert f.status.value == status, (f.reason_en, [e.text for e in f.evidence])


COMMUNITY = "snmp_default_community_absent"


@pytest.mark.parametrize("platform, body, status", [
    # the cipher form hides the community name: it may be `public`
    ("huawei_vrp", "snmp-agent\nsnmp-agent community read cipher %^%#abcdefghijklmnopqrstuvwx%^%#", "manual"),
    ("huawei_vrp", "snmp-agent\nsnmp-agent community read public", "fail"),
    ("huawei_vrp", "snmp-agent\nsnmp-agent community read Xq7-mon acl 2000", "pass"),
    ("hp_comware", "snmp-agent\nsnmp-agent community read cipher $c$3$abcdefghijklmnop==", "manual"),
    # Comware 7 role form: `snmp-agent community [cipher|simple] NAME user-role ROLE`
    ("hp_comware", "snmp-agent\nsnmp-agent community simple public user-role network-operator", "fail"),
    ("hp_comware", "snmp-agent\nsnmp-agent community cipher $c$3$abcdefghijklmnop== user-role network-operator",
     "manual"),
])
def test_a_hidden_community_name_cannot_prove_no_default_community(ctx, platform, body, status):
    f = finding(ctx, platform, body, COMMUNITY)
    assert f.status.value == status, (f.reason_en, [e.text for e in f.evidence])


COMWARE7_VTY = """ version 7.1.070, Release 7585P05
 telnet server enable
 ssh server enable
local-user ops class manage
 password hash $h$6$abcdefghijklmnop
 service-type ssh
line vty 0 4
 authentication-mode scheme
 protocol inbound ssh
line vty 5 63
 user-role network-operator
"""


def test_comware_vty_in_password_mode_without_a_password_refuses_logins(ctx):
    """VTY 5-63 are in the Comware 7 default password mode with no password: no login, so no shared password and
    no Telnet path; VTY 0-4 take SSH only, so the enabled Telnet server gives no login."""
    telnet = finding(ctx, "hp_comware", COMWARE7_VTY, TELNET)
    assert telnet.status.value == "pass", (telnet.reason_en, [e.text for e in telnet.evidence])
    assert any("protocol inbound ssh" in e.text for e in telnet.evidence)
    individual = finding(ctx, "hp_comware", COMWARE7_VTY, "auth_individual_accounts")
    assert individual.status.value == "pass", individual.reason_en
    with_pw = COMWARE7_VTY + " set authentication password hash $h$6$abcdefghijklmnop\n"
    assert finding(ctx, "hp_comware", with_pw, TELNET).status.value == "fail"
    assert finding(ctx, "hp_comware", with_pw, "auth_individual_accounts").status.value == "fail"


CE_BOARD = "device board 1 board-type CE6880-24S4Q2CQ-EI\nstelnet server enable\ntelnet server disable"


@pytest.mark.parametrize("body, status", [
    (CE_BOARD, "pass"),                                              # VRP8: no compatible-ssh1x line = SSHv2 only
    (CE_BOARD + "\nssh server compatible-ssh1x enable", "fail"),
    (CE_BOARD.replace("CE6880", "S5720"), "manual"),                 # not a CloudEngine board: VRP5, unknown
])
def test_cloudengine_release_strings_are_vrp8(ctx, body, status):
    f = finding(ctx, "huawei_vrp", "!Software Version V200R005C10SPC800\n" + body, SSH2)
    assert f.status.value == status, (f.reason_en, [e.text for e in f.evidence])


@pytest.mark.parametrize("platform, body, status", [
    ("huawei_vrp", "", "manual"),                       # no SSH; Telnet/HTTP at release defaults: undecided
    ("huawei_vrp", "telnet server disable\nundo http server enable", "pass"),      # local management only
    ("huawei_vrp", "telnet server enable", "fail"),
])
def test_missing_ssh_fails_only_beside_a_remote_path(ctx, platform, body, status):
    f = finding(ctx, platform, body, SSH2)
    assert f.status.value == status, (f.reason_en, [e.text for e in f.evidence])


def test_a_telnet_listener_without_a_login_line_is_still_an_open_high_risk_port(ctx):
    """No vty accepts Telnet, so no credentials travel in clear (8.1.4.1.c holds), but TCP 23 still listens: an
    unneeded high-risk port under 8.1.4.4.b."""
    f = finding(ctx, "hp_comware", COMWARE7_VTY, FTP)
    assert f.status.value == "fail" and "Telnet server listening" in f.reason_en, f.reason_en
    assert any("telnet server enable" in e.text for e in f.evidence)
    closed = finding(ctx, "hp_comware", COMWARE7_VTY.replace(" telnet server enable\n", ""), FTP)
    assert closed.status.value == "pass", closed.reason_en


VRP_AAA = """aaa
 authentication-scheme default
  authentication-mode local
 authentication-scheme radius
  authentication-mode radius
 authentication-scheme 1-h
  authentication-mode hwtacacs local
 domain default
  authentication-scheme radius
 domain default_admin
  authentication-scheme default
 domain huawei
  authentication-scheme 1-h
 local-user noc password irreversible-cipher $1c$abcdefghijklmnopqrstuvwxyz0123456789$
 local-user noc privilege level 3
 local-user noc service-type ssh
{extra}"""
MFA = "admin_mfa_enabled"


@pytest.mark.parametrize("top, extra, status", [
    # RADIUS on `domain default` (access users); administrators log in through `default_admin`: local only
    ("", "", "fail"),
    # VRP5 `default-domain admin NAME` (in aaa) and V200R021 `domain NAME admin` (system view) pick the admin domain
    ("hwtacacs enable", " default-domain admin huawei", "manual"),
    ("domain huawei admin", "", "manual"),
    # `undo hwtacacs enable` switches HWTACACS off: the scheme falls through to local
    ("undo hwtacacs enable\ndomain huawei admin", "", "fail"),
    ("domain huawei admin\nundo hwtacacs enable", "", "fail"),                   # whatever the order
])
def test_vrp_central_aaa_only_on_the_administrators_domain(ctx, top, extra, status):
    f = finding(ctx, "huawei_vrp", top + "\n" + VRP_AAA.format(extra=extra), MFA)
    assert f.status.value == status, (f.reason_en, [e.text for e in f.evidence])


COMWARE_USER = "local-user admin class manage\n password hash $h$6$abcdefghijklmnop\n service-type ssh\n" \
               " authorization-attribute user-role network-admin\n#\n"


@pytest.mark.parametrize("body, status", [
    # a RADIUS domain users only reach as user@dot1x: logins without a domain use `system`, local here
    ("domain dot1x\n authentication login radius-scheme R1", "fail"),
    ("domain dot1x\n authentication login radius-scheme R1\n#\ndomain default enable dot1x", "manual"),
    ("domain system\n authentication login hwtacacs-scheme T1 local", "manual"),
    ("domain system\n authentication default hwtacacs-scheme T1 local", "manual"),
])
def test_comware_central_aaa_only_on_the_default_domain(ctx, body, status):
    f = finding(ctx, "hp_comware", COMWARE_USER + body, MFA)
    assert f.status.value == status, (f.reason_en, [e.text for e in f.evidence])


@pytest.mark.parametrize("platform, body, check, status", [
    # no community-based SNMP: the default-community sub-check has nothing to judge (it lifted 8.1.4.2.b)
    ("huawei_vrp", "", COMMUNITY, "not_applicable"),
    ("huawei_vrp", "snmp-agent\nsnmp-agent sys-info version v3", COMMUNITY, "not_applicable"),
    ("huawei_vrp", "snmp-agent\nsnmp-agent sys-info version v2c v3", COMMUNITY, "pass"),   # v2c on, no community
    ("hp_comware", "", COMMUNITY, "not_applicable"),
    ("cisco_ios", "", COMMUNITY, "not_applicable"),
    # nothing hashed (clear text only): no hash to judge, not a pass that lifts 8.1.4.8.b
    ("huawei_vrp", "aaa\n local-user admin password simple Adm1n-Xy9!", "password_hash_strong", "not_applicable"),
    ("huawei_vrp", "aaa\n local-user admin password irreversible-cipher $1c$abcdefghijklmnopqrstuvwxyz0123456789$",
     "password_hash_strong", "pass"),
    ("cisco_ios", "username admin privilege 15 password 0 Adm1n-Xy9!", "password_hash_strong", "not_applicable"),
])
def test_a_sub_check_with_nothing_to_judge_does_not_pass(ctx, platform, body, check, status):
    f = finding(ctx, platform, body, check)
    assert f.status.value == status, (f.reason_en, [e.text for e in f.evidence])


def test_factory_admin_without_snmp_is_noncompliant_not_partial(ctx):
    text = VRP.format(name="lsw", body="aaa\n local-user admin password simple admin\n"
                                        " local-user admin service-type http").encode()
    asset = assess_config_bytes(text, ctx, "huawei_vrp", "lsw", "lsw.cfg")
    items = {c.id: c.result.value for c in asset.controls}
    assert items["8.1.4.2.b"] == "noncompliant" and items["8.1.4.8.b"] == "noncompliant", items


@pytest.mark.parametrize("platform, body, status", [
    ("huawei_vrp", "aaa\n local-user admin password simple admin\n local-user admin service-type http", "fail"),
    ("cisco_ios", "username admin privilege 15 secret 9 $9$abcdefghijklmn$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ",
     "fail"),
    # an HWTACACS server may authorise commands per role: one local account of unknown level does not decide it
    ("huawei_vrp", "hwtacacs-server template T1\n hwtacacs-server authorization 192.0.2.9\n#\n"
                   "aaa\n local-user admin password irreversible-cipher $1c$abcdefghijklmnopqrstuvwxyz0123456789$",
     "manual"),
])
def test_one_account_cannot_separate_administrator_roles(ctx, platform, body, status):
    f = finding(ctx, platform, body, "admin_privilege_separated")
    assert f.status.value == status, (f.reason_en, [e.text for e in f.evidence])


FTP_MGMT = "remote_mgmt_ftp_disabled"
FTP_USER = "aaa\n local-user test123 password cipher %^%#abcdefghijklmnop%^%#\n local-user test123 privilege level 15\n" \
           " local-user test123 service-type ftp\n#\n"


@pytest.mark.parametrize("platform, body, status", [
    ("huawei_vrp", "ftp server enable\n" + FTP_USER, "fail"),      # credentials and files cross in clear
    ("huawei_vrp", "ftp ipv6 server enable", "fail"),
    ("huawei_vrp", "undo ftp server enable", "not_applicable"),    # off: no path (and no pass to lift an item)
    ("huawei_vrp", "", "not_applicable"),                           # VRP default: FTP server off
    ("hp_comware", "ftp server enable", "fail"),
    ("cisco_ios", "", "not_applicable"),
])
def test_an_ftp_server_is_a_clear_text_management_path(ctx, platform, body, status):
    f = finding(ctx, platform, body, FTP_MGMT)
    assert f.status.value == status, (f.reason_en, [e.text for e in f.evidence])


def test_ftp_management_decides_the_in_transit_items(ctx):
    text = VRP.format(name="ar", body="ftp server enable\n" + FTP_USER).encode()
    asset = assess_config_bytes(text, ctx, "huawei_vrp", "ar", "ar.cfg")
    items = {c.id: c.result.value for c in asset.controls}
    # Telnet, SSH and HTTP rest on release defaults: the FTP path alone decides
    assert items["8.1.4.1.c"] == "noncompliant" and items["8.1.5.4.b"] == "noncompliant", items


ADMIN = "aaa\n local-user admin password irreversible-cipher $1c$abcdefghijklmnopqrstuvwxyz0123456789$\n" \
        " local-user admin privilege level 15\n#\n"


@pytest.mark.parametrize("platform, body, raised", [
    # a vty without an authentication mode refuses every login (VRP): no remote path
    ("huawei_vrp", "undo http server enable\nuser-interface vty 0 4", False),
    # a vty that takes logins, but the Telnet server is left to its release default and SSH is off: not proven
    ("huawei_vrp", "undo http server enable\nuser-interface vty 0 4\n authentication-mode aaa\n protocol inbound all",
     False),
    ("huawei_vrp", "undo http server enable\ntelnet server enable\nuser-interface vty 0 4\n authentication-mode aaa\n"
                   " protocol inbound all", True),
    # Comware 5: an SSH-only vty while the SSH server is off (its default) takes no login
    ("hp_comware", " version 5.20, Release 2208P01\nundo ip http enable\nuser-interface vty 0 4\n"
                   " authentication-mode scheme\n protocol inbound ssh", False),
])
def test_single_factor_high_risk_needs_a_remote_path_that_takes_logins(ctx, platform, body, raised):
    users = ADMIN if platform == "huawei_vrp" else ""
    text = TEMPLATES[platform].format(name="d1", body=users + body).encode()
    asset = assess_config_bytes(text, ctx, platform, "d1", "d1.cfg")
    got = "6.4.1.3" in {h.id for h in asset.high_risks if not h.compensated}
    assert got is raised, [(h.id, [(c.name_en, c.proven, c.evidence) for c in h.conditions]) for h in asset.high_risks]


HUB_USERS = "aaa\n local-user admin password cipher %$%$abcdefghijklmnop%$%$\n local-user admin service-type http\n" \
            " local-user test123 password cipher %$%$qrstuvwxyzabcdef%$%$\n local-user test123 privilege level 15\n" \
            " local-user test123 service-type telnet ssh ftp\n#\n"


@pytest.mark.parametrize("extra, assigned, separated", [
    # VRP5: no level and no `user privilege level` on any VTY: the user logs in at level 0 (visit)
    ("", "pass", "fail"),
    # a VTY level applies to users without their own: which line they use decides, so it stays unknown
    ("user-interface vty 0 4\n user privilege level 3", "manual", "manual"),
])
def test_vrp5_local_user_without_a_level_is_a_visit_level_account(ctx, extra, assigned, separated):
    body = "!Software Version V200R003C00\n" + HUB_USERS + extra
    assert finding(ctx, "huawei_vrp", body, "accounts_privilege_assigned").status.value == assigned
    f = finding(ctx, "huawei_vrp", body, "admin_privilege_separated")
    assert f.status.value == separated, (f.reason_en, [e.text for e in f.evidence])


@pytest.mark.parametrize("platform, body, end", [
    ("cisco_ios", "hostname R1\nline vty 0 4\n login local\n", "end"),
    ("huawei_vrp", "#\n sysname SW1\n#\nuser-interface vty 0 4\n authentication-mode aaa\n#\n", "return"),
])
@pytest.mark.parametrize("tail, complete", [
    ("\n", True),                       # as saved
    ("\n\n```\n\n\n", True),            # pasted from a post: a closing fence and blank lines after the last line
    ("\n\n\n\n\n\n\n", True),           # trailing blank lines never hide the end marker
    ("", True),
])
def test_the_end_marker_ends_a_config_whatever_blank_lines_follow(ctx, platform, body, end, tail, complete):
    """Three real configs (madsdude IOSv/IOSvL2) were refused as truncated because blank lines and a Markdown fence
    after `end` pushed it out of the last five lines."""
    asset = assess_config_bytes((body + end + tail).encode(), ctx, platform, "x", "x.cfg")
    assert (asset.status.value == "assessed") is complete, asset.reason


@pytest.mark.parametrize("platform, body", [("cisco_ios", "hostname R1\nline vty 0 4\n login local\n"),
                                            ("huawei_vrp", "#\n sysname SW1\n#\nuser-interface vty 0 4\n")])
def test_a_config_cut_before_its_end_marker_is_still_truncated(ctx, platform, body):
    asset = assess_config_bytes((body + "\n\n").encode(), ctx, platform, "x", "x.cfg")
    assert asset.status.value != "assessed" and asset.reason_code.value == "truncated"


@pytest.mark.parametrize("members, status", [(1, "manual"), (2, "pass")])   # manual: a peer device may stand by
def test_sso_on_a_one_member_stack_is_no_redundancy(ctx, members, status):
    """A C9200L with `redundancy` / `mode sso` and only `switch 1 provision` (real corpus, LibGR) has no standby:
    SSO needs a second stack member."""
    body = "".join(f"switch {i} provision c9200l-24p-4g\n" for i in range(1, members + 1)) + "redundancy\n mode sso\n"
    assert finding(ctx, "cisco_ios", body, "device_redundancy_present").status.value == status
