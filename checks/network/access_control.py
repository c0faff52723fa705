"""访问控制 (8.1.4.2) for network devices: accounts, default accounts, roles."""
from __future__ import annotations

import re

from scanner.checkkit import Facts, Verdict, check, failed, manual, not_applicable, passed
from scanner.facts import PasswordStorage
from scanner.model import Severity
from scanner.policy import Policy

# Well-known administrator account names, for a platform that ships no factory-account data (a plug-in platform):
# the built-in platforms mark their vendor's factory accounts themselves (LocalUser.factory_account, from
# scanner/platforms/data/credentials_<platform>.yaml).
DEFAULT_ACCOUNT_NAMES = frozenset({"admin", "administrator", "root", "huawei", "h3c", "cisco", "manager", "super",
                                   "guest"})
TEMPORARY = re.compile(r"^(test|tmp|temp|guest|demo|share|shared|public|user\d*|vendor|install|debug)\w*$",
                       re.IGNORECASE)


@check(id="accounts_privilege_assigned", title_zh="登录账户已分配权限", title_en="Accounts have explicit privileges",
       controls=("8.1.4.2.a",), severity=Severity.LOW, needs=("device.users", "device.aaa"))
def _roles(facts: Facts, policy: Policy) -> Verdict:
    dev = facts["device.users"]
    users = [u for u in dev.users if not u.disabled]
    if not users and not dev.aaa.remote_login:
        return failed("未配置管理账户，无法为登录用户分配账户和权限", "no administrator accounts are defined")
    unknown = [u for u in users if u.privilege is None and u.is_admin is None]
    if unknown:
        return manual("部分账户未显式配置权限级别（默认级别随版本不同）：" + "、".join(u.name for u in unknown),
                      "accounts without an explicit privilege level: " + ", ".join(u.name for u in unknown),
                      facts.evidence(*[u.line for u in unknown]))
    return passed("账户均已分配权限：" + "、".join(f"{u.name}({u.privilege})" for u in users),
                  "every account has an explicit privilege", facts.evidence(*[ln for u in users for ln in u.lines]))


@check(id="anonymous_admin_access_absent", title_zh="无需登录的线路不具管理员权限（匿名访问已禁用或受限）",
       title_en="No line gives administrator rights without a login", controls=("8.1.4.2.a",), severity=Severity.MEDIUM,
       needs=("device.mgmt",))
def _anonymous(facts: Facts, policy: Policy) -> Verdict:
    """GB/T 28448 8.1.4.2.a step 2: anonymous access disabled or restricted. A console or AUX line used with no
    login whose session holds or reaches administrator rights (the platform says so: the line's level or role, the
    vendor default, an IOS console's `enable` with no password set) is anonymous access left unrestricted. Its
    absence is no assignment of accounts (step 1, accounts_privilege_assigned): not applicable, never a pass that
    could lift the item. A vty without login is judged by auth_individual_accounts."""
    lines = [m for m in facts["device.mgmt"].mgmt_lines if m.kind != "vty" and m.anonymous_admin]
    if lines:
        return failed("线路无需登录即具有或可获得管理员权限（匿名访问未禁用或限制）：" + "、".join(m.name for m in lines),
                      "lines give administrator rights with no login (anonymous access neither disabled nor "
                      "restricted): " + ", ".join(m.name for m in lines),
                      facts.evidence(*[ln for m in lines for ln in m.lines]))
    return not_applicable("无无需登录即具管理员权限的console/AUX线路", "no console or AUX line gives administrator "
                          "rights without a login")


@check(id="default_account_renamed", title_zh="默认账户已重命名或默认口令已修改",
       title_en="Default accounts renamed or re-passworded", controls=("8.1.4.2.b",), severity=Severity.HIGH,
       needs=("device.users",), high_risk=("6.4.2.1",))
def _default_account(facts: Facts, policy: Policy) -> Verdict:
    dev = facts["device.users"]
    defaults = [u for u in dev.users if not u.disabled and (
        u.factory_account if u.factory_account is not None else u.name.lower() in DEFAULT_ACCOUNT_NAMES)]
    with_default_pw = [u for u in defaults if _default_password(u)]
    if with_default_pw:
        return failed("默认账户仍使用默认/通用口令：" + "、".join(u.name for u in with_default_pw),
                      "default accounts keep a default password: " + ", ".join(u.name for u in with_default_pw),
                      facts.evidence(*[ln for u in with_default_pw for ln in u.lines]), signals=("default_credential",))
    no_password = [u for u in defaults if u.storage == PasswordStorage.NONE]
    if no_password:
        # name kept and no password at all (MER5200 `local-user admin` L200): neither step of GB/T 28448 is met
        return failed("默认账户未重命名且未设置口令：" + "、".join(u.name for u in no_password),
                      "default accounts kept under their names with no password: "
                      + ", ".join(u.name for u in no_password), facts.evidence(*[u.line for u in no_password]))
    undecided = [u for u in defaults if not _password_changed(u)]
    if defaults and not undecided:
        # GB/T 28448 8.1.4.2.b is an OR: renamed/deleted, or the default password changed (CSR1000v `cisco` L108)
        return passed("默认账户名保留，但已修改默认口令（非出厂口令）：" + "、".join(u.name for u in defaults),
                      "default account names kept but their default passwords changed: "
                      + ", ".join(u.name for u in defaults), facts.evidence(*[u.line for u in defaults]))
    if undecided:
        return manual("存在默认账户名（未重命名）：" + "、".join(u.name for u in undecided)
                      + "；口令无法从配置还原，需核实已修改默认口令",
                      "default account names kept: " + ", ".join(u.name for u in undecided)
                      + "; verify their default passwords were changed",
                      facts.evidence(*[u.line for u in undecided]))
    return passed("不存在默认账户名（admin等已重命名或删除）", "no default account names remain",
                  facts.evidence(*[u.line for u in dev.users]))


def _password_changed(u) -> bool:
    """A readable password that is not the default one (its weakness is password_not_weak's finding, 8.1.4.1.a)."""
    t = u.password_traits
    return t is not None and not t.masked and not _default_password(u)


def _default_password(u) -> bool:
    """The vendor's factory (account, password) pair; without factory data, any weak or name-built password."""
    t = u.password_traits
    if t is None or t.masked:
        return False
    if u.factory_account is not None and t.factory_default is not None:
        return t.factory_default
    return t.common or t.equals_name


@check(id="temporary_accounts_absent", title_zh="无多余、过期或共享账户",
       title_en="No redundant, expired or shared accounts", controls=("8.1.4.2.c",), severity=Severity.MEDIUM,
       needs=("device.users",))
def _temporary(facts: Facts, policy: Policy) -> Verdict:
    dev = facts["device.users"]
    temp = [u for u in dev.users if TEMPORARY.match(u.name) and not u.disabled]
    if temp:
        return failed("存在疑似测试、临时或共享账户：" + "、".join(u.name for u in temp),
                      "test/temporary/shared-looking accounts: " + ", ".join(u.name for u in temp),
                      facts.evidence(*[u.line for u in temp]), fix_values={"test-account": [u.name for u in temp]})
    names = "、".join(u.name for u in dev.users) or "无"
    return manual(f"本地账户：{names}；需对照账户权限表核实无多余、过期或共享账户",
                  "compare the local accounts with the account list to rule out redundant or shared ones",
                  facts.evidence(*[u.line for u in dev.users]))


@check(id="admin_privilege_separated", title_zh="管理用户权限分离", title_en="Administrator privileges are separated",
       controls=("8.1.4.2.d",), severity=Severity.MEDIUM, needs=("device.users", "device.aaa"))
def _separation(facts: Facts, policy: Policy) -> Verdict:
    dev = facts["device.users"]
    users = [u for u in dev.users if not u.disabled]
    if dev.aaa.remote_login:
        return manual("权限由集中认证服务器授权：需在AAA服务器核实管理员、审计员、操作员的权限分离",
                      "privileges come from the AAA server: verify role separation there",
                      facts.evidence(*dev.aaa.lines[:2]))
    if len(users) <= 1 and not dev.aaa.servers:
        # one account or none, and no AAA server that could authorise commands: separate administrator, auditor
        # and operator roles are impossible
        return failed(f"仅有{len(users)}个账户，无法实现管理用户权限分离",
                      "at most one account: administrator roles cannot be separated",
                      facts.evidence(*[ln for u in users for ln in u.lines]))
    if any(u.is_admin is None for u in users):
        return manual("部分账户权限未知，无法判定权限分离", "some privileges unknown")
    admins = [u for u in users if u.is_admin]
    if not admins and dev.enable_secret is not None and not dev.aaa.servers:
        # every account logs in below administrator level and administers through the one shared enable/super
        # password: whoever knows it holds every management right
        return failed("无个人管理员账户，管理权限通过共享的enable/super口令获得，未实现权限分离",
                      "no individual administrator: management rights come from the shared enable/super password",
                      facts.evidence(dev.enable_secret.line, *[u.line for u in users]))
    # a level-0 (visit) account holds no role; level 1 is read-only monitoring, which no administrator duty needs
    roles = [u for u in users if not u.is_admin and (u.privilege or 0) >= 2]
    if admins and not roles:
        return failed("除访问级、监控级（只读）账户外，所有账户均为最高管理权限，管理职责未分离："
                      + "、".join(u.name for u in admins),
                      "every account beyond visit/read-only level holds full administrator rights (no separation of "
                      "duties)", facts.evidence(*[ln for u in admins for ln in u.lines]))
    if not admins:
        return manual("无本地管理员账户：管理权限由其他途径授予，需核实权限分离",
                      "no local administrator: verify how admin rights are granted and separated",
                      facts.evidence(*[u.line for u in users]))
    return passed(f"管理账户{len(admins)}个、其他管理角色账户{len(roles)}个，权限已区分",
                  "administrator and lower-privilege management roles are separated",
                  facts.evidence(*[u.line for u in users]))


@check(id="accounts_least_privilege", title_zh="非管理员账户仅授予所需的较低权限",
       title_en="Accounts that need less than full rights hold less", controls=("8.1.4.2.d",),
       severity=Severity.LOW, needs=("device.users", "device.aaa"))
def _least_privilege(facts: Facts, policy: Policy) -> Verdict:
    """The least-privilege half of 8.1.4.2.d: beside the administrators, accounts hold lower levels (read-only
    monitoring counts here; it is no separation of administrator duties, which admin_privilege_separated judges)."""
    dev = facts["device.users"]
    users = [u for u in dev.users if not u.disabled]
    if dev.aaa.remote_login:
        return manual("权限由集中认证服务器授权：需在AAA服务器核实最小权限", "privileges come from the AAA server: "
                      "verify least privilege there", facts.evidence(*dev.aaa.lines[:2]))
    if any(u.is_admin is None for u in users):
        return manual("部分账户权限未知，无法判定最小权限", "some privileges unknown")
    admins = [u for u in users if u.is_admin]
    lower = [u for u in users if not u.is_admin and (u.privilege or 0) >= 1]
    if admins and lower:
        return passed("除管理员外，" + "、".join(f"{u.name}({u.privilege})" for u in lower) + "仅授予较低权限",
                      "accounts below administrator level: " + ", ".join(u.name for u in lower),
                      facts.evidence(*[u.line for u in lower]))
    if not admins and users:
        return manual("无本地管理员账户：需核实管理权限的授予方式", "no local administrator: verify how admin rights "
                      "are granted", facts.evidence(*[u.line for u in users]))
    return failed("所有账户均为最高管理权限（或无账户），未按最小权限授权",
                  "every account holds full administrator rights, or there is none: no least privilege",
                  facts.evidence(*[u.line for u in admins]))
