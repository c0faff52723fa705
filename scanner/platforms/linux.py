"""Linux servers (RHEL/CentOS/openEuler/Kylin, Debian/Ubuntu): read-only sections collected by one script over
one SSH exec channel, parsed into one `LinuxHost` (scanner/platforms/linux_host.py) and named as the facts checks
read (`linux.pam`, `linux.shadow`...), each with the reason when its section could not be read.
"""
from __future__ import annotations

import re

from scanner.errors import ReasonCode
from scanner.model import FleetFacts
from scanner.platforms.base import (
    GENERIC_SECRET_SYNTAXES, Collection, Detection, Identity, Masker, Parsed, Required, SessionProfile, secret_values,
)
from scanner.platforms.linux_host import SERVICE_NAMES, Account, LinuxHost, parse

# logical section -> shell command. Only these run on a server, joined into one script by collection_script().
SECTIONS: dict[str, str] = {
    "id": "id -u",
    "os_release": "cat /etc/os-release",
    "login_defs": "cat /etc/login.defs",
    "pwquality": "cat /etc/security/pwquality.conf /etc/security/pwquality.conf.d/*.conf",
    # every file of /etc/pam.d, so the parser can follow includes; the first line says the listing is complete
    "pam": "echo '#all /etc/pam.d'; for f in /etc/pam.d/*; do [ -f \"$f\" ] && { echo \"==> $f\"; cat \"$f\"; "
           "echo; }; done",
    "faillock": "cat /etc/security/faillock.conf",
    # all of /etc/profile.d: the parser decides which files a login shell sources (*.sh, when /etc/profile loops)
    "profile": "echo '#all /etc/profile.d'; for f in /etc/profile /etc/profile.d/* /etc/bash.bashrc /etc/bashrc; do [ -f \"$f\" ] && "
               "{ echo \"==> $f\"; cat \"$f\"; echo; }; done",
    "sshd_effective": "sshd -T 2>/dev/null || /usr/sbin/sshd -T",
    "sshd_config": "cat /etc/ssh/sshd_config /etc/ssh/sshd_config.d/*.conf",
    "passwd": "cat /etc/passwd",
    "shadow": "cat /etc/shadow",
    "sudoers": "cat /etc/sudoers /etc/sudoers.d/*",
    "services": "systemctl is-active " + " ".join(SERVICE_NAMES),
    "audit_rules": "auditctl -l",
    # every file of rsyslog.d, each behind its name: only those rsyslog.conf includes count
    "rsyslog": "for f in /etc/rsyslog.conf /etc/rsyslog.d/*; do [ -f \"$f\" ] && { echo \"==> $f\"; cat \"$f\"; "
               "echo; }; done",
    "logrotate": "cat /etc/logrotate.conf",
    "listening": "ss -tulnH",
    "perms": "stat -c '%a %U %G %n' /etc/passwd /etc/shadow /etc/group /etc/gshadow /etc/ssh/sshd_config /etc/sudoers",
    "processes": "ps -eo comm=",
    "timesync": "timedatectl show -p NTP -p NTPSynchronized",
    # Pending security updates by the host's own package index (cache only: no network). On Debian/Ubuntu the
    # upgradable packages whose candidate comes from a *-security suite: the same count as a simulated
    # `apt-get -s upgrade` (74 = 74 on the bench host) in a third of the time (0.9 s vs 2.8 s of CPU).
    "security_updates": "if command -v apt >/dev/null; then echo \"apt $(apt list --upgradable 2>/dev/null | "
                        "grep -c '^[^/]*/[^ ]*-security')\"; elif command -v dnf >/dev/null; then echo \"dnf $(dnf -q "
                        "--cacheonly updateinfo list --security 2>/dev/null | wc -l)\"; elif command -v yum "
                        ">/dev/null; then echo \"yum $(yum -q --cacheonly updateinfo list security 2>/dev/null | "
                        "wc -l)\"; fi",
}
MARK = "@@MLPS-SECTION:"


def collection_script() -> str:
    """One script printing every section behind a marker; stderr is dropped, nothing is written anywhere."""
    parts = [f"echo '{MARK}{name}'; ({cmd}) 2>/dev/null" for name, cmd in SECTIONS.items()]
    return "LC_ALL=C; export LC_ALL; " + "; ".join(parts) + f"; echo '{MARK}end'"


def split_sections(output: str) -> dict[str, str]:
    out: dict[str, str] = {}
    name, buf = None, []
    for line in output.split("\n"):
        if line.startswith(MARK):
            if name and name != "end":
                out[name] = "\n".join(buf)
            name, buf = line[len(MARK):].strip(), []
        elif name:
            buf.append(line)
    return out


# A name=value pair whose name says it holds a secret: *PASSWORD*, *PASSWD*, *PASSPHRASE*, *SECRET*, *TOKEN*,
# *CREDENTIAL(S)* (with an optional _SUFFIX), or a name ending in PASS, PWD, PW, KEY or KEY_ID (DB_PASS, MYSQL_PWD,
# ENCRYPTION_KEY, AWS_ACCESS_KEY_ID), as a shell variable, a --long-option or a module argument. `-F key=` in
# audit rules is a rule tag, and names such as KeyFile or passwdcolumn name no secret.
_SECRET_NAME = (r"(?<![\w.-])(?<!-F )-{0,2}(?:[a-z0-9_.-]*(?:password|passwd|passphrase|secret|token|credentials?)"
                r"(?:_[a-z0-9_]*)?|(?:[a-z0-9_.-]*_)?(?:pass|pwd|pw|key|key_id|apikey))\s*=\s*")
SECRET_SYNTAXES = {
    # /etc/shadow hash: keep the lock prefix (!, *) and the $scheme$ so verdicts survive redaction
    "shadow hash": r"^[^:\s]+:[!*]*(?:\$[0-9a-z]+\$)?(?P<secret>[^:!*$][^:]{7,}):",
    "secret name=\"value\"": _SECRET_NAME + r"(?P<q>[\"'])(?P<secret>[^\"'\n]+)(?P=q)",
    "secret name=value": _SECRET_NAME + r"(?P<secret>[^\s\"';]+)",
    "rsyslog legacy :ommysql:host,db,user,password": r":om(?:mysql|pgsql):[^,\s]*,[^,\s]*,[^,\s]*,(?P<secret>[^;\s]+)",
    "user:password@ in a URL": GENERIC_SECRET_SYNTAXES["user:password@ in a URL"],
}
# Every line above holds one of: `=`, a URL, an rsyslog output module, or a shadow hash field of 8+ characters.
_MASKER = Masker(SECRET_SYNTAXES.values(), r"=|://|:om|^[^:\s]+:[^:]{8,}:")


# Fact -> why the parser cannot give it (zh, en), and whether it did. A fact of a file whose absence is itself a
# setting (login.defs, profile, rsyslog, logrotate: nothing configured) is always given.
_WHY_NOT = {
    "linux.accounts": ("无法读取/etc/passwd", "/etc/passwd not read"),
    "linux.shadow": ("无法读取/etc/shadow（需root或sudo）", "/etc/shadow not readable (needs root)"),
    "linux.pam": ("无法读取PAM配置", "PAM configuration not read"),
    "linux.sshd": ("无法获取sshd配置", "sshd configuration not read"),
    "linux.sudoers": ("无法读取sudoers", "sudoers not read"),
    "linux.services": ("无法获取服务状态（systemctl）", "service states not read"),
    "linux.audit": ("无法获取审计规则（auditctl -l 需root）", "audit rules not read (auditctl -l needs root)"),
    "linux.listening": ("无法获取监听端口", "listening ports not read"),
    "linux.perms": ("无法获取关键文件权限", "key file permissions not read"),
    "linux.processes": ("无法获取进程列表", "process list not read"),
    "linux.timesync": ("无法确认时间同步状态", "time synchronisation unknown"),
    "linux.updates": ("无法获取待安装的安全更新（需核查漏洞扫描报告与补丁记录）",
                      "pending security updates unknown: check the vulnerability scan and patch records"),
}
ALWAYS = ("linux.os", "linux.login_defs", "linux.profile", "linux.rsyslog", "linux.logrotate", "linux_host")


def _given(h: LinuxHost) -> dict[str, bool]:
    return {"linux.accounts": bool(h.accounts), "linux.shadow": "shadow" in h.sections,
            "linux.pam": "pam" in h.sections, "linux.sshd": bool(h.sshd), "linux.sudoers": "sudoers" in h.sections,
            "linux.services": bool(h.services), "linux.audit": h.audit_rules_known,
            "linux.listening": "listening" in h.sections, "linux.perms": bool(h.perms),
            "linux.processes": bool(h.processes), "linux.timesync": h.ntp_synchronized is not None,
            "linux.updates": h.pending_security_updates is not None}


_REMOTE_LOG_HOST = re.compile(r"@@?\[?([\w.:-]+?)\]?(?::\d+)?(?:\s|$)|target=\"([^\"]+)\"")
_TIME_SERVICES = ("chronyd", "chrony", "ntp", "ntpd", "systemd-timesyncd")


class Linux:
    name = "linux"
    kind = "server"
    title = "Linux"
    aliases: tuple[str, ...] = ()
    detection = Detection(saved_config=False, ssh_banners=("OpenSSH",))
    collect = Collection(mode="script", commands=dict(SECTIONS), allowed=frozenset({collection_script()}),
                         script=collection_script(), split=split_sections, extras=("ports",))
    session = SessionProfile(paging=(), quit="exit", prompt_style="sh",
                             commands={"script": collection_script()}, unrecognized=(), ssh_banners=("OpenSSH",))
    end_marker = None
    required = Required("passwd", ReasonCode.COLLECTION_INCOMPLETE, "the collection script returned no "
                        "/etc/passwd: not a Linux shell, or output lost", blank_is_missing=True)
    facts = frozenset(_WHY_NOT) | frozenset(ALWAYS)
    mask = staticmethod(_MASKER)
    secrets = staticmethod(_MASKER.secrets)

    def decode_secret(self, line: str, value: str) -> str:
        return value

    def detect_score(self, text: str) -> int:
        return 0               # detection.saved_config is False: no saved file is recognised as a Linux host

    def parse(self, documents: dict[str, str]) -> Parsed:
        h = parse(documents)
        given = _given(h)
        facts = {name: h for name in self.facts if given.get(name, True)}
        unavailable = {name: why for name, why in _WHY_NOT.items() if not given[name]}
        return Parsed(facts, unavailable, {k: v.split("\n") for k, v in documents.items()},
                      Identity(software_version=h.os_name, os_name=h.os_name), hostname_is_asset_name=True)

    def secret_values(self, documents: dict[str, list[str]]) -> frozenset[str]:
        return secret_values(_MASKER, documents.get("shadow", []))

    def fleet_facts(self, facts) -> FleetFacts:
        h = facts["linux_host"]
        hosts = set()
        stopped = bool(h.processes) and "rsyslogd" not in h.processes and not h.services.get("rsyslog")
        for src, ln in ([] if stopped else h.remote_log_lines):      # a stopped forwarder sends nothing
            text = facts.evidence(ln, source=src)
            m = _REMOTE_LOG_HOST.search(text[0].text if text else "")
            if m:
                hosts.add(m.group(1) or m.group(2))
        synced = h.ntp_synchronized if h.ntp_synchronized is not None else (
            any(h.services.get(s) for s in _TIME_SERVICES) or None)
        return FleetFacts(syslog_hosts=sorted(hosts), ntp=synced)


PLATFORM = Linux()
__all__ = ["PLATFORM", "SECTIONS", "Account", "LinuxHost", "collection_script", "parse", "split_sections"]
