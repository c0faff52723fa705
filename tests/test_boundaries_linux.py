"""Boundary tables for the Linux checks (issue 15 must-have 2), at and on both sides of each edge. The values come
from the standard's Linux checklist, not from the code (MLPS-L3.md §2.7 [S1 CentOS 7 / RHEL / Ubuntu sections] and
§2.9): pam_pwquality/pam_cracklib minlen >= 8 and >= 2 classes; PASS_MAX_DAYS <= 90 (and shadow field 5 <= 90);
faillock deny <= 5 with unlock_time >= 300 s; TMOUT <= 600 s (or sshd ClientAliveInterval x CountMax); logs kept
>= 6 months (180 days, logrotate weekly x >= 24) or sent to a remote server; no pending security update; no CBC,
3DES, RC4 or Blowfish SSH cipher; PermitRootLogin no; auditd watching passwd, shadow, group and sudoers; shadow
<= 640 and other key files <= 644 (sudoers 440); no Telnet/rsh/FTP listener; no MD5 or DES password hash.
The checks are pure functions of the facts: each case builds the host a parser would give and calls the check.
"""
from __future__ import annotations

import pytest

from checks.linux import hardening as hard
from checks.linux import identification as ident
from scanner.checkkit import Facts
from scanner.platforms.linux_host import Account, LinuxHost
from scanner.platforms import linux_pam
from scanner.platforms.linux_pam import PamEntry, PamLockout, PamQuality, PamStack

STACKS = {svc: PamStack(svc) for svc in ("sshd", "login", "passwd")}     # every stack read, none missing
from scanner.policy import Policy


def status(check, host: LinuxHost, documents: dict[str, list[str]] | None = None) -> str:
    values = {k: host for k in (*check.needs, *check.uses) if k.startswith("linux.")}
    return check.evaluate(Facts(values, documents or {}, str), Policy()).status.value


def host(**kw) -> LinuxHost:
    h = LinuxHost()
    for k, v in kw.items():
        setattr(h, k, v)
    return h


@pytest.mark.parametrize("minlen, minclass, want", [
    (7, 2, "fail"), (8, 2, "pass"), (9, 2, "pass"), (8, 1, "fail"), (8, 3, "pass"), (None, None, "fail"),
])
def test_pwquality_minlen_and_classes(minlen, minclass, want):
    quality = PamQuality(minlen, minclass, False, ("/etc/pam.d/system-auth", 1)) if minlen is not None else None
    assert status(ident._complexity, host(pw_quality=quality, pam_stacks=STACKS)) == want


def _user(max_days):
    return Account(name="ops", uid=1000, shell="/bin/bash", line=1, password="hash", max_days=max_days)


@pytest.mark.parametrize("login_defs, account, want", [
    (89, 89, "pass"), (90, 90, "pass"), (91, 90, "fail"), (90, 91, "fail"), (90, None, "fail"),
    (None, 90, "fail"), (99999, 99999, "fail"),
])
def test_password_max_days(login_defs, account, want):
    assert status(ident._expiry, host(pass_max_days=login_defs, accounts=[_user(account)])) == want


def test_expiry_ignores_accounts_that_cannot_log_in():
    daemon = Account(name="svc", uid=1001, shell="/usr/sbin/nologin", line=2, password="hash", max_days=None)
    assert status(ident._expiry, host(pass_max_days=90, accounts=[_user(60), daemon])) == "pass"


@pytest.mark.parametrize("deny, unlock, want", [
    (4, 600, "pass"), (5, 600, "pass"), (6, 600, "fail"),
    (5, 299, "fail"), (5, 300, "pass"), (5, 301, "pass"), (5, 0, "pass"), (5, None, "pass"),
    (None, None, "fail"),
])
def test_faillock_deny_and_unlock_time(deny, unlock, want):
    lock = PamLockout("pam_faillock", deny, unlock, False, ("/etc/pam.d/system-auth", 1)) if deny is not None else None
    assert status(ident._lockout, host(lockouts={"sshd": lock, "login": lock}, pam_stacks=STACKS)) == want


@pytest.mark.parametrize("tmout, want", [(599, "pass"), (600, "pass"), (601, "fail"), (None, "fail"), (0, "fail")])
def test_tmout_seconds(tmout, want):
    assert status(ident._timeout, host(tmout_s=tmout)) == want


# sshd's ClientAliveInterval x CountMax only drops a peer that stops answering (sshd_config(5)): an idle but live
# client answers every probe, so it is never an idle timeout, whatever the values (issue 9 must-have 4). OpenSSH
# 9.2's ChannelTimeout session=N closes a session idle for N seconds: that one counts.
@pytest.mark.parametrize("interval, count, want", [
    ("300", "2", "fail"), ("301", "2", "fail"), ("600", "0", "fail"), ("601", "0", "fail"), ("0", "3", "fail"),
    ("200", "3", "fail"), ("201", "3", "fail"),
])
def test_sshd_client_alive(interval, count, want):
    h = host(tmout_s=None, sshd={"clientaliveinterval": interval, "clientalivecountmax": count})
    assert status(ident._timeout, h) == want


@pytest.mark.parametrize("idle, want", [(599, "pass"), (600, "pass"), (601, "fail")])
def test_sshd_channel_timeout(idle, want):
    assert status(ident._timeout, host(tmout_s=None, sshd_channel_idle_s=idle)) == want


def test_a_long_tmout_is_not_rescued_by_nothing():
    assert status(ident._timeout, host(tmout_s=900, sshd={"clientaliveinterval": "0"})) == "fail"


# 6 months = 180 days (网络安全法 第二十一条; MLPS-L3.md §2.9 "logrotate weekly × ≥ 24" ≈ 168-180 days)
@pytest.mark.parametrize("days, remote, running, want", [
    (179, False, True, "fail"), (180, False, True, "manual"), (181, False, True, "manual"), (None, False, True, "fail"),
    (28, True, True, "pass"),
    (28, True, False, "fail"),          # forwarding configured but rsyslogd stopped: nothing is sent (issue 9)
])
def test_log_retention_days(days, remote, running, want):
    h = host(logrotate_days=days, remote_log_lines=[("rsyslog", 4)] if remote else [],
             processes={"rsyslogd"} if running else set())
    rsyslog = ["module(load=\"imuxsock\")", "", "# forward everything", "*.* @@10.0.0.5:514"]
    assert status(hard._remote_log, h, {"rsyslog": rsyslog}) == want


@pytest.mark.parametrize("pending, want", [(0, "pass"), (1, "fail"), (37, "fail")])
def test_pending_security_updates(pending, want):
    assert status(hard._updates, host(pending_security_updates=pending, package_manager="apt")) == want


@pytest.mark.parametrize("ciphers, want", [
    ("aes256-ctr,aes128-gcm@openssh.com", "pass"), ("chacha20-poly1305@openssh.com", "pass"),
    ("aes256-ctr,aes256-cbc", "fail"), ("3des-cbc", "fail"), ("arcfour256", "fail"), ("blowfish-cbc", "fail"),
    ("cast128-cbc", "fail"), ("", "manual"),
])
def test_ssh_ciphers(ciphers, want):
    assert status(hard._ssh_crypto, host(sshd={"ciphers": ciphers} if ciphers else {})) == want


@pytest.mark.parametrize("value, want", [("no", "pass"), ("yes", "fail"), ("prohibit-password", "fail"),
                                         ("without-password", "fail"), (None, "fail")])
def test_permit_root_login(value, want):
    assert status(hard._root_login, host(sshd={"permitrootlogin": value} if value else {})) == want


WATCHES = ["-w /etc/passwd -p wa", "-w /etc/shadow -p wa", "-w /etc/group -p wa", "-w /etc/sudoers -p wa"]


@pytest.mark.parametrize("running, rules, want", [
    (True, WATCHES, "pass"), (True, WATCHES[:3], "fail"), (True, WATCHES[:1], "fail"), (True, [], "fail"),
    (False, WATCHES, "fail"),
])
def test_audit_watches(running, rules, want):
    assert status(hard._auditd, host(services={"auditd": running}, audit_rules=rules)) == want


@pytest.mark.parametrize("path, mode, want", [
    ("/etc/shadow", 0o640, "pass"), ("/etc/shadow", 0o644, "fail"), ("/etc/shadow", 0o000, "pass"),
    ("/etc/passwd", 0o644, "pass"), ("/etc/passwd", 0o664, "fail"), ("/etc/passwd", 0o646, "fail"),
    ("/etc/sudoers", 0o440, "pass"), ("/etc/sudoers", 0o640, "fail"), ("/etc/ssh/sshd_config", 0o600, "pass"),
])
def test_key_file_modes(path, mode, want):
    assert status(hard._perms, host(perms={path: (mode, "root", 1)})) == want


@pytest.mark.parametrize("port, address, want", [
    (23, "0.0.0.0", "fail"), (23, "127.0.0.1", "pass"), (23, "::1", "pass"), (445, "10.0.0.5", "fail"),
    (22, "0.0.0.0", "pass"), (111, "[::]", "fail"),
])
def test_high_risk_ports(port, address, want):
    assert status(hard._ports, host(listening=[("tcp", address, port, 1)])) == want


@pytest.mark.parametrize("port, want", [(21, "fail"), (23, "fail"), (512, "fail"), (513, "fail"), (514, "fail"),
                                        (22, "pass"), (443, "pass")])
def test_clear_text_remote_management(port, want):
    assert status(ident._remote_encrypted, host(listening=[("tcp", "0.0.0.0", port, 1)])) == want


@pytest.mark.parametrize("scheme, want", [("md5", "fail"), ("des", "fail"), ("sha512", "pass"), ("yescrypt", "pass"),
                                          ("sha256", "pass")])
def test_password_hash_schemes(scheme, want):
    acct = Account(name="ops", uid=1000, shell="/bin/bash", line=1, password="hash", hash_scheme=scheme)
    assert status(hard._hashes, host(accounts=[acct])) == want


@pytest.mark.parametrize("accounts, want", [
    ([("root", 0), ("ops", 1000)], "pass"), ([("root", 0), ("backup", 0)], "fail"),
    ([("root", 0), ("a", 1000), ("b", 1000)], "fail"),
])
def test_unique_identities(accounts, want):
    h = host(accounts=[Account(name=n, uid=u, shell="/bin/bash", line=i) for i, (n, u) in enumerate(accounts, 1)])
    assert status(ident._uid0, h) == want


# What the Linux findings cite (issue 15 must-have 3: survivors of the sampled mutation run, session 7). Each finding
# cites the line that decides it, in the document that line comes from: sshd's own output or file for sshd settings,
# /etc/passwd for accounts, the security-update listing, the listening sockets, the rsyslog file that forwards.
SSHD = ["Port 22", "PermitRootLogin no", "Ciphers aes128-cbc,aes256-ctr", "Match Address 10.0.0.0/8",
        "  PermitRootLogin yes"]
PASSWD = ["root:x:0:0:root:/root:/bin/bash", "games:x:5:60:games:/usr/games:/bin/bash",
          "ops:x:1000:1000::/home/ops:/bin/bash"]
DOCS = {"sshd_effective": SSHD, "sshd_config": SSHD, "passwd": PASSWD, "security_updates": ["3 security updates"],
        "listening": ["tcp 0.0.0.0:22", "tcp 0.0.0.0:23"], "rsyslog": ["*.* @@10.0.0.5:514"],
        "rsyslog_ignored": ["*.* @10.0.0.9:514"], "sudoers": ["root ALL=(ALL) ALL", "ops ALL=(ALL) NOPASSWD: ALL"]}


def judged(check, documents=DOCS, **values):
    return check.evaluate(Facts(values, documents, str), Policy())


def cites(v) -> list[tuple[str, int | None, str]]:
    return [(e.source, e.line, e.text) for e in v.evidence]


def test_root_login_cites_the_sshd_line_and_the_match_block_that_allows_root():
    h = host(sshd={"permitrootlogin": "no"}, sshd_lines={"permitrootlogin": 2}, sshd_source="sshd_effective",
             sshd_match=[("Address 10.0.0.0/8", {"permitrootlogin": "yes"}, 5)])
    v = judged(hard._root_login, **{"linux.sshd": h})
    assert v.status.value == "manual" and "Address 10.0.0.0/8" in v.reason_en and "Address 10.0.0.0/8" in v.reason_zh
    assert cites(v) == [("sshd_effective", 2, "PermitRootLogin no"), ("sshd_config", 5, "  PermitRootLogin yes")]


def test_ssh_ciphers_cite_the_ciphers_line_and_name_the_weak_cipher():
    h = host(sshd={"ciphers": "aes128-cbc,aes256-ctr"}, sshd_lines={"ciphers": 3}, sshd_source="sshd_effective")
    v = judged(hard._ssh_crypto, **{"linux.sshd": h})
    assert v.status.value == "fail" and "aes128-cbc" in v.reason_en and "aes128-cbc" in v.reason_zh
    assert "aes256-ctr" not in v.reason_en
    assert cites(v) == [("sshd_effective", 3, "Ciphers aes128-cbc,aes256-ctr")]
    default = judged(hard._ssh_crypto, **{"linux.sshd": host()})
    assert default.status.value == "manual" and "sshd -T" in default.reason_zh and "sshd -T" in default.reason_en


def test_system_account_with_a_shell_is_named_and_its_passwd_line_cited():
    games = Account(name="games", uid=5, shell="/bin/bash", line=2, password="hash")
    ops = Account(name="ops", uid=1000, shell="/bin/bash", line=3, password="hash")
    v = judged(hard._system_accounts, **{"linux.accounts": host(accounts=[games, ops])})
    assert v.status.value == "fail" and "games" in v.reason_en and "ops" not in v.reason_en
    assert cites(v) == [("passwd", 2, PASSWD[1])]


def test_sudo_nopasswd_all_cites_the_sudoers_line():
    v = judged(hard._sudo, **{"linux.sudoers": host(sudo_nopasswd_all=[2], sudo_rules=[1, 2])})
    assert v.status.value == "fail" and "NOPASSWD: ALL" in v.reason_en and "NOPASSWD: ALL" in v.reason_zh
    assert cites(v) == [("sudoers", 2, "ops ALL=(ALL) NOPASSWD: ALL")]


def test_pending_updates_cite_the_update_listing():
    v = judged(hard._updates, **{"linux.updates": host(pending_security_updates=3, package_manager="apt")})
    assert v.status.value == "fail" and "3 security updates" in v.reason_en and "apt" in v.reason_zh
    assert cites(v) == [("security_updates", 1, "3 security updates")]


@pytest.mark.parametrize("open_ports, listening, want", [
    ({23}, [], "fail"),                               # the port scan sees Telnet although no listener was read
    ({443}, [], "pass"), (set(), [], "pass"),
    (set(), [("tcp", "0.0.0.0", 23, 2)], "fail"),
    (set(), [("tcp", "127.0.0.1", 23, 2)], "pass"),   # loopback only: not reachable from the network
])
def test_high_risk_ports_by_listener_and_by_port_scan(open_ports, listening, want):
    v = judged(hard._ports, **{"linux.listening": host(listening=listening), "open_ports": open_ports})
    assert v.status.value == want
    if want == "fail" and listening:
        assert "23" in v.reason_en and cites(v) == [("listening", 2, "tcp 0.0.0.0:23")]


@pytest.mark.parametrize("processes, services, want", [
    ({"rsyslogd"}, None, "pass"),
    (None, {"rsyslog": True}, "pass"),     # systemctl says rsyslog is active, no process list read
    (None, {"rsyslog": False}, "fail"),
    (None, None, "manual"),                # neither read: forwarding configured, running unknown
])
def test_remote_log_forwarding_counts_only_while_rsyslog_runs(processes, services, want):
    h = host(remote_log_lines=[("rsyslog", 1)], remote_log_ignored=[("rsyslog_ignored", 1)])
    values = {"linux.rsyslog": h, "linux.logrotate": h}
    if processes is not None:
        values["linux.processes"] = host(processes=processes)
    if services is not None:
        values["linux.services"] = host(services=services)
    v = judged(hard._remote_log, **values)
    assert v.status.value == want
    assert ("rsyslog", 1, "*.* @@10.0.0.5:514") in cites(v)
    if want == "manual":
        assert "rsyslogd" in v.reason_zh and "rsyslogd" in v.reason_en and v.reason_zh != v.reason_en
    if want == "fail":
        assert ("rsyslog_ignored", 1, "*.* @10.0.0.9:514") in cites(v)


# a running time service proves synchronisation when timedatectl gave no answer (Debian's NTP daemon unit is `ntp`)
@pytest.mark.parametrize("service", ["chronyd", "chrony", "ntp", "ntpd", "systemd-timesyncd"])
def test_timesync_by_a_running_time_service(service):
    v = judged(hard._timesync, **{"linux.services": host(services={service: True})})
    assert v.status.value == "pass" and service in v.reason_zh
    assert judged(hard._timesync, **{"linux.services": host(services={service: False})}).status.value == "manual"


# 身份鉴别 d): two factors. An OTP module in sshd's PAM auth stack is a second factor only when no login goes around
# PAM: sshd's PubkeyAuthentication defaults to yes (sshd_config(5)), and a key login never reaches PAM's auth stack
OTP = [PamEntry(file="/etc/pam.d/sshd", line=4, type="auth", control="required", module="pam_google_authenticator",
                args={})]


@pytest.mark.parametrize("settings, want, bypass", [
    ({}, "fail", "pubkeyauthentication"),                                   # the default: keys skip the OTP
    ({"pubkeyauthentication": "yes"}, "fail", "pubkeyauthentication"),
    ({"pubkeyauthentication": "no"}, "pass", None),
    ({"pubkeyauthentication": "no", "hostbasedauthentication": "yes"}, "fail", "hostbasedauthentication"),
    ({"pubkeyauthentication": "no", "usepam": "no"}, "fail", "usepam no"),
])
def test_otp_counts_only_when_no_login_bypasses_pam(settings, want, bypass):
    sshd = host(sshd=settings, sshd_lines={k: i for i, k in enumerate(settings, 1)}, sshd_source="sshd_effective")
    v = judged(ident._mfa, **{"linux.sshd": sshd, "linux.pam": host(sshd_otp=OTP)},
               documents={"pam": ["#%PAM-1.0", "", "", "auth required pam_google_authenticator.so"],
                          "sshd_effective": [f"{k} {v}" for k, v in settings.items()]})
    assert v.status.value == want
    assert ("pam", 4, "auth required pam_google_authenticator.so") in cites(v)
    if bypass:
        assert bypass in v.reason_zh and bypass in v.reason_en and "never reach PAM" in v.reason_en
    else:
        assert "OTP" in v.reason_en and "动态口令" in v.reason_zh


def test_authentication_methods_with_a_single_method_are_named():
    sshd = host(sshd={"authenticationmethods": "publickey,keyboard-interactive password"},
                sshd_lines={"authenticationmethods": 1}, sshd_source="sshd_effective")
    v = judged(ident._mfa, **{"linux.sshd": sshd},
               documents={"sshd_effective": ["authenticationmethods publickey,keyboard-interactive password"]})
    assert v.status.value == "fail" and "single method: password" in v.reason_en and "password" in v.reason_zh
    assert cites(v) == [("sshd_effective", 1, "authenticationmethods publickey,keyboard-interactive password")]


def test_expiry_names_the_account_whose_lifetime_is_too_long():
    long = Account(name="ops", uid=1000, shell="/bin/bash", line=3, password="hash", max_days=120, shadow_line=7)
    v = judged(ident._expiry, **{"linux.login_defs": host(pass_max_days=90, login_defs_lines=[2], accounts=[long])},
               documents={"login_defs": ["", "PASS_MAX_DAYS 90"], "shadow": [""] * 6 + ["ops:$6$x:19000:0:120:7:::"]})
    assert v.status.value == "fail" and "ops" in v.reason_zh and "lifetime exceeds the limit: ops" in v.reason_en
    assert ("shadow", 7, "ops:$6$x:19000:0:120:7:::") in cites(v)


def test_channel_timeout_cites_its_sshd_line():
    sshd = host(sshd={"channeltimeout": "session:*=300"}, sshd_lines={"channeltimeout": 2}, sshd_source="sshd_effective",
                sshd_channel_idle_s=300)
    v = judged(ident._timeout, **{"linux.profile": host(), "linux.sshd": sshd},
               documents={"sshd_effective": ["port 22", "channeltimeout session:*=300"]})
    assert v.status.value == "pass" and "300" in v.reason_en and "300" in v.reason_zh
    assert cites(v) == [("sshd_effective", 2, "channeltimeout session:*=300")]


# 访问控制 b): a system account is at fault only with a shell AND a usable password; a password the collector could
# not read ("unknown", e.g. no root to read /etc/shadow) is not counted as usable (left to the other checks)
@pytest.mark.parametrize("password, want", [("hash", "fail"), ("empty", "fail"), ("locked", "manual"),
                                            ("unknown", "manual")])
def test_system_account_counts_only_with_a_usable_password(password, want):
    games = Account(name="games", uid=5, shell="/bin/bash", line=2, password=password)
    assert judged(hard._system_accounts, **{"linux.accounts": host(accounts=[games])}).status.value == want


# PAM as the Linux parser reads it (survivors of a 10-mutant sample of scanner/platforms/linux_pam.py, session 7).
# pam_faillock(8): the `preauth` line only checks the tally, the `authfail` line counts failures (its deny applies);
# pam_tally2(8): without unlock_time an account stays locked until an administrator unlocks it (0); pam_pwquality(8):
# a negative credit makes that class required; pam.conf(5): `requisite` fails the login like `required`
def _entry(line, module, control="required", ptype="auth", **args):
    return PamEntry(file="/etc/pam.d/system-auth", line=line, type=ptype, control=control, module=module, args=args)


def test_faillock_counts_on_the_authfail_line_not_preauth():
    stack = PamStack("sshd", [_entry(2, "pam_faillock", preauth="", deny="5"),
                              _entry(4, "pam_faillock", control="[default=die]", authfail="", deny="3")])
    lo = linux_pam.lockout(stack, {})
    assert (lo.deny, lo.line, lo.counts) == (3, ("pam", 4), True)


def test_tally2_without_unlock_time_locks_until_unlocked():
    lo = linux_pam.lockout(PamStack("sshd", [_entry(3, "pam_tally2", deny="5")]), {})
    assert (lo.module, lo.deny, lo.unlock_s) == ("pam_tally2", 5, 0)


@pytest.mark.parametrize("credit", ["ucredit", "lcredit", "dcredit", "ocredit"])
def test_each_negative_credit_makes_its_class_required(credit):
    stack = PamStack("passwd", [_entry(5, "pam_pwquality", ptype="password", minlen="8", **{credit: "-1"})])
    assert linux_pam.quality(stack, {}).min_class == 1
    other = "dcredit" if credit == "ucredit" else "ucredit"
    both = PamStack("passwd", [_entry(5, "pam_pwquality", ptype="password", minlen="8", **{credit: "-1", other: "-1"})])
    assert linux_pam.quality(both, {}).min_class == 2


@pytest.mark.parametrize("control, required", [("required", True), ("requisite", True), ("[default=die]", True),
                                               ("sufficient", False), ("optional", False)])
def test_otp_module_counts_when_its_failure_fails_the_login(control, required):
    stack = PamStack("sshd", [_entry(6, "pam_google_authenticator", control=control)])
    assert bool(linux_pam.otp_required(stack)) is required


# 8.1.4.4.c (MLPS-L3.md §2.7: "限制终端登录的网络地址"): sshd restricts who logs in by AllowUsers / AllowGroups or by
# listening on a management address only; listening on every address restricts nothing (the host firewall may)
@pytest.mark.parametrize("settings, want, cited", [
    ({"allowusers": "ops admin"}, "pass", [2]), ({"allowgroups": "wheel"}, "pass", [3]),
    ({"listenaddress": "10.0.0.5:22"}, "pass", [4]), ({"listenaddress": "0.0.0.0:22"}, "manual", []),
    ({"listenaddress": "[::]:22"}, "manual", []), ({"listenaddress": "::"}, "manual", []),
    ({}, "manual", []), ({"allowusers": ""}, "manual", []),
])
def test_ssh_logins_restricted_by_user_or_listen_address(settings, want, cited):
    lines = {"allowusers": 2, "allowgroups": 3, "listenaddress": 4}
    h = host(sshd=settings, sshd_lines={k: lines[k] for k in settings}, sshd_source="sshd_config")
    v = judged(hard._mgmt_restricted, documents={"sshd_config": ["Port 22", "AllowUsers ops admin",
                                                                 "AllowGroups wheel", "ListenAddress 10.0.0.5:22"]},
               **{"linux.sshd": h})
    assert (v.status.value, [e.line for e in v.evidence]) == (want, cited)
    assert all(e.source == "sshd_config" for e in v.evidence)


# 8.1.4.5.a: anti-malware software running (a process of a known product, or the ClamAV service active)
@pytest.mark.parametrize("processes, services, want", [
    ({"clamd"}, {}, "pass"), ({"falcon-sensor"}, {}, "pass"), ({"sangfor_edr_agent"}, {}, "pass"),
    ({"sshd", "bash"}, {}, "fail"), (set(), {"clamd@scan": True}, "pass"), (set(), {"clamav-daemon": True}, "pass"),
    (set(), {"clamav-daemon": False}, "fail"), (None, {"clamd@scan": True}, "pass"), (None, {}, "manual"),
])
def test_anti_malware_running(processes, services, want):
    values = {"linux.services": host(services=services)}
    if processes is not None:
        values["linux.processes"] = host(processes=processes)
    v = judged(hard._malware, **values)
    assert v.status.value == want
    if want == "pass":
        named = sorted(processes or ()) + [s for s, on in services.items() if on]
        assert all(n in v.reason_zh for n in named)


# 8.1.4.3.b: the audit clock is synchronised (timedatectl's NTPSynchronized), else a time service must run
@pytest.mark.parametrize("synced, services, want", [
    (True, {}, "pass"), (False, {"chronyd": True}, "fail"), (None, {}, "manual"),
    (None, {"chronyd": False}, "manual"),
])
def test_clock_synchronised(synced, services, want):
    values = {"linux.services": host(services=services)}
    if synced is not None:
        values["linux.timesync"] = host(ntp_synchronized=synced)
    assert judged(hard._timesync, **values).status.value == want


# 8.1.4.2.f: each key file's mode at and over its ceiling (shadow/gshadow 640, sudoers 440, the others 644); the
# finding names the file and its mode and cites its stat line
@pytest.mark.parametrize("path, mode, want", [
    ("/etc/gshadow", 0o640, "pass"), ("/etc/gshadow", 0o644, "fail"), ("/etc/group", 0o644, "pass"),
    ("/etc/group", 0o664, "fail"), ("/etc/ssh/sshd_config", 0o600, "pass"), ("/etc/ssh/sshd_config", 0o646, "fail"),
    ("/etc/sudoers", 0o440, "pass"), ("/etc/sudoers", 0o640, "fail"), ("/etc/motd", 0o666, "pass"),
])
def test_key_file_mode_ceilings(path, mode, want):
    v = judged(hard._perms, documents={"perms": ["x", "y", f"{mode:o} root root {path}"]},
               **{"linux.perms": host(perms={path: (mode, "root", 3)})})
    assert v.status.value == want and [e.line for e in v.evidence] == [3]
    if want == "fail":
        assert f"{path}({mode:o})" in v.reason_zh


# 8.1.4.3.a: auditd must run; a missing watch is named
def test_auditd_not_running_and_missing_watches_named():
    off = judged(hard._auditd, **{"linux.services": host(services={"auditd": False},
                                                         audit_rules=["-w /etc/passwd -p wa"])})
    assert off.status.value == "fail" and "auditd" in off.reason_en
    rules = ["-w /etc/passwd -p wa", "-w /etc/shadow -p wa", "-w /etc/group -p wa"]
    miss = judged(hard._auditd, **{"linux.services": host(services={"auditd": True}, audit_rules=rules)})
    assert miss.status.value == "fail" and "/etc/sudoers" in miss.reason_zh and "/etc/sudoers" in miss.reason_en
    assert "/etc/passwd" not in miss.reason_en


# 8.1.4.4.b: a high-risk port bound to loopback only is not reachable; an exposed one raises the high-risk signal
@pytest.mark.parametrize("address, want, signals", [("127.0.0.1", "pass", ()), ("::1", "pass", ()),
                                                    ("0.0.0.0", "fail", ("service_listening",)),
                                                    ("10.0.0.5", "fail", ("service_listening",))])
def test_high_risk_port_on_loopback_only(address, want, signals):
    v = judged(hard._ports, **{"linux.listening": host(listening=[("tcp", address, 23, 2)])})
    assert (v.status.value, tuple(v.signals)) == (want, signals)
    if want == "fail":
        assert "23" in v.reason_zh and "23" in v.reason_en


# 8.1.5.4.d / 6.5.1.2: logs kept six months; a known short retention is the high-risk signal, an unknown one is not
@pytest.mark.parametrize("days, want, signals", [(179, "fail", ("retention_short",)), (None, "fail", ()),
                                                 (180, "manual", ())])
def test_short_retention_signal(days, want, signals):
    v = judged(hard._remote_log, documents={"logrotate": ["weekly", "rotate 4"]},
               **{"linux.rsyslog": host(logrotate_days=days, logrotate_lines=[1, 2]),
                  "linux.logrotate": host(logrotate_days=days, logrotate_lines=[1, 2])})
    assert (v.status.value, tuple(v.signals)) == (want, signals)
    assert [(e.source, e.line) for e in v.evidence] == [("logrotate", 1), ("logrotate", 2)]
    if days is not None:
        assert f"{days}" in v.reason_zh


# 8.1.4.8.b: only a usable MD5/DES hash is weak (a locked account's old hash logs nobody in); the shadow line is cited
def test_weak_hash_cites_the_shadow_line():
    weak = Account(name="ops", uid=1000, shell="/bin/bash", line=3, password="hash", hash_scheme="md5", shadow_line=7)
    locked = Account(name="old", uid=1001, shell="/bin/bash", line=4, password="locked", hash_scheme="md5",
                     shadow_line=8)
    v = judged(hard._hashes, documents={"shadow": ["x"] * 9}, **{"linux.shadow": host(accounts=[weak, locked])})
    assert v.status.value == "fail" and [(e.source, e.line) for e in v.evidence] == [("shadow", 7)]
    assert "ops" in v.reason_zh and "old" not in v.reason_zh


# 8.1.4.1.a: no empty password (shadow(5): an empty field logs in without one); each account named, its line cited
def test_empty_passwords_named_and_cited():
    accts = [Account(name="guest", uid=1001, shell="/bin/bash", line=3, password="empty", shadow_line=5),
             Account(name="ops", uid=1000, shell="/bin/bash", line=2, password="hash", shadow_line=4),
             Account(name="tmp", uid=1002, shell="/bin/sh", line=4, password="empty", shadow_line=6)]
    v = judged(ident._empty, documents={"shadow": ["x"] * 7}, **{"linux.shadow": host(accounts=accts)})
    assert v.status.value == "fail" and [(e.source, e.line) for e in v.evidence] == [("shadow", 5), ("shadow", 6)]
    assert "guest、tmp" in v.reason_zh and "guest, tmp" in v.reason_en and "ops" not in v.reason_en
    assert judged(ident._empty, **{"linux.shadow": host(accounts=accts[1:2])}).status.value == "pass"


# 8.1.4.1.a / 8.1.4.2.a: unique identities: one account per UID, only root at UID 0; the offenders' passwd lines cited
@pytest.mark.parametrize("extra, want, named", [
    ([], "pass", []), ([("toor", 0)], "fail", ["root", "toor"]),      # toor also shares root's UID
    ([("ops2", 1000)], "fail", ["ops", "ops2"]),
    ([("web", 1001)], "pass", []),
])
def test_unique_uids_name_and_cite_the_offenders(extra, want, named):
    accts = [Account(name="root", uid=0, shell="/bin/bash", line=1), Account(name="ops", uid=1000, shell="/bin/bash",
                                                                             line=2)]
    accts += [Account(name=n, uid=u, shell="/bin/bash", line=3 + i) for i, (n, u) in enumerate(extra)]
    v = judged(ident._uid0, documents={"passwd": ["x"] * 6}, **{"linux.accounts": host(accounts=accts)})
    assert v.status.value == want
    if named:
        assert v.reason_zh.endswith("、".join(named))
        assert sorted(e.line for e in v.evidence) == sorted(a.line for a in accts if a.name in named)


# the PAM stack a check judged is said when it was assumed or incomplete (an older capture)
def test_password_quality_with_an_incomplete_stack_is_left_to_review():
    stacks = {**STACKS, "passwd": PamStack("passwd", missing=["system-auth"])}
    v = judged(ident._complexity, **{"linux.pam": host(pw_quality=None, pam_stacks=stacks)})
    assert v.status.value == "manual" and "system-auth" in v.evidence[0].text
    assumed = {**STACKS, "passwd": PamStack("passwd", assumed="common-password")}
    v = judged(ident._complexity, **{"linux.pam": host(pw_quality=None, pam_stacks=assumed)})
    assert v.status.value == "fail" and "common-password" in v.evidence[0].text
    q = PamQuality(7, 3, False, ("pwquality", 2))
    v = judged(ident._complexity, documents={"pwquality": ["x", "minlen = 7"]},
               **{"linux.pam": host(pw_quality=q, pam_stacks=STACKS)})
    assert v.status.value == "fail" and "minlen=7" in v.reason_zh and "minlen=7" in v.reason_en
    assert [(e.source, e.line) for e in v.evidence] == [("pwquality", 2)]


# 8.1.4.1.b: both sshd and login must count failures and lock; each failing stack is named with what is wrong
@pytest.mark.parametrize("sshd, login, want, words", [
    (PamLockout("pam_faillock", 5, 600, True, ("pam", 1)), None, "fail", "login: no pam_faillock"),
    (PamLockout("pam_faillock", 5, 600, True, ("pam", 1), counts=False), PamLockout("pam_faillock", 5, 600, True,
                                                                                   ("pam", 2)), "fail",
     "sshd: pam_faillock only in preauth"),
    (PamLockout("pam_tally2", 0, 600, True, ("pam", 1)), PamLockout("pam_tally2", 5, 600, True, ("pam", 2)), "fail",
     "sshd: pam_tally2 deny=0 never locks"),
    (PamLockout("pam_faillock", 5, 600, True, ("pam", 1)), PamLockout("pam_faillock", 5, 600, True, ("pam", 2)),
     "pass", "after 5 failures for 600s"),
])
def test_lockout_on_each_stack_sshd_and_login_run(sshd, login, want, words):
    v = judged(ident._lockout, documents={"pam": ["a", "b"]},
               **{"linux.pam": host(lockouts={"sshd": sshd, "login": login}, pam_stacks=STACKS)})
    assert v.status.value == want and words in v.reason_en
    if want == "pass":
        assert "（含root）" in v.reason_zh and [e.line for e in v.evidence] == [1, 2]


def test_lockout_with_a_stack_not_collected_is_left_to_review():
    stacks = {**STACKS, "login": PamStack("login", missing=["system-auth"])}
    lk = PamLockout("pam_faillock", 5, 600, False, ("pam", 1))
    v = judged(ident._lockout, documents={"pam": ["a"]},
               **{"linux.pam": host(lockouts={"sshd": lk, "login": None}, pam_stacks=stacks)})
    assert v.status.value == "manual" and "login" in v.reason_en


# 8.1.4.1.c: Telnet (23), rsh/rlogin/rexec (512-514) and FTP (21) over TCP are clear-text; UDP 514 is syslog
@pytest.mark.parametrize("proto, port, want", [("tcp", 23, "fail"), ("tcp", 21, "fail"), ("tcp", 512, "fail"),
                                               ("udp", 514, "pass"), ("tcp", 22, "pass"), ("tcp", 2323, "pass")])
def test_clear_text_remote_services_by_protocol(proto, port, want):
    v = judged(ident._remote_encrypted, documents={"listening": ["x", "y"]},
               **{"linux.listening": host(listening=[(proto, "0.0.0.0", port, 2)])})
    assert v.status.value == want
    if want == "fail":
        assert str(port) in v.reason_zh and [e.line for e in v.evidence] == [2]


def test_single_method_cites_sshd_config_when_no_sshd_t_output_was_read():
    # without `sshd -T` the values come from /etc/ssh/sshd_config itself: the evidence cites that file's line
    sshd = host(sshd={"authenticationmethods": "password"}, sshd_lines={"authenticationmethods": 2}, sshd_source=None)
    v = judged(ident._mfa, **{"linux.sshd": sshd},
               documents={"sshd_config": ["Port 22", "AuthenticationMethods password"]})
    assert v.status.value == "fail" and "password" in v.reason_en
    assert cites(v) == [("sshd_config", 2, "AuthenticationMethods password")]


@pytest.mark.parametrize("interval, cited", [("300", True), ("0", False), ("", False)])   # "": no value set
def test_no_idle_timeout_cites_the_client_alive_line_it_did_not_count(interval, cited):
    # sshd_config(5): ClientAliveInterval only probes the peer; the assessor sees the line that was set and why it
    # is no idle timeout (an interval of 0, probing off, is nothing to explain)
    sshd = host(sshd={"clientaliveinterval": interval}, sshd_lines={"clientaliveinterval": 2},
                sshd_source="sshd_effective")
    v = judged(ident._timeout, **{"linux.profile": host(), "linux.sshd": sshd},
               documents={"sshd_effective": ["port 22", f"clientaliveinterval {interval}"]})
    assert v.status.value == "fail" and "ClientAliveInterval" in v.reason_en and "ClientAliveInterval" in v.reason_zh
    assert cites(v) == ([("sshd_effective", 2, "clientaliveinterval 300")] if cited else [])


def test_root_login_allowed_by_a_match_block_names_that_block():
    # sshd -T shows the global PermitRootLogin only: the reason says it is off globally and which Match criteria
    # allow root again, right after saying so (the assessor checks those sources)
    h = host(sshd={"permitrootlogin": "no"}, sshd_lines={"permitrootlogin": 2}, sshd_source="sshd_effective",
             sshd_match=[("User backup", {"permitrootlogin": "prohibit-password"}, 5)])
    v = judged(hard._root_login, **{"linux.sshd": h})
    assert v.status.value == "manual"
    assert "off globally" in v.reason_en and v.reason_en.endswith("a Match block allows it for User backup")
    assert "Match块" in v.reason_zh and "（User backup）" in v.reason_zh


def test_strong_ciphers_pass_names_ssh_and_cites_the_ciphers_line():
    line = "ciphers aes256-gcm@openssh.com,aes256-ctr"
    h = host(sshd={"ciphers": line.split()[1]}, sshd_lines={"ciphers": 3}, sshd_source="sshd_effective")
    v = judged(hard._ssh_crypto, **{"linux.sshd": h}, documents={"sshd_effective": ["", "", line]})
    assert v.status.value == "pass" and "SSH" in v.reason_en and "strong ciphers" in v.reason_en
    assert "SSH" in v.reason_zh and cites(v) == [("sshd_effective", 3, line)]
    assert v.reason_en.startswith("SSH uses strong ciphers") and v.reason_zh.startswith("SSH仅使用强加密算法")


def test_audit_watches_missing_are_each_named():
    # 8.1.4.3.a: every key file auditd does not watch is named, one after another, in both languages
    rules = ["-w /etc/group -p wa", "-w /etc/sudoers -p wa"]
    v = judged(hard._auditd, **{"linux.services": host(services={"auditd": True}, audit_rules=rules)})
    assert v.status.value == "fail" and v.reason_en.endswith("miss /etc/passwd, /etc/shadow")
    assert v.reason_zh.endswith("：/etc/passwd、/etc/shadow")
    # the daemon is named as auditd(8) spells it, in both languages: a reader searches for that name
    assert v.reason_zh.startswith("auditd") and v.reason_en.startswith("audit rules")


def test_ssh_login_restriction_and_clock_reasons_open_with_the_finding():
    h = host(sshd={"allowusers": "ops"}, sshd_lines={"allowusers": 2}, sshd_source="sshd_config")
    v = judged(hard._mgmt_restricted, documents={"sshd_config": ["Port 22", "AllowUsers ops"]}, **{"linux.sshd": h})
    assert v.status.value == "pass" and v.reason_zh.startswith("SSH登录已限制") and v.reason_en.startswith("SSH logins")
    clock = judged(hard._timesync, **{"linux.services": host(services={})})
    assert clock.status.value == "manual" and clock.reason_zh.startswith("无法确认时间同步")
    assert clock.reason_en.startswith("time synchronisation unknown")


def test_clear_text_listeners_are_named_by_port():
    v = judged(ident._remote_encrypted, documents={"listening": ["x", "tcp 0.0.0.0:23"]},
               **{"linux.listening": host(listening=[("tcp", "0.0.0.0", 23, 2)])})
    assert v.status.value == "fail" and v.reason_en.endswith("listening: 23") and "23" in v.reason_zh


# Session 9, seed-12 survivors (issue 15). sshd_config(5): a Match block overrides only the keywords it sets, so a
# block that leaves PermitRootLogin alone, or sets it to no, keeps root out like the global `no`.
@pytest.mark.parametrize("block", [{"x11forwarding": "yes"}, {"permitrootlogin": "no"}])
def test_root_login_off_globally_and_in_every_match_block_passes(block):
    h = host(sshd={"permitrootlogin": "no"}, sshd_lines={"permitrootlogin": 2}, sshd_source="sshd_effective",
             sshd_match=[("User backup", block, 5)])
    assert judged(hard._root_login, **{"linux.sshd": h}).status.value == "pass"


@pytest.mark.parametrize("ignored", [False, True])
def test_no_forwarding_reason_mentions_ignored_files_only_when_there_are_some(ignored):
    h = host(remote_log_ignored=[("rsyslog_ignored", 1)] if ignored else [])
    v = judged(hard._remote_log, **{"linux.rsyslog": h, "linux.logrotate": h})
    assert v.status.value == "fail" and v.reason_zh.startswith("未转发远程日志")
    assert ("rsyslog不读取的文件" in v.reason_zh) is ignored, v.reason_zh
    assert ("files rsyslog does not include" in v.reason_en) is ignored, v.reason_en


# pam_faillock(8) / faillock.conf(5): even_deny_root locks root too; the pass reason says whether root is covered
@pytest.mark.parametrize("root, words", [(True, "（含root）"), (False, "（root不受限）")])
def test_lockout_pass_says_whether_root_is_locked_too(root, words):
    lock = PamLockout("pam_faillock", 5, 600, root, ("/etc/pam.d/system-auth", 1))
    v = judged(ident._lockout, documents={}, **{"linux.pam": host(lockouts={"sshd": lock, "login": lock},
                                                                  pam_stacks=STACKS)})
    assert v.status.value == "pass" and v.reason_zh.startswith("sshd与login连续失败5次锁定600秒")
    assert v.reason_zh.endswith(words), v.reason_zh


@pytest.mark.parametrize("where", ["args", "conf"])
def test_faillock_even_deny_root_flag_is_read_from_the_line_or_faillock_conf(where):
    args = {"authfail": "", "deny": "5"} | ({"even_deny_root": ""} if where == "args" else {})
    conf = {"even_deny_root": ""} if where == "conf" else {}
    stack = PamStack("sshd", [_entry(4, "pam_faillock", control="[default=die]", **args)])
    assert linux_pam.lockout(stack, conf).even_deny_root is True
    assert linux_pam.lockout(PamStack("sshd", [_entry(4, "pam_faillock", authfail="", deny="5")]), {}
                             ).even_deny_root is False


def test_otp_with_a_key_bypass_and_nullok_names_both_problems():
    nullok = [PamEntry(file="/etc/pam.d/sshd", line=4, type="auth", control="required",
                       module="pam_google_authenticator", args={"nullok": ""})]
    v = judged(ident._mfa, documents={}, **{"linux.sshd": host(sshd={}), "linux.pam": host(sshd_otp=nullok)})
    assert v.status.value == "fail"
    assert v.reason_en.removeprefix("an OTP module is in PAM, but ").split("; ") == [
        "pubkeyauthentication logins never reach PAM's auth stack",
        "nullok lets accounts without an OTP secret in with the password alone"], v.reason_en


@pytest.mark.parametrize("settings", [{"pubkeyauthentication": "no"}, {"authenticationmethods": "publickey,password"}])
def test_two_factors_with_a_match_block_changing_authentication_cite_the_block(settings):
    # sshd_config(5): a Match block may set AuthenticationMethods/PubkeyAuthentication for some users: review it
    sshd = host(sshd=settings, sshd_match=[("User svc", {"passwordauthentication": "yes"}, 3)])
    v = judged(ident._mfa, documents={"sshd_config": ["Port 22", "Match User svc", "  PasswordAuthentication yes"]},
               **{"linux.sshd": sshd, "linux.pam": host(sshd_otp=OTP)})
    assert v.status.value == "manual" and "Match" in v.reason_en
    assert ("sshd_config", 3, "  PasswordAuthentication yes") in cites(v)


@pytest.mark.parametrize("readonly, words", [(True, "（readonly）"), (False, "（未设为readonly，用户可修改）")])
def test_tmout_pass_says_whether_it_is_readonly(readonly, words):
    v = judged(ident._timeout, documents={}, **{"linux.profile": host(tmout_s=600, tmout_readonly=readonly)})
    assert v.status.value == "pass" and v.reason_zh == "TMOUT=600秒" + words and v.reason_en == "shell TMOUT=600s"


def test_duplicate_uid_reason_opens_with_the_condition_and_names_the_accounts():
    accounts = [Account(name="root", uid=0, shell="/bin/bash", line=1),
                Account(name="ops", uid=1000, shell="/bin/bash", line=2),
                Account(name="dev", uid=1000, shell="/bin/bash", line=3)]
    v = judged(ident._uid0, **{"linux.accounts": host(accounts=accounts)})
    assert v.status.value == "fail" and v.reason_en.startswith("duplicate UIDs or uid 0 besides root"), v.reason_en
    assert v.reason_zh.endswith("：dev、ops")


# Session 10 (seed-13 survivors, the lead): the PAM defaults and fallbacks as the manual pages give them.
# pam_faillock(8) / faillock.conf(5): "deny=n ... The default is 3", "unlock_time=n ... The default is 600";
# faillock.conf supplies what the module line does not say. pam_cracklib(8) is read like pam_pwquality for length and
# classes (minlen default 9), but pwquality.conf is pam_pwquality's file only. pam.d(5): a service with no file of its
# own runs the `other` stack.
@pytest.mark.parametrize("args, conf, deny, unlock", [
    ({}, {}, 3, 600),                                          # both defaults
    ({"deny": "5"}, {}, 5, 600),
    ({"unlock_time": "900"}, {}, 3, 900),
    ({}, {"deny": "4", "unlock_time": "1200"}, 4, 1200),      # faillock.conf fills what the line omits
    ({"deny": "6"}, {"deny": "4"}, 6, 600),                   # the line wins over faillock.conf
    ({"deny": "4", "unlock_time": "300"}, {"deny": "6", "unlock_time": "60"}, 4, 300),
])
def test_faillock_defaults_and_faillock_conf(args, conf, deny, unlock):
    lo = linux_pam.lockout(PamStack("sshd", [_entry(2, "pam_faillock", authfail="", **args)]), conf)
    assert (lo.module, lo.deny, lo.unlock_s, lo.line) == ("pam_faillock", deny, unlock, ("pam", 2))


@pytest.mark.parametrize("module, args, conf, min_len, min_class", [
    ("pam_cracklib", {"minlen": "8", "minclass": "3"}, {}, 8, 3),
    ("pam_cracklib", {}, {"minlen": "14", "minclass": "4"}, 9, 0),       # pwquality.conf is not cracklib's file
    ("pam_pwquality", {}, {"minlen": "14", "minclass": "4"}, 14, 4),
    ("pam_pwquality", {}, {}, 9, 0),
    ("pam_unix", {"minlen": "12"}, {}, None, None),                      # no quality module: nothing read
])
def test_cracklib_is_read_like_pwquality_but_without_its_file(module, args, conf, min_len, min_class):
    q = linux_pam.quality(PamStack("passwd", [_entry(7, module, ptype="password", **args)]), conf)
    if min_len is None:
        assert q is None
    else:
        assert (q.min_len, q.min_class, q.line) == (min_len, min_class, ("pam", 7))


def test_a_service_without_its_own_file_runs_the_other_stack():
    files = {"other": [(3, "auth required pam_deny.so")], "login": [(9, "auth required pam_unix.so")]}
    stack = linux_pam.resolve(files, True, "sshd", "rhel")
    assert [(e.module, e.line) for e in stack.of("auth")] == [("pam_deny", 3)] and not stack.missing
    own = linux_pam.resolve(files, True, "login", "rhel")
    assert [(e.module, e.line) for e in own.of("auth")] == [("pam_unix", 9)]


def test_collected_sections_are_split_with_their_lines_intact():
    """The collection script's output: one `@@MLPS-SECTION: name` line before each section; a section's text is its
    lines exactly, joined by newlines (the passwd line numbers an assessor reads in the evidence depend on it)."""
    from scanner.platforms.linux import MARK, split_sections
    out = f"{MARK} passwd\nroot:x:0:0::/root:/bin/bash\nops:x:1000:1000::/home/ops:/bin/bash\n" \
          f"{MARK} id\n0\n{MARK} end\nignored\n"
    assert split_sections(out) == {"passwd": "root:x:0:0::/root:/bin/bash\nops:x:1000:1000::/home/ops:/bin/bash",
                                   "id": "0"}


def test_the_collection_script_is_one_valid_posix_shell_script(tmp_path):
    """The collection script runs as one `sh -c` (its docstring: every section behind a marker, stderr dropped): a
    POSIX shell (dash here) prints every section's marker in order and nothing on stderr. PATH names an empty folder,
    so no command of this machine runs: only the shell's own grammar and built-ins are exercised."""
    import subprocess
    from scanner.platforms.linux import SECTIONS, collection_script, split_sections
    r = subprocess.run(["/bin/sh", "-c", collection_script()], env={"PATH": str(tmp_path)}, capture_output=True,
                       text=True, timeout=60)
    assert (r.returncode, r.stderr) == (0, "") and list(split_sections(r.stdout)) == list(SECTIONS)


def test_accounts_carry_their_passwd_line_numbers():
    from scanner.platforms.linux_host import parse
    h = parse({"passwd": "# local accounts\nroot:x:0:0::/root:/bin/bash\n\nops:x:1000:1000::/home/ops:/bin/bash"})
    assert [(a.name, a.line) for a in h.accounts] == [("root", 2), ("ops", 4)]


# sshd_config(5), Match: HostbasedAuthentication, GSSAPIAuthentication and KbdInteractiveAuthentication may be set
# per user or address like PubkeyAuthentication, and a host-based or Kerberos login never reaches PAM's auth stack
# (so never its OTP module); UsePAM is not among the keywords a Match block accepts. A block that only changes
# something else (X11Forwarding) leaves two-factor login as it is.
@pytest.mark.parametrize("block, want", [
    ({"hostbasedauthentication": "yes"}, "manual"), ({"gssapiauthentication": "yes"}, "manual"),
    ({"kbdinteractiveauthentication": "no"}, "manual"), ({"pubkeyauthentication": "yes"}, "manual"),
    ({"x11forwarding": "yes"}, "pass"),
])
def test_a_match_block_that_changes_how_some_users_log_in_leaves_the_otp_to_review(block, want):
    sshd = host(sshd={"pubkeyauthentication": "no"}, sshd_match=[("Address 10.9.0.0/16", block, 3)])
    v = judged(ident._mfa, documents={"sshd_config": ["Port 22", "Match Address 10.9.0.0/16", "  X yes"]},
               **{"linux.sshd": sshd, "linux.pam": host(sshd_otp=OTP)})
    assert v.status.value == want, v.reason_en


def test_a_match_block_enabling_host_based_login_is_read_and_leaves_the_otp_to_review():
    """End to end from sshd_config: the parser keeps the Match block's HostbasedAuthentication/GSSAPIAuthentication
    (and ChallengeResponseAuthentication, KbdInteractiveAuthentication's older name), and the check reviews it."""
    from scanner.platforms.linux_host import parse
    cfg = "PubkeyAuthentication no\nMatch Address 10.9.0.0/16\n  HostbasedAuthentication yes\n  GSSAPIAuthentication yes\n" \
          "Match User legacy\n  ChallengeResponseAuthentication no\n"
    h = parse({"sshd_config": cfg})
    assert h.sshd_match == [("Address 10.9.0.0/16", {"hostbasedauthentication": "yes", "gssapiauthentication": "yes"}, 2),
                            ("User legacy", {"challengeresponseauthentication": "no"}, 5)]
    h.sshd = {"pubkeyauthentication": "no"}
    v = judged(ident._mfa, documents={"sshd_config": cfg.split("\n")},
               **{"linux.sshd": h, "linux.pam": host(sshd_otp=OTP)})
    assert v.status.value == "manual"
    assert ("sshd_config", 2, "Match Address 10.9.0.0/16") in cites(v) and ("sshd_config", 5, "Match User legacy") in cites(v)


# Session 11, seed-31 survivors (mut11l) of the Linux checks.
@pytest.mark.parametrize("shell, counted", [
    ("/bin/bash", True), ("/usr/sbin/nologin", False), ("/sbin/nologin", False), ("/bin/false", False),
    ("/bin/sync", False), ("/sbin/shutdown", False), ("/sbin/halt", False),
])
def test_accounts_whose_shell_logs_nobody_in_need_no_password_expiry(shell, counted):
    """passwd(5) field 7 is the program run at login: nologin(8) and false(1) refuse it; the stock sync, shutdown and
    halt accounts run that one command and exit, so none of them is an interactive login whose password must expire."""
    acct = Account(name="svc", uid=1001, shell=shell, line=2, password="hash", max_days=None)
    want = "fail" if counted else "pass"
    assert status(ident._expiry, host(pass_max_days=90, accounts=[_user(60), acct])) == want


def test_no_tmout_and_no_sshd_configuration_read_fails_without_error():
    """TMOUT unset and sshd's settings not read (linux.sshd unavailable): no idle timeout is shown, a fail."""
    v = judged(ident._timeout, documents={}, **{"linux.profile": host()})
    assert v.status.value == "fail" and v.reason_en.startswith("no idle timeout"), v.reason_en


def test_tmout_pass_cites_the_profile_line():
    v = judged(ident._timeout, documents={"profile": ["# idle logout", "readonly TMOUT=600"]},
               **{"linux.profile": host(tmout_s=600, tmout_line=("profile", 2), tmout_readonly=True)})
    assert v.status.value == "pass" and cites(v) == [("profile", 2, "readonly TMOUT=600")]


def test_lockout_cites_the_counting_line_of_each_stack():
    """sshd and login may run different auth stacks (pam.d(5)): each stack's pam_faillock line is cited."""
    sshd = PamLockout("pam_faillock", 5, 600, False, ("pam", 2))
    login = PamLockout("pam_faillock", 5, 600, False, ("pam", 5))
    v = judged(ident._lockout, documents={"pam": ["==> /etc/pam.d/sshd", "auth required pam_faillock.so authfail",
                                                  "", "==> /etc/pam.d/login", "auth required pam_faillock.so"]},
               **{"linux.pam": host(lockouts={"sshd": sshd, "login": login}, pam_stacks=STACKS)})
    assert v.status.value == "pass"
    assert cites(v) == [("pam", 2, "auth required pam_faillock.so authfail"),
                        ("pam", 5, "auth required pam_faillock.so")]


@pytest.mark.parametrize("deny, words", [(0, "deny=0"), (None, "deny=0")])
def test_a_counter_that_never_locks_says_deny_0(deny, words):
    """pam_faillock(8)/pam_tally2(8): deny=0 (or no deny for pam_tally2) never locks; the reason says deny=0."""
    lock = PamLockout("pam_tally2", deny, 0, False, None)
    v = judged(ident._lockout, documents={}, **{"linux.pam": host(lockouts={"sshd": lock, "login": lock},
                                                                  pam_stacks=STACKS)})
    assert v.status.value == "fail" and f"pam_tally2 {words}：永不锁定" in v.reason_zh, v.reason_zh
    assert f"pam_tally2 {words} never locks" in v.reason_en


def test_otp_with_nullok_only_names_nullok_and_no_bypass():
    nullok = [PamEntry(file="/etc/pam.d/sshd", line=4, type="auth", control="required",
                       module="pam_google_authenticator", args={"nullok": ""})]
    v = judged(ident._mfa, documents={}, **{"linux.sshd": host(sshd={"pubkeyauthentication": "no"}),
                                            "linux.pam": host(sshd_otp=nullok)})
    assert v.status.value == "fail" and "nullok" in v.reason_zh and "不经过PAM认证栈" not in v.reason_zh, v.reason_zh


def test_root_login_left_at_its_default_says_prohibit_password():
    """sshd_config(5): PermitRootLogin defaults to prohibit-password (root may log in with a key): a fail, and the
    finding names the default it judged."""
    h = host(sshd={"port": "22"}, sshd_source="sshd_effective")
    v = judged(hard._root_login, documents={}, **{"linux.sshd": h})
    assert v.status.value == "fail" and "prohibit-password" in v.reason_en
    assert [e.text for e in v.evidence] == ["PermitRootLogin prohibit-password (default)"]


def test_root_login_cites_sshd_config_when_no_sshd_t_output_was_read():
    h = host(sshd={"permitrootlogin": "yes"}, sshd_lines={"permitrootlogin": 2})
    v = judged(hard._root_login, documents={"sshd_config": ["Port 22", "PermitRootLogin yes"]}, **{"linux.sshd": h})
    assert v.status.value == "fail" and cites(v) == [("sshd_config", 2, "PermitRootLogin yes")]


def test_high_risk_ports_found_only_by_the_port_scan_cite_the_scan():
    v = judged(hard._ports, documents={}, **{"linux.listening": host(listening=[]), "open_ports": {23, 443}})
    assert v.status.value == "fail" and "23" in v.reason_en and "443" not in v.reason_en
    assert [(e.source, e.text) for e in v.evidence] == [("ports", "nmap: 23/tcp open")]


def test_no_high_risk_port_cites_the_listening_sockets():
    v = judged(hard._ports, documents={"listening": ["tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:*"]},
               **{"linux.listening": host(listening=[("tcp", "0.0.0.0", 22, 1)])})
    assert v.status.value == "pass" and cites(v) == [("listening", 1, "tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:*")]


# Session 11, seed-32 survivors (mut11l).
def test_password_quality_pass_cites_the_pam_line():
    q = PamQuality(12, 3, True, ("pam", 2))
    v = judged(ident._complexity, documents={"pam": ["==> /etc/pam.d/passwd", "password requisite pam_pwquality.so"]},
               **{"linux.pam": host(pw_quality=q, pam_stacks=STACKS)})
    assert v.status.value == "pass" and cites(v) == [("pam", 2, "password requisite pam_pwquality.so")]


def test_expiry_cites_the_login_defs_line():
    v = judged(ident._expiry, documents={"login_defs": ["# aging", "PASS_MAX_DAYS 90"]},
               **{"linux.login_defs": host(pass_max_days=90, login_defs_lines=[2], accounts=[_user(60)])})
    assert v.status.value == "pass" and cites(v) == [("login_defs", 2, "PASS_MAX_DAYS 90")]


def test_otp_bypassed_by_a_key_login_names_the_bypass_only_and_cites_its_line():
    """sshd_config(5): PubkeyAuthentication yes lets a key log in without PAM's auth stack, so the OTP is bypassed;
    the OTP line has no nullok, so nullok is not named."""
    sshd = host(sshd={"pubkeyauthentication": "yes"}, sshd_lines={"pubkeyauthentication": 2},
                sshd_source="sshd_effective")
    v = judged(ident._mfa, documents={"sshd_effective": ["port 22", "pubkeyauthentication yes"],
                                      "pam": ["==> /etc/pam.d/sshd"] * 3
                                      + ["auth required pam_google_authenticator.so"]},
               **{"linux.sshd": sshd, "linux.pam": host(sshd_otp=OTP)})
    assert v.status.value == "fail" and "nullok" not in v.reason_en and "pubkeyauthentication" in v.reason_en
    assert ("sshd_effective", 2, "pubkeyauthentication yes") in cites(v)


def test_channel_timeout_cites_sshd_config_when_no_sshd_t_output_was_read():
    sshd = host(sshd={"channeltimeout": "session=300"}, sshd_lines={"channeltimeout": 2}, sshd_channel_idle_s=300)
    v = judged(ident._timeout, documents={"sshd_config": ["Port 22", "ChannelTimeout session=300"]},
               **{"linux.profile": host(), "linux.sshd": sshd})
    assert v.status.value == "pass" and cites(v) == [("sshd_config", 2, "ChannelTimeout session=300")]


def test_a_too_long_tmout_names_both_values_and_cites_its_line():
    v = judged(ident._timeout, documents={"profile": ["TMOUT=900"]},
               **{"linux.profile": host(tmout_s=900, tmout_line=("profile", 1))})
    assert v.status.value == "fail" and v.reason_en == "TMOUT 900s > 600s" and cites(v) == [("profile", 1, "TMOUT=900")]


# Names in the reasons that the wording lock's cases do not reach (seed-31/32 survivors, mut11l): each reason names
# what it is about, the way a reader looks for it (the service, the file, every offender with its separator).
def test_reasons_name_the_service_the_files_and_every_offender():
    stacks = {**STACKS, "passwd": PamStack("passwd", missing=["system-auth"])}
    v = judged(ident._complexity, **{"linux.pam": host(pw_quality=None, pam_stacks=stacks)})
    assert v.reason_zh.startswith("passwd的PAM口令栈") and v.reason_en.startswith("the passwd PAM stack"), v.reason_en
    v = judged(hard._malware, **{"linux.services": host()})
    assert v.status.value == "manual" and v.reason_zh.startswith("无法获取进程列表"), v.reason_zh
    h = host(remote_log_lines=[("rsyslog", 1)])
    v = judged(hard._remote_log, **{"linux.rsyslog": h, "linux.logrotate": h, "linux.processes": host(processes={"x"})})
    assert v.status.value == "fail" and v.reason_zh.startswith("未转发远程日志；已配置转发但rsyslogd未运行"), v.reason_zh
    v = judged(ident._mfa, documents={}, **{"linux.pam": host()})
    assert v.status.value == "manual" and v.reason_zh.startswith("无法获取sshd配置"), v.reason_zh
    v = judged(ident._timeout, documents={}, **{"linux.profile": host(tmout_ignored=[("profile", 3)])})
    assert v.status.value == "fail" and v.reason_zh.endswith("；TMOUT仅出现在登录shell不读取的文件中"), v.reason_zh
    v = judged(hard._ssh_crypto, **{"linux.sshd": host(sshd={"ciphers": "aes128-cbc,3des-cbc,aes256-ctr"})})
    assert "aes128-cbc、3des-cbc" in v.reason_zh and "aes128-cbc, 3des-cbc" in v.reason_en
    games = Account(name="games", uid=5, shell="/bin/bash", line=2, password="hash")
    lp = Account(name="lp", uid=7, shell="/bin/sh", line=3, password="empty")
    v = judged(hard._system_accounts, **{"linux.accounts": host(accounts=[games, lp])})
    assert v.reason_zh.endswith("games、lp") and v.reason_en.endswith("games, lp"), (v.reason_zh, v.reason_en)


@pytest.mark.parametrize("module, minlen, want", [
    ("pam_pwquality", "0", 6), ("pam_pwquality", "5", 6), ("pam_pwquality", "6", 6), ("pam_pwquality", "7", 7),
    ("pam_cracklib", "0", 5), ("pam_cracklib", "4", 5), ("pam_cracklib", "5", 5), ("pam_cracklib", "6", 6),
])
def test_minlen_below_the_modules_floor_is_raised_to_it(module, minlen, want):
    """pwquality.conf(5) minlen: "Cannot be set lower than 6" (libpwquality PWQ_BASE_MIN_LENGTH); pam_cracklib raises
    a minlen below 5 to 5 (CO_MIN_LENGTH_BASE). minlen=0 is therefore 6 (or 5), never the default 9: a false pass
    before (0 was read as unset, so 9 >= 8 passed)."""
    q = linux_pam.quality(PamStack("passwd", [_entry(7, module, ptype="password", minlen=minlen, minclass="3")]), {})
    assert q.min_len == want
    assert status(ident._complexity, host(pw_quality=q, pam_stacks=STACKS)) == "fail"


@pytest.mark.parametrize("login_defs, account, want", [(-1, 90, "fail"), (90, -1, "fail"), (-1, -1, "fail")])
def test_a_negative_maximum_age_is_no_maximum(login_defs, account, want):
    """login.defs(5) PASS_MAX_DAYS: "If not specified, -1 will be assumed (which disables the restriction)";
    shadow(5)/chage(1): -1 as the maximum age removes the check. So -1 is no limit (a false pass before: -1 <= 90)."""
    assert status(ident._expiry, host(pass_max_days=login_defs, accounts=[_user(account)])) == want


@pytest.mark.parametrize("rules, want", [
    (WATCHES, "pass"),
    ([r.replace("/etc/passwd", "/etc/passwd-") for r in WATCHES], "fail"),       # the backup copy, not the file
    ([r.replace("/etc/sudoers", "/etc/sudoers.d/") for r in WATCHES], "fail"),  # the drop-in folder only
    (["-w /etc -p wa -k etc"], "pass"),                                           # a folder watch covers its tree
    (["-a always,exit -F dir=/etc/ -F perm=wa -F key=etc"], "pass"),
    (["-a always,exit -F path=/etc -F perm=wa"], "fail"),                         # path= is that one inode
    ([f"-a always,exit -F path={p} -F perm=wa -F key=id" for p in hard.AUDIT_WATCHES], "pass"),
])
def test_audit_watch_covers_a_file_by_its_path_or_a_folder_above_it(rules, want):
    """auditctl(8): a watch on a file (-w, or -F path= on a syscall rule) covers that file; a watch on a directory (-w,
    or -F dir=) is recursive over its whole subtree. A watch on /etc/passwd- or /etc/sudoers.d/ is not one on
    /etc/passwd or /etc/sudoers (counted as one before: a false pass), and one on /etc covers both (a false fail)."""
    assert status(hard._auditd, host(services={"auditd": True}, audit_rules=rules)) == want


# Session 11, seed-33 survivors (mut11l).
def test_lockout_pass_gives_both_values_in_english_too():
    lock = PamLockout("pam_faillock", 5, 600, False, ("/etc/pam.d/system-auth", 1))
    v = judged(ident._lockout, documents={}, **{"linux.pam": host(lockouts={"sshd": lock, "login": lock},
                                                                  pam_stacks=STACKS)})
    assert v.status.value == "pass" and "5 failures" in v.reason_en and "600s" in v.reason_en, v.reason_en


@pytest.mark.parametrize("pubkey, nullok, bypass_named, nullok_named", [
    ("yes", False, True, False), ("no", True, False, True), ("yes", True, True, True),
])
def test_otp_failure_reason_names_each_problem_once(pubkey, nullok, bypass_named, nullok_named):
    otp = [PamEntry(file="/etc/pam.d/sshd", line=4, type="auth", control="required",
                    module="pam_google_authenticator", args={"nullok": ""} if nullok else {})]
    v = judged(ident._mfa, documents={}, **{"linux.sshd": host(sshd={"pubkeyauthentication": pubkey}),
                                            "linux.pam": host(sshd_otp=otp)})
    body = v.reason_zh.removeprefix("PAM配置了动态口令模块，但").removesuffix("，仅单一因素即可登录")
    parts = body.split("；")
    assert v.status.value == "fail" and len(parts) == bypass_named + nullok_named, v.reason_zh
    assert ("pubkeyauthentication" in body) is bypass_named and (body.count("nullok") == 1) is nullok_named
    assert all(p.endswith("（pubkeyauthentication）") or p.startswith("nullok：") for p in parts), parts


def test_no_idle_timeout_mentions_ignored_files_only_when_there_are_some():
    v = judged(ident._timeout, documents={}, **{"linux.profile": host()})
    assert v.status.value == "fail" and "登录shell不读取" not in v.reason_zh, v.reason_zh


# Session 11, seed-34 survivors (mut11l).
def test_sudo_review_cites_the_rules():
    v = judged(hard._sudo, **{"linux.sudoers": host(sudo_rules=[1])})
    assert v.status.value == "manual" and cites(v) == [("sudoers", 1, "root ALL=(ALL) ALL")]


def test_pass_max_days_too_long_names_the_value_and_cites_the_line():
    v = judged(ident._expiry, documents={"login_defs": ["PASS_MAX_DAYS 99999"]},
               **{"linux.login_defs": host(pass_max_days=99999, login_defs_lines=[1])})
    assert v.status.value == "fail" and "PASS_MAX_DAYS=99999" in v.reason_zh and "99999" in v.reason_en
    assert cites(v) == [("login_defs", 1, "PASS_MAX_DAYS 99999")]


def test_client_alive_line_is_cited_from_sshd_config_when_no_sshd_t_output_was_read():
    sshd = host(sshd={"clientaliveinterval": "300"}, sshd_lines={"clientaliveinterval": 2})
    v = judged(ident._timeout, documents={"sshd_config": ["Port 22", "ClientAliveInterval 300"]},
               **{"linux.profile": host(), "linux.sshd": sshd})
    assert v.status.value == "fail" and cites(v) == [("sshd_config", 2, "ClientAliveInterval 300")]


def test_too_long_tmout_reason_in_chinese_too():
    v = judged(ident._timeout, documents={}, **{"linux.profile": host(tmout_s=900)})
    assert v.status.value == "fail" and v.reason_zh.startswith("TMOUT=900秒>600秒"), v.reason_zh


def test_several_bypasses_and_missing_files_are_each_named():
    sshd = host(sshd={"pubkeyauthentication": "yes", "hostbasedauthentication": "yes"})
    v = judged(ident._mfa, documents={}, **{"linux.sshd": sshd, "linux.pam": host(sshd_otp=OTP)})
    assert "pubkeyauthentication, hostbasedauthentication logins never reach" in v.reason_en, v.reason_en
    stacks = {**STACKS, "passwd": PamStack("passwd", missing=["system-auth", "password-auth"])}
    v = judged(ident._complexity, **{"linux.pam": host(pw_quality=None, pam_stacks=stacks)})
    assert v.evidence[0].text.endswith("system-auth, password-auth"), v.evidence[0].text
