"""访问控制, 安全审计, 入侵防范, 恶意代码, 数据保密性 for Linux servers."""
from __future__ import annotations

from scanner.checkkit import Facts, Verdict, check, failed, manual, passed
from scanner.model import FixKind, Severity
from scanner.policy import Policy

from checks.linux.identification import SERVER, interactive
from scanner.ports import HIGH_RISK_TCP as HIGH_RISK_PORTS

SYSTEM_SHELLS_OK = ("nologin", "false", "sync", "shutdown", "halt")
AV_PROCESSES = ("clamd", "freshclam", "falcon-sensor", "sav-protect", "savd", "ds_agent", "mfetpd", "esets",
                "kesl", "rsagent", "edr_agent", "qaxsafe", "360sd", "hipsdaemon", "sangfor_edr", "huorong")
KEY_FILES = {"/etc/passwd": 0o644, "/etc/group": 0o644, "/etc/shadow": 0o640, "/etc/gshadow": 0o640,
             "/etc/ssh/sshd_config": 0o644, "/etc/sudoers": 0o440}
AUDIT_WATCHES = ("/etc/passwd", "/etc/shadow", "/etc/group", "/etc/sudoers")
WEAK_SSH_CIPHERS = ("cbc", "3des", "arcfour", "blowfish", "cast128")


@check(id="linux_security_updates_applied", title_zh="及时修补已知漏洞（安全更新）",
       title_en="Security updates applied", controls=("8.1.4.4.e",), severity=Severity.HIGH,
       needs=("linux.updates",), applies_to=SERVER, fix_kind=FixKind.FIRMWARE)
def _updates(facts: Facts, policy: Policy) -> Verdict:
    h = facts["linux.updates"]
    n = h.pending_security_updates
    ev = facts.evidence(1, source="security_updates")
    if n:
        return failed(f"有{n}个安全更新未安装（{h.package_manager}，按主机当前软件源索引）",
                      f"{n} security updates pending ({h.package_manager}, per the host's package index)", ev)
    return passed(f"无待安装的安全更新（{h.package_manager}，按主机当前软件源索引）",
                  "no pending security update per the host's package index", ev)


@check(id="linux_root_ssh_login_disabled", title_zh="禁止root远程登录", title_en="Root SSH login disabled",
       controls=("8.1.4.2.b",), severity=Severity.MEDIUM, needs=("linux.sshd",), applies_to=SERVER)
def _root_login(facts: Facts, policy: Policy) -> Verdict:
    h = facts["linux.sshd"]
    v = h.sshd.get("permitrootlogin", "prohibit-password")
    ev = facts.evidence(h.sshd_lines.get("permitrootlogin"), source=h.sshd_source or "sshd_config") or \
        [facts.note(f"PermitRootLogin {v} (default)")]
    relaxed = [m for m in h.sshd_match if m[1].get("permitrootlogin", "no").lower() != "no"]
    if v == "no" and relaxed:      # sshd -T shows the global value only; a Match block can allow root again
        return manual("全局禁止root远程登录，但Match块对部分地址或用户允许root登录（" + relaxed[0][0] + "），需核实来源受控",
                      "root login is off globally but a Match block allows it for " + relaxed[0][0],
                      ev + facts.evidence(*[m[2] for m in relaxed], source="sshd_config"))
    if v == "no":
        return passed("禁止root（默认账户）远程登录", "root may not log in over SSH", ev)
    return failed(f"允许root远程登录（PermitRootLogin {v}），默认账户未限制", f"PermitRootLogin {v}", ev)


@check(id="linux_system_accounts_locked", title_zh="默认/系统账户禁用，无多余账户", title_en="System accounts disabled",
       controls=("8.1.4.2.b", "8.1.4.2.c"), severity=Severity.MEDIUM, needs=("linux.accounts",), uses=("linux.shadow",),
       applies_to=SERVER)
def _system_accounts(facts: Facts, policy: Policy) -> Verdict:
    h = facts["linux.accounts"]
    bad = [a for a in h.accounts if 0 < a.uid < 1000 and not a.shell.endswith(SYSTEM_SHELLS_OK)
           and a.password not in ("locked", "unknown")]
    if bad:
        return failed("系统/默认账户可交互登录且未锁定：" + "、".join(a.name for a in bad),
                      "system accounts with a shell and a usable password: " + ", ".join(a.name for a in bad),
                      facts.evidence(*[a.line for a in bad], source="passwd"))
    users = "、".join(a.name for a in interactive(h)) or "无"
    return manual(f"系统账户均已禁用；可登录账户：{users}，需对照账户权限表核实无多余、共享账户",
                  "system accounts are disabled; compare the login accounts with the account list",
                  facts.evidence(*[a.line for a in interactive(h)], source="passwd"))


@check(id="linux_sudo_least_privilege", title_zh="sudo最小权限与权限分离", title_en="sudo least privilege",
       controls=("8.1.4.2.d",), severity=Severity.MEDIUM, needs=("linux.sudoers",), applies_to=SERVER)
def _sudo(facts: Facts, policy: Policy) -> Verdict:
    h = facts["linux.sudoers"]
    if h.sudo_nopasswd_all:
        return failed("存在免口令的全部root权限（NOPASSWD: ALL），未实现最小权限",
                      "NOPASSWD: ALL grants full root without a password",
                      facts.evidence(*h.sudo_nopasswd_all, source="sudoers"))
    return manual("需核实管理员、审计员、操作员账户的sudo权限分离", "verify sudo role separation",
                  facts.evidence(*h.sudo_rules[:6], source="sudoers"))


@check(id="linux_key_file_permissions", title_zh="关键文件访问权限", title_en="Key file permissions",
       controls=("8.1.4.2.f",), severity=Severity.MEDIUM, needs=("linux.perms",), applies_to=SERVER)
def _perms(facts: Facts, policy: Policy) -> Verdict:
    h = facts["linux.perms"]
    bad = [(p, m, ln) for p, (m, owner, ln) in h.perms.items() if p in KEY_FILES and (m & ~KEY_FILES[p])]
    if bad:
        return failed("关键文件权限过宽：" + "、".join(f"{p}({oct(m)[2:]})" for p, m, _ in bad),
                      "key files too permissive", facts.evidence(*[ln for _, _, ln in bad], source="perms"))
    return passed("关键文件权限符合要求（配置文件≤644，shadow≤640）", "key file permissions are tight",
                  facts.evidence(*[v[2] for v in h.perms.values()], source="perms"))


@check(id="linux_auditd_enabled", title_zh="启用安全审计（auditd及规则）", title_en="auditd runs with rules",
       controls=("8.1.4.3.a", "8.1.4.3.b"), severity=Severity.HIGH, needs=("linux.services",), uses=("linux.audit",),
       applies_to=SERVER)
def _auditd(facts: Facts, policy: Policy) -> Verdict:
    h = facts["linux.services"]
    if not h.services.get("auditd"):
        return failed("auditd审计服务未运行", "auditd is not running")
    watched = [w for w in AUDIT_WATCHES if h.audits(w)]
    if len(watched) < len(AUDIT_WATCHES):
        missing = [w for w in AUDIT_WATCHES if w not in watched]
        return failed("auditd未监控关键文件：" + "、".join(missing), "audit rules miss " + ", ".join(missing))
    return passed("auditd运行并监控账户与权限文件", "auditd runs and watches account files",
                  [facts.note(r) for r in h.audit_rules[:4]])


@check(id="linux_logs_kept_remotely", title_zh="日志远程保存、留存≥6个月", title_en="Logs kept remotely / 6 months",
       controls=("8.1.4.3.c", "8.1.5.4.d"), severity=Severity.HIGH, needs=("linux.rsyslog", "linux.logrotate"),
       uses=("linux.processes", "linux.services"), applies_to=SERVER, high_risk=("6.5.1.2",))
def _remote_log(facts: Facts, policy: Policy) -> Verdict:
    """Forwarding counts only in a file rsyslog reads and only while rsyslogd runs."""
    h = facts["linux.rsyslog"]
    fwd = [e for src, ln in h.remote_log_lines for e in facts.evidence(ln, source=src)]
    ignored = [e for src, ln in h.remote_log_ignored for e in facts.evidence(ln, source=src)]
    ps, svc = facts.get("linux.processes"), facts.get("linux.services")
    running = (ps is not None and "rsyslogd" in ps.processes) or bool(svc and svc.services.get("rsyslog"))
    if fwd and running:
        return passed("系统日志转发至远程日志服务器（rsyslogd运行中）", "syslog is forwarded to a remote server "
                      "(rsyslogd running)", fwd)
    if fwd and ps is None and svc is None:
        return manual("配置了日志转发，但无法确认rsyslogd是否运行", "forwarding configured; rsyslogd state unknown", fwd)
    why = ("；已配置转发但rsyslogd未运行" if fwd else "") + ("；转发配置位于rsyslog不读取的文件" if ignored else "")
    why_en = ("; forwarding configured but rsyslogd is not running" if fwd else "") + (
        "; forwarding lines in files rsyslog does not include" if ignored else "")
    days = h.logrotate_days
    if days is not None and days >= policy.log_retention_days:
        return manual(f"未转发远程日志{why}；本地日志轮转保留约{days}天，需核实日志备份与防篡改",
                      f"no remote forwarding{why_en}; local rotation keeps about {days} days",
                      facts.evidence(*h.logrotate_lines, source="logrotate") + fwd + ignored)
    kept = f"约{days}天" if days is not None else "时长未知"
    return failed(f"未转发远程日志{why}，本地日志保留{kept}（要求≥{policy.log_retention_days}天）",
                  f"no remote log forwarding{why_en} and local retention below six months",
                  facts.evidence(*h.logrotate_lines, source="logrotate") + fwd + ignored,
                  signals=("retention_short",) if days is not None else ())


@check(id="linux_high_risk_ports_closed", title_zh="关闭高危端口和服务", title_en="High-risk ports closed",
       controls=("8.1.4.4.b",), severity=Severity.HIGH, needs=("linux.listening",), uses=("open_ports",),
       applies_to=SERVER, high_risk=("6.4.3.1",))
def _ports(facts: Facts, policy: Policy) -> Verdict:
    h = facts["linux.listening"]
    exposed = [x for x in h.listening if x[2] in HIGH_RISK_PORTS and x[1] not in ("127.0.0.1", "::1")]
    scanned = sorted(p for p in (facts.get("open_ports") or ()) if p in HIGH_RISK_PORTS)
    if scanned and not exposed:
        return failed("端口扫描发现高危端口开放：" + "、".join(f"{p}/{HIGH_RISK_PORTS[p]}" for p in scanned),
                      "port scan found high-risk ports open: " + ", ".join(map(str, scanned)),
                      [facts.note(f"nmap: {p}/tcp open", source="ports") for p in scanned])
    if exposed:
        return failed("开放高危端口：" + "、".join(f"{x[2]}/{HIGH_RISK_PORTS[x[2]]}" for x in exposed),
                      "high-risk ports listening: " + ", ".join(str(x[2]) for x in exposed),
                      facts.evidence(*[x[3] for x in exposed], source="listening"), signals=("service_listening",))
    return passed("未开放高危端口", "no high-risk port is listening",
                  facts.evidence(*[x[3] for x in h.listening][:6], source="listening"))


@check(id="linux_mgmt_access_restricted", title_zh="限制管理终端接入", title_en="Management access restricted",
       controls=("8.1.4.4.c",), severity=Severity.MEDIUM, needs=("linux.sshd",), applies_to=SERVER)
def _mgmt_restricted(facts: Facts, policy: Policy) -> Verdict:
    h = facts["linux.sshd"]
    keys = [k for k in ("allowusers", "allowgroups") if h.sshd.get(k)]
    listen = h.sshd.get("listenaddress", "")
    if keys or (listen and not listen.startswith(("0.0.0.0", "[::]", "::"))):
        lines = [h.sshd_lines.get(k) for k in (*keys, "listenaddress")]
        return passed("SSH登录已限制用户或监听地址", "SSH logins restricted by user/group or listen address",
                      facts.evidence(*lines, source=h.sshd_source or "sshd_config"))
    return manual("sshd未限制登录用户/地址；需核实主机防火墙、hosts.allow或堡垒机是否限制管理终端",
                  "sshd does not restrict logins; check the host firewall, hosts.allow or the bastion host")


@check(id="linux_malware_protection", title_zh="恶意代码防范", title_en="Anti-malware present", controls=("8.1.4.5.a",),
       severity=Severity.MEDIUM, needs=(), uses=("linux.processes", "linux.services"), applies_to=SERVER,
       fix_kind=FixKind.PROCESS)
def _malware(facts: Facts, policy: Policy) -> Verdict:
    ps, svc = facts.get("linux.processes"), facts.get("linux.services")
    found = sorted({p for p in (ps.processes if ps else ()) for a in AV_PROCESSES if p.startswith(a)})
    running = [s for s in ("clamav-daemon", "clamd@scan") if svc and svc.services.get(s)]
    if found or running:
        return passed("恶意代码防范软件运行中：" + "、".join(found + running), "anti-malware running")
    if ps is None:          # a running service proves it without the process list; nothing else can
        return manual("无法获取进程列表", "process list not read")
    return failed("未发现运行中的恶意代码防范软件", "no anti-malware software running")


@check(id="linux_time_synchronised", title_zh="系统时间同步", title_en="Clock synchronised", controls=("8.1.4.3.b",),
       severity=Severity.LOW, needs=(), uses=("linux.timesync", "linux.services"), applies_to=SERVER)
def _timesync(facts: Facts, policy: Policy) -> Verdict:
    ts, svc = facts.get("linux.timesync"), facts.get("linux.services")
    if ts and ts.ntp_synchronized:
        return passed("系统时间已同步（NTP）", "clock synchronised")
    if ts is None:          # no timedatectl answer: a running time service is the next best proof
        active = [s for s in ("chronyd", "chrony", "ntp", "ntpd", "systemd-timesyncd") if svc and svc.services.get(s)]
        if active:
            return passed("时间同步服务运行：" + "、".join(active), "a time-sync service runs")
        return manual("无法确认时间同步状态", "time synchronisation unknown")
    return failed("系统时间未同步，审计记录时间不可靠", "clock not synchronised")


@check(id="linux_password_hashes_strong", title_zh="口令以强散列算法存储", title_en="Strong password hashes",
       controls=("8.1.4.8.b",), severity=Severity.MEDIUM, needs=("linux.shadow",), applies_to=SERVER)
def _hashes(facts: Facts, policy: Policy) -> Verdict:
    h = facts["linux.shadow"]
    weak = [a for a in h.accounts if a.password == "hash" and a.hash_scheme in ("md5", "des")]
    if weak:
        return failed("口令使用弱散列算法存储：" + "、".join(a.name for a in weak), "weak password hashes",
                      facts.evidence(*[a.shadow_line for a in weak], source="shadow"))
    return passed("口令以SHA-512/yescrypt等强散列存储", "passwords stored with strong hashes")


@check(id="linux_ssh_ciphers_strong", title_zh="SSH加密算法安全", title_en="Strong SSH ciphers",
       controls=("8.1.4.8.a", "8.1.4.7.a"), severity=Severity.MEDIUM, needs=("linux.sshd",), applies_to=SERVER)
def _ssh_crypto(facts: Facts, policy: Policy) -> Verdict:
    h = facts["linux.sshd"]
    ciphers = h.sshd.get("ciphers", "")
    if not ciphers:
        return manual("sshd使用默认算法（需sshd -T核实）", "sshd default ciphers: verify with sshd -T")
    weak = [c for c in ciphers.split(",") if any(w in c for w in WEAK_SSH_CIPHERS)]
    ev = facts.evidence(h.sshd_lines.get("ciphers"), source=h.sshd_source or "sshd_config")
    if weak:
        return failed("SSH允许弱加密算法：" + "、".join(weak), "weak SSH ciphers: " + ", ".join(weak), ev)
    return passed("SSH仅使用强加密算法", "SSH uses strong ciphers only", ev)
