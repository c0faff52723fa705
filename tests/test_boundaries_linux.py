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
from scanner.platforms.linux_pam import PamLockout, PamQuality, PamStack

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
