"""身份鉴别 (8.1.4.1) for network devices: who may log in, how passwords are chosen, kept and tried."""
from __future__ import annotations

from collections import defaultdict

from scanner.checkkit import Facts, Verdict, check, failed, manual, not_applicable, passed
from scanner.facts import PasswordStorage
from scanner.model import FixKind, Severity
from scanner.policy import Policy


@check(id="auth_login_required", title_zh="所有登录方式均需身份鉴别",
       title_en="Every login path requires authentication", controls=("8.1.4.1.a",), severity=Severity.HIGH,
       needs=("device.mgmt",), high_risk=("6.4.1.1",))
def _mgmt_lines(facts: Facts, policy: Policy) -> Verdict:
    dev = facts["device.mgmt"]
    if not dev.mgmt_lines:
        return manual("配置中无登录线路（console/vty）段，无法判定", "no console/vty line sections in the config")
    open_lines = [m for m in dev.mgmt_lines if m.auth == "none"]
    # 'refused' lines (no authentication mode configured on Huawei vty) accept no login at all.
    unknown = [m for m in dev.mgmt_lines if m.auth is None or _no_password(m)]
    if open_lines:
        return failed("存在无需身份鉴别即可登录的线路：" + "、".join(m.name for m in open_lines),
                      "lines that log in without authentication: " + ", ".join(m.name for m in open_lines),
                      facts.evidence(*[ln for m in open_lines for ln in m.lines]),
                      signals=("local_only",) if all(m.kind in ("console", "aux") for m in open_lines) else ())
    if unknown:
        return manual("线路的认证方式或其效果取决于版本默认值（未配置认证方式，或口令认证而未设口令）："
                      + "、".join(m.name for m in unknown), "how these lines authenticate rests on release defaults (no "
                      "mode set, or password mode with no password): " + ", ".join(m.name for m in unknown),
                      facts.evidence(*[m.line for m in unknown]))
    return passed("所有登录线路均需身份鉴别", "every login line requires authentication",
                  facts.evidence(*[ln for m in dev.mgmt_lines for ln in m.lines[:2]]))


@check(id="auth_individual_accounts", title_zh="使用个人账户登录（非共享线路口令）",
       title_en="Logins use individual accounts", controls=("8.1.4.1.a", "8.1.4.2.a", "8.1.4.2.c"),
       severity=Severity.MEDIUM, needs=("device.mgmt", "device.users", "device.aaa"))
def _individual(facts: Facts, policy: Policy) -> Verdict:
    dev = facts["device.mgmt"]
    users = facts["device.users"]
    shared = [m for m in dev.mgmt_lines if m.auth == "password" and not _no_password(m)]
    # a remote line used with no login at all gives no identity either (a console without login is judged under
    # 8.1.4.1.a by auth_login_required, as local access)
    anonymous = [m for m in dev.mgmt_lines if m.auth == "none" and m.kind == "vty" and m.protocols != frozenset()]
    if anonymous and not shared:
        return failed("线路无需登录即可使用，无法标识用户身份：" + "、".join(m.name for m in anonymous),
                      "lines used without any login, so no user identity: " + ", ".join(m.name for m in anonymous),
                      facts.evidence(*[ln for m in anonymous for ln in m.lines]))
    if shared:
        return failed("线路使用共享口令登录，身份标识不唯一：" + "、".join(m.name for m in shared),
                      "lines use a shared line password (no individual identity): "
                      + ", ".join(m.name for m in shared), facts.evidence(*[ln for m in shared for ln in m.lines]))
    if not dev.mgmt_lines or any(m.auth is None or _no_password(m) for m in dev.mgmt_lines):
        return manual("无法确认所有线路均使用个人账户登录", "cannot confirm every line uses individual accounts")
    if not any(m.auth in ("local", "aaa") for m in dev.mgmt_lines):
        # every line refuses logins or needs none: nobody logs in with an account of their own
        return failed("没有任何线路使用个人账户登录", "no line logs in with an individual account",
                      facts.evidence(*[m.line for m in dev.mgmt_lines]))
    local = [m for m in dev.mgmt_lines if m.auth in ("local", "aaa")]
    if local and not facts["device.aaa"].aaa.remote_login and not [u for u in users.users if not u.disabled]:
        # `login local` (or an AAA scheme that is local) with an empty account list checks nobody: no individual
        # account exists to log in with
        return failed("线路使用本地账户登录，但未配置任何本地账户：" + "、".join(m.name for m in local),
                      "lines log in with local accounts, but no account is configured: "
                      + ", ".join(m.name for m in local), facts.evidence(*[ln for m in local for ln in m.lines]))
    return passed("登录使用个人账户（本地用户或AAA），身份标识唯一", "logins use individual accounts (local or AAA)",
                  facts.evidence(*[m.lines[1] if len(m.lines) > 1 else m.line for m in dev.mgmt_lines]))


def _no_password(m) -> bool:
    """A line in password mode with no password configured (the platform says so: MgmtLine.password_missing):
    nothing to share, and by release it refuses logins or asks for a password at the first login, so who logs in
    there is unknown (real corpus: AC6605, AR hub-pe26 con 0)."""
    return m.auth == "password" and m.password_missing


@check(id="auth_no_empty_password", title_zh="不存在空口令账户", title_en="No account without a password",
       controls=("8.1.4.1.a",), severity=Severity.HIGH, needs=("device.users",), high_risk=("6.4.1.1",))
def _empty_password(facts: Facts, policy: Policy) -> Verdict:
    dev = facts["device.users"]
    empty = [u for u in dev.users if u.storage == PasswordStorage.NONE and not u.disabled]
    if empty:
        return failed("存在空口令账户：" + "、".join(u.name for u in empty), "accounts without a password: "
                      + ", ".join(u.name for u in empty), facts.evidence(*[u.line for u in empty]))
    if not dev.users:
        # nothing to judge: a pass here would lift an item whose every login is unauthenticated to 部分符合
        return not_applicable("配置中无本地账户", "no local accounts in the configuration")
    return passed("本地账户均设置了口令", "every local account has a password",
                  facts.evidence(*[u.line for u in dev.users]))


@check(id="password_not_weak", title_zh="配置中可还原的口令不是弱口令或通用口令",
       title_en="No weak or shared decodable password", controls=("8.1.4.1.a",), severity=Severity.HIGH,
       needs=("device.users", "device.mgmt"), high_risk=("6.4.1.1",))
def _weak_password(facts: Facts, policy: Policy) -> Verdict:
    dev = facts["device.users"]
    accounts = list(dev.users) + ([dev.enable_secret] if dev.enable_secret else [])
    known = [u for u in accounts if u.password_traits is not None and not u.disabled]
    lines = [m for m in facts["device.mgmt"].mgmt_lines if m.password_traits is not None]
    # a publication mask (`PASSWORD`, `<removed>`) hides the value: neither weak nor strong
    masked = [x for x in known + lines if x.password_traits.masked]
    known = [u for u in known if not u.password_traits.masked]
    weak = [u for u in known if u.password_traits.length < policy.weak_password_min_length
            or u.password_traits.common or u.password_traits.equals_name]
    # shared line passwords (`line vty` / `user-interface` password) are judged as passwords too
    weak += [m for m in lines if not m.password_traits.masked and (
        m.password_traits.length < policy.weak_password_min_length or m.password_traits.common)]
    by_pw: dict[str, list] = defaultdict(list)
    for u in known:
        by_pw[u.password_traits.tag].append(u)
    shared = [us for us in by_pw.values() if len(us) > 1]
    if weak or shared:
        parts_zh, parts_en = [], []
        if weak:
            parts_zh.append("弱口令账户：" + "、".join(u.name for u in weak))
            parts_en.append("weak passwords: " + ", ".join(u.name for u in weak))
        for us in shared:
            parts_zh.append("多个账户使用相同口令：" + "、".join(u.name for u in us))
            parts_en.append("same password on: " + ", ".join(u.name for u in us))
        where = [getattr(u, "password_line", None) or u.line for u in weak] + [u.line for us in shared for u in us]
        # weak passwords on console/aux lines alone concern local logins only (no remote path for 6.4.1.1)
        local = not shared and all(getattr(u, "kind", None) in ("console", "aux") for u in weak)
        return failed("；".join(parts_zh), "; ".join(parts_en), facts.evidence(*where),
                      signals=("local_only",) if local else ())
    if masked:
        return manual("口令值在采集的配置中被遮盖（" + "、".join(_who(x) for x in masked) + "），无法判定是否为弱口令",
                      "value masked in the capture (" + ", ".join(_who(x) for x in masked) + "): whether the "
                      "password is weak cannot be judged", facts.evidence(*[_line(x) for x in masked]))
    if not accounts and not lines:
        return not_applicable("配置中无登录口令可判定", "no login password in the configuration to judge")
    hashed = len(accounts) - len(known)
    note_zh = f"；{hashed}个口令以不可逆方式存储，需另行弱口令测试" if hashed else ""
    note_en = f"; {hashed} password(s) hashed, test them with a weak-password scan" if hashed else ""
    return passed(f"配置中可还原的口令均非弱口令{note_zh}", f"no decodable password is weak{note_en}")


def _who(x) -> str:
    return x.name


def _line(x) -> int:
    return getattr(x, "password_line", None) or x.line


@check(id="password_complexity_enforced", title_zh="口令复杂度策略已启用",
       title_en="Password complexity policy is enforced", controls=("8.1.4.1.a",), severity=Severity.MEDIUM,
       needs=("device.password_policy",))
def _complexity(facts: Facts, policy: Policy) -> Verdict:
    pol = facts["device.password_policy"].password_policy
    ev = facts.evidence(*pol.lines)
    if pol.enabled is False:
        return failed("未启用口令复杂度策略", "no password complexity policy is enabled", ev)
    if pol.min_length is None or pol.min_classes is None:
        return manual("口令策略取值未在配置中体现（取决于版本默认值），需在线核实",
                      "password length/complexity not stated in the config: verify live", ev)
    problems_zh, problems_en = [], []
    if pol.min_length < policy.password_min_length:
        problems_zh.append(f"最小长度{pol.min_length}<{policy.password_min_length}")
        problems_en.append(f"minimum length {pol.min_length} < {policy.password_min_length}")
    if pol.min_classes < policy.password_min_classes:
        problems_zh.append(f"要求字符类型{pol.min_classes}种<{policy.password_min_classes}种")
        problems_en.append(f"{pol.min_classes} character class(es) required < {policy.password_min_classes}")
    if problems_zh:
        return failed("口令复杂度不足：" + "，".join(problems_zh), "password policy too weak: "
                      + ", ".join(problems_en), ev)
    return passed(f"口令最小长度{pol.min_length}，至少{pol.min_classes}类字符",
                  f"minimum length {pol.min_length}, {pol.min_classes} character classes", ev)


@check(id="password_expiry_enforced", title_zh="口令定期更换（有效期）已配置", title_en="Passwords expire periodically",
       controls=("8.1.4.1.a",), severity=Severity.MEDIUM, needs=("device.password_policy",))
def _expiry(facts: Facts, policy: Policy) -> Verdict:
    pol = facts["device.password_policy"].password_policy
    ev = facts.evidence(*pol.lines)
    if pol.max_age_days is None:
        return manual("口令有效期未在配置中体现，需在线核实", "password lifetime not stated: verify live", ev)
    if pol.max_age_days == 0:
        return failed("未配置口令定期更换（口令永不过期）", "passwords never expire", ev)
    if pol.max_age_days > policy.password_max_age_days:
        return failed(f"口令有效期{pol.max_age_days}天>{policy.password_max_age_days}天",
                      f"password lifetime {pol.max_age_days} days > {policy.password_max_age_days}", ev)
    return passed(f"口令有效期{pol.max_age_days}天", f"passwords expire after {pol.max_age_days} days", ev)


@check(id="login_lockout_enabled", title_zh="登录失败锁定已启用", title_en="Login-failure lockout is enabled",
       controls=("8.1.4.1.b",), severity=Severity.MEDIUM, needs=("device.lockout",))
def _lockout(facts: Facts, policy: Policy) -> Verdict:
    lo = facts["device.lockout"].lockout
    ev = facts.evidence(*lo.lines)
    if lo.enabled is False:
        return failed("未配置登录失败锁定", "no login-failure lockout", ev)
    if lo.enabled is None or lo.max_attempts is None:
        return manual("登录失败处理未在配置中体现（取决于版本默认值），需在线核实",
                      "login-failure handling not stated in the config: verify live", ev)
    problems_zh, problems_en = [], []
    if lo.max_attempts > policy.lockout_max_attempts:
        problems_zh.append(f"允许连续失败{lo.max_attempts}次>{policy.lockout_max_attempts}次")
        problems_en.append(f"{lo.max_attempts} attempts allowed > {policy.lockout_max_attempts}")
    if lo.lock_seconds is not None and 0 < lo.lock_seconds < policy.lockout_min_seconds:
        problems_zh.append(f"锁定{lo.lock_seconds}秒<{policy.lockout_min_seconds}秒")
        problems_en.append(f"locked {lo.lock_seconds}s < {policy.lockout_min_seconds}s")
    if problems_zh:
        return failed("登录失败处理不足：" + "，".join(problems_zh), "lockout too lenient: " + ", ".join(problems_en), ev)
    lock = "需管理员解锁" if lo.lock_seconds == 0 else f"锁定{lo.lock_seconds}秒" if lo.lock_seconds else "锁定时长未知"
    return passed(f"连续失败{lo.max_attempts}次后{lock}", f"locked after {lo.max_attempts} failures", ev)


@check(id="session_idle_timeout_set", title_zh="登录连接超时自动退出", title_en="Idle sessions time out",
       controls=("8.1.4.1.b",), severity=Severity.MEDIUM, needs=("device.mgmt",))
def _idle_timeout(facts: Facts, policy: Policy) -> Verdict:
    dev = facts["device.mgmt"]
    if not dev.mgmt_lines:
        return manual("配置中无登录线路段", "no login line sections in the config")
    limit = policy.idle_timeout_max_s
    never = [m for m in dev.mgmt_lines if m.idle_timeout_s == 0]
    long_ = [m for m in dev.mgmt_lines if m.idle_timeout_s and m.idle_timeout_s > limit]
    unknown = [m for m in dev.mgmt_lines if m.idle_timeout_s is None]
    bad = [(m.name, m.idle_timeout_s, m.lines) for m in never + long_]
    web = dev.web_idle_timeout_s if (dev.http.enabled or dev.https.enabled) else None
    if web is not None and (web == 0 or web > limit):
        # web management sessions are logins too; their timeout is set apart from the lines'
        bad.append(("web", web, [dev.web_idle_timeout_line]))
    if bad:
        desc = [f"{name}:{'永不超时' if s == 0 else f'{s}秒'}" for name, s, _ in bad]
        return failed(f"登录连接超时退出未满足（≤{limit}秒）：" + "、".join(desc),
                      f"idle timeout missing or over {limit}s on: " + ", ".join(name for name, _, _ in bad),
                      facts.evidence(*[ln for _, _, lines in bad for ln in lines]))
    if unknown:
        return manual("部分线路超时时间未知", "idle timeout unknown on some lines")
    return passed("所有线路空闲超时≤" + str(limit) + "秒：" + "、".join(f"{m.name}:{m.idle_timeout_s}秒" for m in dev.mgmt_lines),
                  "idle timeout within limit on every line", facts.evidence(*[m.line for m in dev.mgmt_lines]))


@check(id="admin_mfa_enabled", title_zh="管理员采用两种以上组合鉴别技术",
       title_en="Administrators use two or more factors", controls=("8.1.4.1.d",), severity=Severity.HIGH,
       needs=("device.users", "device.aaa"), high_risk=("6.4.1.3",))
def _mfa(facts: Facts, policy: Policy) -> Verdict:
    dev = facts["device.users"]
    if dev.aaa.remote_login:
        return manual("登录经TACACS+/RADIUS认证：需在AAA服务器或堡垒机核实是否采用动态口令、证书等第二因素",
                      "logins go to TACACS+/RADIUS: verify a second factor (OTP, certificate) on the AAA server",
                      facts.evidence(*dev.aaa.lines[:3]))
    return failed("仅使用本地口令单一因素鉴别，未采用两种或两种以上组合鉴别技术",
                  "administrators authenticate with a local password only (single factor)",
                  facts.evidence(*[u.line for u in dev.users[:3]]))


@check(id="aaa_server_policy_reviewed", title_zh="集中认证服务器的口令与锁定策略",
       title_en="Central AAA server policy reviewed", controls=("8.1.4.1.a", "8.1.4.1.b"), severity=Severity.LOW,
       needs=("device.aaa", "device.lockout"), fix_kind=FixKind.PROCESS)
def _aaa_review(facts: Facts, policy: Policy) -> Verdict:
    dev = facts["device.aaa"]
    if not dev.aaa.remote_login:
        return not_applicable("未使用集中认证", "no central authentication")
    if policy.central_aaa_with_local_lockout == "compliant" and dev.lockout.enabled:
        return passed("集中认证且设备本地配置了登录失败锁定，按策略（central_aaa_with_local_lockout: compliant）视为符合",
                      "central AAA with a local lockout, accepted by the policy (central_aaa_with_local_lockout: "
                      "compliant)", facts.evidence(*dev.aaa.lines[:3], *dev.lockout.lines[:2]))
    return manual("登录使用集中认证（AAA/堡垒机）：口令复杂度、有效期和登录失败处理需在认证服务器上核查",
                  "central AAA login: the password policy and lockout of the AAA server need review",
                  facts.evidence(*dev.aaa.lines[:3]))
