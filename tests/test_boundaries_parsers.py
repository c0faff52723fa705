"""Parser rules of the Linux parsers and the parsers' shared parts (data files, the secret masker, remote-management
exposure), written from the manual pages and vendor documents (issue 15 must-have 2): each rule on both sides of its
edge. Written for the survivors of the session-8 mutation sample (mutation/RESULTS.md); the Cisco IOS rules are in
test_boundaries_parsers_cisco.py, the VRP / Comware ones in test_boundaries_parsers_vrp.py.
"""
from __future__ import annotations

import pytest

from scanner.facts import NetworkDevice
from scanner.platforms import linux_host

# ---------------------------------------------------------------------------------------------------------------
# Linux: the files' own manual pages (shadow(5), crypt(5), login.defs(5), os-release(5), sshd_config(5),
# logrotate(8), ss(8), stat(1), bash(1)).


def parse(**sections: str) -> linux_host.LinuxHost:
    return linux_host.parse(sections)


PASSWD = "root:x:0:0:root:/root:/bin/bash\nops:x:1000:1000::/home/ops:/bin/bash\n"


@pytest.mark.parametrize("field, password, scheme", [
    ("", "empty", None), ("!", "locked", None), ("*", "locked", None), ("!$6$salt$abcdefgh", "locked", None),
    ("$y$j9T$salt$abcdefghijkl", "hash", "yescrypt"), ("$6$salt$abcdefghijkl", "hash", "sha512"),
    ("$5$salt$abcdefghijkl", "hash", "sha256"), ("$1$salt$abcdefghijkl", "hash", "md5"),
    ("$2b$10$abcdefghijkl", "hash", "bcrypt"), ("$2y$10$abcdefghijkl", "hash", "bcrypt"),
    ("$2a$10$abcdefghijkl", "hash", "bcrypt"), ("abCD12efGH34x", "hash", "des"), ("abCD12efGH34", "hash", "unknown"),
    ("abCD12efGH34xy", "hash", "unknown"),
])
def test_shadow_password_field(field, password, scheme):
    """shadow(5): an empty field means no password, a leading `!` or `*` a locked one; crypt(5): the $id$ prefix
    names the scheme, and a traditional DES hash is 13 characters with no prefix."""
    h = parse(passwd=PASSWD, shadow=f"root:*:19000:0:99999:7:::\nops:{field}:19000:0:90:7:::\n")
    ops = next(a for a in h.accounts if a.name == "ops")
    assert (ops.password, ops.hash_scheme, ops.shadow_line, ops.uid, ops.shell) == (password, scheme, 2, 1000,
                                                                                    "/bin/bash")


@pytest.mark.parametrize("max_field, want", [("90", 90), ("91", 91), ("", None), ("99999", 99999)])
def test_shadow_maximum_age_field(max_field, want):
    """shadow(5) field 5, the maximum password age in days; empty = no maximum."""
    h = parse(passwd=PASSWD, shadow=f"ops:$6$s$abcdefghijkl:19000:0:{max_field}:7:::\n")
    assert next(a for a in h.accounts if a.name == "ops").max_days == want


def test_shadow_line_of_an_account_without_passwd_entry_is_ignored():
    h = parse(passwd=PASSWD, shadow="ghost:$6$s$abcdefghijkl:19000:0:90:7:::\n")
    assert [a.password for a in h.accounts] == ["unknown", "unknown"]


@pytest.mark.parametrize("text, days, min_len, lines", [
    ("PASS_MAX_DAYS 90\nPASS_MIN_LEN 8\n", 90, 8, [1, 2]),
    ("# PASS_MAX_DAYS 90\nPASS_MAX_DAYS\t99999\n", 99999, None, [2]),
    ("PASS_MIN_LEN 12\n", None, 12, [1]),
    ("PASS_MAX_DAYS\n", None, None, []),
])
def test_login_defs(text, days, min_len, lines):
    """login.defs(5): `NAME value`, `#` starts a comment."""
    h = parse(login_defs=text)
    assert (h.pass_max_days, h.pass_min_len, h.login_defs_lines) == (days, min_len, lines)


@pytest.mark.parametrize("os_release, os_id, family", [
    ('ID=ubuntu\nID_LIKE=debian\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\n', "ubuntu", "debian"),
    ("ID=debian\n", "debian", "debian"),
    ('ID="linuxmint"\nID_LIKE="ubuntu debian"\n', "linuxmint", "debian"),
    ('ID="rhel"\nID_LIKE="fedora"\n', "rhel", "rhel"),
    ('ID="rocky"\nID_LIKE="rhel centos fedora"\n', "rocky", "rhel"),
    ("ID=debianish\n", "debianish", "rhel"),
])
def test_os_release_family(os_release, os_id, family):
    """os-release(5): ID and the space-separated ID_LIKE list, values optionally quoted."""
    h = parse(os_release=os_release)
    assert (h.os_id, h.family) == (os_id, family)


def test_os_release_pretty_name_and_debian_pam_layout_without_os_release():
    h = parse(os_release='ID=ubuntu\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\n')
    assert h.os_name == "Ubuntu 22.04.4 LTS"
    assert parse(pam="==> /etc/pam.d/common-auth\nauth required pam_unix.so\n").family == "debian"
    assert parse(pam="==> /etc/pam.d/system-auth\nauth required pam_unix.so\n").family == "rhel"
    assert parse(os_release="ID=rhel\n", pam="==> /etc/pam.d/common-auth\nauth required pam_unix.so\n").family == "rhel"


@pytest.mark.parametrize("text, days", [
    ("daily\nrotate 179\n", 180), ("daily\nrotate 178\n", 179), ("weekly\nrotate 25\n", 182),
    ("monthly\nrotate 5\n", 180), ("yearly\nrotate 0\n", 365), ("weekly\n", None), ("rotate 4\n", None),
    ("weekly\nrotate 4\n/var/log/wtmp {\n    monthly\n    rotate 1\n}\n", 35),
])
def test_logrotate_global_period_and_count(text, days):
    """logrotate(8): the period (daily, weekly, monthly, yearly) times the files kept (`rotate N` rotated copies
    plus the current one); the global settings come before the per-file blocks, which apply to their files only."""
    assert parse(logrotate=text).logrotate_days == days


def test_logrotate_cites_the_period_and_rotate_lines():
    assert parse(logrotate="# keep\nweekly\nsu root syslog\nrotate 26\n").logrotate_lines == [2, 4]


SSHD = "Port 22\n"


@pytest.mark.parametrize("config, key, value", [
    ("PermitRootLogin no\nPermitRootLogin yes\n", "permitrootlogin", "no"),          # the first value wins
    ("permitrootlogin no\n", "permitrootlogin", "no"),                                 # keywords: any case
    ("PERMITROOTLOGIN yes\n", "permitrootlogin", "yes"),
    ("#PermitRootLogin no\n", "permitrootlogin", "prohibit-password"),                 # commented = default
    ("Port 22\n", "passwordauthentication", "yes"),
    ("Port 22\n", "clientalivecountmax", "3"),
    ("Port 22\n", "clientaliveinterval", "0"),
    ("Port 22\n", "maxauthtries", "6"),
    ("Port 22\n", "permitemptypasswords", "no"),
    ("Match User backup\n    PermitRootLogin yes\nPermitRootLogin no\n", "permitrootlogin", "prohibit-password"),
    ("ClientAliveInterval 300 # five minutes\n", "clientaliveinterval", "300"),
])
def test_sshd_config_first_value_defaults_and_match(config, key, value):
    """sshd_config(5): keywords are case-insensitive; for each keyword the first value obtained is used; a Match
    block's lines apply only to the connections it matches, up to the end of the file; a commented-out line leaves
    the compiled-in default (PermitRootLogin prohibit-password since OpenSSH 7.0, ClientAliveCountMax 3,
    MaxAuthTries 6)."""
    h = parse(sshd_config=config)
    assert (h.sshd_source, h.sshd[key]) == ("sshd_config", value)


def test_sshd_effective_output_beats_the_config_file_and_its_first_value_wins():
    """`sshd -T` prints the effective settings (lower-case keywords); when it ran, the file is not re-read."""
    h = parse(sshd_effective="port 22\npermitrootlogin no\npermitrootlogin yes\n",
              sshd_config="PermitRootLogin yes\n")
    assert (h.sshd_source, h.sshd["permitrootlogin"], h.sshd_lines["permitrootlogin"]) == ("sshd_effective", "no", 2)
    assert parse(sshd_effective="error: could not load host key\n", sshd_config="PermitRootLogin no\n"
                 ).sshd_source == "sshd_config"
    assert parse(sshd_config="  \n").sshd_source is None


def test_sshd_config_cites_the_line_of_the_value_used():
    h = parse(sshd_config="# comment\nPermitRootLogin no\nPermitRootLogin yes\n")
    assert h.sshd_lines["permitrootlogin"] == 2


def test_sshd_match_blocks_keep_their_criteria_settings_and_line():
    h = parse(sshd_config="PermitRootLogin no\nMatch Address 10.0.0.0/8\n  PermitRootLogin yes\n"
                          "  PasswordAuthentication no\n  PermitRootLogin without-password\n  Banner /etc/x\n"
                          "Match User ops\n  AuthenticationMethods publickey\n")
    assert h.sshd_match == [("Address 10.0.0.0/8", {"permitrootlogin": "yes", "passwordauthentication": "no"}, 2),
                            ("User ops", {"authenticationmethods": "publickey"}, 7)]


@pytest.mark.parametrize("value, seconds", [
    ("session=600", 600), ("session=10m", 600), ("session=1h30m", 5400), ("*=601", 601),
    ("session:shell=5m", 300), ("global=300", None), ("session=0", None), ("session=ten", None),
    ("x11-connection=60 session=2m", 120), ("session=1d", 86400), ("session=1w", 604800), ("session=30s", 30),
])
def test_channel_timeout_session_idle(value, seconds):
    """sshd_config(5) ChannelTimeout type=interval, for `session` channels (or `*`), in sshd's time format
    (600, 10m, 1h30m); 0 disables it."""
    assert linux_host.channel_idle_s({"channeltimeout": value}) == seconds


@pytest.mark.parametrize("profile, seconds, readonly", [
    ("TMOUT=600\n", 600, False), ("export TMOUT=300\n", 300, False), ("readonly TMOUT=600\n", 600, True),
    ("declare -r TMOUT=600\n", 600, True), ("typeset -rx TMOUT=900\n", 900, True),
    ("TMOUT=600\nreadonly TMOUT\nexport TMOUT\n", 600, True), ("#TMOUT=600\n", None, False),
    ("TMOUT='450'\n", 450, False), ('export TMOUT="300"\n', 300, False),
])
def test_tmout_in_etc_profile(profile, seconds, readonly):
    """bash(1): TMOUT set in /etc/profile, which every login shell reads; `readonly` / `declare -r` keeps a user
    from unsetting it."""
    h = parse(profile=profile)
    assert (h.tmout_s, h.tmout_readonly) == (seconds, readonly)
    if seconds is not None:
        assert h.tmout_line[0] == "profile"


@pytest.mark.parametrize("path, family, read", [
    ("/etc/profile.d/tmout.sh", "rhel", True), ("/etc/profile.d/tmout.conf", "rhel", False),
    ("/etc/bashrc", "rhel", True), ("/etc/bashrc", "debian", False),
    ("/etc/bash.bashrc", "debian", True), ("/etc/bash.bashrc", "rhel", False), ("/etc/environment", "rhel", False),
])
def test_tmout_counts_only_in_files_a_login_shell_reads(path, family, read):
    """/etc/profile sources /etc/profile.d/*.sh; the system bashrc is /etc/bash.bashrc on Debian, /etc/bashrc on
    RHEL; other files are not read by a shell."""
    os_release = "ID=debian\n" if family == "debian" else "ID=rhel\n"
    h = parse(os_release=os_release,
              profile=f"#all /etc/profile.d\n==> /etc/profile\nfor i in /etc/profile.d/*.sh; do . $i; done\n"
                      f"==> {path}\nTMOUT=300\n")
    assert (h.tmout_s == 300) is read
    assert (h.tmout_ignored == [("profile", 5)]) is (not read)


@pytest.mark.parametrize("line, want", [
    ("tcp   LISTEN 0  128  0.0.0.0:22   0.0.0.0:*", [("tcp", "0.0.0.0", 22, 1)]),
    ("tcp   LISTEN 0  128  [::]:23   [::]:*", [("tcp", "::", 23, 1)]),
    ("udp   UNCONN 0  0    127.0.0.1:161   0.0.0.0:*", [("udp", "127.0.0.1", 161, 1)]),
    ("tcp   ESTAB  0  0    10.0.0.5:22   10.0.0.9:51000", []),
    ("Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port", []),
    ("tcp   LISTEN 0  128  *:http   *:*", []),
])
def test_listening_sockets_from_ss(line, want):
    """ss -tuln: Netid, State, Recv-Q, Send-Q, Local Address:Port (IPv6 in brackets); listening TCP or bound UDP."""
    assert parse(listening=line).listening == want


def test_file_modes_from_stat_and_other_sections():
    """stat -c '%a %U %G %n' prints the octal mode; `systemctl is-active` one state a line in SERVICE_NAMES order."""
    states = ["active" if n in ("auditd", "sshd") else "inactive" for n in linux_host.SERVICE_NAMES]
    h = parse(perms="640 root shadow /etc/shadow\n0440 root root /etc/sudoers\nstat: cannot stat x\n",
              services="\n".join(states), processes="sshd\nrsyslogd\n", security_updates="dnf 3",
              timesync="Timezone=UTC\nNTPSynchronized=yes\n", id="0\n",
              sudoers="Defaults env_reset\nroot ALL=(ALL) ALL\nops ALL=(ALL) NOPASSWD: ALL\n@include /etc/x\n",
              audit_rules="-w /etc/passwd -p wa\n")
    assert h.perms == {"/etc/shadow": (0o640, "root", 1), "/etc/sudoers": (0o440, "root", 2)}
    assert [n for n, on in h.services.items() if on] == ["auditd", "sshd"]
    assert (h.processes, h.package_manager, h.pending_security_updates) == ({"sshd", "rsyslogd"}, "dnf", 3)
    assert (h.ntp_synchronized, h.is_root, h.sudo_rules, h.sudo_nopasswd_all) == (True, True, [2, 3], [3])
    assert (h.audit_rules_known, h.audit_rules) == (True, ["-w /etc/passwd -p wa"])
    off = parse(timesync="NTPSynchronized=no\n", id="1000\n", audit_rules="No rules\n", services="active\n")
    assert (off.ntp_synchronized, off.is_root, off.audit_rules_known, off.audit_rules, off.services) == (
        False, False, True, [], {})


def test_pam_listing_numbers_each_line_as_the_section_holds_it():
    """The pam section is the collection script's `==> /etc/pam.d/NAME` listing: an entry's line is the 1-based line
    of that section (the line Facts.evidence cites from the `pam` document), header lines counted."""
    from scanner.platforms import linux_pam
    text = "==> /etc/pam.d/sshd\n#%PAM-1.0\nauth required pam_faillock.so preauth\n==> /etc/pam.d/login\n" \
           "auth include system-auth\n" + linux_pam.COMPLETE_MARK
    files, complete = linux_pam.split_files(text)
    assert files == {"sshd": [(2, "#%PAM-1.0"), (3, "auth required pam_faillock.so preauth")],
                     "login": [(5, "auth include system-auth")]} and complete
    lines = text.split("\n")
    assert all(lines[n - 1] == raw for entries in files.values() for n, raw in entries)
    unnamed = linux_pam.split_files("auth required pam_unix.so\n")
    assert unnamed == ({linux_pam.UNNAMED: [(1, "auth required pam_unix.so")]}, False)


def test_a_linux_hosts_identity_is_its_os_release_name():
    """os-release(5) PRETTY_NAME names the operating system and its release: the asset's identity (the report's
    OS and software version column) and the release the lifecycle checks read."""
    from scanner import platforms
    parsed = platforms.get("linux").parse({"passwd": PASSWD, "os_release": 'ID=rocky\nPRETTY_NAME="Rocky Linux 9.3"\n'})
    assert (parsed.identity.os_name, parsed.identity.software_version) == ("Rocky Linux 9.3", "Rocky Linux 9.3")


@pytest.mark.parametrize("processes, services, hosts", [
    ("init\nrsyslogd\n", "", ["10.9.9.9", "loghost.example"]),   # running: both forwarding rules send
    ("init\nsshd\n", "", []),                                    # the process list read, no rsyslogd: nothing sent
    ("init\nsshd\n", "rsyslog", ["10.9.9.9", "loghost.example"]),  # systemctl says rsyslog is active
])
def test_fleet_facts_of_a_linux_host_name_a_log_server_only_while_rsyslog_runs(processes, services, hosts):
    """rsyslog.conf(5): `*.* @@host:port` (TCP), `@host` (UDP) and `action(type="omfwd" target="host")` forward; a
    forwarder that is not running sends nothing, so the fleet's independent-log-server check must not count it."""
    from scanner import platforms
    from scanner.checkkit import Facts
    states = "\n".join("active" if n == services else "inactive" for n in linux_host.SERVICE_NAMES)
    rsyslog = '*.* @@10.9.9.9:514\nauth.* action(type="omfwd" target="loghost.example" port="514")\n'
    plat = platforms.get("linux")
    parsed = plat.parse({"passwd": PASSWD, "rsyslog": rsyslog, "processes": processes, "services": states})
    facts = Facts(parsed.facts, parsed.documents, str, unavailable=parsed.unavailable)
    assert plat.fleet_facts(facts).syslog_hosts == hosts


@pytest.mark.parametrize("timesync, states, want", [
    ("NTPSynchronized=yes\n", {}, True), ("NTPSynchronized=no\n", {"chronyd"}, False),   # timedatectl decides
    ("", {"chronyd"}, True), ("", {"systemd-timesyncd"}, True),                            # a running time service
    ("", {}, None), ("", {"sshd"}, None),                                                  # nothing says: unknown
])
def test_fleet_facts_of_a_linux_host_say_whether_its_clock_is_synchronised(timesync, states, want):
    """timedatectl(1) `show` prints NTPSynchronized=yes|no; without it, a running chronyd/ntpd/systemd-timesyncd
    is the evidence, and no evidence is unknown (None), never false."""
    from scanner import platforms
    from scanner.checkkit import Facts
    services = "\n".join("active" if n in states else "inactive" for n in linux_host.SERVICE_NAMES)
    plat = platforms.get("linux")
    parsed = plat.parse({"passwd": PASSWD, "timesync": timesync, "services": services})
    assert plat.fleet_facts(Facts(parsed.facts, parsed.documents, str)).ntp is want


def test_the_collection_script_prints_each_section_behind_its_marker_in_the_c_locale():
    """The parsers read English tool output (`active`, `LISTEN`, `Permission denied`): the script sets LC_ALL=C
    first, runs every section's command with its errors dropped, and ends with the end marker split_sections
    stops at."""
    from scanner.platforms.linux import MARK, SECTIONS, collection_script, split_sections
    script = collection_script()
    assert script.startswith("LC_ALL=C; export LC_ALL; ") and script.endswith(f"; echo '{MARK}end'")
    for name, cmd in SECTIONS.items():
        assert f"echo '{MARK}{name}'; ({cmd}) 2>/dev/null" in script
    printed = f"{MARK}passwd\nroot:x:0:0::/root:/bin/bash\n{MARK}processes\nsshd\n{MARK}end\n"
    assert split_sections(printed) == {"passwd": "root:x:0:0::/root:/bin/bash", "processes": "sshd"}


def test_a_forwarding_rule_in_a_file_rsyslog_does_not_include_is_ignored():
    """rsyslog.conf(5): only rsyslog.conf and the files its $IncludeConfig / include() globs match are read; a
    forwarding line in another file (a .bak, a .conf.disabled) sends nothing and is kept apart, for the reason."""
    text = ("==> /etc/rsyslog.conf\n$IncludeConfig /etc/rsyslog.d/*.conf\n==> /etc/rsyslog.d/90-fwd.conf\n"
            "*.* @@10.9.9.9:514\n==> /etc/rsyslog.d/91-old.conf.bak\n*.* @10.8.8.8\n")
    h = parse(rsyslog=text)
    assert (h.remote_log_lines, h.remote_log_ignored) == ([("rsyslog", 4)], [("rsyslog", 6)])


def test_password_quality_cites_its_line_of_the_pam_section():
    """The pam_pwquality entry that sets the rules is cited as a line of the `pam` document (the listing)."""
    from checks.linux import identification as ident
    from scanner.checkkit import Facts
    from scanner.policy import Policy
    pam = "==> /etc/pam.d/passwd\npassword include system-auth\n==> /etc/pam.d/system-auth\n" \
          "auth required pam_unix.so\npassword requisite pam_pwquality.so minlen=7\n"
    h = parse(pam=pam + "#all /etc/pam.d\n", os_release="ID=rhel\n")
    assert h.pw_quality.line == ("pam", 5)
    v = ident._complexity.evaluate(Facts({"linux.pam": h}, {"pam": pam.split("\n")}, str), Policy())
    assert v.status.value == "fail" and [(e.source, e.line) for e in v.evidence] == [("pam", 5)]


def test_shadow_maximum_age_is_read_when_the_warning_field_is_empty():
    """shadow(5): each field stands alone; an empty warning period (field 6) says nothing about the maximum age."""
    h = parse(passwd=PASSWD, shadow="ops:$6$s$abcdefghijkl:19000:0:90::::\n")
    assert next(a for a in h.accounts if a.name == "ops").max_days == 90


def test_sshd_t_values_of_several_words_keep_every_word():
    """sshd -T prints `keyword value...`: AuthenticationMethods lists space-separated method lists."""
    h = parse(sshd_effective="port 22\nauthenticationmethods publickey,password publickey,keyboard-interactive\n")
    assert h.sshd["authenticationmethods"] == "publickey,password publickey,keyboard-interactive"
    cfg = parse(sshd_config="Port 22\nMatch Address 10.0.0.0/8\n  AuthenticationMethods publickey password # x\n")
    assert cfg.sshd_match[0][1]["authenticationmethods"] == "publickey password"


@pytest.mark.parametrize("line, min_len, root", [
    ("password requisite pam_pwquality.so minlen=12 enforce_for_root", 12, True),
    ("password requisite pam_pwquality.so minlen=8 # enforce_for_root later", 8, False),   # a comment is no option
    ("password requisite pam_pwquality.so", 9, False),                                     # pam_pwquality(8): 9
])
def test_pwquality_options_on_the_pam_line(line, min_len, root):
    """pam_pwquality(8): minlen=N (default 9) and enforce_for_root as module arguments; `#` starts a comment."""
    pam = f"==> /etc/pam.d/passwd\n{line}\n#all /etc/pam.d\n"
    q = parse(pam=pam).pw_quality
    assert (q.min_len, q.enforce_for_root) == (min_len, root)


def test_linux_secret_values_are_the_shadow_hashes():
    """The hashes of /etc/shadow are scrubbed from every report of the host."""
    from scanner import platforms
    h = "$6$saltsalt$" + "x" * 20
    values = platforms.get("linux").secret_values({"shadow": [f"ops:{h}:19000:0:90:7:::"]})
    assert values and all(v in h and len(v) >= 20 for v in values)        # the salt and digest, not the $6$ id
    assert platforms.get("linux").secret_values({"passwd": [f"ops:{h}:0:0::/:/bin/sh"]}) == frozenset()


def test_split_sections_keeps_lines_with_spaces_whole():
    from scanner.platforms.linux import MARK, split_sections
    out = split_sections(f"{MARK}listening\ntcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n{MARK}end\n")
    assert out == {"listening": "tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:*"}


# ---------------------------------------------------------------------------------------------------------------
# The parsers' data files (factory accounts, irrelevant lines): read once per process and cached, so under mutmut
# only a call that bypasses the cache (`__wrapped__`) reaches a mutated loader. A broken file names file and entry.

from scanner.datafiles import DataFileError  # noqa: E402
from scanner.platforms import credentials, unread  # noqa: E402


def test_factory_accounts_from_the_vendor_documents():
    """Huawei S-series: admin / admin@huawei.com (huawei after an upgrade); USG6000: admin and audit-admin /
    Admin@123 (the sources are quoted in scanner/platforms/data/credentials_huawei_vrp.yaml)."""
    vrp = credentials.factory_accounts.__wrapped__("huawei_vrp")
    assert ("admin", frozenset({"admin@huawei.com", "huawei"})) in [(a, p) for a, p, _ in vrp]
    assert ("audit-admin", frozenset({"admin@123"})) in [(a, p) for a, p, _ in vrp]
    assert all(src.strip() for _, _, src in vrp)
    assert credentials.factory_accounts.__wrapped__("no_such_platform") == ()
    assert {"cisco_ios", "hp_comware", "huawei_vrp"} <= set(credentials._platform_names())
    assert "common" not in credentials._platform_names()
    weak, masks = credentials._common.__wrapped__()
    assert weak and all(w == w.lower() for w in weak) and masks


@pytest.mark.parametrize("text, error", [
    ("factory_accounts:\n  - {account: Admin, passwords: [Secret1], source: manual p. 3}\n", None),
    ("factory_accounts:\n  - {account: admin, passwords: x, source: s}\n", "entry 1 needs account"),
    ("factory_accounts:\n  - {account: a, passwords: [p], source: s}\n  - {passwords: [p], source: s}\n",
     "entry 2 needs account"),
    ("factory_accounts:\n  - {account: admin, passwords: [p], source: '  '}\n", "entry 1 needs"),
    ("factory_accounts:\n  - just a string\n", "entry 1 needs"),
    ("- a list\n", "must be a mapping"),
    ("other: 1\n", None),
])
def test_a_factory_account_file_is_checked_entry_by_entry(tmp_path, text, error):
    f = tmp_path / "credentials_x.yaml"
    f.write_text(text, encoding="utf-8")
    if error is None:
        got = credentials.accounts_in(f)
        assert got == ((("admin", frozenset({"secret1"}), "manual p. 3"),) if "Admin" in text else ())
    else:
        with pytest.raises(DataFileError, match=f"credentials_x.yaml: .*{error}"):
            credentials.accounts_in(f)


def test_irrelevant_lines_of_each_platform_and_a_broken_entry(tmp_path):
    for platform in ("huawei_vrp", "hp_comware"):
        entries = unread.irrelevant_lines.__wrapped__(platform)
        assert entries and all(e.why.strip() == e.why and e.pattern.flags & 2 for e in entries)   # re.IGNORECASE
    e = unread._entry(tmp_path / "x.yaml", 4, {"stanza": "snmp", "match": "snmp-agent trap", "why": " no check ",
                                                 "block": True})
    assert (e.stanzas, e.pattern.pattern, e.why, e.block) == (frozenset({"snmp"}), "snmp-agent trap", "no check", True)
    assert unread._entry(tmp_path / "x.yaml", 4, {"stanza": ["snmp"], "match": "x", "why": "y"}).block is False
    for bad, words in [({"stanza": "snmp", "match": "", "why": "y"}, "'match' is empty"),
                       ({"stanza": "snmp", "match": "x", "why": "y", "extra": 1}, "fields are"),
                       ("text", "fields are"), ({"stanza": [], "match": "x", "why": "y"}, "stanza must be"),
                       ({"stanza": "snmp", "match": "x", "why": " "}, "'why' must")]:
        with pytest.raises(DataFileError, match=r"x\.yaml: irrelevant entry 4: " + words):
            unread._entry(tmp_path / "x.yaml", 4, bad)


# The secret masker: every secret found whatever the case of the line, and a value running to the end of the line
# (IOS passwords may hold spaces) stops short of a trailing option.

from scanner.platforms.base import MASK, Masker, rest_of_line  # noqa: E402


@pytest.mark.parametrize("hint", ["password", "PASSWORD", "Password"])
def test_masker_hint_is_case_insensitive_in_any_case(hint):
    m = Masker([r"^\s*password\s+0\s+" + rest_of_line()], hint)
    assert m("Password 0 my secret phrase") == f"Password 0 {MASK}"
    assert m(" PASSWORD 0 s3cret ") == f" PASSWORD 0 {MASK} "
    assert m("hostname r1") == "hostname r1"


def test_rest_of_line_stops_short_of_a_trailing_option():
    m = Masker([r"^\s*isis password\s+" + rest_of_line("level-1", "level-2")], "isis")
    assert m("isis password K3y level-2") == f"isis password {MASK} level-2"
    assert m("isis password two words") == f"isis password {MASK}"


# How a device's configuration exposes remote management (the fleet fact the bastion check judges, 8.1.4.4.c /
# 8.1.5.1.x): any remote path without a source ACL is `unrestricted`; every path limited is `restricted`; no remote
# path is `local_only`; a path left to a release default is unknown (None).
from scanner.facts import Acl, AclRule, MgmtLine, SshServer, Toggle as T  # noqa: E402
from scanner.platforms.network import remote_mgmt  # noqa: E402

MGMT_ACL = Acl("2000", 20, [AclRule("permit", "10.0.0.0 0.0.0.255", 21), AclRule("deny", "any", 22)])
ANY_ACL = Acl("2001", 23, [AclRule("permit", "any", 24)])


def mgmt_dev(vty=None, telnet=False, ssh=True, http=False, https=False, web_acl=None, web_login=True, ssh_acl=None):
    dev = NetworkDevice(platform="test")
    dev.telnet, dev.ssh = T(telnet), SshServer(enabled=T(ssh), acl=ssh_acl)
    dev.http, dev.https, dev.web_acl, dev.web_login = T(http), T(https), web_acl, T(web_login)
    dev.acls = {"2000": MGMT_ACL, "2001": ANY_ACL}
    dev.mgmt_lines = vty or []
    return dev


def vty(protocols=frozenset({"ssh"}), acl=None, auth="aaa", line=5):
    return MgmtLine(kind="vty", name="vty 0 4", line=line, auth=auth, protocols=protocols, acl_in=acl)


@pytest.mark.parametrize("dev, want, words", [
    (mgmt_dev([vty()]), "unrestricted", "vty 0 4 L5"),
    (mgmt_dev([vty(acl="2000")]), "restricted", "vty 0 4: 10.0.0.0 0.0.0.255"),
    (mgmt_dev([vty(acl="2001")]), "unrestricted", "vty 0 4 L5"),                # permit any restricts nothing
    (mgmt_dev([vty(acl="9999")]), "unrestricted", "vty 0 4 L5"),                # an undefined ACL neither
    (mgmt_dev([vty()], ssh_acl="2000"), "restricted", "vty 0 4: 10.0.0.0"),     # the SSH server's own ACL
    (mgmt_dev([vty(frozenset({"ssh", "telnet"}))], ssh_acl="2000"), "unrestricted", "L5"),
    (mgmt_dev([vty(frozenset({"telnet"}))], telnet=False), "local_only", "console"),   # no server behind it
    (mgmt_dev([vty(auth="refused")]), "local_only", "console"),
    (mgmt_dev([vty(frozenset())]), "local_only", "console"),
    (mgmt_dev([]), "local_only", "console"),
    (mgmt_dev([vty(frozenset({"telnet"}))], telnet=None), None, "vty 0 4 L5"),
    (mgmt_dev([vty(protocols=None)], ssh=None, telnet=False), None, "vty 0 4 L5"),
    # Cisco's `transport input` lists rlogin (and lat, pad...) as incoming protocols of a line (IOS Dial Solutions
    # Configuration Guide, "Configuring Terminal Operating Characteristics"); no fact says whether that server
    # answers, so such a line is no proof of console-only management (local_only is a high-risk compensation)
    (mgmt_dev([vty(frozenset({"rlogin"}))], ssh=False), None, "未判断服务状态的协议（rlogin）：vty 0 4 L5"),
    (mgmt_dev([vty(frozenset({"rlogin", "ssh"}))], ssh=True), "unrestricted", "vty 0 4 L5"),
    (mgmt_dev([vty(frozenset({"ssh"}))], ssh=False), "local_only", "console"),
    (mgmt_dev([], http=True), "unrestricted", "Web"),
    (mgmt_dev([], https=True, web_acl="2000"), "restricted", "Web: 10.0.0.0 0.0.0.255"),
    (mgmt_dev([], https=True, web_login=None), None, "Web"),
    (mgmt_dev([], http=None), None, "Web"),
    (mgmt_dev([vty(acl="2000")], https=True, web_acl="2000"), "restricted", "Web: 10.0.0.0 0.0.0.255；vty 0 4"),
])
def test_remote_management_exposure(dev, want, words):
    got, why = remote_mgmt(dev)
    assert got == want and words in why


def test_an_acl_that_permits_nothing_is_deny_all():
    deny = Acl("2002", 30, [AclRule("deny", "any", 31)])
    dev = mgmt_dev([vty(acl="2002")])
    dev.acls["2002"] = deny
    assert remote_mgmt(dev) == ("restricted", "vty 0 4: deny all")


def test_a_missing_factory_account_file_is_named_with_what_it_holds(tmp_path):
    with pytest.raises(DataFileError, match=r"nope\.yaml: missing \(known passwords and factory accounts\)"):
        credentials.accounts_in(tmp_path / "nope.yaml")


def test_fleet_facts_of_a_network_device():
    """The management sources the fleet compares across devices are the sources its vty and SSH-server ACLs
    permit (a deny rule is no source); the syslog hosts and NTP as configured."""
    from scanner import platforms
    from scanner.facts import SyslogHost
    dev = mgmt_dev([vty(acl="2000")], ssh_acl="2001")
    dev.logging.hosts = [SyslogHost("10.9.9.9", 30), SyslogHost("10.9.9.9", 31)]
    dev.ntp_servers = [40]
    ff = platforms.get("huawei_vrp").fleet_facts({"device_config": dev})
    assert ff.mgmt_sources == ["10.0.0.0 0.0.0.255", "any"] and ff.remote_mgmt == "restricted"
    assert (ff.syslog_hosts, ff.ntp) == (["10.9.9.9"], True)


# Session 9 (mut9p): web management behind an ACL that permits no source is reachable from nowhere: "deny all",
# like a vty's (8.1.4.4.c: management sources restricted)
def test_web_management_behind_an_acl_that_permits_nothing_is_deny_all():
    dev = mgmt_dev([], https=True, web_acl="2002")
    dev.acls["2002"] = Acl("2002", 30, [AclRule("deny", "any", 31)])
    assert remote_mgmt(dev) == ("restricted", "Web: deny all")


def test_an_irrelevant_entry_with_an_unknown_stanza_lists_the_stanzas_by_name(tmp_path):
    import re
    from scanner.facts import STANZAS
    with pytest.raises(DataFileError, match=re.escape(f"stanza must be one or more of {', '.join(STANZAS)}")):
        unread._entry(tmp_path / "x.yaml", 2, {"stanza": "bogus", "match": "x", "why": "y"})


def test_web_management_without_an_acl_is_named_in_the_reason():
    assert remote_mgmt(mgmt_dev([], http=True)) == ("unrestricted", "无来源地址限制的远程管理路径：Web管理（HTTP/HTTPS）无访问控制列表")


# Session 9, seed-12 survivors (mut9o). A capture without the PAM section collected no file: as for an old capture
# (linux_pam), a service file falls back to the distribution's stock file, and the files that one includes are not
# in the capture, so every stack is incomplete (`missing`), never judged complete on an empty or unnamed file; a
# collected sshd file is read as it is.
def test_a_capture_without_pam_leaves_every_stack_incomplete():
    h = parse(passwd=PASSWD)
    for service, stack in h.pam_stacks.items():
        assert stack.missing and not stack.entries and stack.assumed != "(unnamed)", (service, stack)
    h = parse(passwd=PASSWD, pam="==> /etc/pam.d/sshd\nauth required pam_faillock.so authfail deny=5\n")
    assert (h.pam_stacks["sshd"].missing, [e.module for e in h.pam_stacks["sshd"].entries]) == ([], ["pam_faillock"])


def test_fleet_facts_skip_a_forwarding_line_whose_text_is_not_at_hand():
    """A forwarding rule the parser found, but whose line the facts no longer hold (the rsyslog document absent):
    no collector can be named from it, and the fleet facts are still produced."""
    from scanner import platforms
    from scanner.checkkit import Facts
    plat = platforms.get("linux")
    parsed = plat.parse({"passwd": PASSWD, "rsyslog": "*.* @@10.9.9.9:514\n", "processes": "init\nrsyslogd\n"})
    kept = {k: v for k, v in parsed.documents.items() if k != "rsyslog"}
    assert plat.fleet_facts(Facts(parsed.facts, parsed.documents, str)).syslog_hosts == ["10.9.9.9"]
    assert plat.fleet_facts(Facts(parsed.facts, kept, str)).syslog_hosts == []


@pytest.mark.parametrize("sections, source, root_login", [
    ({}, None, None),
    ({"sshd_config": "   \n"}, None, None),
    ({"sshd_config": "Port 22\n"}, "sshd_config", "prohibit-password"),
    ({"sshd_config": "PermitRootLogin no\n"}, "sshd_config", "no"),
    ({"sshd_effective": "port 22\npermitrootlogin yes\n", "sshd_config": "PermitRootLogin no\n"}, "sshd_effective",
     "yes"),
])
def test_sshd_settings_only_from_a_captured_configuration(sections, source, root_login):
    """sshd_config(5): a setting left out of the file takes its compiled-in default (PermitRootLogin
    prohibit-password since OpenSSH 7.0); with no configuration captured nothing about sshd is known, so no default
    may stand in for it; `sshd -T` (the effective settings) outranks the file. (seed-13 survivor linux_host._sshd 39)"""
    h = parse(**sections)
    assert (h.sshd_source, h.sshd.get("permitrootlogin")) == (source, root_login)


@pytest.mark.parametrize("body, want", [
    ("", {}),
    ("{M}passwd\n{M}end\n", {"passwd": ""}),
    ("{M}passwd\nroot:x:0:0::/root:/bin/bash\nops:x:1000:1000::/home/ops:/bin/bash\n{M}end\n",
     {"passwd": "root:x:0:0::/root:/bin/bash\nops:x:1000:1000::/home/ops:/bin/bash"}),
    ("banner before\n{M}a\n1\n\n2\n{M}b\n3\n{M}end\ntrailer\n", {"a": "1\n\n2", "b": "3"}),
    ("{M}a\n1\n", {}),                      # cut off before the end marker: the last section is not whole
    ("{M}a\n1\n{M}end\nshell noise\n{M}end\n", {"a": "1"}),   # after the end marker nothing is a section
])
def test_split_sections_keeps_each_sections_lines_as_printed(body, want):
    """Each section is the command's output as printed, its lines joined by newlines (line numbers cited as evidence
    count them); text before the first marker belongs to no section; only `end` closes the last one."""
    from scanner.platforms.linux import MARK, split_sections
    assert split_sections(body.replace("{M}", MARK)) == want


@pytest.mark.parametrize("files, complete, service, want_lines, missing", [
    ({"other": [(2, "auth required pam_deny.so")]}, True, "sshd", [2], []),
    ({"sshd": [(2, "auth required pam_unix.so")], "other": [(5, "auth required pam_deny.so")]}, True, "sshd", [2],
     []),
    ({}, True, "sshd", [], ["other"]),
])
def test_a_service_without_its_own_file_runs_other(files, complete, service, want_lines, missing):
    """pam.d(5) / pam(8): a service with no file of its own in /etc/pam.d is run by /etc/pam.d/other (in a complete
    listing; an absent `other` is named as missing). (seed-13 survivor linux_pam.resolve 24)"""
    from scanner.platforms import linux_pam
    stack = linux_pam.resolve(files, complete, service, "rhel")
    assert ([e.line for e in stack.entries], stack.missing) == (want_lines, missing)


@pytest.mark.parametrize("sshd_lines, want_modules", [
    # pam.conf(5): `#` starts a comment and blank lines are skipped: the lines after them still count
    ([(1, "#%PAM-1.0"), (2, ""), (3, "auth required pam_env.so"), (4, "# comment"),
      (5, "auth required pam_faillock.so preauth")], [("sshd", 3, "pam_env"), ("sshd", 5, "pam_faillock")]),
    # pam.conf(5): include / substack name a file of the configuration directory; an absolute path names it too
    ([(1, "auth include /etc/pam.d/system-auth")], [("system-auth", 2, "pam_unix")]),
    ([(1, "auth substack system-auth")], [("system-auth", 2, "pam_unix")]),
    ([(1, "account include system-auth")], []),                  # include reads only lines of its own type
])
def test_pam_stack_lines_comments_and_includes(sshd_lines, want_modules):
    from scanner.platforms import linux_pam
    files = {"sshd": sshd_lines, "system-auth": [(1, "#%PAM-1.0"), (2, "auth sufficient pam_unix.so")]}
    stack = linux_pam.resolve(files, True, "sshd", "rhel")
    assert ([(e.file, e.line, e.module) for e in stack.entries], stack.missing) == (want_modules, [])


@pytest.mark.parametrize("os_release, pam, family", [
    ("ID=debian\n", "", "debian"),
    ('ID=ubuntu\nID_LIKE=debian\n', "", "debian"),
    ('ID=elementary\nID_LIKE=ubuntu\n', "", "debian"),        # elementary OS names only ubuntu in ID_LIKE
    ('ID=linuxmint\nID_LIKE="ubuntu debian"\n', "", "debian"),
    ('ID=rocky\nID_LIKE="rhel centos fedora"\n', "", "rhel"),
    ("", "==> /etc/pam.d/common-auth\n", "debian"),          # no os-release: Debian's PAM layout tells
    ("ID=rocky\n", "==> /etc/pam.d/common-auth\n", "rhel"),  # os-release outranks the PAM layout
])
def test_os_family_from_os_release(os_release, pam, family):
    """os-release(5): ID names the distribution, ID_LIKE the ones it derives from (most related first); a Debian
    or Ubuntu derivative uses Debian's PAM layout (common-auth ...). (seed-21 survivor linux_host._os 34)"""
    assert parse(os_release=os_release, pam=pam).family == family


def test_pam_lines_after_an_at_include_still_count():
    """pam.d(5) on Debian: `@include common-auth` inserts that file where it stands; the service file's later lines
    follow it. (seed-21 survivor linux_pam._read 45)"""
    from scanner.platforms import linux_pam
    files = {"sshd": [(1, "@include common-auth"), (2, "account required pam_nologin.so")],
             "common-auth": [(1, "auth required pam_unix.so")]}
    stack = linux_pam.resolve(files, True, "sshd", "debian")
    assert [(e.file, e.line, e.module) for e in stack.entries] == [("common-auth", 1, "pam_unix"),
                                                                  ("sshd", 2, "pam_nologin")]


# ---------------------------------------------------------------------------------------------------------------
# Session 11 (mut11n), seed-41 survivors of the VRP / Comware shared parser (scanner/platforms/vrp_style.py) and the
# network platform (scanner/platforms/network.py). Sources: the H3C Comware 7 NTP/SNTP configuration guide and
# command reference, the Comware 7 HTTP/HTTPS (`ip http acl`) and information-centre command references, and the
# Huawei VRP `display ssh server status` output.


def comware7(body: str):
    from scanner import platforms
    cfg = f"#\n version 7.1.064, Release 0821P16\n#\n sysname H3C\n#\n{body}\n#\nreturn"
    return platforms.get("hp_comware").parse_config(cfg.splitlines())


# H3C Comware 7 SNTP ("a simplified, client-only version of NTP ... An SNTP-enabled device can receive time from NTP
# servers"): `sntp enable` ("By default, the SNTP service is not enabled") and `sntp unicast-server ADDRESS`; NTP and
# SNTP cannot both run on one device. A device synchronised by SNTP has its clock synchronised (8.1.4.3.b): its
# server counts only while SNTP is enabled, as an NTP server counts only under `ntp-service enable`.
@pytest.mark.parametrize("body, servers, hosts", [
    ("sntp enable\nsntp unicast-server 10.1.1.1", [7], ["10.1.1.1"]),
    ("sntp unicast-server 10.1.1.1\nsntp enable", [6], ["10.1.1.1"]),
    ("sntp unicast-server 10.1.1.1", [], []),                             # SNTP off by default: no clock source
    ("undo sntp enable\nsntp unicast-server 10.1.1.1", [], []),
    ("sntp enable\nntp-service unicast-server 10.2.2.2", [], []),          # NTP itself still off
    ("ntp-service enable\nntp-service unicast-server 10.2.2.2\nsntp unicast-server 10.1.1.1", [7], ["10.2.2.2"]),
])
def test_comware7_sntp_client_is_a_time_source_while_sntp_is_enabled(body, servers, hosts):
    dev = comware7(body)
    assert (dev.ntp_servers, dev.ntp_hosts, dev.unrecognized) == (servers, hosts, [])


def test_a_comware7_device_synchronised_by_sntp_passes_time_sync():
    from checks.network import audit
    from scanner.checkkit import Facts
    from scanner.policy import Policy
    for body, want in (("sntp enable\nsntp unicast-server 10.1.1.1", "pass"), ("sntp unicast-server 10.1.1.1", "fail")):
        dev = comware7(body)
        verdict = audit._ntp.evaluate(Facts({"device.ntp": dev}, {"config": ["x"] * 20}, str), Policy())
        assert verdict.status.value == want


def judged(platform: str, check, **documents: str):
    """A check's verdict on what the platform parses from the documents (the engine's path, without the engine)."""
    from scanner import platforms
    from scanner.checkkit import Facts
    from scanner.policy import Policy
    parsed = platforms.get(platform).parse(documents)
    return check.evaluate(Facts(parsed.facts, parsed.documents, str), Policy())


_HW = "#\nsysname SW1\n#\naaa\n local-user admin password irreversible-cipher $1c$abcdefghijklmnop$\n" \
      " local-user admin privilege level 15\n local-user admin service-type ssh\n#\nstelnet server enable\n#\n"


# `ntp-service refclock-master [ip-address] [stratum]` (Huawei VRP and H3C Comware): the device's own clock serves as
# the reference; it names no server the device synchronises to, whatever follows the keyword
@pytest.mark.parametrize("platform, line", [("huawei_vrp", "ntp-service refclock-master"),
                                            ("huawei_vrp", "ntp-service refclock-master 8"),
                                            ("hp_comware", "ntp-service refclock-master")])
def test_the_local_reference_clock_is_no_time_source(platform, line):
    from scanner import platforms
    dev = platforms.get(platform).parse_config(["#", "sysname SW1", "#", line, "#", "return"])
    assert (dev.ntp_servers, dev.ntp_hosts) == ([], [])


# Comware 7 `ip http acl acl-number` ("Use ip http acl to apply an ACL to the HTTP service": only the permitted
# sources reach the web login) and `ip https acl`: web management restricted to the ACL's sources (8.1.4.4.c)
@pytest.mark.parametrize("line, acl, exposure", [
    ("ip http acl 2000", "2000", ("restricted", "Web: 10.0.0.0 0.0.0.255")),
    ("ip https acl 2000", "2000", ("restricted", "Web: 10.0.0.0 0.0.0.255")),
    ("", None, ("unrestricted", "无来源地址限制的远程管理路径：Web管理（HTTP/HTTPS）无访问控制列表")),
])
def test_comware7_web_acl(line, acl, exposure):
    dev = comware7(f"ip http enable\n{line}\n#\nacl number 2000\n rule 5 permit source 10.0.0.0 0.0.0.255\n#\n"
                   "local-user admin class manage\n password hash $h$6$abcdefghijkl\n service-type http\n"
                   " authorization-attribute user-role network-admin")
    assert (dev.web_acl, remote_mgmt(dev)) == (acl, exposure)


# `info-center enable` / `undo info-center enable` (VRP, Comware: "Enabled by default"): the information centre
# written off fails 8.1.4.3.a at its line, as configured (no release default behind it); left out, it is on by the
# release default, and the verdict says it rests on one
@pytest.mark.parametrize("line, status, cited, default", [
    ("undo info-center enable", "fail", [("config", 11)], False),
    ("info-center enable", "pass", [("config", 11)], False),
    ("", "pass", [], True),
])
def test_the_information_centre_switch_is_cited_at_its_line(line, status, cited, default):
    from checks.network import audit
    from scanner.checkkit import RELEASE_DEFAULT
    v = judged("huawei_vrp", audit._logging_on, config=f"{_HW}{line}\n#\nreturn")
    assert (v.status.value, [(e.source, e.line) for e in v.evidence if e.line]) == (status, cited)
    assert (set(RELEASE_DEFAULT) <= set(v.signals)) == default


# Comware `protocol inbound` absent: "By default, both Telnet and SSH are supported" (docs/vendor-defaults.md Q9,
# the Comware rows); written, it is what the line takes
@pytest.mark.parametrize("child, protocols", [("", {"telnet", "ssh"}), ("\n protocol inbound ssh", {"ssh"})])
def test_comware7_vty_protocols_default_to_telnet_and_ssh(child, protocols):
    dev = comware7(f"line vty 0 63\n authentication-mode scheme{child}")
    assert next(m.protocols for m in dev.mgmt_lines if m.kind == "vty") == protocols


# A management ACL (`acl number 2000` ... `rule permit source ...`, bound by `acl 2000 inbound` on the vty lines):
# a restricted-management pass cites the ACL at the line that opens it and its rules (8.1.4.4.c)
def test_a_vty_acl_is_cited_at_its_own_line():
    from checks.network import services
    cfg = f"{_HW}acl number 2000\n rule 5 permit source 10.0.0.0 0.0.0.255\n#\nuser-interface vty 0 4\n" \
          " authentication-mode aaa\n protocol inbound ssh\n acl 2000 inbound\n#\nreturn"
    v = judged("huawei_vrp", services._mgmt_acl, config=cfg)
    assert v.status.value == "pass" and {11, 12} <= {e.line for e in v.evidence}


# Huawei `display ssh server status` ("SSH version : 1.99" accepts SSHv1 clients; "Stelnet server : Enable"): an
# SSHv1-compatible server fails remote_mgmt_ssh_v2_only, cited at that line of that command's output as printed
_SSH_STATUS = " SSH version                         : 1.99\n SSH connection timeout              : 60 seconds\n" \
              " Stelnet server                      : Enable"


def test_the_ssh_status_output_is_cited_at_its_line():
    from checks.network import services
    v = judged("huawei_vrp", services._ssh, config=f"{_HW}user-interface vty 0 4\n authentication-mode aaa\n"
               " protocol inbound ssh\n#\nreturn", ssh_status=_SSH_STATUS)
    assert v.status.value == "fail"
    assert [(e.source, e.line, e.text) for e in v.evidence] == [("ssh_status", 1, _SSH_STATUS.split("\n")[0])]


# Port states: a saved configuration has none, and a live scan (it has `display version`) reads them over SNMP only,
# so without SNMP credentials the reason names the missing credentials (network.py INTERFACE_STATE_*)
@pytest.mark.parametrize("version, words", [(None, "保存的配置"), ("Huawei Versatile Routing Platform Software\n"
                                             "VRP (R) software, Version 5.170 (S5720 V200R019C10SPC500)", "SNMP凭据")])
def test_why_the_port_states_are_missing(version, words):
    from scanner import platforms
    docs = {"config": f"{_HW}return"} | ({"version": version} if version else {})
    zh, en = platforms.get("huawei_vrp").parse(docs).unavailable["interface_state"]
    assert words in zh and ("credentials" in en) == (version is not None)


# The time sources a device names (`ntp-service unicast-server ADDRESS`) travel to the fleet facts, once each, for
# the fleet's fix script (reports/fixscript.py: the clock most devices use)
def test_fleet_facts_carry_the_configured_time_sources():
    from scanner import platforms
    from scanner.checkkit import Facts
    plat = platforms.get("huawei_vrp")
    parsed = plat.parse({"config": f"{_HW}ntp-service unicast-server 10.1.1.2\nntp-service unicast-server 10.1.1.1\n"
                                   "ntp-service unicast-server 10.1.1.2\n#\nreturn"})
    ff = plat.fleet_facts(Facts(parsed.facts, parsed.documents, str))
    assert (ff.ntp, ff.ntp_hosts) == (True, ["10.1.1.1", "10.1.1.2"])


# `banner motd|login|exec c message c` (Cisco Configuration Fundamentals: the text between the delimiter characters
# is the message, never commands) and VRP/Comware `header login|shell information "text"`: the body and the closing
# delimiter's line are emptied, whatever they say, and the banner's first line is reported
@pytest.mark.parametrize("lines, clean, starts", [
    (["hostname r1", "banner motd ^C", "Authorised access only", "line vty 0 4", "^C", "end"],
     ["hostname r1", "banner motd ^C", "", "", "", "end"], [2]),
    (["banner login ^CAuthorised access only^C", "hostname r1"],
     ["banner login ^CAuthorised access only^C", "hostname r1"], [1]),
    (["banner exec #", "no exit"], ["banner exec #", ""], [1]),               # never closed: blank to the end
])
def test_banner_bodies_are_no_configuration(lines, clean, starts):
    import re
    from scanner.platforms.base import blank_delimited_blocks
    rx = re.compile(r"^banner\s+(?:motd|login|exec)\s+(?P<delim>\^C|\S)")
    assert blank_delimited_blocks(lines, rx) == (clean, starts)


# Comware 7 Telnet server absent from the configuration: off by the release default ("By default, the Telnet
# server is disabled", docs/vendor-defaults.md): the pass says it rests on that default, in its note and its signals
def test_a_telnet_pass_resting_on_the_release_default_says_so():
    from checks.network import services
    from scanner.checkkit import RELEASE_DEFAULT
    cfg = "#\n version 7.1.064, Release 0821P16\n#\n sysname H3C\n#\nline vty 0 63\n authentication-mode scheme\n" \
          "#\nlocal-user admin class manage\n password hash $h$6$abcdefghijkl\n service-type ssh\n#\nreturn"
    v = judged("hp_comware", services._telnet, config=cfg)
    assert v.status.value == "pass" and set(RELEASE_DEFAULT) <= set(v.signals)
    assert [e.text for e in v.evidence] == ["Telnet remote management disabled (release default)"]


# Seed 42. A capture can stop in the middle of a line (a dropped session: the output then lacks its end marker and is
# reported incomplete); the line cut short is parsed for what it says, never a crash: a `sysname` without its name
# names no host, a server switch without enable/disable sets nothing, an ACL rule cut after `source` admits any.
@pytest.mark.parametrize("tail, check", [
    ("sysname", lambda d: d.hostname == "SW1"),
    ("telnet server", lambda d: d.telnet.line is None),
    ("ftp server", lambda d: d.ftp.line is None),
    ("acl number 2000\n rule 5 permit source", lambda d: [(r.action, r.source) for r in d.acls["2000"].rules]
     == [("permit", "any")]),
])
def test_a_capture_cut_mid_line_still_parses(tail, check):
    from scanner import platforms
    for name in ("huawei_vrp", "hp_comware"):
        dev = platforms.get(name).parse_config(f"{_HW}{tail}".splitlines())
        assert dev.complete is False and check(dev), name


# `info-center loghost domain domain-name` (Huawei `info-center loghost` reference: "info-center loghost domain
# domain-name [vpn-instance ...]"): the log host is the name after `domain`; `ipv6 ADDRESS` likewise
@pytest.mark.parametrize("line, host", [("info-center loghost domain syslog.example.com", "syslog.example.com"),
                                        ("info-center loghost ipv6 2001:db8::9", "2001:db8::9"),
                                        ("info-center loghost 10.9.9.9", "10.9.9.9")])
def test_vrp_log_host_forms(line, host):
    from scanner import platforms
    dev = platforms.get("huawei_vrp").parse_config(f"{_HW}{line}\n#\nreturn".splitlines())
    assert [(h.address, h.line) for h in dev.logging.hosts] == [(host, 11)]


# Comware 7 SNMP: "By default, SNMPv3 is enabled" (docs/vendor-defaults.md): an agent switched on without a version
# line speaks v3 only, so it sends no community in clear (snmp_v3_only passes)
def test_comware7_snmp_agent_without_a_version_is_v3():
    from checks.network import services
    cfg = "#\n version 7.1.064, Release 0821P16\n#\n sysname H3C\n#\nsnmp-agent\n#\nreturn"
    v = judged("hp_comware", services._snmp_v3, config=cfg)
    assert v.status.value == "pass"


# An interface is physical by its name (a port: GigabitEthernet, XGigabitEthernet, MEth...), not a logical one (VLAN
# interface, loopback, aggregate)
@pytest.mark.parametrize("name, physical", [("GigabitEthernet0/0/1", True), ("XGigabitEthernet0/0/1", True),
                                            ("MEth0/0/1", True), ("Vlanif10", False), ("LoopBack0", False),
                                            ("Eth-Trunk1", False)])
def test_physical_interfaces_by_name(name, physical):
    from scanner import platforms
    dev = platforms.get("huawei_vrp").parse_config(f"{_HW}interface {name}\n#\nreturn".splitlines())
    assert [i.physical for i in dev.interfaces] == [physical]


# The secrets scrubbed from every report of an asset are the values of 4 characters or more its masker finds (a
# shorter one is syntax more often than a secret): a 4-character community is scrubbed, a 3-character one is not
@pytest.mark.parametrize("community, scrubbed", [("abcd", True), ("abcde", True), ("abc", False)])
def test_secret_values_from_four_characters(community, scrubbed):
    from scanner import platforms
    plat = platforms.get("cisco_ios")
    found = plat.secret_values({"config": ["hostname r1", f"snmp-server community {community} RO"]})
    assert (community in found) is scrubbed


# The administrator secrets the fleet compares (fleet_admin_passwords_distinct, 8.1.4.1.a: no password shared across
# devices) are those of enabled administrator accounts and the privileged-mode password: Cisco `enable secret|password`
# (privileged EXEC, level 15), Huawei/H3C `super password` (switches the session to the highest level). The same
# enable secret copied onto every router is the classic shared administrator password; an ordinary user's is none.
@pytest.mark.parametrize("platform, cfg, admin, other", [
    ("cisco_ios", "version 15.2\nhostname r1\nusername admin privilege 15 password 0 Adm1n#Pass\n"
     "username guest privilege 1 password 0 Gu3st#Pass\nenable password 0 En4ble#Pass\nend",
     ["Adm1n#Pass", "En4ble#Pass"], "Gu3st#Pass"),
    ("cisco_ios", "version 15.2\nhostname r1\nenable secret 5 $1$abcd$abcdefghijklmnopqrstuv\nend",
     ["$1$abcd$abcdefghijklmnopqrstuv"], None),
    ("huawei_vrp", "#\nsysname SW1\n#\nsuper password level 15 cipher %^%#abcdefghijklmnop%^%#\n#\nreturn",
     ["%^%#abcdefghijklmnop%^%#"], None),
    ("hp_comware", "#\n version 7.1.064, Release 0821P16\n#\n sysname H3C\n#\nsuper password role network-admin "
     "hash $h$6$abcdefghijkl\n#\nreturn", ["$h$6$abcdefghijkl"], None),
])
def test_fleet_admin_secrets_are_the_administrators_and_the_enable_secret(platform, cfg, admin, other):
    from scanner import platforms
    from scanner.checkkit import Facts
    from scanner.secrets import fingerprint
    plat = platforms.get(platform)
    parsed = plat.parse({"config": cfg})
    ff = plat.fleet_facts(Facts(parsed.facts, parsed.documents, str))
    assert ff.admin_secrets == sorted(fingerprint(s) for s in admin)
    assert other is None or fingerprint(other) not in ff.admin_secrets


# Huawei `display version`: the release on the "VRP (R) software, Version ..." line, the full model on the
# "HUAWEI <model> ... uptime is" line further down (the lifecycle tables match full model names); read line by line
def test_huawei_display_version_gives_the_full_model_and_release():
    from scanner import platforms
    version = ("Huawei Versatile Routing Platform Software\n"
               "VRP (R) software, Version 5.170 (S5720 V200R019C10SPC500)\n"
               "Copyright (C) 2000-2020 HUAWEI TECH Co., Ltd.\n"
               "HUAWEI S5720-28X-LI-AC Routing Switch uptime is 0 week, 1 day, 2 hours, 3 minutes\n")
    parsed = platforms.get("huawei_vrp").parse({"config": f"{_HW}return", "version": version})
    assert (parsed.identity.model, parsed.identity.software_version) == ("S5720-28X-LI-AC", "V200R019C10SPC500")
    assert parsed.documents["version"][3].startswith("HUAWEI S5720-28X-LI-AC")


# Session 11, seed-31 survivors (mut11l) of the Linux parsers.
@pytest.mark.parametrize("text, want", [
    ("deny = 4\n", {"deny": "4"}),
    ("deny=4\n", {"deny": "4"}),
    ("  unlock_time = 900  \n", {"unlock_time": "900"}),
    ("even_deny_root\n", {"even_deny_root": ""}),
    ("# deny = 4\n", {}),
    ("deny = 4   # lock after four failures\n", {"deny": "4"}),       # a comment after the value
    ("even_deny_root # root too\n", {"even_deny_root": ""}),
    ("deny = 4  # see ticket #123\n", {"deny": "4"}),                    # the first `#` starts it
    ("deny = 4\ndeny = 6\n", {"deny": "6"}),                           # a later line sets it again
    ("badwords = pass=word\n", {"badwords": "pass=word"}),             # the value runs from the first `=`
])
def test_faillock_and_pwquality_conf_lines(text, want):
    """faillock.conf(5) and pwquality.conf(5): `name = value` (spaces around `=` optional) or a bare flag; `#`
    starts a comment anywhere on a line (both readers cut the line at its first `#`: linux-pam
    modules/pam_faillock/faillock_config.c read_config_file, libpwquality src/settings.c pwquality_read_config)."""
    from scanner.platforms import linux_pam
    assert linux_pam.kv_conf(text) == want


def test_a_commented_faillock_conf_value_still_locks():
    """The same rule end to end: `deny = 4  # ...` in faillock.conf is deny 4 (a false fail "never locks" before)."""
    h = parse(pam="#all /etc/pam.d\n==> /etc/pam.d/sshd\nauth required pam_faillock.so authfail\n",
              faillock="deny = 4  # four tries\nunlock_time = 900 # 15 minutes\n")
    lk = h.lockouts["sshd"]
    assert (lk.deny, lk.unlock_s, lk.locks) == (4, 900, True)


@pytest.mark.parametrize("levels, found", [(15, True), (16, False)])
def test_pam_include_chain_stops_at_libpams_sixteen_levels(levels, found):
    """libpam (libpam/pam_handlers.c, PAM_SUBSTACK_MAX_LEVEL 16 in pam_private.h) loads the service file at level 0
    and refuses a file at include level 16: a chain of includes is read down to level 15 and no further."""
    from scanner.platforms import linux_pam
    files = {f"f{i}": [(1, f"auth include f{i + 1}")] for i in range(levels)}
    files["sshd"] = files.pop("f0")
    files[f"f{levels}"] = [(1, "auth required pam_faillock.so authfail deny=4")]
    stack = linux_pam.resolve(files, True, "sshd", "rhel")
    assert ([e.module for e in stack.entries] == ["pam_faillock"]) is found


def test_a_bare_block_of_pam_lines_is_read_as_an_unnamed_file():
    """A pam section without `==>` headers names no file: its lines are read as the stack (marked `(unnamed)`, so the
    report says the file was not named), not as a stock include."""
    h = parse(pam="auth required pam_faillock.so authfail deny=4\n")
    stack = h.pam_stacks["sshd"]
    assert (stack.assumed, [e.module for e in stack.entries], stack.missing) == ("(unnamed)", ["pam_faillock"], [])


@pytest.mark.parametrize("args, root", [("deny=5 even_deny_root", True), ("deny=5", False)])
def test_tally2_even_deny_root(args, root):
    """pam_tally2(8): even_deny_root locks root's account too."""
    h = parse(pam=f"#all /etc/pam.d\n==> /etc/pam.d/sshd\nauth required pam_tally2.so {args}\n")
    assert (h.lockouts["sshd"].module, h.lockouts["sshd"].even_deny_root) == ("pam_tally2", root)


@pytest.mark.parametrize("line, optional", [("-auth required pam_faillock.so authfail", True),
                                            ("auth required pam_faillock.so authfail", False)])
def test_a_dash_line_is_marked_optional(line, optional):
    """pam.conf(5): a type preceded by `-` is loaded only if the module exists (no error logged when it is missing)."""
    from scanner.platforms import linux_pam
    stack = linux_pam.resolve({"sshd": [(1, line)]}, True, "sshd", "rhel")
    assert [(e.module, e.optional_load) for e in stack.entries] == [("pam_faillock", optional)]


@pytest.mark.parametrize("text, days", [
    ("weekly\n/var/log/wtmp {\n    rotate 1\n}\n", None),          # the rotate count belongs to wtmp only
    ("weekly\n/var/log/wtmp {\n    monthly\n}\nrotate 4\n", None),
    ("weekly\nrotate 4\n/var/log/wtmp {\n    monthly\n    rotate 1\n}\n", 35),
])
def test_logrotate_settings_in_a_file_block_are_not_global(text, days):
    """logrotate(8): directives inside a `path { ... }` block apply to those files only; the global defaults are the
    lines before the first block."""
    assert parse(logrotate=text).logrotate_days == days


def test_a_linux_asset_is_named_by_its_inventory_name():
    """The collection script prints no host name: the asset keeps the name the inventory gave it."""
    from scanner.engine import ScanContext, assess_documents
    a = assess_documents({"passwd": PASSWD, "os_release": 'PRETTY_NAME="Rocky Linux 9.3"\n'}, ScanContext.default(),
                         "linux", "db-01", "ssh://db-01")
    assert a.hostname == "db-01"


@pytest.mark.parametrize("where", ["line", "conf"])
def test_faillock_unlock_time_never_is_zero(where):
    """faillock.conf(5), unlock_time=n: "The value 0 has the same meaning as value never": locked until an
    administrator resets it, on the module line as in faillock.conf (the same option reader)."""
    line = "auth required pam_faillock.so authfail deny=4" + (" unlock_time=never" if where == "line" else "")
    h = parse(pam=f"#all /etc/pam.d\n==> /etc/pam.d/sshd\n{line}\n",
              faillock="unlock_time = never\n" if where == "conf" else "")
    assert (h.lockouts["sshd"].deny, h.lockouts["sshd"].unlock_s) == (4, 0)


def test_a_service_without_its_own_file_in_a_complete_listing_runs_other_after_parsing():
    """pam.d(5): with the whole of /etc/pam.d listed (`#all /etc/pam.d`), a service without a file runs `other`."""
    h = parse(pam="#all /etc/pam.d\n==> /etc/pam.d/other\nauth required pam_deny.so\n")
    stack = h.pam_stacks["sshd"]
    assert ([e.module for e in stack.entries], stack.assumed, stack.missing) == (["pam_deny"], None, [])


def test_an_older_capture_with_one_named_file_falls_back_to_the_stock_include():
    """An older capture (no `#all` line) holding only Debian's common-auth: sshd is assumed to run the stock
    `@include common-auth` (the file is named, so it is not an unnamed block)."""
    from scanner.platforms import linux_pam
    stack = linux_pam.resolve({"common-auth": [(2, "auth required pam_faillock.so authfail")]}, False, "sshd",
                              "debian")
    assert (stack.assumed, [e.module for e in stack.entries], stack.missing) == ("common-auth", ["pam_faillock"], [])


def test_an_at_include_without_a_file_name_does_not_stop_the_stack():
    from scanner.platforms import linux_pam
    stack = linux_pam.resolve({"sshd": [(1, "@include"), (2, "auth required pam_faillock.so authfail")]}, True,
                              "sshd", "debian")
    assert [e.module for e in stack.entries] == ["pam_faillock"]


@pytest.mark.parametrize("args, unlock", [("deny=5 unlock_time=600", 600), ("deny=5", 0)])
def test_tally2_unlock_time(args, unlock):
    """pam_tally2(8): unlock_time=n re-enables access n seconds after the lock; without it the account stays locked
    until an administrator resets it (0)."""
    h = parse(pam=f"#all /etc/pam.d\n==> /etc/pam.d/sshd\nauth required pam_tally2.so {args}\n")
    assert (h.lockouts["sshd"].deny, h.lockouts["sshd"].unlock_s) == (5, unlock)


@pytest.mark.parametrize("lines, counts", [
    (["auth required pam_faillock.so preauth", "auth [default=die] pam_faillock.so authfail"], True),
    (["auth required pam_faillock.so preauth", "auth sufficient pam_faillock.so authsucc"], False),
])
def test_only_an_authfail_faillock_line_counts_failures(lines, counts):
    """pam_faillock(8): preauth checks for a lock, authsucc clears the record after a success; only authfail (the
    default mode) records failures, so a stack with preauth and authsucc alone never locks."""
    body = "\n".join(lines)
    h = parse(pam=f"#all /etc/pam.d\n==> /etc/pam.d/sshd\n{body}\n")
    assert h.lockouts["sshd"].counts is counts and h.lockouts["sshd"].locks is counts


# Session 11, seed-33 survivors (mut11l).
def test_shadow_lines_are_numbered_as_printed_blank_lines_counted():
    h = parse(passwd=PASSWD, shadow="root:*:19000:0:99999:7:::\n\nops:$6$s$abcdefghijkl:19000:0:90:7:::\n")
    assert [(a.name, a.shadow_line) for a in h.accounts] == [("root", 1), ("ops", 3)]


def test_profile_d_counts_only_when_the_complete_capture_shows_etc_profile_looping_over_it():
    """bash(1) reads /etc/profile; the *.sh files of /etc/profile.d only because /etc/profile sources them: a complete
    capture (`#all /etc/profile.d`) whose /etc/profile has no such loop leaves them unread."""
    body = "==> /etc/profile.d/tmout.sh\nTMOUT=300\n"
    h = parse(profile="#all /etc/profile.d\n==> /etc/profile\nexport PATH\n" + body)
    assert (h.tmout_s, h.tmout_ignored) == (None, [("profile", 5)])
    h = parse(profile="#all /etc/profile.d\n==> /etc/profile\nfor i in /etc/profile.d/*.sh; do . $i; done\n" + body)
    assert (h.tmout_s, h.tmout_line) == (300, ("profile", 5))


def test_tmout_after_other_lines_of_a_file_counts():
    h = parse(profile="# idle logout\nexport PATH\nreadonly TMOUT=300\n")
    assert (h.tmout_s, h.tmout_line, h.tmout_readonly) == (300, ("profile", 3), True)


@pytest.mark.parametrize("text, days", [("weekly\nrotate\n", None), ("weekly\nrotate 4\n", 35)])
def test_logrotate_rotate_without_a_count_sets_nothing(text, days):
    """logrotate(8): `rotate count`; a bare `rotate` sets no count."""
    assert parse(logrotate=text).logrotate_days == days


def test_logrotate_block_of_a_quoted_path_is_not_global():
    """logrotate(8): file names may be quoted ("/var/log/app.log" { ... }); the block's directives are its own."""
    assert parse(logrotate='weekly\n"/var/log/app.log" {\n    rotate 1\n}\n').logrotate_days is None


def test_rsyslog_lines_before_any_file_header_are_rsyslog_conf():
    h = parse(rsyslog="*.* @@10.0.0.5:514\n==> /etc/rsyslog.d/unused.conf\n*.* @10.0.0.9\n")
    assert (h.remote_log_lines, h.remote_log_ignored) == ([("rsyslog", 1)], [("rsyslog", 3)])


def test_audit_rules_are_one_a_line():
    h = parse(audit_rules="-w /etc/passwd -p wa -k identity\n-w /etc/shadow -p wa -k identity\n")
    assert h.audit_rules == ["-w /etc/passwd -p wa -k identity", "-w /etc/shadow -p wa -k identity"]


def test_an_at_include_inside_a_typed_include_keeps_that_type():
    """pam.conf(5): `auth substack F` reads only F's auth lines; an `@include` inside F inserts its file under the
    same request, so its account lines stay out of the auth stack."""
    from scanner.platforms import linux_pam
    files = {"sshd": [(1, "auth substack system-auth")], "system-auth": [(1, "@include common")],
             "common": [(1, "auth required pam_unix.so"), (2, "account required pam_faillock.so")]}
    stack = linux_pam.resolve(files, True, "sshd", "debian")
    assert [(e.file, e.type, e.module) for e in stack.entries] == [("common", "auth", "pam_unix")]


def test_a_continued_pam_line_does_not_hide_the_lines_after_it():
    """pam.conf(5): a line may be extended with an escaped newline; whatever is read of it, the next entry counts."""
    from scanner.platforms import linux_pam
    files = {"sshd": [(1, "auth [success=1 default=ignore] \\"), (2, "    pam_unix.so nullok"),
                      (3, "auth required pam_faillock.so authfail deny=4")]}
    stack = linux_pam.resolve(files, True, "sshd", "rhel")
    assert "pam_faillock" in [e.module for e in stack.entries]


def test_other_modules_keep_their_flags_but_not_their_values():
    """Module arguments other than the counters' and quality modules' may hold secrets (pam_mysql passwd=): only
    flags are kept, so an OTP module's nullok is still seen."""
    h = parse(pam="#all /etc/pam.d\n==> /etc/pam.d/sshd\n"
                  "auth required pam_google_authenticator.so nullok secret=/etc/otp/${USER}\n")
    assert [(e.module, e.args) for e in h.sshd_otp] == [("pam_google_authenticator", {"nullok": ""})]


def test_lines_after_an_include_line_still_count():
    """pam.conf(5): `include` inserts the lines of that type from the named file where it stands; the lines after it
    in the service's file follow."""
    from scanner.platforms import linux_pam
    files = {"sshd": [(1, "auth include system-auth"), (2, "auth required pam_faillock.so authfail")],
             "system-auth": [(1, "auth sufficient pam_unix.so")]}
    stack = linux_pam.resolve(files, True, "sshd", "rhel")
    assert [(e.file, e.module) for e in stack.entries] == [("system-auth", "pam_unix"), ("sshd", "pam_faillock")]


def test_every_tmout_line_of_a_file_no_shell_reads_is_cited():
    h = parse(profile="#all /etc/profile.d\n==> /etc/profile\nexport PATH\n==> /etc/environment\nTMOUT=300\n"
                      "export TMOUT=300\n")
    assert (h.tmout_s, h.tmout_ignored) == (None, [("profile", 5), ("profile", 6)])


# Session 11, seed-34 survivors (mut11l).
def test_an_at_include_may_name_the_file_by_its_path():
    from scanner.platforms import linux_pam
    files = {"sshd": [(1, "@include /etc/pam.d/common-auth")], "common-auth": [(1, "auth required pam_unix.so")]}
    assert [e.module for e in linux_pam.resolve(files, True, "sshd", "debian").entries] == ["pam_unix"]


def test_an_at_include_loop_stops():
    """A file that includes itself: libpam stops at its include limit; reading it ends too, the lines read once."""
    from scanner.platforms import linux_pam
    files = {"sshd": [(1, "@include sshd"), (2, "auth required pam_faillock.so authfail")]}
    stack = linux_pam.resolve(files, True, "sshd", "debian")
    assert {e.module for e in stack.entries} == {"pam_faillock"}


def test_tally2_counter_cites_its_pam_line():
    h = parse(pam="#all /etc/pam.d\n==> /etc/pam.d/sshd\nauth required pam_tally2.so deny=5\n")
    assert h.lockouts["sshd"].line == ("pam", 3)


# Session 11 (lead): TMOUT as bash leaves it. bash(1): a variable keeps the last value assigned to it; once it is
# `readonly` (or `declare -r`), a later assignment fails ("readonly variable") and the value stays. The files a login
# shell reads are read in an order the capture cannot always tell (/etc/profile loops over /etc/profile.d where it
# likes; Debian's sources /etc/bash.bashrc first), so with no readonly, different values in different files are
# judged by the least strict of them (0: no timeout at all).
_PD = "#all /etc/profile.d\n==> /etc/profile\nfor i in /etc/profile.d/*.sh; do . $i; done\n"


@pytest.mark.parametrize("profile, seconds, readonly", [
    ("TMOUT=300\nTMOUT=900\n", 900, False),                      # the last assignment wins
    ("TMOUT=900\nTMOUT=300\n", 300, False),
    ("readonly TMOUT=300\nTMOUT=900\n", 300, True),              # assigning a readonly variable fails
    ("TMOUT=900\nreadonly TMOUT=300\n", 300, True),
    ("TMOUT=300\nreadonly TMOUT\nTMOUT=900\n", 300, True),
    ("readonly TMOUT\nTMOUT=300\n", None, True),                 # readonly while unset: it stays unset
    ("declare -r TMOUT=300\nexport TMOUT=900\n", 300, True),
    ("TMOUT=300\ndeclare -r TMOUT\nTMOUT=0\n", 300, True),
    ("TMOUT=300\nTMOUT=0\n", 0, False),                          # 0: no timeout
])
def test_tmout_in_one_file_is_what_bash_leaves(profile, seconds, readonly):
    h = parse(profile=profile)
    assert (h.tmout_s, h.tmout_readonly) == (seconds, readonly)


@pytest.mark.parametrize("files, seconds, line, readonly", [
    # two files without readonly: the least strict counts, wherever the shell reads it
    ({"a.sh": "TMOUT=300", "z.sh": "TMOUT=3600"}, 3600, 7, False),
    ({"a.sh": "TMOUT=3600", "z.sh": "TMOUT=300"}, 3600, 5, False),
    ({"a.sh": "TMOUT=300", "z.sh": "TMOUT=0"}, 0, 7, False),
    # a readonly value holds against every file read after it
    ({"a.sh": "readonly TMOUT=300", "z.sh": "TMOUT=3600"}, 300, 5, True),
    ({"a.sh": "TMOUT=300", "z.sh": "readonly TMOUT=600"}, 600, 7, True),
    ({"a.sh": "TMOUT=300", "z.sh": "TMOUT=300"}, 300, 5, False),
])
def test_tmout_over_several_files(files, seconds, line, readonly):
    body = "".join(f"==> /etc/profile.d/{name}\n{text}\n" for name, text in files.items())
    h = parse(profile=_PD + body)
    assert (h.tmout_s, h.tmout_line, h.tmout_readonly) == (seconds, ("profile", line), readonly)


def test_a_readonly_tmout_in_etc_profile_holds_against_profile_d():
    h = parse(profile="#all /etc/profile.d\n==> /etc/profile\nreadonly TMOUT=600\n"
                      "for i in /etc/profile.d/*.sh; do . $i; done\n==> /etc/profile.d/z.sh\nTMOUT=3600\n")
    assert (h.tmout_s, h.tmout_line, h.tmout_readonly) == (600, ("profile", 3), True)


@pytest.mark.parametrize("lines, want", [
    # pam.conf(5): "extend a line using a backslash": the escaped newline joins the next line to this one
    ([(1, "auth required pam_faillock.so preauth \\"), (2, "    deny=4 unlock_time=600"),
      (3, "auth required pam_unix.so")],
     [(1, "pam_faillock", {"preauth": "", "deny": "4", "unlock_time": "600"}), (3, "pam_unix", {})]),
    ([(1, "auth \\"), (2, "required \\"), (3, "pam_faillock.so deny=5")], [(1, "pam_faillock", {"deny": "5"})]),
    # libpam cuts a line at its first '#' before it looks for the backslash: a commented backslash continues nothing
    ([(1, "auth required pam_faillock.so preauth # deny below \\"), (2, "deny=9")],
     [(1, "pam_faillock", {"preauth": ""})]),
])
def test_a_pam_line_continued_with_a_backslash_is_one_entry(lines, want):
    from scanner.platforms import linux_pam
    stack = linux_pam.resolve({"sshd": lines}, True, "sshd", "rhel")
    assert [(e.line, e.module, e.args) for e in stack.entries] == want
