"""The remaining real-corpus disagreements of issue 9 (tests/fixtures/real/DISAGREEMENTS.yaml, session 6), each as a
minimal config per vendor with its siblings: roll-up rules, remote paths that cannot authenticate, masked and
name-derived passwords, factory defaults."""
from __future__ import annotations

import pytest

from scanner.engine import ScanContext, assess_config_bytes
from scanner.model import CheckStatus, Finding, FixKind, Severity
from scanner.rollup import ItemRule, combine_findings, item_rules

from conftest import COMWARE, VRP

IOS = "hostname {name}\n!\ninterface Vlan10\n ip address 10.0.10.1 255.255.255.0\n!\n{body}\n!\nend\n"
TEMPLATES = {"huawei_vrp": VRP, "hp_comware": COMWARE, "cisco_ios": IOS}


@pytest.fixture(scope="module")
def ctx():
    return ScanContext.default()


def assess(ctx, platform: str, body: str, name: str = "d1"):
    text = TEMPLATES[platform].format(name=name, body=body).encode()
    asset = assess_config_bytes(text, ctx, platform, name, f"{name}.cfg")
    assert asset.status.value == "assessed", asset.reason
    return asset


def item(asset, item_id: str) -> str:
    return next(c for c in asset.controls if c.id == item_id).result.value


def check(asset, check_id: str):
    return next(f for f in asset.findings if f.check == check_id)


def _f(check_id: str, status: str) -> Finding:
    return Finding(check=check_id, title_zh=check_id, title_en=check_id, status=CheckStatus(status),
                   severity=Severity.HIGH, controls=["x"], fix_kind=FixKind.CONFIG)


# -- roll-up rules (checks/catalog/rollup.yaml) ------------------------------------------------------------------
def test_rollup_rules_name_existing_checks_and_items(ctx):
    ids = {c.id for c in ctx.checks}
    for item_id, rule in item_rules().items():
        assert ctx.catalog.has(item_id), item_id
        assert rule.decisive | rule.absence_only <= ids, item_id
        for c in rule.decisive | rule.absence_only:
            assert item_id in next(x for x in ctx.checks if x.id == c).controls, (item_id, c)


@pytest.mark.parametrize("findings, result", [
    ([("tel", "fail"), ("ssh", "pass")], "noncompliant"),        # a decisive failure decides
    ([("ssh", "fail"), ("enc", "pass")], "partial"),             # a failure that does not decide
    ([("tel", "pass"), ("ssh", "fail")], "noncompliant"),        # only an absence passes beside a failure
    ([("tel", "pass"), ("ssh", "pass")], "compliant"),           # nothing fails: absences count
    ([("tel", "fail"), ("ssh", "error")], "error"),              # an error is never hidden by a rule
    ([("tel", "pass"), ("ssh", "manual")], "manual"),
])
def test_item_rule_decisive_and_absence_only(findings, result):
    rule = ItemRule(decisive=frozenset({"tel"}), absence_only=frozenset({"tel"}))
    assert combine_findings([_f(c, s) for c, s in findings], rule).value == result


@pytest.mark.parametrize("platform, body", [
    ("cisco_ios", "ip ssh version 2\nusername a privilege 15 secret 9 $9$abc\nline vty 0 4\n login local\n"
                  " transport input telnet ssh\n"),
    ("cisco_ios", "ip ssh version 2\nip http server\nip http authentication local\n"
                  "username a privilege 15 secret 9 $9$abc\nline vty 0 4\n login local\n transport input ssh\n"),
    ("huawei_vrp", "telnet server enable\nstelnet server enable\nundo ssh server compatible-ssh1x enable\n"
                   "undo http server enable\n"
                   "aaa\n local-user a password irreversible-cipher $1a$x$\n local-user a service-type ssh telnet\n"
                   " local-user a privilege level 15\nuser-interface vty 0 4\n authentication-mode aaa\n"
                   " protocol inbound all\n"),
    ("hp_comware", "telnet server enable\nssh server enable\nundo ssh server compatible-ssh1x\n"
                   "undo ip http enable\nlocal-user a class manage\n password hash $h$6$x\n"
                   " service-type ssh telnet\n authorization-attribute user-role network-admin\n"
                   "line vty 0 63\n authentication-mode scheme\n protocol inbound all\n"),
])
def test_one_clear_text_login_path_decides_8_1_4_1_c(ctx, platform, body):
    """S10508V, scrapli CSR, LibGR C9200L/C2960, milandewilde R3: Telnet or HTTP beside SSHv2 is 不符合, not 部分符合."""
    a = assess(ctx, platform, body)
    assert item(a, "8.1.4.1.c") == "noncompliant"


def test_sshv1_alone_stays_partial(ctx):
    a = assess(ctx, "cisco_ios", "ip ssh version 1\nusername a privilege 15 secret 9 $9$abc\nno ip http server\n"
                                 "line vty 0 4\n login local\n transport input ssh\n")
    assert check(a, "remote_mgmt_ssh_v2_only").status.value == "fail"
    assert item(a, "8.1.4.1.c") != "noncompliant"


@pytest.mark.parametrize("platform, body", [
    ("huawei_vrp", "undo http server enable\nsnmp-agent\nsnmp-agent community read public\n"
                   "snmp-agent sys-info version all\n"),
    ("hp_comware", "undo ip http enable\nsnmp-agent\nsnmp-agent community read public\n"
                   "snmp-agent sys-info version all\n"),
])
def test_an_absent_clear_path_is_no_protection_in_transit(ctx, platform, body):
    """dengbaoceping S5700: no SSH, SNMP v1/v2c in clear; `undo http server enable` alone must not make it 部分符合."""
    a = assess(ctx, platform, body)
    assert check(a, "snmp_v3_only").status.value == "fail"
    for i in ("8.1.2.2.a", "8.1.2.2.b", "8.1.4.7.a", "8.1.4.8.a"):
        assert item(a, i) == "noncompliant", i


# -- remote paths that cannot authenticate (madsdude IOSvL2 Core/Core2) ----------------------------------------------
NO_CREDENTIAL = "ip http server\nip http secure-server\nip ssh server algorithm encryption aes128-ctr\n" \
                "line con 0\nline aux 0\nline vty 0 4\n"


def test_cisco_vty_default_login_without_a_password_refuses():
    """IOS vty lines default to `login` (some releases do not print it): with no password IOS refuses the connection
    ("Password required, but none set"); with a password, that password is asked."""
    ctx = ScanContext.default()
    for body, auth in (("line vty 0 4\n", "refused"), ("line vty 0 4\n login\n", "refused"),
                       ("line vty 0 4\n password 0 Zq7!kd93Lm\n", "password"), ("line vty 0 4\n no login\n", "none")):
        a = assess(ctx, "cisco_ios", body)
        assert check(a, "auth_login_required").status.value == ("fail" if auth == "none" else "pass"), body
        assert check(a, "mgmt_access_restricted").status.value == ("manual" if auth == "refused" else "fail"), body


@pytest.mark.parametrize("vty", ["", " login\n"])
def test_no_credential_anywhere_means_no_remote_login_to_judge(ctx, vty):
    a = assess(ctx, "cisco_ios", NO_CREDENTIAL + vty)
    for i in ("8.1.2.2.a", "8.1.2.2.b", "8.1.4.1.c", "8.1.4.4.c", "8.1.4.7.a", "8.1.4.8.a", "8.1.5.4.b"):
        assert item(a, i) == "manual", i
    assert check(a, "remote_mgmt_http_disabled").status.value == "manual"
    assert "enable password" in check(a, "remote_mgmt_http_disabled").reason_en
    assert not {"6.4.1.2", "6.4.1.3", "6.5.1.1"} & {h.id for h in a.high_risks}
    assert a.fleet.remote_mgmt is None


@pytest.mark.parametrize("extra", [
    "enable secret 9 $9$abcdefgh$ijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMN",    # the web login's own credential
    "username ops privilege 15 secret 9 $9$abcdefgh$ijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMN",
    "ip http authentication local",                                              # judged as a login page (c9200l)
])
def test_a_web_login_with_something_to_check_is_a_clear_text_login_path(ctx, extra):
    a = assess(ctx, "cisco_ios", NO_CREDENTIAL + extra + "\n")
    assert check(a, "remote_mgmt_http_disabled").status.value == "fail"
    assert item(a, "8.1.4.1.c") == "noncompliant"
    assert "6.4.1.2" in {h.id for h in a.high_risks}
    assert a.fleet.remote_mgmt == "unrestricted"


@pytest.mark.parametrize("platform, body", [
    ("huawei_vrp", "telnet server enable\nuser-interface vty 0 4\n authentication-mode none\n protocol inbound telnet\n"),
    ("hp_comware", "telnet server enable\nline vty 0 63\n authentication-mode none\n protocol inbound telnet\n"),
])
def test_vrp_comware_vty_without_authentication_is_open_not_refused(ctx, platform, body):
    """The opposite of a vty that refuses: `authentication-mode none` lets anyone in over Telnet."""
    a = assess(ctx, platform, body)
    assert check(a, "auth_login_required").status.value == "fail"
    assert check(a, "remote_mgmt_telnet_disabled").status.value == "fail"
    assert a.fleet.remote_mgmt == "unrestricted"
    assert {"6.4.1.2", "6.4.1.3"} <= {h.id for h in a.high_risks}


# -- masked, name-derived and factory-default passwords ------------------------------------------------------------
REFUSING_VTY = "line vty 0 4\n login\n"


@pytest.mark.parametrize("platform, body, mask", [
    ("cisco_ios", "line con 0\n password PASSWORD\n login\n" + REFUSING_VTY, "PASSWORD"),   # milandewilde R1/R3
    ("cisco_ios", "line con 0\n password <removed>\n login\n" + REFUSING_VTY, "<removed>"),
    ("cisco_ios", "username ops privilege 15 password 0 xxxxx\nline con 0\n login local\n" + REFUSING_VTY, "xxxxx"),
    ("huawei_vrp", "aaa\n local-user ops password simple XXXXXXXX\n local-user ops privilege level 15\n", "XXXXXXXX"),
    ("cisco_ios", "line con 0\n password *****\n login\n" + REFUSING_VTY, None),                 # avani8: the masker's own form
    ("hp_comware", "local-user ops class manage\n password simple REMOVED\n", "REMOVED"),
])
def test_a_masked_password_is_unknown_not_weak(ctx, platform, body, mask):
    a = assess(ctx, platform, body)
    f = check(a, "password_not_weak")
    assert f.status.value == "manual", f.reason_en
    assert "value masked in the capture" in f.reason_en
    if mask:
        assert mask not in f.reason_en + f.reason_zh + " ".join(e.text for e in f.evidence)
    assert "6.4.1.1" not in {h.id for h in a.high_risks}


def test_a_weak_console_password_alone_concerns_local_logins_only(ctx):
    """milandewilde R1: the weak line password is the console's and every vty refuses logins: 6.4.1.1 stays a
    candidate with its remote-path condition not proven."""
    a = assess(ctx, "cisco_ios", "line con 0\n password 0 cisco\n login\n" + REFUSING_VTY)
    assert check(a, "password_not_weak").status.value == "fail"
    assert "6.4.1.1" not in {h.id for h in a.high_risks}
    cand = next(h for h in a.high_risk_candidates if h.id == "6.4.1.1" and h.check == "password_not_weak")
    assert not next(c for c in cand.conditions if c.name_en == "a remote login path is concerned").proven
    # the same password on the vty lines is a remote path
    a = assess(ctx, "cisco_ios", "line con 0\n password 0 cisco\n login\nline vty 0 4\n password 0 cisco\n login\n")
    assert "6.4.1.1" in {h.id for h in a.high_risks}


@pytest.mark.parametrize("platform, body, name", [
    ("cisco_ios", "username boxen privilege 15 password 0 b0x3N-b0x3N", "d1"),               # scrapli CSR1000v
    ("cisco_ios", "username ops privilege 15 password 0 C0r3-R0ut3r!", "core-router"),       # the host's name
    ("cisco_ios", "username admin1 privilege 15 password 0 4dm1n1_2024", "d1"),
    ("huawei_vrp", "aaa\n local-user boxen password simple B0X3N.b0x3n\n local-user boxen privilege level 15", "d1"),
    ("hp_comware", "local-user boxen class manage\n password simple b0x3n_B0X3N", "d1"),
])
def test_a_password_derived_from_the_user_or_host_name_is_weak(ctx, platform, body, name):
    a = assess(ctx, platform, body + "\n", name=name)
    assert check(a, "password_not_weak").status.value == "fail"


@pytest.mark.parametrize("password", ["Kx9#mQ2!vL7p", "b0xes-and-more"])
def test_an_unrelated_password_is_not_name_derived(ctx, password):
    a = assess(ctx, "cisco_ios", f"username boxen privilege 15 password 0 {password}\n")
    assert check(a, "password_not_weak").status.value == "pass", check(a, "password_not_weak").reason_en


def test_scrapli_name_derived_password_raises_6_4_1_1_over_open_vty(ctx):
    a = assess(ctx, "cisco_ios", "username boxen privilege 15 password 0 b0x3N-b0x3N\nline vty 0 4\n login local\n"
                                 " transport input all\n")
    assert "6.4.1.1" in {h.id for h in a.high_risks}


@pytest.mark.parametrize("platform, body, default", [
    ("cisco_ios", "username Admin privilege 15 password 0 Password1", False),        # madsdude R2: weak, no default
    ("cisco_ios", "username cisco privilege 15 password 0 cisco", True),             # the Cisco CP factory pair
    ("huawei_vrp", "aaa\n local-user admin password simple admin@huawei.com\n local-user admin privilege level 15",
     True),
    ("huawei_vrp", "aaa\n local-user admin password simple Admin@123\n local-user admin privilege level 15", True),
    ("huawei_vrp", "aaa\n local-user netops password simple Admin@123\n local-user netops privilege level 15", False),
    ("hp_comware", "local-user admin class manage\n password simple admin", True),
])
def test_default_account_checks_use_factory_defaults_only(ctx, platform, body, default):
    a = assess(ctx, platform, body + "\n")
    assert check(a, "password_not_weak").status.value == "fail"      # every one of them is weak
    f = check(a, "default_account_renamed")
    assert (f.status.value == "fail") is default, f.reason_en
    assert ("6.4.2.1" in {h.id for h in a.high_risks}) is default
    if not default:
        assert item(a, "8.1.4.2.b") != "noncompliant"


def test_saved_markers_carry_factory_default_and_mask(ctx):
    """A rescan of redacted outputs reaches the live verdicts: the marker says factory default (D) and mask (M)."""
    from scanner import platforms
    from scanner.secrets import redact_lines
    plat = platforms.get("cisco_ios")
    body = ("username cisco privilege 15 password 0 cisco\nusername Admin privilege 15 password 0 Password1\n"
            "username boxen privilege 15 password 0 b0x3N-b0x3N\nline con 0\n password PASSWORD\n login\n" + REFUSING_VTY)
    text = IOS.format(name="d1", body=body)
    saved = "\n".join(redact_lines(text.split("\n"), plat.mask.replace, plat.decode_secret))
    assert "/D1" in saved and "/M1" in saved and "b0x3N" not in saved and "PASSWORD" not in saved
    live = assess_config_bytes(text.encode(), ctx, "cisco_ios", "d1", "d1.cfg")
    again = assess_config_bytes(saved.encode(), ctx, "cisco_ios", "d1", "d1.cfg")
    assert {f.check: f.status for f in live.findings} == {f.check: f.status for f in again.findings}
    assert {h.id for h in live.high_risks} == {h.id for h in again.high_risks}


# -- no protected channel at all (milandewilde R3) ------------------------------------------------------------------
R3 = "version 15.5\nno ip http server\nno ip http secure-server\nline vty 0 4\n password 0 Zq7!kd93Lm\n login\n"


def test_telnet_on_the_default_transport_with_no_ssh_host_key_is_no_protected_channel(ctx):
    a = assess(ctx, "cisco_ios", R3)
    assert check(a, "remote_mgmt_ssh_v2_only").status.value == "manual"        # no host key in sight
    assert check(a, "remote_mgmt_encrypted_path").status.value == "fail"
    assert check(a, "snmp_v3_only").status.value == "pass"                    # no SNMP: an absence, no protection
    for i in ("8.1.2.2.a", "8.1.2.2.b", "8.1.4.7.a", "8.1.4.8.a", "8.1.5.4.b", "8.1.4.1.c"):
        assert item(a, i) == "noncompliant", i


@pytest.mark.parametrize("extra", ["ip domain name example.net", "ip domain-name example.net", "ip ssh version 1",
                                   "line vty 5 15\n password 0 Zq7!kd93Lm\n login\n transport input ssh telnet"])
def test_a_trace_of_an_ssh_host_key_keeps_ssh_presumed(ctx, extra):
    a = assess(ctx, "cisco_ios", R3 + extra + "\n")
    assert check(a, "remote_mgmt_encrypted_path").status.value == "pass"
    assert item(a, "8.1.2.2.a") == "partial"


@pytest.mark.parametrize("platform, body, status", [
    ("cisco_ios", "snmp-server enable traps snmp linkdown linkup", "manual"),   # oxidized ASR920: sanitised away
    ("cisco_ios", "snmp-server community public RO", "fail"),
    ("cisco_ios", "", "not_applicable"),
])
def test_snmp_with_its_communities_sanitised_away_is_not_free_of_default_communities(ctx, platform, body, status):
    a = assess(ctx, platform, body + "\n")
    assert check(a, "snmp_default_community_absent").status.value == status


# -- login by account with no account at all (LibGR C9200L) --------------------------------------------------------
@pytest.mark.parametrize("platform, body, users", [
    ("cisco_ios", "line con 0\n login local\nline vty 0 4\n login local\n transport input ssh\nip ssh version 2", ""),
    ("cisco_ios", "line con 0\n login local\nline vty 0 4\n login local\n transport input ssh\nip ssh version 2",
     "username ops privilege 15 secret 9 $9$abc"),
    ("huawei_vrp", "user-interface con 0\n authentication-mode aaa\nuser-interface vty 0 4\n authentication-mode aaa\n"
                   " protocol inbound ssh\nstelnet server enable", ""),
    ("huawei_vrp", "user-interface con 0\n authentication-mode aaa\nuser-interface vty 0 4\n authentication-mode aaa\n"
                   " protocol inbound ssh\nstelnet server enable",
     "aaa\n local-user ops password irreversible-cipher $1c$abc$\n local-user ops privilege level 15"),
    ("hp_comware", "line con 0\n authentication-mode scheme\nline vty 0 63\n authentication-mode scheme\n"
                   " protocol inbound ssh\nssh server enable", ""),
])
def test_login_local_with_no_account_identifies_nobody(ctx, platform, body, users):
    a = assess(ctx, platform, users + "\n" + body + "\n")
    f = check(a, "auth_individual_accounts")
    if users:
        assert f.status.value == "pass", f.reason_en
    else:
        assert f.status.value == "fail", f.reason_en
        assert item(a, "8.1.4.2.a") == "noncompliant"


def test_s10508v_idle_timeout_is_a_policy_choice():
    """The one disagreement left: `idle-timeout 10 30` (630 s). The default profile (idle_timeout_max_s 600, the
    reference's ≤600 s) fails it; a profile accepting the 5-15 min many assessors use agrees with the judges."""
    from pathlib import Path

    from scanner.engine import assess_config_file
    from scanner.policy import Policy
    path = Path(__file__).parent / "fixtures" / "real" / "hp_comware" / "dengbaoceping_s10508v_comware7.cfg"
    default = assess_config_file(path, ScanContext.default())
    lenient = assess_config_file(path, ScanContext.default(Policy(idle_timeout_max_s=900)))
    assert item(default, "8.1.4.1.b") == "noncompliant" and item(lenient, "8.1.4.1.b") == "partial"


# -- hostile data files: a broken rule or credential file names itself and stops the scan ---------------------------
@pytest.mark.parametrize("text, message", [
    ("items:\n  '8.1.4.1.c':\n    decisive: [x]\n", "why is required"),
    ("items:\n  '8.1.4.1.c':\n    decisive: x\n    why: y\n", "lists of check ids"),
    ("items:\n  '8.1.4.1.c':\n    decisive: [x]\n    deciding: [y]\n    why: y\n", "fields are"),
    ("items: [a, b]\n", "needs a mapping"),
    ("items: {a: [\n", "rollup.yaml"),
])
def test_a_broken_rollup_file_names_itself(tmp_path, text, message):
    from scanner.datafiles import DataFileError
    from scanner.rollup import rules_in
    bad = tmp_path / "rollup.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        rules_in(bad)


@pytest.mark.parametrize("text, message", [
    ("factory_accounts:\n  - account: admin\n    passwords: [admin]\n", "entry 1 needs"),       # no source
    ("factory_accounts:\n  - account: admin\n    passwords: admin\n    source: x\n", "entry 1 needs"),
    ("- a\n- b\n", "must be a mapping"),
])
def test_a_broken_credentials_file_names_itself(tmp_path, text, message):
    from scanner.datafiles import DataFileError
    from scanner.platforms.credentials import accounts_in
    bad = tmp_path / "credentials_x.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        accounts_in(bad)


def test_every_factory_account_says_where_it_is_documented():
    from scanner.platforms.credentials import factory_accounts
    for platform in ("cisco_ios", "huawei_vrp", "hp_comware"):
        assert factory_accounts(platform)
        assert all(source.strip() and passwords for _, passwords, source in factory_accounts(platform))


def test_vrp8_factory_trap_type_line_does_not_turn_snmp_on():
    """NE40E V800R011 prints `snmp-agent trap type base-trap` in its factory configuration: with no `snmp-agent`,
    community or user, there is no SNMP agent and so no default community (real corpus: andre4freelance NE40E ×3,
    8.1.4.2.b judged compliant); a community line still turns it on."""
    from scanner.platforms import get
    p = get("huawei_vrp")
    off = p.parse_config(["sysname r", "snmp-agent trap type base-trap", "return"])
    assert off.snmp.enabled is False
    on = p.parse_config(["sysname r", "snmp-agent trap type base-trap",
                         "snmp-agent community read cipher %^%#abc%^%#", "return"])
    assert on.snmp.enabled is True and len(on.snmp.communities) == 1
