"""Linux judged on its effective configuration (issue 9 must-have 4): the PAM stack sshd and login really run,
module parameters with their meaning, an idle timeout only where the shell or sshd enforces it, two factors only
when every SSH path asks for both, log forwarding only when the forwarder runs. Each case is a minimal capture."""
from __future__ import annotations

import pytest

from checks.linux import hardening, identification
from scanner.checkkit import Facts
from scanner.platforms.linux import PLATFORM
from scanner.policy import Policy

PASSWD = "root:x:0:0:root:/root:/bin/bash\nops:x:1000:1000::/home/ops:/bin/bash"
DEB = 'ID=debian\nPRETTY_NAME="Debian GNU/Linux 12"'
RHEL = 'ID="rhel"\nID_LIKE="fedora"\nPRETTY_NAME="Red Hat Enterprise Linux 9.4"'
SSHD_T = "port 22\nusepam yes\npubkeyauthentication yes\npasswordauthentication yes\nclientaliveinterval 0\n" \
         "clientalivecountmax 3\nauthenticationmethods any\n"


def pam_d(**files: str) -> str:
    """A complete /etc/pam.d listing as the collection script prints it."""
    return "#all /etc/pam.d\n" + "".join(f"==> /etc/pam.d/{name.replace('_', '-')}\n{text}\n"
                                         for name, text in files.items())


def verdict(check, **sections: str) -> tuple[str, str]:
    docs = {"passwd": PASSWD, "os_release": RHEL, "sshd_effective": SSHD_T, **sections}
    parsed = PLATFORM.parse(docs)
    v = check.evaluate(Facts(parsed.facts, parsed.documents, str, unavailable=parsed.unavailable), Policy())
    return v.status.value, v.reason_en


RHEL_SSHD = "auth substack password-auth\naccount include password-auth\npassword include password-auth\n"
RHEL_LOGIN = "auth substack system-auth\naccount include system-auth\npassword include system-auth\n"
FAILLOCK = ("auth required pam_faillock.so preauth silent\nauth sufficient pam_unix.so\n"
            "auth [default=die] pam_faillock.so authfail\nauth required pam_deny.so\n")
PLAIN = "auth sufficient pam_unix.so\nauth required pam_deny.so\n"


# -- PAM: the stack a service runs ----------------------------------------------------------------------------
def test_faillock_in_a_file_nothing_includes_does_not_count():
    pam = pam_d(sshd=RHEL_SSHD, login=RHEL_LOGIN, password_auth=PLAIN, system_auth=PLAIN,
                system_auth_local=FAILLOCK.replace("silent", "silent deny=5 unlock_time=900"))
    status, why = verdict(identification._lockout, pam=pam, faillock="deny = 5\nunlock_time = 900")
    assert status == "fail" and "sshd: no pam_faillock" in why and "login: no pam_faillock" in why


def test_faillock_reached_through_substack_and_debian_include_counts():
    pam = pam_d(sshd=RHEL_SSHD, login=RHEL_LOGIN, password_auth=FAILLOCK, system_auth=FAILLOCK)
    assert verdict(identification._lockout, pam=pam, faillock="deny = 5\nunlock_time = 900")[0] == "pass"
    deb = pam_d(sshd="@include common-auth\n", login="@include common-auth\n",
                common_auth="auth required pam_faillock.so preauth\n"
                            "auth [success=1 default=ignore] pam_unix.so nullok\n"
                            "auth [default=die] pam_faillock.so authfail\nauth requisite pam_deny.so\n")
    assert verdict(identification._lockout, os_release=DEB, pam=deb, faillock="deny = 4\nunlock_time = 600")[0] == \
        "pass"


def test_a_service_without_its_own_file_runs_other():
    pam = pam_d(sshd=RHEL_SSHD, password_auth=FAILLOCK, other="auth required pam_deny.so\n")
    status, why = verdict(identification._lockout, pam=pam, faillock="deny = 5\nunlock_time = 900")
    assert status == "fail" and "login: no pam_faillock" in why


def test_optional_dash_lines_and_bracket_controls_are_read():
    pam = pam_d(sshd="-auth   [default=die success=ok]   pam_faillock.so   authfail deny=4 unlock_time=600\n"
                     "auth required pam_unix.so\n", login="auth include sshd\n")
    assert verdict(identification._lockout, pam=pam)[0] == "pass"


def test_an_included_file_missing_from_an_older_capture_is_manual():
    old = "==> /etc/pam.d/system-auth\n" + FAILLOCK + "==> /etc/pam.d/sshd\n" + RHEL_SSHD   # no password-auth
    status, why = verdict(identification._lockout, pam=old, faillock="deny = 5\nunlock_time = 900")
    assert status == "manual" and "sshd" in why


# -- module parameters with their meaning ---------------------------------------------------------------------
@pytest.mark.parametrize("conf, args, expected", [
    ("deny = 0", "", "fail"),                       # deny=0 never locks
    ("", "deny=0", "fail"),
    ("", "", "pass"),                               # pam_faillock default: deny=3, unlock_time=600
    ("deny = 10", "", "fail"),                      # more attempts than the policy's 5
    ("deny = 5\nunlock_time = 60", "", "fail"),     # unlocks after a minute
    ("deny = 0", "deny=5", "pass"),                 # the module argument overrides faillock.conf
])
def test_faillock_parameters(conf, args, expected):
    stack = FAILLOCK.replace("authfail", f"authfail {args}")
    pam = pam_d(sshd=RHEL_SSHD, login=RHEL_LOGIN, password_auth=stack, system_auth=stack)
    assert verdict(identification._lockout, pam=pam, faillock=conf)[0] == expected


def test_faillock_preauth_alone_counts_no_failure():
    stack = "auth required pam_faillock.so preauth deny=5\nauth sufficient pam_unix.so\nauth required pam_deny.so\n"
    pam = pam_d(sshd=RHEL_SSHD, login=RHEL_LOGIN, password_auth=stack, system_auth=stack)
    status, why = verdict(identification._lockout, pam=pam)
    assert status == "fail" and "preauth" in why


@pytest.mark.parametrize("line, expected", [
    ("auth required pam_tally2.so onerr=fail", "fail"),                       # tally2: deny unset = never locks
    ("auth required pam_tally2.so deny=5 onerr=fail unlock_time=900", "pass"),
])
def test_pam_tally2(line, expected):
    pam = pam_d(sshd=line + "\n" + PLAIN, login="auth include sshd\n")
    assert verdict(identification._lockout, pam=pam)[0] == expected


@pytest.mark.parametrize("conf, args, expected", [
    ("minlen = 12\nminclass = 3", "", "pass"),
    ("minlen = 12\nminclass = 3", "minlen=6", "fail"),                       # argument beats pwquality.conf
    ("", "", "fail"),                                                          # default minlen 9, no class
    ("minlen = 10\ndcredit = -1\nucredit = -1", "", "pass"),                  # negative credits require classes
])
def test_pwquality_values(conf, args, expected):
    pam = pam_d(passwd="@include common-password\n",
                common_password=f"password requisite pam_pwquality.so retry=3 {args}\npassword required pam_unix.so\n")
    assert verdict(identification._complexity, os_release=DEB, pam=pam, pwquality=conf)[0] == expected


def test_pwquality_in_a_file_passwd_does_not_use_is_not_enforced():
    pam = pam_d(passwd="@include common-password\n", common_password="password required pam_unix.so\n",
                common_password_old="password requisite pam_pwquality.so minlen=14 minclass=4\n")
    assert verdict(identification._complexity, os_release=DEB, pam=pam)[0] == "fail"


# -- idle timeout ---------------------------------------------------------------------------------------------
PROFILE = "#all /etc/profile.d\n==> /etc/profile\nfor i in /etc/profile.d/*.sh; do . $i; done\n"


@pytest.mark.parametrize("profile, sshd_extra, expected", [
    (PROFILE + "==> /etc/profile.d/tmout.sh\nreadonly TMOUT=600\nexport TMOUT\n", "", "pass"),
    (PROFILE + "==> /etc/profile.d/tmout.sh.disabled\nreadonly TMOUT=600\n", "", "fail"),    # not *.sh
    ("#all /etc/profile.d\n==> /etc/profile\n:\n==> /etc/profile.d/tmout.sh\nTMOUT=600\n", "", "fail"),  # no loop
    ("==> /etc/profile\n:\n==> /etc/profile.d/tmout.sh\nTMOUT=600\n", "", "pass"),   # older capture: stock loop
    (PROFILE + "==> /etc/bash.bashrc\nTMOUT=300\n", "", "fail"),                  # RHEL reads /etc/bashrc
    (PROFILE + "==> /etc/bashrc\nTMOUT=300\n", "", "pass"),
    (PROFILE, "clientaliveinterval 300\nclientalivecountmax 0\n", "fail"),      # only drops dead peers
    (PROFILE, "channeltimeout session=10m\n", "pass"),                           # sshd closes idle sessions
    (PROFILE, "channeltimeout session=1h\n", "fail"),
])
def test_idle_timeout_only_where_enforced(profile, sshd_extra, expected):
    sshd = SSHD_T.replace("clientaliveinterval 0\nclientalivecountmax 3\n", "") + sshd_extra
    assert verdict(identification._timeout, profile=profile, sshd_effective=sshd)[0] == expected


# -- two factors ----------------------------------------------------------------------------------------------
OTP_SSHD = "auth substack password-auth\nauth required pam_google_authenticator.so\n"


@pytest.mark.parametrize("sshd_t, sshd_config, expected", [
    (SSHD_T, "", "fail"),                                                      # OTP in PAM, public keys bypass it
    (SSHD_T.replace("pubkeyauthentication yes", "pubkeyauthentication no"), "", "pass"),
    (SSHD_T.replace("any", "publickey,keyboard-interactive"), "", "pass"),
    (SSHD_T.replace("any", "publickey,password publickey"), "", "fail"),      # one list is a single method
    (SSHD_T.replace("any", "publickey,keyboard-interactive"),
     "AuthenticationMethods publickey,keyboard-interactive\nMatch Address 10.0.0.0/8\n  AuthenticationMethods publickey\n",
     "manual"),                                                                # relaxed for some addresses
])
def test_two_factor_only_on_every_path(sshd_t, sshd_config, expected):
    pam = pam_d(sshd=OTP_SSHD, password_auth=PLAIN)
    assert verdict(identification._mfa, pam=pam, sshd_effective=sshd_t, sshd_config=sshd_config)[0] == expected


def test_otp_with_nullok_is_not_required_of_every_account():
    pam = pam_d(sshd="auth substack password-auth\nauth required pam_google_authenticator.so nullok\n",
                password_auth=PLAIN)
    sshd = SSHD_T.replace("pubkeyauthentication yes", "pubkeyauthentication no")
    status, why = verdict(identification._mfa, pam=pam, sshd_effective=sshd)
    assert status == "fail" and "nullok" in why


def test_optional_otp_is_not_a_second_factor():
    pam = pam_d(sshd="auth substack password-auth\nauth optional pam_google_authenticator.so\n", password_auth=PLAIN)
    sshd = SSHD_T.replace("pubkeyauthentication yes", "pubkeyauthentication no")
    assert verdict(identification._mfa, pam=pam, sshd_effective=sshd)[0] == "fail"


def test_root_allowed_again_by_a_match_block_is_not_a_pass():
    sshd = SSHD_T + "permitrootlogin no\n"
    cfg = "PermitRootLogin no\nMatch Address 192.0.2.10\n    PermitRootLogin prohibit-password\n"
    assert verdict(hardening._root_login, sshd_effective=sshd, sshd_config=cfg)[0] == "manual"


# -- log forwarding -------------------------------------------------------------------------------------------
RSYSLOG = ("==> /etc/rsyslog.conf\n$IncludeConfig /etc/rsyslog.d/*.conf\n*.* /var/log/messages\n"
           "==> /etc/rsyslog.d/90-forward.conf\n*.* @@10.9.9.9:514\n")
LOGROTATE = "weekly\nrotate 4\n"


@pytest.mark.parametrize("rsyslog, processes, expected", [
    (RSYSLOG, "init\nsshd\nrsyslogd\n", "pass"),
    (RSYSLOG, "init\nsshd\n", "fail"),                                         # configured, not running
    (RSYSLOG.replace("90-forward.conf", "90-forward.conf.bak"), "init\nrsyslogd\n", "fail"),   # not included
    (RSYSLOG.replace("$IncludeConfig /etc/rsyslog.d/*.conf", 'include(file="/etc/rsyslog.d/*.conf")'),
     "rsyslogd\n", "pass"),
    ("*.* @@10.9.9.9:514\n", "rsyslogd\n", "pass"),                           # an older capture: one block
])
def test_forwarding_counts_only_when_read_and_running(rsyslog, processes, expected):
    assert verdict(hardening._remote_log, rsyslog=rsyslog, processes=processes, logrotate=LOGROTATE)[0] == expected


# -- hostile input: never a traceback, never a pass on nonsense ------------------------------------------------
@pytest.mark.parametrize("pam", [
    pam_d(sshd="@include sshd\n", login="auth include login\n"),                       # self-includes
    pam_d(sshd="@include a\n", login="@include a\n", a="@include b\n", b="@include a\nauth substack a\n"),  # loop
    pam_d(sshd="auth\n-auth\nauth [success=1\n@include\nauth include\nauth substack\n", login="\x00\t\n"),
    pam_d(sshd="auth [default=die pam_faillock.so authfail deny=5\n", login="auth include ../../../etc/shadow\n"),
    "==> /etc/pam.d/\n==> \nauth required pam_faillock.so authfail deny=5\n",                 # headers with no name
    pam_d(sshd="@include deep0\n", login="@include deep0\n",
          **{f"deep{i}": f"@include deep{i + 1}\n" for i in range(40)}, deep40=FAILLOCK),    # deeper than libpam
])
def test_hostile_pam_never_crashes_nor_passes(pam):
    status, _ = verdict(identification._lockout, pam=pam, faillock="deny = 5\nunlock_time = 900")
    assert status in ("fail", "manual")


@pytest.mark.parametrize("text", ["==> /etc/profile\nTMOUT=\nTMOUT=abc\nexport TMOUT=99999999999999999999\n",
                                  "#all /etc/profile.d\n==> \n==> /etc/profile.d/x.sh\nreadonly TMOUT=-5\n"])
def test_hostile_profile(text):
    assert verdict(identification._timeout, profile=text)[0] == "fail"


def test_hostile_rsyslog_include_of_itself():
    text = '==> /etc/rsyslog.conf\ninclude(file="/etc/rsyslog.conf")\n$IncludeConfig /etc/rsyslog.conf\n' \
           '==> /etc/rsyslog.d/[a.conf\n*.* @@10.1.1.1\n'
    assert verdict(hardening._remote_log, rsyslog=text, processes="rsyslogd", logrotate=LOGROTATE)[0] == "fail"


def test_a_stopped_forwarder_names_no_log_server_for_the_fleet():
    docs = {"passwd": PASSWD, "rsyslog": RSYSLOG, "logrotate": LOGROTATE}
    for processes, hosts in (("init\nrsyslogd\n", ["10.9.9.9"]), ("init\nsshd\n", [])):
        parsed = PLATFORM.parse({**docs, "processes": processes})
        facts = Facts(parsed.facts, parsed.documents, str, unavailable=parsed.unavailable)
        assert PLATFORM.fleet_facts(facts).syslog_hosts == hosts
