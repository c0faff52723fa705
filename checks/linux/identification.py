"""身份鉴别 (8.1.4.1) for Linux servers."""
from __future__ import annotations

from scanner.checkkit import Facts, Verdict, check, failed, manual, passed
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


def _stack_note(facts: Facts, stack) -> list:
    """Where a stack came from: the stock file assumed for an older capture, the files it includes that are missing."""
    notes = []
    if stack.assumed == "(unnamed)":
        notes.append(facts.note("the capture's PAM lines name no file: read as the stack of " + stack.service))
    elif stack.assumed:
        notes.append(facts.note(f"/etc/pam.d/{stack.service} not in the capture: stock include {stack.assumed} assumed"))
    if stack.missing:
        notes.append(facts.note(f"/etc/pam.d/{stack.service}: not collected or missing: " + ", ".join(stack.missing)))
    return notes


@check(id="linux_password_quality", title_zh="口令复杂度（pam_pwquality/cracklib）",
       title_en="Password quality enforced", controls=("8.1.4.1.a",), severity=Severity.MEDIUM,
       needs=("linux.pam",), applies_to=SERVER)
def _complexity(facts: Facts, policy: Policy) -> Verdict:
    h = facts["linux.pam"]
    q, stack = h.pw_quality, h.pam_stacks["passwd"]
    if q is None:
        if stack.missing:
            return manual("passwd的PAM口令栈引用的文件未采集到，无法确认口令复杂度",
                          "the passwd PAM stack includes files not collected", _stack_note(facts, stack))
        return failed("passwd实际使用的PAM口令栈未启用pam_pwquality/pam_cracklib，口令复杂度不受限制",
                      "no pam_pwquality/pam_cracklib in the password stack passwd runs", _stack_note(facts, stack))
    ev = _ev(facts, q.line) + _stack_note(facts, stack)
    if q.min_len < policy.password_min_length or q.min_class < policy.password_min_classes:
        return failed(f"口令复杂度不足：minlen={q.min_len}，要求字符类别{q.min_class}类",
                      f"weak password quality: minlen={q.min_len}, classes={q.min_class}", ev)
    return passed(f"口令复杂度：minlen={q.min_len}，至少{q.min_class}类字符",
                  f"password quality minlen={q.min_len}, {q.min_class} classes", ev)


def _beyond(max_days: int | None, limit: int) -> bool:
    """A maximum password age over the limit, or none: unset, or negative (login.defs(5): -1 disables the
    restriction; chage(1) -M -1 removes it)."""
    return max_days is None or max_days < 0 or max_days > limit


@check(id="linux_password_expiry", title_zh="口令定期更换（PASS_MAX_DAYS/chage）", title_en="Passwords expire",
       controls=("8.1.4.1.a",), severity=Severity.MEDIUM, needs=("linux.login_defs",),
       uses=("linux.accounts", "linux.shadow"), applies_to=SERVER)
def _expiry(facts: Facts, policy: Policy) -> Verdict:
    h = facts["linux.login_defs"]
    limit = policy.password_max_age_days
    ev = facts.evidence(*h.login_defs_lines, source="login_defs")
    users = [a for a in interactive(h) if a.password == "hash"]
    too_long = [a for a in users if _beyond(a.max_days, limit)]
    if _beyond(h.pass_max_days, limit):
        return failed(f"login.defs PASS_MAX_DAYS={h.pass_max_days or '未设置'}>{limit}天，口令未定期更换",
                      f"PASS_MAX_DAYS {h.pass_max_days} > {limit}", ev)
    if too_long:
        return failed("以下账户口令有效期超过要求（chage）：" + "、".join(a.name for a in too_long),
                      "accounts whose password lifetime exceeds the limit: " + ", ".join(a.name for a in too_long),
                      ev + facts.evidence(*[a.shadow_line for a in too_long], source="shadow"))
    return passed(f"口令有效期≤{limit}天", f"passwords expire within {limit} days", ev)


def _lockout_problem(lk, policy: Policy) -> tuple[str, str] | None:
    if not lk.counts:
        return "pam_faillock仅有preauth，失败从不计数", "pam_faillock only in preauth mode: failures are never counted"
    if not lk.locks:
        return f"{lk.module} deny={lk.deny or 0}：永不锁定", f"{lk.module} deny={lk.deny or 0} never locks"
    if lk.deny > policy.lockout_max_attempts or (lk.unlock_s and lk.unlock_s < policy.lockout_min_seconds):
        return (f"deny={lk.deny}，unlock_time={lk.unlock_s}，处理不足",
                f"too lenient: deny={lk.deny}, unlock_time={lk.unlock_s}")
    return None


@check(id="linux_login_lockout", title_zh="登录失败锁定（faillock/tally2）", title_en="Login-failure lockout",
       controls=("8.1.4.1.b",), severity=Severity.MEDIUM, needs=("linux.pam",), applies_to=SERVER)
def _lockout(facts: Facts, policy: Policy) -> Verdict:
    """Judged on the auth stacks sshd and login really run: every one must count failures and lock."""
    h = facts["linux.pam"]
    bad_zh, bad_en, unknown, ev = [], [], [], []
    for svc in ("sshd", "login"):
        stack, lk = h.pam_stacks[svc], h.lockouts.get(svc)
        ev += _stack_note(facts, stack)
        if lk is None:
            if stack.missing:
                unknown.append(svc)
            else:
                bad_zh.append(f"{svc}：认证栈无pam_faillock/pam_tally2")
                bad_en.append(f"{svc}: no pam_faillock/pam_tally2 in its auth stack")
            continue
        ev += _ev(facts, lk.line)
        problem = _lockout_problem(lk, policy)
        if problem:
            bad_zh.append(f"{svc}：{problem[0]}")
            bad_en.append(f"{svc}: {problem[1]}")
    if bad_zh:
        return failed("登录失败处理未生效：" + "；".join(bad_zh), "login-failure lockout not effective: "
                      + "; ".join(bad_en), ev)
    if unknown:
        return manual("以下服务的PAM认证栈引用的文件未采集到：" + "、".join(unknown),
                      "PAM auth stacks with files not collected: " + ", ".join(unknown), ev)
    lk = h.lockouts["sshd"]
    root = "（含root）" if lk.even_deny_root else "（root不受限）"
    return passed(f"sshd与login连续失败{lk.deny}次锁定{lk.unlock_s}秒{root}",
                  f"sshd and login lock after {lk.deny} failures for {lk.unlock_s}s", ev)


@check(id="linux_session_timeout", title_zh="登录会话超时退出", title_en="Idle sessions time out",
       controls=("8.1.4.1.b",), severity=Severity.MEDIUM, needs=("linux.profile",), uses=("linux.sshd",),
       applies_to=SERVER)
def _timeout(facts: Facts, policy: Policy) -> Verdict:
    """TMOUT in a file login shells source, or sshd's ChannelTimeout for sessions. ClientAliveInterval only
    probes the peer and drops a dead one: an idle client that answers the probes stays connected."""
    h = facts["linux.profile"]
    limit = policy.idle_timeout_max_s
    if h.tmout_s and h.tmout_s <= limit:
        ro = "（readonly）" if h.tmout_readonly else "（未设为readonly，用户可修改）"
        return passed(f"TMOUT={h.tmout_s}秒{ro}", f"shell TMOUT={h.tmout_s}s", _ev(facts, h.tmout_line))
    sshd = facts.get("linux.sshd")
    settings = sshd.sshd if sshd else {}
    idle = sshd.sshd_channel_idle_s if sshd else None
    if sshd and idle and idle <= limit:
        return passed(f"sshd ChannelTimeout：会话空闲{idle}秒关闭", f"sshd closes idle sessions after {idle}s",
                      facts.evidence(sshd.sshd_lines.get("channeltimeout"), source=sshd.sshd_source or "sshd_config"))
    ev = facts.evidence(*[ln for _, ln in h.tmout_ignored], source="profile")
    if settings.get("clientaliveinterval", "0") not in ("0", ""):
        ev += facts.evidence(sshd.sshd_lines.get("clientaliveinterval"), source=sshd.sshd_source or "sshd_config")
    why_zh = "；TMOUT仅出现在登录shell不读取的文件中" if h.tmout_ignored else ""
    if h.tmout_s:
        return failed(f"TMOUT={h.tmout_s}秒>{limit}秒{why_zh}", f"TMOUT {h.tmout_s}s > {limit}s",
                      _ev(facts, h.tmout_line) + ev)
    return failed("未设置会话超时（登录shell读取的TMOUT或sshd ChannelTimeout）；ClientAliveInterval仅断开失联对端，"
                  "不是空闲超时" + why_zh, "no idle timeout: no TMOUT a login shell reads, no sshd ChannelTimeout "
                  "(ClientAliveInterval only drops dead peers)", ev)


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


_PUBKEY_LIKE = ("publickey", "hostbased", "gssapi-with-mic")


def _factors(methods: str) -> list[set[str]]:
    return [{m.split(":")[0] for m in alt.split(",")} for alt in methods.split()]


# sshd_config(5): the authentication keywords a Match block may set for some users or addresses (UsePAM is not one of
# them); host-based and GSSAPI logins never reach PAM's auth stack, so never its OTP module
_MATCH_AUTH_KEYS = {"authenticationmethods", "pubkeyauthentication", "passwordauthentication",
                    "hostbasedauthentication", "gssapiauthentication", "kbdinteractiveauthentication",
                    "challengeresponseauthentication"}     # the older name of KbdInteractiveAuthentication


@check(id="linux_mfa_enabled", title_zh="采用两种以上组合鉴别技术", title_en="Two or more authentication factors",
       controls=("8.1.4.1.d",), severity=Severity.HIGH, needs=(), uses=("linux.pam", "linux.sshd"), applies_to=SERVER,
       high_risk=("6.4.1.3",))
def _mfa(facts: Facts, policy: Policy) -> Verdict:
    """Two factors only when every SSH path asks for both: AuthenticationMethods lists of two methods each, or an
    OTP module sshd's PAM auth stack requires with no path around PAM (public-key and host-based logins never
    reach PAM's auth stack). A Match block that changes these for some users or addresses leaves it to review."""
    pam, sshd = facts.get("linux.pam"), facts.get("linux.sshd")
    if sshd is None:
        return manual("无法获取sshd配置，无法确认鉴别方式", "sshd configuration not read")
    cfg = sshd.sshd
    src = sshd.sshd_source or "sshd_config"
    methods = cfg.get("authenticationmethods", "any")
    relaxed = [m for m in sshd.sshd_match if set(m[1]) & _MATCH_AUTH_KEYS]
    relax_ev = [e for m in relaxed for e in facts.evidence(m[2], source="sshd_config")]
    otp = pam.sshd_otp if pam else []
    if methods != "any":
        ev = facts.evidence(sshd.sshd_lines.get("authenticationmethods"), source=src)
        single = [" ".join(sorted(f)) for f in _factors(methods) if len(f) < 2]
        if single:
            return failed(f"AuthenticationMethods允许单一方式登录：{', '.join(single)}",
                          f"AuthenticationMethods allows a single method: {', '.join(single)}", ev)
        if relaxed:
            return manual("AuthenticationMethods要求两种方式，但Match块对部分用户或地址改变了鉴别方式，需核实",
                          "two methods required, but a Match block changes authentication for some users/addresses",
                          ev + relax_ev)
        return passed(f"sshd要求组合鉴别：AuthenticationMethods {methods}",
                      f"sshd requires AuthenticationMethods {methods}", ev)
    if not otp:
        return failed("仅使用口令或密钥单一方式鉴别", "single-factor login (password or key only)")
    ev = [e for x in otp for e in facts.evidence(x.line, source="pam")]
    bypass = [k for k, default in (("pubkeyauthentication", "yes"), ("hostbasedauthentication", "no"),
                                   ("gssapiauthentication", "no")) if cfg.get(k, default) == "yes"]
    if cfg.get("usepam", "yes") != "yes":
        bypass.append("usepam no")
    nullok = all("nullok" in x.args for x in otp)     # an account without an OTP secret skips the module
    if bypass or nullok:
        zh = ("公钥等登录方式不经过PAM认证栈（" + "、".join(bypass) + "）" if bypass else "") + \
            ("；" if bypass and nullok else "") + ("nullok：未配置动态口令的账户仅凭口令即可登录" if nullok else "")
        en = ("; ".join(([", ".join(bypass) + " logins never reach PAM's auth stack"] if bypass else [])
                        + (["nullok lets accounts without an OTP secret in with the password alone"] if nullok else [])))
        return failed("PAM配置了动态口令模块，但" + zh + "，仅单一因素即可登录", "an OTP module is in PAM, but " + en,
                      ev + facts.evidence(*[sshd.sshd_lines.get(k) for k in bypass], source=src))
    if relaxed:
        return manual("动态口令经PAM强制，但Match块对部分用户或地址改变了鉴别方式，需核实",
                      "OTP required through PAM, but a Match block changes authentication for some users/addresses",
                      ev + relax_ev)
    return passed("所有SSH登录经PAM认证栈，要求口令与动态口令", "every SSH login goes through PAM: password and OTP", ev)
