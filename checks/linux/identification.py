"""身份鉴别 (8.1.4.1) for Linux servers."""
from __future__ import annotations

from scanner.checkkit import Facts, Verdict, check, failed, passed
from scanner.model import Severity
from scanner.policy import Policy

SERVER = ("server",)


def _ev(facts: Facts, where):
    return facts.evidence(where[1], source=where[0]) if where else []


def interactive(h):
    return [a for a in h.accounts if a.uid == 0 or (a.uid >= 1000 and a.uid != 65534)
            if not a.shell.endswith(("nologin", "false", "sync", "shutdown", "halt"))]


@check(id="linux_no_empty_password", title_zh="无空口令账户", title_en="No account with an empty password",
       controls=("8.1.4.1.a",), severity=Severity.HIGH, needs=("linux.shadow",), applies_to=SERVER,
       high_risk=("6.4.1.1",))
def _empty(facts: Facts, policy: Policy) -> Verdict:
    h = facts["linux.shadow"]
    empty = [a for a in h.accounts if a.password == "empty"]
    if empty:
        return failed("存在空口令账户：" + "、".join(a.name for a in empty), "accounts with an empty password: "
                      + ", ".join(a.name for a in empty), [e for a in empty for e in facts.evidence(a.shadow_line, source="shadow")])
    return passed("无空口令账户", "no account has an empty password")


@check(id="linux_unique_identities", title_zh="身份标识唯一（UID唯一，仅root为0）", title_en="Unique identities",
       controls=("8.1.4.1.a", "8.1.4.2.a"), severity=Severity.HIGH, needs=("linux.accounts",), applies_to=SERVER)
def _uid0(facts: Facts, policy: Policy) -> Verdict:
    h = facts["linux.accounts"]
    root_like = [a for a in h.accounts if a.uid == 0 and a.name != "root"]
    uids: dict[int, list] = {}
    for a in h.accounts:
        uids.setdefault(a.uid, []).append(a)
    dup = [v for v in uids.values() if len(v) > 1]
    if root_like or dup:
        bad = root_like + [a for v in dup for a in v]
        return failed("UID不唯一或存在root以外的UID为0账户：" + "、".join(sorted({a.name for a in bad})),
                      "duplicate UIDs or uid 0 besides root", facts.evidence(*[a.line for a in bad], source="passwd"))
    return passed("账户UID唯一，仅root为UID 0", "UIDs are unique; only root has uid 0")


@check(id="linux_password_quality", title_zh="口令复杂度（pam_pwquality/cracklib）",
       title_en="Password quality enforced", controls=("8.1.4.1.a",), severity=Severity.MEDIUM,
       needs=("linux.pam",), applies_to=SERVER)
def _complexity(facts: Facts, policy: Policy) -> Verdict:
    h = facts["linux.pam"]
    if h.pw_min_len is None:
        return failed("PAM口令栈未启用pam_pwquality/pam_cracklib，口令复杂度不受限制",
                      "no pam_pwquality/pam_cracklib in the password stack")
    ev = _ev(facts, h.pw_module_line)
    if h.pw_min_len < policy.password_min_length or (h.pw_min_class or 0) < policy.password_min_classes:
        return failed(f"口令复杂度不足：minlen={h.pw_min_len}，要求字符类别{h.pw_min_class or 0}类",
                      f"weak password quality: minlen={h.pw_min_len}, classes={h.pw_min_class or 0}", ev)
    return passed(f"口令复杂度：minlen={h.pw_min_len}，至少{h.pw_min_class}类字符",
                  f"password quality minlen={h.pw_min_len}, {h.pw_min_class} classes", ev)


@check(id="linux_password_expiry", title_zh="口令定期更换（PASS_MAX_DAYS/chage）", title_en="Passwords expire",
       controls=("8.1.4.1.a",), severity=Severity.MEDIUM, needs=("linux.login_defs",),
       uses=("linux.accounts", "linux.shadow"), applies_to=SERVER)
def _expiry(facts: Facts, policy: Policy) -> Verdict:
    h = facts["linux.login_defs"]
    limit = policy.password_max_age_days
    ev = facts.evidence(*h.login_defs_lines, source="login_defs")
    users = [a for a in interactive(h) if a.password == "hash"]
    too_long = [a for a in users if a.max_days is None or a.max_days > limit]
    if h.pass_max_days is None or h.pass_max_days > limit:
        return failed(f"login.defs PASS_MAX_DAYS={h.pass_max_days or '未设置'}>{limit}天，口令未定期更换",
                      f"PASS_MAX_DAYS {h.pass_max_days} > {limit}", ev)
    if too_long:
        return failed("以下账户口令有效期超过要求（chage）：" + "、".join(a.name for a in too_long),
                      "accounts whose password lifetime exceeds the limit: " + ", ".join(a.name for a in too_long),
                      ev + facts.evidence(*[a.shadow_line for a in too_long], source="shadow"))
    return passed(f"口令有效期≤{limit}天", f"passwords expire within {limit} days", ev)


@check(id="linux_login_lockout", title_zh="登录失败锁定（faillock/tally2）", title_en="Login-failure lockout",
       controls=("8.1.4.1.b",), severity=Severity.MEDIUM, needs=("linux.pam",), applies_to=SERVER)
def _lockout(facts: Facts, policy: Policy) -> Verdict:
    h = facts["linux.pam"]
    if h.lockout_deny is None:
        return failed("未配置登录失败锁定（pam_faillock/pam_tally2）", "no pam_faillock/pam_tally2 lockout")
    ev = _ev(facts, h.lockout_line)
    if h.lockout_deny > policy.lockout_max_attempts or (h.lockout_unlock_s and h.lockout_unlock_s < policy.lockout_min_seconds):
        return failed(f"登录失败处理不足：deny={h.lockout_deny}，unlock_time={h.lockout_unlock_s}",
                      f"lockout too lenient: deny={h.lockout_deny}, unlock_time={h.lockout_unlock_s}", ev)
    return passed(f"连续失败{h.lockout_deny}次锁定{h.lockout_unlock_s}秒", f"deny={h.lockout_deny}", ev)


@check(id="linux_session_timeout", title_zh="登录会话超时退出", title_en="Idle sessions time out",
       controls=("8.1.4.1.b",), severity=Severity.MEDIUM, needs=("linux.profile",), uses=("linux.sshd",),
       applies_to=SERVER)
def _timeout(facts: Facts, policy: Policy) -> Verdict:
    h = facts["linux.profile"]
    limit = policy.idle_timeout_max_s
    if h.tmout_s and h.tmout_s <= limit:
        return passed(f"TMOUT={h.tmout_s}秒", f"shell TMOUT={h.tmout_s}s", _ev(facts, h.tmout_line))
    sshd = facts.get("linux.sshd")
    settings = sshd.sshd if sshd else {}
    interval, count = settings.get("clientaliveinterval", "0"), settings.get("clientalivecountmax", "3")
    interval, count = int(interval) if interval.isdigit() else 0, int(count) if count.isdigit() else 3
    if sshd and interval and interval * max(count, 1) <= limit:
        return passed(f"SSH空闲{interval * max(count, 1)}秒断开", "sshd drops idle sessions",
                      facts.evidence(sshd.sshd_lines.get("clientaliveinterval"),
                                     source=sshd.sshd_source or "sshd_config"))
    if h.tmout_s:
        return failed(f"TMOUT={h.tmout_s}秒>{limit}秒", f"TMOUT {h.tmout_s}s > {limit}s", _ev(facts, h.tmout_line))
    return failed("未设置会话超时（TMOUT或sshd ClientAliveInterval）", "no idle timeout (TMOUT or ClientAliveInterval)")


@check(id="linux_remote_mgmt_encrypted", title_zh="远程管理不使用明文协议", title_en="No clear-text remote management",
       controls=("8.1.4.1.c", "8.1.4.8.a"), severity=Severity.HIGH, needs=("linux.listening",), applies_to=SERVER,
       high_risk=("6.4.1.2",))
def _remote_encrypted(facts: Facts, policy: Policy) -> Verdict:
    h = facts["linux.listening"]
    clear = [x for x in h.listening if x[0] == "tcp" and x[2] in (23, 512, 513, 514, 21)]
    if clear:
        return failed("开放明文远程管理/传输服务端口：" + "、".join(str(x[2]) for x in clear),
                      "clear-text remote services listening: " + ", ".join(str(x[2]) for x in clear),
                      facts.evidence(*[x[3] for x in clear], source="listening"))
    return passed("远程管理仅使用SSH等加密协议（无Telnet/rsh/FTP监听）", "no Telnet/rsh/FTP listening")


@check(id="linux_mfa_enabled", title_zh="采用两种以上组合鉴别技术", title_en="Two or more authentication factors",
       controls=("8.1.4.1.d",), severity=Severity.HIGH, needs=(), uses=("linux.pam", "linux.sshd"), applies_to=SERVER,
       high_risk=("6.4.1.3",))
def _mfa(facts: Facts, policy: Policy) -> Verdict:
    pam, sshd = facts.get("linux.pam"), facts.get("linux.sshd")
    mfa_lines = pam.mfa_lines if pam else []
    methods = sshd.sshd.get("authenticationmethods", "any") if sshd else "any"
    if mfa_lines or ("," in methods and methods != "any"):
        return passed("已配置两种鉴别方式组合", "two authentication factors configured",
                      _ev(facts, mfa_lines[0]) if mfa_lines else [])
    return failed("仅使用口令或密钥单一方式鉴别", "single-factor login (password or key only)")
