"""Huawei VRP and H3C Comware parser rules, written from the VRP / Comware command references and
docs/vendor-defaults.md (issue 15 must-have 2): user interfaces, keyword case, AAA, SNMP, ACLs, defaults by release.
Written for the survivors of the session-8 mutation sample (mutation/RESULTS.md).
"""
from __future__ import annotations

import pytest

from scanner import platforms

# ---------------------------------------------------------------------------------------------------------------
# Huawei VRP and H3C Comware user interfaces: the VRP and Comware command references (`user-interface`/`line`,
# `authentication-mode`, `protocol inbound`, `idle-timeout minutes [seconds]`, `acl ... inbound`, `user privilege
# level`, `set authentication password`) and docs/vendor-defaults.md.

VRP_HEAD = """#
sysname SW1
#
aaa
 local-user admin password irreversible-cipher $1c$abcdefghijklmnopqrstuvwxyz$
 local-user admin privilege level 15
 local-user admin service-type ssh
#
stelnet server enable
#
"""


def vrp(body: str, platform: str = "huawei_vrp"):
    return platforms.get(platform).parse_config((VRP_HEAD + body + "\n#\nreturn").splitlines())


def vrp_line(body: str, name: str = "vty 0 4", platform: str = "huawei_vrp"):
    return next(m for m in vrp(body, platform).mgmt_lines if m.name == name)


@pytest.mark.parametrize("children, auth", [
    (" authentication-mode aaa", "local"),            # AAA with no remote server: the local accounts
    (" authentication-mode AAA", "local"),            # keywords are case-insensitive
    (" authentication-mode scheme", "local"),         # Comware 5 wording of AAA
    (" authentication-mode password\n set authentication password cipher %^%#abcdefghijklmnop%^%#", "password"),
    (" authentication-mode password", "refused"),     # password mode with none set: no login at all
    (" authentication-mode none", "none"),
    ("", "refused"),                                  # no mode configured: a VTY accepts no login
])
def test_vrp_vty_authentication_mode(children, auth):
    assert vrp_line(f"user-interface vty 0 4\n{children}\n protocol inbound ssh").auth == auth


def test_vrp_aaa_mode_with_a_remote_server_is_aaa():
    body = ("hwtacacs-server template T1\n hwtacacs-server authentication 10.1.1.1\n#\naaa\n authentication-scheme "
            "default\n  authentication-mode hwtacacs local\n domain default\n  authentication-scheme default\n"
            "  hwtacacs-server T1\n#\nuser-interface vty 0 4\n authentication-mode aaa\n protocol inbound ssh")
    assert vrp_line(body).auth == "aaa"


@pytest.mark.parametrize("children, seconds", [
    ("", 600), (" idle-timeout 5", 300), (" idle-timeout 10 0", 600), (" idle-timeout 10 1", 601),
    (" idle-timeout 5 30", 330), (" idle-timeout 0 0", 0), (" idle-timeout 0 45", 45),
])
def test_vrp_idle_timeout(children, seconds):
    """`idle-timeout minutes [seconds]`; the default is 10 minutes; `idle-timeout 0 0` never disconnects."""
    assert vrp_line(f"user-interface vty 0 4\n authentication-mode aaa\n{children}").idle_timeout_s == seconds


@pytest.mark.parametrize("children, protocols", [
    (" protocol inbound ssh", {"ssh"}), (" protocol inbound telnet", {"telnet"}),
    (" protocol inbound all", {"telnet", "ssh"}), (" protocol inbound SSH", {"ssh"}),
])
def test_vrp_protocol_inbound(children, protocols):
    """`protocol inbound all` allows Telnet as well as SSH."""
    ml = vrp_line(f"user-interface vty 0 4\n authentication-mode aaa\n{children}")
    assert set(ml.protocols) == protocols and ml.protocols_line == ml.line + 2


@pytest.mark.parametrize("children, acl", [
    (" acl 2000 inbound", "2000"), (" acl ipv6 2001 inbound", None), (" acl 2000 outbound", None),
    (" acl name MGMT inbound", "MGMT"), ("", None),
])
def test_vrp_vty_acl_inbound(children, acl):
    """`acl [ipv6] NUMBER|name NAME inbound|outbound`: only the IPv4 inbound ACL limits who logs in over IPv4."""
    assert vrp_line(f"user-interface vty 0 4\n authentication-mode aaa\n protocol inbound ssh\n{children}"
                    ).acl_in == acl


@pytest.mark.parametrize("children, anonymous", [
    (" authentication-mode none", True),                               # console default level 15
    (" authentication-mode none\n user privilege level 15", True),
    (" authentication-mode none\n user privilege level 3", True),      # 3-15 are management levels
    (" authentication-mode none\n user privilege level 2", False),
    (" authentication-mode none\n user privilege level 0", False),
    (" authentication-mode aaa", None),
])
def test_vrp_console_without_authentication_is_an_anonymous_administrator(children, anonymous):
    assert vrp_line(f"user-interface con 0\n{children}", "con 0").anonymous_admin is anonymous


def comware(body: str, version: str = "7.1.064, Release 0821P16"):
    cfg = f"#\n version {version}\n#\n sysname H3C\n#\n{body}\n#\nreturn"
    return platforms.get("hp_comware").parse_config(cfg.splitlines())


@pytest.mark.parametrize("body, policy, lockout", [
    # the global switch is off by default, and every sub-setting is inert while it is off
    ("", (False, None, 0, 0), (False, None, None)),
    (" password-control length 12\n password-control aging 30\n password-control login-attempt 3 exceed lock",
     (False, None, 0, 0), (False, 3, 0)),
    (" undo password-control enable\n password-control length 12", (False, None, 0, 0), (False, None, None)),
    # switched on: the factory values (length 10, one class, 90 days; 3 attempts, locked 1 minute)
    (" password-control enable", (True, 10, 1, 90), (True, 3, 60)),
    (" password-control enable\n password-control length 8\n password-control composition type-number 2\n"
     " password-control aging 91", (True, 8, 2, 91), (True, 3, 60)),
    (" password-control enable\n password-control login-attempt 5 exceed lock-time 10", (True, 10, 1, 90),
     (True, 5, 600)),
    (" password-control enable\n password-control login-attempt 5 exceed lock", (True, 10, 1, 90), (True, 5, 0)),
    (" password-control enable\n password-control login-attempt 5 exceed unlock", (True, 10, 1, 90),
     (False, 5, None)),
    (" password-control enable\n password-control login-attempt 4", (True, 10, 1, 90), (True, 4, None)),
])
def test_comware_password_control(body, policy, lockout):
    """H3C password-control: `password-control enable` (off by default) turns on the settings; `login-attempt N
    exceed lock-time MINUTES | lock | unlock` (lock = until an administrator unlocks; unlock = never locked)."""
    dev = comware(body)
    p, lo = dev.password_policy, dev.lockout
    assert (p.enabled, p.min_length, p.min_classes, p.max_age_days) == policy
    assert (lo.enabled, lo.max_attempts, lo.lock_seconds) == lockout


@pytest.mark.parametrize("version, user_lines, storage, privilege, admin", [
    ("7.1.064", " password hash $h$6$abcdefghijklmnop\n authorization-attribute user-role network-admin",
     "hash", 15, True),
    ("7.1.064", " password cipher $c$3$abcdefghijklmnop\n authorization-attribute user-role level-15", "reversible",
     15, True),
    ("7.1.064", " password simple Hello123\n authorization-attribute user-role level-3", "plaintext", 3, False),
    ("7.1.064", " authorization-attribute user-role network-operator", "none", 1, False),
    ("5.20, Release 2221P05", " password cipher abcdefghijklmnop\n level 3", "reversible", 3, True),
    ("5.20, Release 2221P05", " password cipher abcdefghijklmnop\n authorization-attribute level 2", "reversible",
     2, False),
])
def test_comware_local_user(version, user_lines, storage, privilege, admin):
    """H3C local users: `password hash|cipher|simple`; no password line = the name alone logs in; Comware 7 roles
    (network-admin, level-15 are administrators), Comware 5 levels 3 (manage) and up are management levels."""
    dev = comware(f"local-user ops class manage\n service-type ssh\n{user_lines}", version)
    u = dev.users[0]
    assert (u.storage.value, u.privilege, u.is_admin, u.services) == (storage, privilege, admin, frozenset({"ssh"}))


def test_comware_network_access_users_and_blocked_users():
    dev = comware("local-user dot1x class network\n password simple Hello123\n#\nlocal-user old class manage\n"
                  " password hash $h$6$abcdefghijklmnop\n state block")
    assert [(u.name, u.disabled) for u in dev.users] == [("old", True)]


# Huawei USG administrators (docs/vendor-defaults.md Q24, the USG administrator guide): a bound role decides the
# rights and the manager-user's level no longer counts; unbound, levels 3-15 are system administrators.
@pytest.mark.parametrize("level, role, admin, privilege", [
    ("15", None, True, 15), ("3", None, True, 3), ("2", None, False, 2),
    ("1", "system-admin", True, 15), ("15", "device-admin", False, 2), ("15", "device-admin(monitor)", False, 1),
    ("15", "audit-admin", False, 2), ("15", "my-custom-role", False, 15),
])
def test_usg_manager_user_role_and_level(level, role, admin, privilege):
    for bound in ((f"  role {role}", "") if role else ("",)):
        body = (f"aaa\n manager-user ops\n  password simple Hello@123x\n  service-type ssh\n  level {level}\n{bound}")
        if role and not bound:
            body += f"\n bind manager-user ops role {role}"
        dev = vrp(body.replace("\n\n", "\n"))
        u = next(x for x in dev.users if x.name == "ops")
        assert (u.is_admin, u.privilege, u.services) == (admin, privilege, frozenset({"ssh"}))
        assert u.storage.value == "plaintext"


@pytest.mark.parametrize("password, length, equals_name", [("Hello@123x", 10, False), ("SW1", 3, True),
                                                            ("ops", 3, True)])
def test_usg_manager_user_clear_password_traits_and_lines(password, length, equals_name):
    """A `password simple` value is judged as typed (its length, whether it is the account or the host name, SW1);
    the user's evidence starts at its manager-user line."""
    dev = vrp(f"aaa\n manager-user ops\n  password simple {password}\n  level 15")
    u = next(x for x in dev.users if x.name == "ops")
    assert (u.password_traits.length, u.password_traits.equals_name) == (length, equals_name)
    assert u.lines[0] == u.line and len(u.lines) == 3
    cipher = next(x for x in vrp("aaa\n manager-user ops\n  password cipher %@%@abcdefgh%@%@\n  level 15").users
                  if x.name == "ops")
    assert (cipher.storage.value, cipher.password_traits) == ("unknown", None)


# AAA server keys (Comware `hwtacacs|radius scheme`, VRP server templates): `cipher` is the reversible-but-strongest
# form a key the device must send can take; `simple` and Comware 5's bare key are clear text.
@pytest.mark.parametrize("child, keys", [
    (" primary authentication 10.1.1.1 key cipher $c$3$abcdefgh==", ["hash"]),
    (" primary authentication 10.1.1.1 key simple Tac@cs123", ["plaintext"]),
    (" primary authentication 10.1.1.1 key Tac@cs123", ["plaintext"]),          # Comware 5 bare key
    (" primary authentication 10.1.1.1", []),
    (" secondary accounting 10.1.1.2 key cipher $c$3$abcdefgh==", ["hash"]),
    (" key authentication cipher $c$3$abcdefgh==", ["hash"]),
    (" key authentication simple Tac@cs123", ["plaintext"]),
    (" key authentication Tac@cs123", ["plaintext"]),
    (" user-name-format without-domain", []),
])
def test_comware_scheme_servers_and_keys(child, keys):
    dev = comware(f"hwtacacs scheme T1\n{child}")
    assert [(s.value, line) for s, line in dev.aaa.keys] == [(k, 7) for k in keys]
    assert dev.aaa.servers[0] == 6 and (7 in dev.aaa.servers) is child.startswith((" primary", " secondary"))


@pytest.mark.parametrize("child, keys", [
    (" hwtacacs-server shared-key cipher %^%#abcdefgh%^%#", ["hash"]),
    (" hwtacacs-server shared-key simple Tac@cs123", ["plaintext"]),
    (" hwtacacs-server authentication 10.1.1.1 49 shared-key cipher %^%#abcdefgh%^%#", ["hash"]),
    (" hwtacacs-server authentication 10.1.1.1 49", []),
])
def test_vrp_server_template_keys(child, keys):
    dev = vrp(f"hwtacacs-server template T1\n{child}")
    line = next(i for i, t in enumerate((VRP_HEAD + f"hwtacacs-server template T1\n{child}").splitlines(), 1)
                if t == child)
    assert [(s.value, ln) for s, ln in dev.aaa.keys] == [(k, line) for k in keys]
    assert dev.aaa.servers[0] == line - 1


def test_a_bare_usg_role_line_is_no_crash():
    u = next(x for x in vrp("aaa\n manager-user ops\n  role\n  level 15").users if x.name == "ops")
    assert (u.is_admin, u.privilege) == (True, 15)


# VRP and Comware compare command keywords case-insensitively; names, passwords and communities keep their case
# (VRP Basic Configuration Guide, "command line conventions": keywords are not case-sensitive).
from scanner.platforms.vrp_keywords import keyword_form  # noqa: E402


@pytest.mark.parametrize("text, want", [
    ("UNDO TELNET SERVER ENABLE", "undo telnet server enable"),
    ("Local-User Admin Password Cipher AbC", "local-user Admin password cipher AbC"),
    ("local-user ADMIN privilege LEVEL 15", "local-user ADMIN privilege level 15"),
    ("SYSNAME Core-SW", "sysname Core-SW"),
    ("snmp-agent community READ Public", "snmp-agent community read Public"),
    ("snmp-agent community read Admin", "snmp-agent community read Admin"),      # a community named Admin
    ("snmp-agent community Read CIPHER Xy", "snmp-agent community read cipher Xy"),
    ("snmp-agent community WRITE Simple Pw", "snmp-agent community write simple Pw"),
    ("Description Link To ACL Core", "description Link To ACL Core"),           # free text from here on
    ("interface X DESCRIPTION Uplink ACL", "interface X description Uplink ACL"),
    ("Domain Default", "domain default"), ("domain Enable", "domain Enable"),   # a domain named Enable
    ("USER PRIVILEGE LEVEL 15", "user privilege level 15"), ("User Admin", "user Admin"),
    ("user-interface VTY 0 4", "user-interface vty 0 4"),
    ("snmp-agent sys-info version V2C V3", "snmp-agent sys-info version v2c v3"),
    ("snmp-agent usm-user V3 Admin", "snmp-agent usm-user v3 Admin"),
    ("ip route-static 0.0.0.0 0 Vlanif10", "ip route-static 0.0.0.0 0 Vlanif10"),
    ("telnet server enable", "telnet server enable"), ("", ""),
    ("  Stelnet  Server   Enable", "  stelnet  server   enable"),               # spacing kept
])
def test_vrp_keywords_are_case_insensitive_values_keep_their_case(text, want):
    assert keyword_form(text) == want


def test_a_configuration_written_in_upper_case_reads_like_the_lower_case_one():
    upper = vrp("USER-INTERFACE VTY 0 4\n AUTHENTICATION-MODE PASSWORD\n PROTOCOL INBOUND ALL\n IDLE-TIMEOUT 20 0\n"
                " SET AUTHENTICATION PASSWORD CIPHER %^%#AbCdEfGhIjKl%^%#")
    ml = next(m for m in upper.mgmt_lines if m.name == "vty 0 4")
    assert (ml.auth, set(ml.protocols), ml.idle_timeout_s) == ("password", {"telnet", "ssh"}, 1200)


# Status commands that settle release defaults (each output as the vendor prints it)
from scanner.facts import NetworkDevice  # noqa: E402
from scanner.platforms import status as st  # noqa: E402


@pytest.mark.parametrize("text, enabled, v1, line", [
    (" SSH version                                :2.0\n SSH connection timeout   :60 seconds\n"
     " SFTP server                                :Disable\n Stelnet server                             :Enable",
     True, False, 4),
    (" SSH version : 1.99\n Stelnet server : Disable", False, True, 2),
    ("SSH Server version: 2.0\nSSH server: enabled", True, False, 2),
    ("ssh version : 1.5\nSTELNET SERVER : ENABLE", True, True, 2),
])
def test_vrp_and_comware_ssh_server_status(text, enabled, v1, line):
    """`display ssh server status`: `SSH version : 1.99` accepts SSHv1 clients; `Stelnet server : Enable`."""
    dev = NetworkDevice(platform="huawei_vrp")
    st.vrp_ssh(dev, text)
    assert (dev.ssh.enabled.enabled, dev.ssh.v1_allowed.enabled, dev.ssh.enabled.line) == (enabled, v1, line)
    assert dev.ssh.enabled.source == "ssh_status" and dev.ssh.v1_allowed.line == 1


@pytest.mark.parametrize("text, enabled", [(" TELNET IPv4 server                :Enable", True),
                                           (" TELNET IPv4 server                :Disable", False),
                                           ("telnet ipv4 server : enabled", True),
                                           (" TELNET IPv6 server                :Enable", None)])
def test_huawei_telnet_server_status(text, enabled):
    dev = NetworkDevice(platform="huawei_vrp")
    st.huawei_telnet(dev, "Info: status\n" + text)
    assert dev.telnet.enabled is enabled
    if enabled is not None:
        assert (dev.telnet.line, dev.telnet.source) == (2, "telnet_status")


@pytest.mark.parametrize("text, http, https", [
    (" HTTP Server Status              : enabled\n HTTP Secure-server Status       : disabled", True, False),
    (" HTTP Server Status              : disabled\n HTTP Secure-server Status       : enabled", False, True),
    ("http server status : Enable", True, None),
])
def test_huawei_http_server_status(text, http, https):
    dev = NetworkDevice(platform="huawei_vrp")
    st.huawei_http(dev, text)
    assert (dev.http.enabled, dev.https.enabled) == (http, https)
    assert dev.http.line == 1 and dev.http.source == "http_status"
    if https is not None:
        assert (dev.https.line, dev.https.source) == (2, "http_status")


# VRP / Comware SNMP (the snmp-agent command reference)
def snmp_of(lines: str, platform: str = "huawei_vrp"):
    return (vrp(lines, platform) if platform == "huawei_vrp" else comware(lines)).snmp


@pytest.mark.parametrize("lines, enabled, versions", [
    ("snmp-agent\nsnmp-agent sys-info version v2c v3", True, {"v2c", "v3"}),
    ("snmp-agent\nsnmp-agent sys-info version all", True, {"v1", "v2c", "v3"}),
    ("snmp-agent\nsnmp-agent sys-info version all\nundo snmp-agent sys-info version v1 v2c", True, {"v3"}),
    ("undo snmp-agent", False, set()),
])
def test_vrp_snmp_agent_and_versions(lines, enabled, versions):
    snmp = snmp_of(lines)
    assert (snmp.enabled, set(snmp.versions or ())) == (enabled, versions)


@pytest.mark.parametrize("line, access, acl, well_known, hidden", [
    ("snmp-agent community read public", "ro", None, True, False),
    ("snmp-agent community write private", "rw", None, True, False),
    ("snmp-agent community read simple Pr1v@teCom acl 2000", "ro", "2000", False, False),
    ("snmp-agent community write cipher %^%#abcdefghijklmnop%^%# acl 2001", "rw", "2001", False, True),
    ("snmp-agent community read Pr1v@teCom acl name MGMT", "ro", "MGMT", False, False),
    ("snmp-agent community read Pr1v@teCom acl", "ro", None, False, False),
    ("snmp-agent community simple public user-role network-admin", "rw", None, True, False),
    ("snmp-agent community simple Pr1v@teCom user-role network-operator", "ro", None, False, False),
])
def test_vrp_snmp_communities(line, access, acl, well_known, hidden):
    """`snmp-agent community read|write [cipher|simple] NAME [acl N | acl name NAME]`; Comware 7 `community simple
    NAME user-role ROLE` (network-admin writes); a `cipher` name cannot be told from public."""
    c = snmp_of(f"snmp-agent\n{line}").communities[0]
    assert (c.access, c.acl, c.well_known, c.name_hidden) == (access, acl, well_known, hidden)


@pytest.mark.parametrize("line, priv, weak", [
    ("snmp-agent group v3 G1 privacy", True, False), ("snmp-agent group v3 G1 authentication", False, True),
    ("snmp-agent group v3 G1", False, True), ("snmp-agent group v2c G1", False, False),
])
def test_vrp_snmp_v3_group_security_level(line, priv, weak):
    snmp = snmp_of(f"snmp-agent\n{line}")
    assert (bool(snmp.v3_groups_priv), bool(snmp.v3_groups_weak)) == (priv, weak)


def test_vrp_snmp_users_over_several_lines_and_comware_v2c_users():
    snmp = snmp_of("snmp-agent\nsnmp-agent usm-user v3 u1\nsnmp-agent usm-user v3 u1 group G1\n"
                   "snmp-agent usm-user v3 u1 authentication-mode sha2-256 cipher %^%#abcdefgh%^%#\n"
                   "snmp-agent usm-user v3 u1 privacy-mode aes256 cipher %^%#abcdefgh%^%#\n"
                   "snmp-agent usm-user v3 u2 G2 authentication-mode md5 Xyz12345 privacy-mode des56 Xyz12345\n"
                   "snmp-agent target-host trap address udp-domain 10.1.1.1 params securityname u1 v3 privacy")
    assert [(u.name, u.auth, u.priv) for u in snmp.users] == [("u1", "sha2-256", "aes256"), ("u2", "md5", "des56")]
    assert len(snmp.trap_hosts) == 1
    cw = snmp_of("snmp-agent\nsnmp-agent usm-user v2c public acl 2000\nsnmp-agent usm-user v1 Pr1v@teCom", "comware")
    assert [(c.access, c.acl, c.well_known) for c in cw.communities] == [("ro", "2000", True), ("ro", None, False)]


# Huawei VRP defaults by release (docs/vendor-defaults.md Q12, the S-series command reference Issue 14, the
# CloudEngine/VRP8 guides): which VRP a release string is, and what the password policy is when unstated.
from scanner.platforms import huawei_vrp as hv  # noqa: E402


@pytest.mark.parametrize("version, major, before_v200r010, documented", [
    ("V800R021C00SPC100", 8, False, False), ("V200R019C10SPC500", 5, False, True),
    ("V200R020C00", None, False, True), ("V200R009C00SPC500", 5, True, False), ("V200R010C00", 5, False, False),
    ("V200R018C00", 5, False, False), ("V300R003C00", 5, False, False), ("V100R006C05", 5, False, False),
    ("V600R003C00", None, False, False), ("v200r019c10", 5, False, True), ("5.170", None, False, False),
])
def test_vrp_release_strings(version, major, before_v200r010, documented):
    assert hv._vrp_major(version) == major
    assert hv._before_automatic_policy(version) is before_v200r010
    assert hv._documented_s_series(version) is documented
    assert hv._before_automatic_policy(None) is False and hv._documented_s_series(None) is False


@pytest.mark.parametrize("head, major, model, version", [
    ("!Software Version V200R019C10SPC500\n", 5, None, "V200R019C10SPC500"),
    ("! Software Version V800R021C00\n", 8, None, "V800R021C00"),
    ("Huawei Versatile Routing Platform Software\nVRP (R) software, Version 8.180 (CE6850EI V200R005C10SPC800)\n",
     8, "CE6850EI", "V200R005C10SPC800"),
    ("VRP (R) software, Version 5.170 (S5735 V200R019C10SPC500)\nHUAWEI S5735-L48T4X-A1 uptime is 3 days\n", 5,
     "S5735-L48T4X-A1", "V200R019C10SPC500"),                                   # the full model wins
    ("HUAWEI S5735-L48T4X-A1 uptime is 3 days\n", None, "S5735-L48T4X-A1", None),
    # a CloudEngine's V200R005 looks like an S-series release but runs VRP8 (its boards say so)
    ("!Software Version V200R005C10SPC800\n#\ndevice board 1 board-type CE6850-48S6Q-HI\n", 8, None,
     "V200R005C10SPC800"),
    ("#\ndevice board 1 board-type CE6850-48S6Q-HI\n", 8, None, None),
])
def test_vrp_header_release_and_model(head, major, model, version):
    dev = platforms.get("huawei_vrp").parse_config((head + VRP_HEAD + "#\nreturn").splitlines())
    assert (dev.os_major, dev.model, dev.software_version) == (major, model, version)


@pytest.mark.parametrize("version, lines, enabled, min_len, classes, max_age", [
    # S-series V200R019+: complexity-check on by default, min-length 8, two character types
    ("V200R019C10SPC500", "", True, 8, 2, None),
    ("V200R019C10SPC500", "undo user-password complexity-check", False, None, 0, None),
    ("V200R019C10SPC500", "set password min-length 12", True, 12, 2, None),
    # before V200R010 the administrator password policy is off: passwords never expire
    ("V200R009C00SPC500", "", None, None, None, 0),
    ("V200R010C00", "", None, None, None, None),
    ("V800R021C00", "", None, None, None, None),
    ("V200R009C00SPC500", "aaa\n local-aaa-user password policy administrator", None, None, None, 90),
    ("V200R009C00SPC500", "aaa\n local-aaa-user password policy administrator\n  password expire 60\n"
                          "  password history record number 5\n  password min-length 10", None, 10, None, 60),
    ("V200R009C00SPC500", "user-password complexity-check", True, None, 2, 0),
])
def test_vrp_password_policy_by_release(version, lines, enabled, min_len, classes, max_age):
    dev = platforms.get("huawei_vrp").parse_config(
        (f"!Software Version {version}\n" + VRP_HEAD + lines + "\n#\nreturn").splitlines())
    p = dev.password_policy
    assert (p.enabled, p.min_length, p.min_classes, p.max_age_days) == (enabled, min_len, classes, max_age)
    if "history" in lines:
        assert p.history == 5


@pytest.mark.parametrize("lines, enabled, attempts, seconds", [
    (" local-aaa-user wrong-password retry-interval 5 retry-time 3 block-time 10", True, 3, 600),
    (" undo local-aaa-user wrong-password", False, None, None),
    (" local-user ops state block fail-times 4 interval 6", True, 4, 360),
    (" lock-authentication failed-count 5\n lock-authentication timeout 30", True, 5, 1800),
])
def test_vrp_lockout_forms(lines, enabled, attempts, seconds):
    """`local-aaa-user wrong-password retry-interval M retry-time N block-time B` (minutes); VRP8/AR per-user
    `state block fail-times N interval M`; USG `lock-authentication failed-count N` / `timeout MIN`."""
    dev = vrp(f"aaa\n local-user ops password irreversible-cipher $1c$abc$\n{lines}")
    lo = dev.lockout
    assert (lo.enabled, lo.max_attempts, lo.lock_seconds) == (enabled, attempts, seconds)
    ops = next(u for u in dev.users if u.name == "ops")
    assert ops.disabled is False or "fail-times" not in lines


@pytest.mark.parametrize("lines, storage, level, admin, disabled", [
    (" local-user ops password irreversible-cipher $1c$abcdef$\n local-user ops privilege level 3", "hash", 3, True,
     False),
    (" local-user ops password cipher %@%@abcdef%@%@\n local-user ops privilege level 2", "reversible", 2, False,
     False),
    (" local-user ops password simple Hello@123x\n local-user ops level 15", "plaintext", 15, True, False),
    (" local-user ops password irreversible-cipher $1c$abcdef$\n local-user ops state block", "hash", None, None, True),
    (" local-user ops password irreversible-cipher $1c$abcdef$\n local-user ops state active", "hash", None, None,
     False),
])
def test_vrp_local_user(lines, storage, level, admin, disabled):
    dev = vrp("!Software Version V800R021C00\naaa\n" + lines)
    u = next(x for x in dev.users if x.name == "ops")
    assert (u.storage.value, u.privilege, u.is_admin, u.disabled) == (storage, level, admin, disabled)
    assert u.lines[0] == u.line and len(u.lines) == 2


@pytest.mark.parametrize("line, storage, known_len", [
    ("super password level 15 cipher %^%#abcdefgh%^%#", "reversible", None),
    ("super password irreversible-cipher $1c$abcdef$", "hash", None),
    ("super password simple Sup3r@pass", "plaintext", 10),
    ("super password level 15", "unknown", None),
])
def test_vrp_super_password(line, storage, known_len):
    s = vrp(line).enable_secret
    assert (s.storage.value, s.privilege, s.is_admin) == (storage, 15, True)
    assert (s.password_traits.length if s.password_traits else None) == known_len


@pytest.mark.parametrize("line, http, https, idle", [
    ("web-manager enable", True, None, None), ("undo web-manager enable", False, None, None),
    ("web-manager security enable port 8443", None, True, None), ("web-manager timeout 10", None, None, 600),
])
def test_usg_web_manager(line, http, https, idle):
    dev = platforms.get("huawei_vrp").parse_config(("#\nsysname FW1\n" + line + "\n#\nreturn").splitlines())
    assert (dev.http.enabled if http is not None else None) == http
    assert (dev.https.enabled if https is not None else None) == https
    assert dev.web_idle_timeout_s == idle


# H3C Comware: the default ISP domain decides how logins without @domain authenticate; Comware 7 NTP is off until
# `ntp-service enable`; the release from `version 7.1.064, Release 0821P16`
@pytest.mark.parametrize("body, remote", [
    ("domain system\n authentication login hwtacacs-scheme T1 local", True),
    ("domain system\n authentication default radius-scheme R1 local", True),
    ("domain system\n authentication login local", False),
    ("domain system\n authentication default local\n authentication login hwtacacs-scheme T1", True),
    ("domain system\n authentication default hwtacacs-scheme T1\n authentication login local", False),
    ("domain corp\n authentication login hwtacacs-scheme T1", False),                    # not the default domain
    ("domain default enable corp\n#\ndomain corp\n authentication login hwtacacs-scheme T1", True),
    ("domain default enable corp\n#\ndomain system\n authentication login hwtacacs-scheme T1", False),
])
def test_comware_default_domain_decides_central_login(body, remote):
    assert comware(body).aaa.remote_login is remote


@pytest.mark.parametrize("version, enable, servers", [
    ("7.1.064, Release 0821P16", "", 0), ("7.1.064, Release 0821P16", "ntp-service enable\n", 1),
    ("5.20, Release 2221P05", "", 1),
])
def test_comware7_ntp_is_off_until_enabled(version, enable, servers):
    dev = comware(f"{enable}ntp-service unicast-server 10.1.1.1", version)
    assert len(dev.ntp_servers) == servers


@pytest.mark.parametrize("version, major, text", [
    ("7.1.064, Release 0821P16", 7, "7.1.064 0821P16"), ("5.20, Release 2221P05", 5, "5.20 2221P05"),
    ("7.1.045, ESS 2432", 7, "7.1.045 2432"),
])
def test_comware_release(version, major, text):
    dev = comware("", version)
    assert dev.os_major == major and dev.software_version.startswith(text.split()[0])
    assert platforms.get("hp_comware").fix_variant(dev.software_version) == ("5" if major == 5 else None)


@pytest.mark.parametrize("line, storage", [("super password hash $h$6$abcdefgh", "hash"),
                                           ("super password cipher $c$3$abcdefgh", "reversible"),
                                           ("super password simple Sup3r@pass", "plaintext"),
                                           ("super password role network-admin", "unknown")])
def test_comware_super_password(line, storage):
    s = comware(line).enable_secret
    assert (s.storage.value, s.privilege, s.is_admin) == (storage, 15, True)


@pytest.mark.parametrize("line, seconds", [("web idle-timeout 5", 300), ("web idle-timeout 10", 600)])
def test_comware_web_idle_timeout(line, seconds):
    dev = comware(line)
    assert (dev.web_idle_timeout_s, dev.web_idle_timeout_line) == (seconds, 6)


# VRP/Comware ACL rules: `rule [N] permit|deny [ip] [source ADDR WILDCARD | source any]`; no source = any
@pytest.mark.parametrize("rule, source", [
    (" rule 5 permit source 10.0.0.0 0.0.0.255", "10.0.0.0 0.0.0.255"), (" rule 5 permit source any", "any"),
    (" rule 5 permit", "any"), (" rule permit ip source 10.1.1.1 0", "10.1.1.1 0"),
    (" rule 10 deny source 192.168.0.0 0.0.255.255", "192.168.0.0 0.0.255.255"),
])
def test_vrp_acl_rule_sources(rule, source):
    dev = vrp(f"acl number 2000\n{rule}")
    r = dev.acls["2000"].rules[0]
    assert (r.source, r.line, r.action) == (source, 12, "deny" if "deny" in rule else "permit")


def test_vrp_named_acl_is_reachable_by_name_and_number():
    dev = vrp("acl name MGMT 2000\n rule 5 permit source 10.0.0.0 0.0.0.255\n rule 10 remark x\n rule 15 deny")
    assert dev.acls["MGMT"] is dev.acls["2000"] and [r.action for r in dev.acls["MGMT"].rules] == ["permit", "deny"]


# VRP administrators log in through the admin domain (`domain NAME admin`, `default-domain admin NAME`, else
# default_admin); central AAA when its scheme tries HWTACACS/RADIUS first and `hwtacacs enable` is not undone
_VRP_AAA = ("hwtacacs-server template T1\n hwtacacs-server authentication 10.1.1.1\n#\naaa\n authentication-scheme s1\n"
            "  authentication-mode hwtacacs local\n authentication-scheme s2\n  authentication-mode local\n"
            " domain default_admin\n  authentication-scheme s1\n  accounting-scheme acc1\n  hwtacacs-server T1\n"
            " domain ops\n  authentication-scheme s2\n")


@pytest.mark.parametrize("extra, remote", [
    ("", True), ("undo hwtacacs enable\n", False), ("domain ops admin\n", False),
    ("aaa\n default-domain admin ops\n", False),
])
def test_vrp_admin_domain_decides_central_login(extra, remote):
    text = "#\nsysname A\n#\n" + _VRP_AAA + "#\n" + extra + "#\nreturn"
    dev = platforms.get("huawei_vrp").parse_config(text.splitlines())
    assert dev.aaa.remote_login is remote
    if remote:
        lines = text.splitlines()
        assert [lines[i - 1].strip() for i in dev.aaa.lines] == ["authentication-mode hwtacacs local",
                                                                  "hwtacacs-server T1"]


# A second unit (Comware IRF): `irf-port MEMBER/PORT` blocks name the member before the slash; two members are two
# devices, one member's two IRF ports are still one device (H3C IRF configuration guide)
@pytest.mark.parametrize("ports, second_unit", [(("1/1", "2/1"), True), (("1/1", "1/2"), False), (("1/1",), False)])
def test_comware_irf_ports_name_their_member(ports, second_unit):
    body = "\n#\n".join(f"irf-port {p}\n port group interface Ten-GigabitEthernet{p.split('/')[0]}/0/49"
                        for p in ports)
    assert bool(comware(body).redundancy_lines) is second_unit


# ---------------------------------------------------------------------------------------------------------------
# Session 9: the parser survivors named by session 8's fresh sample (mutation/RESULTS.md), each rule from the
# vendor command reference.

# H3C `radius dynamic-author server`: `client { ip ADDR | ipv6 ADDR } [key {cipher | simple} KEY]` names a RADIUS
# change-of-authorization client, a server the device shares a key with (H3C AAA command reference)
@pytest.mark.parametrize("child, keys", [
    (" client ip 10.1.1.5 key cipher $c$3$abcdefgh==", ["hash"]),
    (" client ip 10.1.1.5 key simple Coa@key123", ["plaintext"]),
    (" client ip 10.1.1.5", []),
    (" client ipv6 2001:db8::5 key simple Coa@key123", ["plaintext"]),
])
def test_comware_dynamic_author_clients_are_servers_with_keys(child, keys):
    dev = comware(f"radius dynamic-author server\n{child}")
    assert dev.aaa.servers == [6, 7]
    assert [(s.value, line) for s, line in dev.aaa.keys] == [(k, 7) for k in keys]
    assert not dev.unrecognized


# `info-center loghost ADDR [transport {udp | tcp ssl-policy NAME}]` (Huawei info-center command reference): UDP by
# default; TCP with an SSL policy is syslog over TLS
@pytest.mark.parametrize("line, transport", [
    ("info-center loghost 10.1.1.1", "udp"),
    ("info-center loghost 10.1.1.1 transport udp", "udp"),
    ("info-center loghost 10.1.1.1 transport tcp", "tcp"),
    ("info-center loghost 10.1.1.1 transport tcp ssl-policy P1", "tls"),
    ("info-center loghost 10.1.1.1 port 6514 transport tls", "tls"),
    ("info-center loghost 10.1.1.1 vpn-instance mgmt transport TCP SSL-POLICY P1", "tls"),
])
def test_vrp_loghost_transport(line, transport):
    hosts = vrp(line).logging.hosts
    assert [(h.address, h.transport, h.line) for h in hosts] == [("10.1.1.1", transport, 11)]


# H3C Comware 5 local users: `authorization-attribute level LEVEL`; a line cut short (no level) must not stop the
# parse: the user keeps no level and the line is reported unread
def test_a_truncated_comware_authorization_level_is_no_crash():
    dev = comware("local-user ops\n password cipher abcdefghijklmnop\n authorization-attribute level\n"
                  " service-type ssh", "5.20, Release 2221P05")
    u = dev.users[0]
    assert (u.name, u.privilege, u.is_admin, u.lines) == ("ops", None, None, [6, 7, 8, 9])
    assert [(x.stanza, x.line) for x in dev.unrecognized] == [("local-user", 8)]


# Comware 7 `ntp-service enable` / `undo ntp-service enable` (NTP off by default): both lines are read, and with NTP
# undone the device syncs to no server
@pytest.mark.parametrize("enable, servers", [("ntp-service enable", 1), ("undo ntp-service enable", 0),
                                             ("UNDO NTP-SERVICE ENABLE", 0)])
def test_comware7_ntp_service_enable_lines_are_read(enable, servers):
    dev = comware(f"{enable}\nntp-service unicast-server 10.1.1.1")
    assert len(dev.ntp_servers) == servers and not dev.unrecognized


# `display ssh server status` (Huawei / H3C): the server state is cited with the command that showed it
def test_vrp_ssh_server_status_note_names_the_command():
    dev = NetworkDevice(platform="huawei_vrp")
    st.vrp_ssh(dev, " SSH version : 2.0\n Stelnet server : Enable")
    assert (dev.ssh.enabled.enabled, dev.ssh.enabled.note) == (True, "display ssh server status")
    assert dev.ssh.v1_allowed.note == "SSH version 2.0"


# Huawei USG `manager-user NAME` view: every line of the view is the user's evidence
def test_usg_manager_user_cites_each_line_of_its_view():
    dev = vrp("aaa\n manager-user ops\n  password simple Hello@123x\n  service-type ssh\n  level 15")
    u = next(x for x in dev.users if x.name == "ops")
    assert u.lines == [12, 13, 14, 15]


# Management interfaces (VRP/Comware): management ports (MEth, M-GigabitEthernet), interfaces bound to a management
# VPN instance, and the interfaces management traffic is sourced from: lines the checks do not read there are
# reported; on any other interface they are not
@pytest.mark.parametrize("body, reported", [
    ("interface MEth0/0/1\n frobnicate 1", True),
    ("interface M-GigabitEthernet0/0/0\n frobnicate 1", True),
    ("interface GigabitEthernet0/0/1\n frobnicate 1", False),
    ("interface GigabitEthernet0/0/1\n ip binding vpn-instance mgmt\n frobnicate 1", True),
    ("interface GigabitEthernet0/0/1\n ip binding vpn-instance __MANAGE_VPN__\n frobnicate 1", True),
    ("interface GigabitEthernet0/0/1\n ip binding vpn-instance vpna\n frobnicate 1", False),
    ("interface Vlanif10\n frobnicate 1\n#\nssh server-source -i Vlanif10", True),
    ("interface Vlanif10\n frobnicate 1\n#\nssh server-source -i Vlanif20", False),
    ("interface Vlanif10\n frobnicate 1\n#\ninfo-center loghost source Vlanif10", True),
    ("interface Vlanif10\n frobnicate 1\n#\nsnmp-agent trap source Vlanif10", True),
    ("interface Vlanif10\n frobnicate 1\n#\nntp-service source-interface Vlanif10", True),
    ("interface LoopBack0\n frobnicate 1\n#\nhwtacacs-server source-ip 10.0.0.1\nsnmp-agent trap source LoopBack0",
     True),
    ("interface Vlanif10\n frobnicate 1\n#\nip route-static 0.0.0.0 0 Vlanif10", False),    # no management
    ("interface Vlanif10\n frobnicate 1\n#\ninfo-center loghost source Vlanif 10", True),   # written with a space
    ("interface Vlanif 10\n frobnicate 1\n#\nssh server-source -i Vlanif10", True),
    ("interface Vlan-interface10\n frobnicate 1\n#\ninfo-center loghost source Vlan-interface10", True),
])
def test_vrp_management_interfaces(body, reported):
    unread = [(u.stanza, u.text) for u in vrp(body).unrecognized]
    assert (("mgmt-interface", "frobnicate 1") in unread) is reported
    assert all(t != "frobnicate 1" for s, t in unread if s != "mgmt-interface")


# A clear `password simple` equal to the host name (sysname) is a guessable password, like one equal to the user name
@pytest.mark.parametrize("password, equals_name", [("H3C", True), ("ops", True), ("Hello@123x", False)])
def test_comware_clear_password_equal_to_the_host_or_user_name(password, equals_name):
    u = comware(f"local-user ops class manage\n password simple {password}\n service-type ssh").users[0]
    assert (u.storage.value, u.password_traits.equals_name, u.password_traits.length) == \
        ("plaintext", equals_name, len(password))


# Platform detection: a Comware fragment written in its own syntax (`line vty`, framed by `#` and `return`) is Comware;
# a capture opening with Huawei's `display version` banner is VRP
def test_a_comware_line_vty_fragment_is_comware():
    text = ("#\n sysname H3C\n#\ninterface Ten-GigabitEthernet1/0/49\n#\nline vty 0 63\n authentication-mode scheme\n"
            "#\nreturn\n")
    assert platforms.detect(text) == "hp_comware"
    assert platforms.detect(text.replace("line vty", "user-interface vty")) != "hp_comware"


def test_a_capture_opening_with_the_vrp_banner_is_vrp():
    text = ("Huawei Versatile Routing Platform Software\nVRP (R) software, Version 8.180 (CE6881 V200R019C10SPC800)\n"
            "#\nsysname CE1\n#\nreturn\n")
    assert platforms.detect(text) == "huawei_vrp"


# `display version` names the model on its `... uptime is ...` line: H3C, HPE and HP boxes all run Comware
@pytest.mark.parametrize("line, model", [
    ("H3C S5130S-28S-EI uptime is 0 weeks, 1 day", "H3C S5130S-28S-EI"),
    ("HPE 5130-24G-4SFP+ EI Switch uptime is 1 week", "HPE 5130-24G-4SFP+ EI Switch"),
    ("HP A5120-24G EI Switch with 2 Interface Slots uptime is 0 weeks",
     "HP A5120-24G EI Switch with 2 Interface Slots"),
    ("Switch uptime is 1 week", None),
])
def test_comware_model_from_display_version(line, model):
    cfg = "#\n version 5.20, Release 2221P05\n#\n sysname H3C\n#\nreturn".splitlines()
    dev = platforms.get("hp_comware").parse_config(cfg, ["H3C Comware Software, Version 5.20, Release 2221P05", line])
    assert dev.model == model


# `super password`: the credential is the super (privilege-switch) password, cited by its line
@pytest.mark.parametrize("platform", ["huawei_vrp", "hp_comware"])
def test_super_password_is_named_super(platform):
    dev = vrp("super password level 15 cipher %^%#abcdefgh%^%#") if platform == "huawei_vrp" else \
        comware("super password role network-admin hash $h$6$abcdefgh")
    assert (dev.enable_secret.name, dev.enable_secret.lines) == ("super", [dev.enable_secret.line])


# Huawei AAA: a domain that names no `authentication-scheme` uses the scheme named `default` (VRP AAA configuration
# guide); when that scheme tries HWTACACS first, the administrators log in centrally
@pytest.mark.parametrize("first, remote", [("hwtacacs local", True), ("local", False)])
def test_vrp_domain_without_a_scheme_uses_the_default_scheme(first, remote):
    text = ("#\nsysname A\n#\nhwtacacs-server template T1\n hwtacacs-server authentication 10.1.1.1\n#\naaa\n"
            f" authentication-scheme default\n  authentication-mode {first}\n domain default_admin\n"
            "  hwtacacs-server T1\n#\nreturn")
    dev = platforms.get("huawei_vrp").parse_config(text.splitlines())
    assert dev.aaa.remote_login is remote and not dev.unrecognized


# `display telnet server status`: the state is cited with the command that showed it
def test_huawei_telnet_status_note_names_the_command():
    dev = NetworkDevice(platform="huawei_vrp")
    st.huawei_telnet(dev, " TELNET IPv4 server                :Enable")
    assert (dev.telnet.enabled, dev.telnet.note, dev.telnet.line) == (True, "display telnet server status", 1)


# Comware `key authentication [cipher | simple] KEY`: a line without its key sets no key
@pytest.mark.parametrize("child, keys", [(" key authentication", []), (" key accounting", []),
                                         (" key authentication simple Tac@cs123", ["plaintext"])])
def test_comware_scheme_key_line_without_a_key(child, keys):
    dev = comware(f"hwtacacs scheme T1\n{child}")
    assert [s.value for s, _ in dev.aaa.keys] == keys


# snmp-agent lines the parser does not know, `undo` or not, are reported unread in the snmp stanza
@pytest.mark.parametrize("line", ["snmp-agent frobnicate 3", "undo snmp-agent frobnicate 3", "SNMP-AGENT frobnicate 3"])
def test_unknown_snmp_agent_lines_are_reported(line):
    assert [(u.stanza, u.line) for u in vrp(line).unrecognized] == [("snmp", 11)]


# `undo` keeps a line in its stanza: `undo ftp server ...`, `undo info-center ...`
@pytest.mark.parametrize("line, stanza", [("undo ftp server frobnicate", "ftp"),
                                          ("undo info-center frobnicate", "info-center")])
def test_undo_lines_stay_in_their_stanza(line, stanza):
    assert [(u.stanza, u.line) for u in vrp(line).unrecognized] == [(stanza, 11)]


# Link aggregation across two slots of one box is no second device (IRF needs irf member/irf-port lines)
def test_comware_aggregation_across_slots_is_one_device():
    dev = comware("interface Bridge-Aggregation1\n#\ninterface GigabitEthernet1/0/1\n port link-aggregation group 1\n"
                  "#\ninterface GigabitEthernet2/0/1\n port link-aggregation group 1")
    assert dev.redundancy_lines == []


# A Telnet/SSH server that is on but that no vty lets log in is off in effect: the evidence is the `protocol
# inbound` line when it excludes the protocol, the vty itself when the vty refuses every login
@pytest.mark.parametrize("vty, line", [(" authentication-mode aaa\n protocol inbound telnet", 13),
                                       (" authentication-mode password\n protocol inbound ssh", 11)])
def test_an_unusable_ssh_server_cites_the_line_that_shuts_it(vty, line):
    ssh = vrp(f"user-interface vty 0 4\n{vty}").ssh.enabled
    assert (ssh.enabled, ssh.line) == (False, line)


# Unread lines keep their stanza: `ip http ...` is the HTTP stanza (two keywords), a line of the `aaa` view is AAA
@pytest.mark.parametrize("body, want", [("ip http frobnicate", [("http", 11)]), ("aaa\n frobnicate 1", [("aaa", 12)]),
                                        ("ip https frobnicate", [("http", 11)])])
def test_vrp_unread_lines_keep_their_stanza(body, want):
    assert [(u.stanza, u.line) for u in vrp(body).unrecognized] == want


# A `user-interface` line cut short (no type or number) is no crash; it is reported unread
def test_a_bare_user_interface_line_is_no_crash():
    dev = vrp("user-interface\n#\nuser-interface vty 0 4\n authentication-mode aaa\n protocol inbound ssh")
    assert [(u.stanza, u.line) for u in dev.unrecognized] == [("user-interface", 11)]
    assert [m.name for m in dev.mgmt_lines if m.kind == "vty"] == ["vty 0 4"]


# VRP/Comware log timestamps carry the date unless `info-center timestamp log boot|none` says otherwise: the default
# is stated as one
def test_vrp_log_timestamps_default_is_stated():
    t = vrp("").logging.timestamps_datetime
    assert (t.enabled, t.line, t.note) == (True, None, "log timestamps carry the date by default")


# The identity of a parsed device: host name, model and software version from the configuration and `display version`
def test_the_identity_of_a_vrp_device_carries_its_release():
    parsed = platforms.get("huawei_vrp").parse({
        "config": "#\nsysname CE1\n#\nreturn",
        "version": "Huawei Versatile Routing Platform Software\nVRP (R) software, Version 8.180 (CE6881 "
                   "V200R019C10SPC800)"})
    assert (parsed.identity.hostname, parsed.identity.model, parsed.identity.software_version) == \
        ("CE1", "CE6881", "V200R019C10SPC800")


# ---------------------------------------------------------------------------------------------------------------
# Round 2 (seed 12 sample): VRP and Comware rules no judge exercised yet.

def _line_of(text: str, start: str) -> list[int]:
    return [i for i, ln in enumerate(text.splitlines(), 1) if ln.strip().startswith(start)]


# `local-user user-name service-type { ftp | http | ssh | telnet | terminal ... } *`: every type after the keyword
@pytest.mark.parametrize("types", [["ssh"], ["ssh", "telnet"], ["terminal", "ssh", "http"]])
def test_vrp_local_user_service_types_are_all_read(types):
    dev = vrp("aaa\n local-user ops password irreversible-cipher $1c$abc$\n local-user ops service-type "
              + " ".join(types))
    assert next(u for u in dev.users if u.name == "ops").services == frozenset(types)


# `local-user X state block fail-times` cut before its number: lockout is configured, after how many failures is
# unknown (never a crash), and the account stays usable
def test_vrp_fail_times_without_its_number_is_unknown():
    dev = vrp("aaa\n local-user ops password irreversible-cipher $1c$abc$\n local-user ops state block fail-times")
    assert (dev.lockout.enabled, dev.lockout.max_attempts) == (True, None)
    assert next(u for u in dev.users if u.name == "ops").disabled is False


# Comware 7 `snmp-agent community [ cipher | simple ] community-name user-role role-name`: the form with no
# read/write keyword is a community too, its access from the role (network-operator reads, network-admin writes)
@pytest.mark.parametrize("form, role, access, hidden", [("cipher $c$3$abcdefg", "network-operator", "ro", True),
                                                        ("simple S3cr3tComm", "network-admin", "rw", False)])
def test_comware_community_without_read_or_write_keyword(form, role, access, hidden):
    dev = comware(f"snmp-agent community {form} user-role {role}")
    assert [(c.access, c.name_hidden) for c in dev.snmp.communities] == [(access, hidden)]


# `http secure-server enable`: HTTPS on, at its own line (the evidence a finding points at)
def test_vrp_https_server_line():
    text = "http secure-server enable"
    dev = vrp(text)
    full = (VRP_HEAD + text).splitlines()
    assert dev.https.enabled is True and full[dev.https.line - 1] == "http secure-server enable"


# IRF: each `irf-port MEMBER/PORT` of a second member is the evidence of the second unit (its line)
def test_comware_irf_port_lines_are_the_evidence():
    body = "irf-port 1/1\n port group interface Ten-GigabitEthernet1/0/49\n#\n" \
           "irf-port 2/1\n port group interface Ten-GigabitEthernet2/0/49"
    cfg = f"#\n version 7.1.064, Release 0821P16\n#\n sysname H3C\n#\n{body}\n#\nreturn"
    assert sorted(comware(body).redundancy_lines) == _line_of(cfg, "irf-port")


# A line holding only `undo` or only `interface` (a truncated paste) is no statement: it never stops the parse
@pytest.mark.parametrize("line", ["undo", "interface", "undo interface"])
def test_vrp_truncated_statement_never_crashes(line):
    assert vrp(f"{line}\n#\nstelnet server enable").ssh.enabled.enabled is True


# An unread line is reported as written, the configuration's last line too (no trailing `return`)
@pytest.mark.parametrize("tail", ["SNMP-AGENT FROBNICATE Foo", "SNMP-AGENT FROBNICATE Foo\n#\nreturn"])
def test_vrp_unread_line_is_reported_as_written_at_the_end_too(tail):
    dev = platforms.get("huawei_vrp").parse_config(f"#\nsysname r1\n#\n{tail}".splitlines())
    assert [(u.stanza, u.line, u.text) for u in dev.unrecognized] == [("snmp", 4, "SNMP-AGENT FROBNICATE Foo")]


# The fleet compares device redundancy across assets: two IRF members are a second unit (True), one is none (False,
# never unknown: the configuration shows the members)
@pytest.mark.parametrize("ports, second_unit", [(("1/1", "2/1"), True), (("1/1",), False)])
def test_comware_fleet_facts_say_whether_there_is_a_second_unit(ports, second_unit):
    body = "\n#\n".join(f"irf-port {p}\n port group interface Ten-GigabitEthernet{p.split('/')[0]}/0/49"
                        for p in ports)
    assert platforms.get("hp_comware").fleet_facts({"device_config": comware(body)}).redundancy is second_unit


# `interface interface-type interface-number[.subinterface-number] [mode l2]`: the interface is named by its type and
# number (written together, or apart as in `interface Vlanif 100`); `mode l2` is no part of the name. A management
# source interface's unknown settings are reported in the mgmt-interface stanza, whichever way its header is written.
@pytest.mark.parametrize("header", ["interface GigabitEthernet0/0/1.100 mode l2", "interface GigabitEthernet0/0/1.100",
                                    "interface Vlanif 100"])
def test_vrp_interface_header_names_the_interface(header):
    name = header.split(" ", 1)[1].removesuffix(" mode l2").replace(" ", "")
    text = f"#\nsysname r1\n#\ninfo-center loghost source {name}\n#\n{header}\n frobnicate 1\n#\nreturn"
    dev = platforms.get("huawei_vrp").parse_config(text.splitlines())
    assert [(u.stanza, u.line) for u in dev.unrecognized] == [("mgmt-interface", 7)]


# ---------------------------------------------------------------------------------------------------------------
# Session 10 (seed 13 sample): VRP/Comware rules no judge exercised yet.

# The stanza of each top-level keyword (vrp_stanzas' module docstring, facts.STANZAS): an unknown line under it is
# reported there, `undo` or not; a keyword of no stanza, `ip` before another word than http/https, and an
# `interface` cut before its name are not reported
@pytest.mark.parametrize("keyword, stanza", [
    ("local-user", "local-user"), ("user-interface", "user-interface"), ("line", "line"), ("snmp-agent", "snmp"),
    ("ssh", "ssh"), ("stelnet", "ssh"), ("sftp", "ssh"), ("scp", "ssh"), ("undo ssh", "ssh"), ("telnet", "telnet"),
    ("ftp", "ftp"), ("tftp", "ftp"), ("tftp-server", "ftp"), ("http", "http"), ("ip http", "http"),
    ("ip https", "http"), ("web-manager", "web"), ("web", "web"), ("info-center", "info-center"),
    ("ntp-service", "ntp"), ("ntp", "ntp"), ("sntp", "ntp"), ("password-control", "password-control"),
    ("user-password", "password-control"), ("set password", "password-control"), ("local-aaa-server", "aaa"),
    ("hwtacacs-server", "aaa"), ("radius-server", "aaa"), ("hwtacacs", "aaa"), ("radius", "aaa"), ("domain", "aaa"),
    ("ip", None), ("interface", None), ("frobnicate", None),
])
def test_vrp_stanza_of_each_keyword(keyword, stanza):
    assert [(u.stanza, u.line) for u in vrp(f"{keyword} frobnicate 7").unrecognized] == ([(stanza, 11)] if stanza else [])


# Inside `aaa`, a `local-user` line feeds the account facts (its stanza is local-user), any other line is AAA; a
# `domain` line without its name is no domain: alone at the top it is no stanza, inside `aaa` it stays AAA. A
# management port (MEth) or an interface management traffic is sourced from is the mgmt-interface stanza, a
# service port is none.
@pytest.mark.parametrize("body, want", [
    ("aaa\n local-user admin frobnicate 7", [("local-user", 12)]), ("domain", []),
    ("aaa\n frobnicate 1\n domain", [("aaa", 12), ("aaa", 13)]),
    ("interface MEth0/0/1\n frobnicate 2", [("mgmt-interface", 12)]),
    ("interface GigabitEthernet0/0/1\n frobnicate 2", []),
    ("interface Vlanif 10\n frobnicate 2\n#\nssh server-source -i Vlanif 10", [("mgmt-interface", 12)]),
])
def test_vrp_stanza_of_nested_and_interface_lines(body, want):
    assert [(u.stanza, u.line) for u in vrp(body).unrecognized] == want


# VRP8 leaves a local user's level to the user management module, and a service scheme sets it where one exists:
# the vty's `user privilege level N` then decides nothing, but it is a known line, never reported unread
def test_vrp8_vty_privilege_level_is_read():
    text = ("!Software Version V800R011C10SPC100\n#\nsysname CE1\n#\nuser-interface vty 0 4\n authentication-mode aaa\n"
            " user privilege level 15\n protocol inbound ssh\n#\nreturn")
    dev = platforms.get("huawei_vrp").parse_config(text.splitlines())
    assert dev.os_major == 8 and not dev.unrecognized


def test_vty_privilege_level_beside_a_service_scheme_is_read():
    dev = vrp("aaa\n service-scheme admin\n  admin-user privilege level 15\n#\nuser-interface vty 0 4\n"
              " authentication-mode aaa\n user privilege level 15\n protocol inbound ssh")
    assert [(u.line, u.text) for u in dev.unrecognized] == [(12, "service-scheme admin"),
                                                            (13, "admin-user privilege level 15")]


# A domain's `authentication-scheme` cut before its name binds no scheme (the domain keeps `default`): no crash, and
# the cut line is reported unread
def test_a_domain_authentication_scheme_line_without_a_name_is_no_crash():
    dev = vrp("aaa\n domain default_admin\n  authentication-scheme\n#\nuser-interface vty 0 4\n authentication-mode aaa"
              "\n protocol inbound ssh")
    assert [(u.stanza, u.line) for u in dev.unrecognized] == [("aaa", 13)] and dev.aaa.remote_login is False


# `snmp-agent community read|write {name | cipher name} [mib-view V] [acl {number | name NAME}]` (Comware 7: `acl
# name NAME`): the ACL in either order with the view; a line cut after `cipher` names no community, never a crash
@pytest.mark.parametrize("line, acl", [
    ("snmp-agent community read cipher %^%#abc%^%# mib-view V acl name MGMT", "MGMT"),
    ("snmp-agent community read cipher %^%#abc%^%# acl name MGMT mib-view V", "MGMT"),
    ("snmp-agent community read cipher %^%#abc%^%# acl 2000 mib-view V", "2000"),
    ("snmp-agent community read cipher", None),
])
def test_vrp_snmp_community_acl(line, acl):
    dev = vrp(line)
    assert [(c.access, c.acl, c.line) for c in dev.snmp.communities] == [("ro", acl, 11)] and not dev.unrecognized


# `telnet server acl N` limits every Telnet login: a vty that takes Telnet only and has no `acl ... inbound` of its
# own is limited by it (the line cites it); an SSH vty, or one with its own ACL, keeps its own
def test_the_telnet_server_acl_limits_telnet_only_vty_lines():
    dev = vrp("telnet server enable\ntelnet server acl 2001\nuser-interface vty 0 4\n authentication-mode aaa\n"
              " protocol inbound telnet\nuser-interface vty 16 20\n authentication-mode aaa\n protocol inbound ssh\n"
              "user-interface vty 5 9\n authentication-mode aaa\n acl 2002 inbound\n protocol inbound telnet")
    got = {m.name: (m.acl_in, 12 in m.lines) for m in dev.mgmt_lines if m.kind == "vty"}
    assert got == {"vty 0 4": ("2001", True), "vty 16 20": (None, False), "vty 5 9": ("2002", False)}


# ---------------------------------------------------------------------------------------------------------------
# Session 11 (mut11s): judges for the survivors of the lead's seed-15 sample, each rule from the vendor's command
# reference.

# H3C Comware 7 `password-control history max-record-number` (Security Command Reference, password control): "By
# default, the maximum number of history password records for each user is 4"; the setting is inert while the
# global `password-control enable` is off
@pytest.mark.parametrize("body, history", [
    (" password-control enable", 4),
    (" password-control enable\n password-control history 10", 10),
    (" password-control history 10", None),
    ("", None),
])
def test_comware_password_history_default_is_four_records(body, history):
    assert comware(body).password_policy.history == history


# H3C ISP domain view `accounting login|default {hwtacacs-scheme NAME | radius-scheme NAME} [local] [none] | local
# | none` (AAA command reference): only a HWTACACS/RADIUS scheme sends accounting records to a server; `local` and
# `none` keep no central record
@pytest.mark.parametrize("child, accounting", [
    (" accounting login hwtacacs-scheme T1 local", True),
    (" accounting default radius-scheme R1", True),
    (" accounting login hwtacacs-scheme T1 radius-scheme R1 none", True),
    (" accounting login local", False),
    (" accounting default local none", False),
    (" accounting login none", False),
    (" authentication login hwtacacs-scheme T1 local", False),
])
def test_comware_domain_accounting_needs_a_server_scheme(child, accounting):
    assert comware(f"domain system\n{child}").aaa.accounting is accounting


# A HWTACACS/RADIUS scheme's children come in any order (H3C AAA command reference): a setting that is neither a
# server nor a key (`user-name-format`, `nas-ip`, `timer`) does not hide the key or the server written after it
def test_comware_scheme_key_after_another_setting_is_read():
    dev = comware("hwtacacs scheme T1\n user-name-format without-domain\n nas-ip 10.0.0.1\n"
                  " key authentication simple Tac@cs123\n primary authentication 10.1.1.1")
    assert [(s.value, line) for s, line in dev.aaa.keys] == [("plaintext", 9)]
    assert dev.aaa.servers == [6, 10]


# VRP8 writes the RADIUS template like the HWTACACS one: `radius server template NAME` with `radius server
# shared-key cipher KEY` and `radius server authentication IP PORT` (CloudEngine RADIUS command reference; the
# HWTACACS form is in tests/fixtures/real/huawei_vrp)
@pytest.mark.parametrize("proto", ["radius", "hwtacacs"])
def test_vrp8_server_template_keys_and_servers(proto):
    body = (f"{proto} server template T1\n {proto} server shared-key cipher %^%#abcdefgh%^%#\n"
            f" {proto} server authentication 10.1.1.1 1812")
    dev = vrp(body)
    first = len(VRP_HEAD.splitlines()) + 1
    assert [(s.value, ln) for s, ln in dev.aaa.keys] == [("hash", first + 1)]
    assert dev.aaa.servers == [first, first + 2]


# Huawei S-series stacks are configured per slot (`stack slot 0 priority 200`, `stack slot 1 renumber 2`), CE
# switches per member (`stack member 1 priority 150`) (stack configuration guides): two slots or members named are
# two units, one is none
@pytest.mark.parametrize("children, second_unit", [
    (" stack slot 0 priority 200\n stack slot 1 priority 100", True),
    (" stack member 1 priority 150\n stack member 2 priority 100", True),
    (" stack slot 0 priority 200", False),
    (" stack member 1 priority 150", False),
])
def test_vrp_stack_slots_and_members_are_units(children, second_unit):
    assert bool(vrp(f"stack\n{children}").redundancy_lines) is second_unit


# USG `manager-user` view (USG administrator guide): `service-type ssh telnet ...` names several services and is not
# a password line; a child the parser does not read is reported unread, not silently marked read
def test_usg_manager_user_several_services_and_an_unread_child():
    dev = vrp("aaa\n manager-user ops\n  password simple Hello@123x\n  service-type ssh telnet web\n  frobnicate 1\n"
              "  level 15")
    u = next(x for x in dev.users if x.name == "ops")
    assert (u.services, u.storage.value) == (frozenset({"ssh", "telnet", "web"}), "plaintext")
    assert [u.text for u in dev.unrecognized] == ["frobnicate 1"]


# USG `web-manager timeout MINUTES`: a value that is not a number (a garbled capture) proves no timeout and must not
# stop the parse (a parse error would cost the whole asset)
def test_usg_web_manager_timeout_that_is_not_a_number_is_no_crash():
    dev = platforms.get("huawei_vrp").parse_config("#\nsysname FW1\nweb-manager timeout 1O\n#\nreturn".splitlines())
    assert (dev.web_idle_timeout_s, dev.web_idle_timeout_line) == (None, 3)
