"""Cisco IOS / IOS-XE verdicts the real corpus proved wrong (issue 9), each on a minimal configuration.

Every case names the real configuration it comes from (tests/fixtures/real/cisco_ios/) and the reason, so a change
that brings the mistake back fails here on a few lines rather than only in the corpus table.
"""
from __future__ import annotations

import pytest

from scanner.engine import ScanContext, assess_config_bytes
from scanner.policy import Policy

HEAD = "version 15.2\nhostname r1\n!\ninterface GigabitEthernet0/0\n ip address 10.0.0.1 255.255.255.0\n!\n"
SSH_VTY = "line vty 0 4\n login local\n transport input ssh\n"


def _asset(body: str, policy: Policy | None = None):
    text = (HEAD + body.strip("\n") + "\n!\nend\n").encode()
    asset = assess_config_bytes(text, ScanContext.default(policy), "cisco_ios", "r1", "r1.cfg")
    assert asset.status.value == "assessed", asset.reason
    return asset


def _check(asset, check: str) -> str:
    return next(f.status.value for f in asset.findings if f.check == check)


def _item(asset, item: str) -> str:
    return next(c.result.value for c in asset.controls if c.id == item)


def _raised(asset) -> set[str]:
    return {h.id for h in asset.high_risks}


# -- 8.1.4.9.c: redundancy is a second device, not a bundle of links (tmullaly sw1/sw2/dsw1, otus sw4) ------------
@pytest.mark.parametrize("body, status", [
    ("interface Port-channel1\n switchport mode trunk\ninterface GigabitEthernet0/1\n channel-group 1 mode active",
     "manual"),                                                          # LACP: link redundancy only
    ("interface Vlan10\n standby 1 ip 10.0.10.254", "pass"),             # HSRP: a peer gateway
    ("interface Vlan10\n vrrp 1 ip 10.0.10.254", "pass"),
    ("interface Vlan10\n glbp 1 ip 10.0.10.254", "pass"),
    ("redundancy\n mode sso", "pass"),
    ("redundancy\n mode none", "manual"),
    ("switch 1 provision ws-c3750x-48p", "manual"),
])
def test_link_aggregation_is_no_device_redundancy(body, status):
    assert _check(_asset(body + "\n" + SSH_VTY), "device_redundancy_present") == status


# -- 8.1.4.2.d: one administrator beside a read-only account is a partial split (tmullaly core/r1/.../switch2) -------
@pytest.mark.parametrize("users, item", [
    ("username oxy secret 5 $1$ab$cd\nusername admin privilege 15 secret 5 $1$ab$cd", "partial"),
    ("username ops privilege 7 secret 5 $1$ab$cd\nusername admin privilege 15 secret 5 $1$ab$cd", "compliant"),
    ("username a privilege 15 secret 5 $1$ab$cd\nusername b privilege 15 secret 5 $1$ab$cd", "noncompliant"),
    ("", "noncompliant"),                                                # no account at all (otus r12/sw4, avani8)
    # administration only through the shared enable secret (tmullaly sw3)
    ("enable secret 5 $1$ab$cd\nusername u1 secret 5 $1$ab$cd\nusername u2 secret 5 $1$ab$cd", "noncompliant"),
])
def test_admin_role_separation(users, item):
    assert _item(_asset(users + "\n" + SSH_VTY), "8.1.4.2.d") == item


# -- 6.4.1.1: a vty line that takes no connection is no remote login path (tmullaly sw1/sw2) -----------------------
@pytest.mark.parametrize("vty_extra", ["line vty 5 15\n no login\n transport input none",
                                       "line vty 5 15\n no login\n no exec"])
def test_vty_lines_taking_no_connection_are_no_remote_path(vty_extra):
    a = _asset("username admin privilege 15 secret 9 $9$abcdefghijklmn$x\nline con 0\n exec-timeout 5 0\n"
               + SSH_VTY + vty_extra)
    assert _check(a, "auth_login_required") == "fail"                  # the console still logs in unauthenticated
    assert "6.4.1.1" not in _raised(a)
    assert "6.4.1.1" in _raised(_asset("username admin privilege 15 secret 9 $9$abcdefghijklmn$x\n" + SSH_VTY
                                       + "line vty 5 15\n no login\n transport input ssh"))


# -- 6.4.1.1: a console password without `login` is never asked for (avani8 r1) -----------------------------------
def test_an_unused_line_password_is_no_weak_login_password():
    a = _asset("line con 0\n password abc\nline vty 0 4\n login")
    assert _check(a, "password_not_weak") == "not_applicable"
    assert "6.4.1.1" not in _raised(a)
    used = _asset("line con 0\n password abc\n login\nline vty 0 4\n login")
    assert _check(used, "password_not_weak") == "fail"


# -- 6.4.3.1: an indented ` vstack` on a router is not the Smart Install client (tmullaly core/r1) -----------------
@pytest.mark.parametrize("line, status", [("vstack", "fail"), (" vstack", "pass"), ("no vstack", "pass")])
def test_only_a_top_level_vstack_is_the_smart_install_client(line, status):
    body = "control-plane\n!\n!\n" + line + "\n!\n" + SSH_VTY + "no service pad\nno ip bootp server\n"
    assert _check(_asset(body), "high_risk_services_disabled") == status


# -- a vty `login` with no password refuses every login: no SSH path either (otus r12/sw4, avani8 r1) ------------
@pytest.mark.parametrize("item", ["8.1.2.2.a", "8.1.2.2.b", "8.1.4.1.c", "8.1.4.7.a", "8.1.4.8.a", "8.1.5.4.b"])
def test_vty_refusing_every_login_leaves_no_remote_path(item):
    a = _asset("no ip http server\nline con 0\nline vty 0 4\n login\n transport input all")
    assert _check(a, "remote_mgmt_ssh_v2_only") == "pass"               # nothing remote: local only
    assert _item(a, item) == "manual"                                   # how it is managed is asked
    b = _asset("no ip http server\nline con 0\nline vty 0 4\n login\n password s3cret-pass\n transport input all")
    assert _check(b, "remote_mgmt_ssh_v2_only") == "fail"                # a usable line: SSH 1.99 by default


# -- 8.1.4.8.b: MD5-crypt secrets beside clear/reversible credentials (asr920, tmullaly sw3/switch/switch2) --------
MIXED = ("username admin privilege 15 secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0\n"
         "tacacs-server host 192.0.2.10 key 7 0822455D0A16\n" + SSH_VTY)


@pytest.mark.parametrize("choice, check, item", [("partial", "pass", "partial"),
                                                 ("noncompliant", "fail", "noncompliant")])
def test_md5_crypt_beside_cleartext_is_a_policy_choice(choice, check, item):
    a = _asset(MIXED, Policy(md5_crypt_beside_cleartext=choice))
    assert _check(a, "passwords_not_plaintext") == "fail"
    assert _check(a, "password_hash_strong") == check
    assert _item(a, "8.1.4.8.b") == item


def test_md5_crypt_beside_cleartext_default_is_partial():
    assert Policy().md5_crypt_beside_cleartext == "partial"
    assert _item(_asset(MIXED), "8.1.4.8.b") == "partial"
    # MD5 alone still follows md5_crypt (部分符合 by default): the new choice only concerns the mix
    alone = _asset("username admin privilege 15 secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0\n" + SSH_VTY)
    assert _check(alone, "password_hash_strong") == "fail" and _item(alone, "8.1.4.8.b") == "partial"


# -- in transit: SSH 1.99 beside Telnet/HTTP is partly met, not unmet (tmullaly dsw1/sw3, csr1000v) -----------------
IN_TRANSIT = ("8.1.2.2.a", "8.1.2.2.b", "8.1.4.7.a", "8.1.4.8.a", "8.1.5.4.b")


@pytest.mark.parametrize("body, check, items, identification", [
    # SSH accepting v1 (no `ip ssh version 2`) beside Telnet and HTTP: an encrypted path exists
    ("ip http server\nline vty 0 4\n login local\n transport input telnet ssh", "pass", "partial", "noncompliant"),
    # Telnet only: nothing encrypted
    ("ip http server\nline vty 0 4\n login local\n transport input telnet", "fail", "noncompliant", "noncompliant"),
    # SSHv2 only: met
    ("no ip http server\nip ssh version 2\nline vty 0 4\n login local\n transport input ssh", "pass", "compliant",
     "compliant"),
    # no vty takes a login and no web server: no remote path at all
    ("no ip http server\nline vty 0 4\n transport input none", "not_applicable", "manual", "manual"),
])
def test_an_encrypted_path_beside_clear_ones_is_partly_met(body, check, items, identification):
    a = _asset("username admin privilege 15 secret 9 $9$abcdefghijklmn$x\n" + body)
    assert _check(a, "remote_mgmt_encrypted_path") == check
    # 8.1.5.4.b has no SNMP sub-check; with the SNMP agent off, the others hold a pass for it as well
    assert _item(a, "8.1.5.4.b") == items
    if items != "noncompliant":
        assert {i: _item(a, i) for i in IN_TRANSIT} == dict.fromkeys(IN_TRANSIT, items)
    assert _item(a, "8.1.4.1.c") == identification          # any clear-text login path decides identification


# -- a read-write community without an ACL is open management access, not a default credential (csr1000v) ----------
@pytest.mark.parametrize("community, default, restricted", [
    ("snmp-server community ntc-private RW", "pass", "fail"),
    ("snmp-server community ntc-private RW 5\naccess-list 5 permit 192.0.2.0 0.0.0.255", "pass", "pass"),
    ("snmp-server community private RO 5\naccess-list 5 permit 192.0.2.0 0.0.0.255", "fail", "pass"),
])
def test_read_write_community_without_acl_is_an_access_control_gap(community, default, restricted):
    a = _asset(community + "\naccess-list 6 permit 192.0.2.0 0.0.0.255\n" + SSH_VTY + " access-class 6 in")
    assert _check(a, "snmp_default_community_absent") == default
    assert _check(a, "mgmt_access_restricted") == restricted
    assert ("6.4.2.1" in _raised(a)) is (default == "fail")
