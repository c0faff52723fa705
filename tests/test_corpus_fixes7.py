"""The real-corpus disagreements of issue 9 left after session 6 (tests/fixtures/real/DISAGREEMENTS.yaml), each as a
minimal config per vendor with its siblings: HTTP web management as a remote path without transport protection,
USG administrator roles, anonymous console sessions, factory account names, web idle timeouts, defaults by family."""
from __future__ import annotations

import pytest

from scanner.engine import ScanContext, assess_config_bytes

from conftest import COMWARE, VRP
from test_corpus_fixes import check, item  # noqa: F401  (the same lookups as session 6's corpus fixes)

IOS = "hostname {name}\n!\ninterface Vlan10\n ip address 10.0.10.1 255.255.255.0\n!\n{body}\n!\nend\n"
TEMPLATES = {"huawei_vrp": VRP, "hp_comware": COMWARE, "cisco_ios": IOS}
USG_HEAD = "!Software Version V500R005C10SPC300\n"


@pytest.fixture(scope="module")
def ctx():
    return ScanContext.default()


def assess(ctx, platform: str, body: str, name: str = "d1", head: str = ""):
    text = (head + TEMPLATES[platform].format(name=name, body=body)).encode()
    asset = assess_config_bytes(text, ctx, platform, name, f"{name}.cfg")
    assert asset.status.value == "assessed", asset.reason
    return asset


def raised(asset) -> set[str]:
    return {h.id for h in asset.high_risks}


# -- 6.5.1.1: HTTP web management is remote management without transport protection (USG FW1, HRP master, SITE) -------
@pytest.mark.parametrize("platform, body, head", [
    ("huawei_vrp", "web-manager enable\nweb-manager security enable\naaa\n manager-user admin\n"
                   "  password cipher @%@%abc@%@%\n  service-type web terminal\n  level 15\n", USG_HEAD),
    ("huawei_vrp", "http server enable\naaa\n local-user a password irreversible-cipher $1a$x$\n"
                   " local-user a service-type http\n local-user a privilege level 15\n", ""),
    ("hp_comware", "ip http enable\nlocal-user a class manage\n password hash $h$6$x\n service-type http\n"
                   " authorization-attribute user-role network-admin\n", ""),
    ("cisco_ios", "ip http server\nip http authentication local\nusername a privilege 15 secret 9 $9$abc\n", ""),
])
def test_http_web_management_reachable_from_anywhere_raises_6_5_1_1(ctx, platform, body, head):
    a = assess(ctx, platform, body, head=head)
    assert check(a, "remote_mgmt_http_disabled").status.value == "fail"
    assert {"6.4.1.2", "6.5.1.1"} <= raised(a), raised(a)


# -- USG administrators: a bound role decides the rights, at the CLI too; unbound, the level maps to a role ---------
def _usg(users: str, binds: str) -> str:
    return "aaa\n" + users + " role system-admin\n role device-admin\n role audit-admin\n" + binds


def _mu(name: str, level: int) -> str:
    return f" manager-user {name}\n  password cipher @%@%x{name}@%@%\n  service-type web terminal\n  level {level}\n"


@pytest.mark.parametrize("users, binds, result", [
    # FW1 / HRP master: every account `level 15`, roles separate system-admin and audit-admin (the level no longer
    # takes effect once a role is bound); api-admin, unbound at level 15, is a second system administrator
    (_mu("audit-admin", 15) + _mu("api-admin", 15) + _mu("admin", 15),
     " bind manager-user audit-admin role audit-admin\n bind manager-user admin role system-admin\n", "compliant"),
    # the auditor's level is irrelevant once its role is bound
    (_mu("auditor", 1) + _mu("admin", 15),
     " bind manager-user auditor role audit-admin\n bind manager-user admin role system-admin\n", "compliant"),
    # a configuration administrator (device-admin) holds less than the system administrator
    (_mu("ops", 15) + _mu("admin", 15),
     " bind manager-user ops role device-admin\n bind manager-user admin role system-admin\n", "compliant"),
    # unbound, levels 3-15 map to system administrator: no separation
    (_mu("a1", 15) + _mu("admin", 3), "", "noncompliant"),
    # every account bound to system-admin: no separation whatever the levels
    (_mu("a1", 2) + _mu("admin", 15),
     " bind manager-user a1 role system-admin\n bind manager-user admin role system-admin\n", "noncompliant"),
])
def test_usg_roles_decide_administrator_rights(ctx, users, binds, result):
    a = assess(ctx, "huawei_vrp", _usg(users, binds), head=USG_HEAD)
    assert item(a, "8.1.4.2.d") == result, [(f.check, f.status.value, f.reason_en) for f in a.findings
                                           if "8.1.4.2.d" in f.controls]


def test_an_empty_service_scheme_of_an_end_user_domain_is_read(ctx):
    """USG SITE: `service-scheme NAME` declared with nothing beneath it and bound to an end-user domain sets no
    administrator level: read, so the account checks may pass; a scheme that sets an administrator level stays
    unread (never pass on it)."""
    body = (" service-scheme web1\n domain nti\n  service-scheme web1\n  service-type internetaccess ssl-vpn l2tp ike\n"
            + _mu("audit-admin", 15) + _mu("admin", 15)
            + " bind manager-user audit-admin role audit-admin\n bind manager-user admin role system-admin\n")
    a = assess(ctx, "huawei_vrp", "aaa\n" + body, head=USG_HEAD)
    assert check(a, "accounts_privilege_assigned").status.value == "pass"
    assert a.parse.unrecognized_count == 0, a.parse.unrecognized
    a = assess(ctx, "huawei_vrp", "aaa\n" + body.replace(" service-scheme web1\n domain",
                                                         " service-scheme web1\n  admin-user privilege level 15\n domain"),
               head=USG_HEAD)
    assert check(a, "accounts_privilege_assigned").status.value == "manual"


# -- 8.1.4.2.a: anonymous access must be disabled or restricted (GB/T 28448 test step 2) -------------------------------
IOS_ACCOUNTS = "username a privilege 15 secret 9 $9$abc\nip ssh version 2\nline vty 0 4\n login local\n transport input ssh\n"
VRP_ACCOUNTS = ("stelnet server enable\naaa\n local-user a password irreversible-cipher $1a$x$\n"
                " local-user a service-type ssh\n local-user a privilege level 15\nuser-interface vty 0 4\n"
                " authentication-mode aaa\n protocol inbound ssh\n")
COMWARE_ACCOUNTS = ("ssh server enable\nlocal-user a class manage\n password hash $h$6$x\n service-type ssh\n"
                    " authorization-attribute user-role network-admin\nline vty 0 63\n authentication-mode scheme\n"
                    " protocol inbound ssh\n")


@pytest.mark.parametrize("platform, body, result", [
    # SW-BC-A: `line con 0` with no login and no enable password: anyone at the console reaches privileged EXEC
    ("cisco_ios", IOS_ACCOUNTS + "line con 0\n", "partial"),
    # tmullaly R1: the console lands at level 15 with no login
    ("cisco_ios", "enable secret 9 $9$e\n" + IOS_ACCOUNTS + "line con 0\n privilege level 15\n", "partial"),
    # an enable secret keeps the anonymous console session at user EXEC: restricted
    ("cisco_ios", "enable secret 9 $9$e\n" + IOS_ACCOUNTS + "line con 0\n", "compliant"),
    # aux with no login: IOS refuses `enable` off the console while no enable password is set
    ("cisco_ios", IOS_ACCOUNTS + "line con 0\n login local\nline aux 0\n", "compliant"),
    # VRP console without authentication: its default level (15) is a management level
    ("huawei_vrp", VRP_ACCOUNTS + "user-interface con 0\n authentication-mode none\n", "partial"),
    ("huawei_vrp", VRP_ACCOUNTS + "user-interface con 0\n authentication-mode none\n user privilege level 1\n",
     "compliant"),
    # Comware 7 AUX: authentication off by default, the user role network-admin by default (S10508V)
    ("hp_comware", COMWARE_ACCOUNTS + "line aux 0\n authentication-mode none\n user-role network-admin\n", "partial"),
])
def test_an_anonymous_console_with_administrator_rights_fails_8_1_4_2_a(ctx, platform, body, result):
    a = assess(ctx, platform, body)
    assert item(a, "8.1.4.2.a") == result, [(f.check, f.status.value, f.reason_en) for f in a.findings
                                           if "8.1.4.2.a" in f.controls]


# -- 8.1.4.1.b: the web management session timeout is a login timeout (USG HRP master, SITE: web-manager timeout 1440)
@pytest.mark.parametrize("platform, body, head, status", [
    ("huawei_vrp", "web-manager security enable\nweb-manager timeout 1440\n", USG_HEAD, "fail"),
    ("huawei_vrp", "web-manager security enable\nweb-manager timeout 10\n", USG_HEAD, "pass"),
    ("huawei_vrp", "undo web-manager enable\nundo web-manager security enable\nweb-manager timeout 1440\n", USG_HEAD,
     "pass"),                                                      # no web management: nothing times out
    ("cisco_ios", "ip http secure-server\nip http authentication local\nip http timeout-policy idle 3600 life 86400 "
                  "requests 10000\n", "", "fail"),
    ("cisco_ios", "ip http secure-server\nip http authentication local\nip http timeout-policy idle 300 life 86400 "
                  "requests 10000\n", "", "pass"),
])
def test_web_management_idle_timeout_counts_for_8_1_4_1_b(ctx, platform, body, head, status):
    lines = "user-interface con 0\n authentication-mode aaa\n" if platform == "huawei_vrp" else "line con 0\n login local\n"
    a = assess(ctx, platform, body + lines, head=head)
    f = check(a, "session_idle_timeout_set")
    assert f.status.value == status, f.reason_en
    assert a.parse.unrecognized_count == 0, a.parse.unrecognized


# -- 8.1.4.2.b is an OR in GB/T 28448 (renamed or deleted, OR the default password changed) ----------------------------
@pytest.mark.parametrize("password, result", [
    ("cipher @%@%xyz@%@%", "manual"),        # USG FW1/HRP/SITE, AC6605: names kept, password not visible: undecided
    ("simple Admin@123", "noncompliant"),     # name kept AND the factory password: both steps fail
])
def test_a_kept_factory_name_alone_does_not_decide_8_1_4_2_b(ctx, password, result):
    body = f"aaa\n manager-user admin\n  password {password}\n  service-type web terminal\n  level 15\n"
    a = assess(ctx, "huawei_vrp", body, head=USG_HEAD)
    assert item(a, "8.1.4.2.b") == result, check(a, "default_account_renamed").reason_en


# -- a console in password mode with no password set is no shared password (AC6605 con 0 L150-151) ---------------------
@pytest.mark.parametrize("platform, body", [
    ("huawei_vrp", VRP_ACCOUNTS + "user-interface con 0\n authentication-mode password\n"),
    ("hp_comware", COMWARE_ACCOUNTS + "line aux 0\n authentication-mode password\n"),
])
def test_a_console_in_password_mode_without_a_password_is_no_shared_password(ctx, platform, body):
    """Nothing to share: depending on the release the console refuses logins or asks for a password to be set at the
    first login, so who logs in there is unknown (manual), neither a shared line password nor an open console."""
    a = assess(ctx, platform, body)
    for c in ("auth_individual_accounts", "auth_login_required"):
        assert check(a, c).status.value == "manual", (c, check(a, c).reason_en)
    assert item(a, "8.1.4.2.a") == "manual"
    with_password = body + " set authentication password cipher $1a$abc$\n"
    if platform == "hp_comware":
        with_password = body + " set authentication password hash $h$6$abc\n"
    assert check(assess(ctx, platform, with_password), "auth_individual_accounts").status.value == "fail"


# -- release defaults by family: the S-series password-policy default is no CloudEngine's (CE12800 V200R005) ----------
@pytest.mark.parametrize("board, status", [
    ("device board 17 board-type CE-MPUB\n", "manual"),      # CE12800 main board: VRP8, the S-series rule does not hold
    ("device board 1 board-type CE6880-24S4Q2CQ-EI\n", "manual"),
    ("", "fail"),                                           # an S-series V200R005: no administrator policy by default
])
def test_the_s_series_password_expiry_default_is_not_applied_to_cloudengine(ctx, board, status):
    head = "!Software Version V200R005C10SPC607B607\n" + board
    body = "aaa\n local-user a password irreversible-cipher $1a$x$\n local-user a privilege level 15\n"
    f = check(assess(ctx, "huawei_vrp", body, head=head), "password_expiry_enforced")
    assert f.status.value == status, f.reason_en


# -- Catalyst 3850: HTTPS that checks local accounts when there is none is no proven protected path --------------------
NO_VTY_LOGIN = "line con 0\nline vty 0 4\n login\n"            # `login` with no password: every vty login refused
WEB_LOCAL = "ip http secure-server\nip http authentication local\n"


def test_https_local_authentication_without_any_account_is_no_proven_protected_path(ctx):
    """smitch35 C3850 L226-227, L238-241: HTTPS only, `ip http authentication local` and not one `username`: no web
    login can be shown to succeed, so HTTPS is no proven encrypted path (manual, not pass) and no single-factor remote
    login (6.4.1.3) is raised; with one local account it is the encrypted path again."""
    a = assess(ctx, "cisco_ios", WEB_LOCAL + NO_VTY_LOGIN)
    f = check(a, "remote_mgmt_encrypted_path")
    assert f.status.value == "manual", f.reason_en
    assert item(a, "8.1.2.2.a") == "manual"
    assert "6.4.1.3" not in raised(a), raised(a)
    a = assess(ctx, "cisco_ios", "username a privilege 15 secret 9 $9$abc\n" + WEB_LOCAL + NO_VTY_LOGIN)
    assert check(a, "remote_mgmt_encrypted_path").status.value == "pass"


def test_an_http_page_asking_for_local_accounts_stays_a_clear_text_login_path(ctx):
    """C9200L L255-256 (sibling, unchanged): with the HTTP page on, administrators type credentials into a clear-text
    prompt whether or not an account exists: the HTTP check fails and the clear-text cases are raised."""
    a = assess(ctx, "cisco_ios", "ip http server\n" + WEB_LOCAL + NO_VTY_LOGIN)
    assert check(a, "remote_mgmt_http_disabled").status.value == "fail"
    assert {"6.4.1.2", "6.5.1.1"} <= raised(a), raised(a)


# -- MER5200 (Comware 7): `web idle-timeout 999` L216 is the web session timeout; `local-user admin` L200 has no password
C7_HEAD = "version 7.1.064, Release 0821P16\n"
MER_WEB = (C7_HEAD, "ip http enable\nip https enable\nlocal-user a class manage\n password hash $h$6$x\n"
           " service-type http https\n authorization-attribute user-role network-admin\n"
           "line con 0\n authentication-mode scheme\n idle-timeout 5 0\n")


@pytest.mark.parametrize("minutes, status", [("999", "fail"), ("10", "pass")])
def test_comware_web_idle_timeout_is_read_for_8_1_4_1_b(ctx, minutes, status):
    head, body = MER_WEB
    a = assess(ctx, "hp_comware", body + f"web idle-timeout {minutes}\n", head=head)
    f = check(a, "session_idle_timeout_set")
    assert f.status.value == status, f.reason_en
    assert a.parse.unrecognized_count == 0, a.parse.unrecognized


def test_comware_local_user_without_a_password_line_has_no_password(ctx):
    """Comware 7: a local user with no password passes authentication on its user name alone (H3C AAA configuration
    guide, local user attributes): auth_no_empty_password fails and 6.4.1.1 is raised over a remote path."""
    body = ("telnet server enable\nlocal-user admin class manage\n service-type telnet\n"
            " authorization-attribute user-role network-admin\nline vty 0 63\n authentication-mode scheme\n")
    a = assess(ctx, "hp_comware", body, head=C7_HEAD)
    assert check(a, "auth_no_empty_password").status.value == "fail", check(a, "auth_no_empty_password").reason_en
    assert "6.4.1.1" in raised(a), raised(a)


def test_no_stored_login_credential_does_not_pass_8_1_4_8_b(ctx):
    """MER5200 L200-202: the only account has no password: nothing shows how the device stores credentials."""
    body = "local-user admin class manage\n service-type telnet\n authorization-attribute user-role network-admin\n"
    a = assess(ctx, "hp_comware", body, head=C7_HEAD)
    assert check(a, "passwords_not_plaintext").status.value == "manual", check(a, "passwords_not_plaintext").reason_en


def test_a_factory_account_name_kept_with_no_password_fails_8_1_4_2_b(ctx):
    """MER5200 L200: `local-user admin` keeps the factory name and has no password: neither renamed nor given a
    new password (both GB/T 28448 steps fail), unlike a kept name with a password the config cannot show (manual)."""
    body = "local-user admin class manage\n service-type telnet\n authorization-attribute user-role network-admin\n"
    assert item(assess(ctx, "hp_comware", body, head=C7_HEAD), "8.1.4.2.b") == "noncompliant"
    hidden = body.replace(" service-type", " password hash $h$6$x\n service-type")
    assert item(assess(ctx, "hp_comware", hidden, head=C7_HEAD), "8.1.4.2.b") == "manual"
