"""Remote management protocols and services: 身份鉴别 c), 入侵防范 b)/c), 数据保密性/完整性 a), 通信传输, 集中管控 b)."""
from __future__ import annotations

from scanner.checkkit import (
    Facts, Verdict, check, failed, manual, not_applicable, passed, service_off,
)
from scanner.model import Severity
from scanner.policy import Policy
from scanner.ports import CLEAR_TEXT_MGMT, HIGH_RISK_TCP

IN_TRANSIT = ("8.1.4.1.c", "8.1.4.4.b", "8.1.4.7.a", "8.1.4.8.a", "8.1.2.2.a", "8.1.2.2.b", "8.1.5.4.b")
HIGH_RISK_SERVICES = {"small_servers": ("TCP/UDP小服务", "TCP/UDP small servers"), "finger": ("finger服务", "finger"),
                      "smart_install": ("Smart Install客户端（TCP 4786）", "Smart Install client (TCP 4786)"),
                      "telnet_listener": ("Telnet服务端口（无线路接受Telnet登录）",
                                          "Telnet server listening (no line accepts a Telnet login)")}
LEGACY_SERVICES = {"pad": ("PAD服务", "PAD"), "bootp": ("BOOTP服务", "BOOTP server"),
                   "source_route": ("IP源路由", "IP source routing"), "cdp": ("CDP协议", "CDP")}


@check(id="remote_mgmt_telnet_disabled", title_zh="关闭Telnet明文远程管理", title_en="Telnet management is disabled",
       controls=IN_TRANSIT, severity=Severity.HIGH, needs=("device.mgmt", "device.services"), uses=("open_ports",),
       high_risk=("6.4.1.2", "6.5.1.1"))
def _telnet(facts: Facts, policy: Policy) -> Verdict:
    dev = facts["device.mgmt"]
    clear = [p for p in _scanned(facts) if p in CLEAR_TEXT_MGMT and HIGH_RISK_TCP[p].startswith("Telnet")]
    if clear:
        return failed("端口扫描发现Telnet端口可达，鉴别信息明文传输", "port scan found Telnet reachable",
                      [facts.note(f"nmap: {p}/tcp open (Telnet)", source="ports") for p in clear])
    vty_all = [m for m in dev.mgmt_lines if m.kind == "vty"]
    if vty_all and all(m.auth == "refused" for m in vty_all) and not _web_login_proven(facts):
        # no remote login is proven possible: nothing travels, in clear or otherwise; how it is managed is asked
        # (a web listener whose login the config cannot show to succeed proves no path either: Catalyst 3850 L226-241)
        return manual("所有vty线路均拒绝登录，配置中无可证实的远程管理路径：管理方式需访谈核实",
                      "every vty line refuses logins: no remote management path the configuration proves; ask how "
                      "the device is managed", facts.evidence(*[m.line for m in vty_all]))
    v = service_off(facts, dev.telnet, "Telnet明文远程管理", "Telnet remote management")
    if v.status.value == "fail":
        vty = [m for m in dev.mgmt_lines if m.kind == "vty" and m.protocols and "telnet" in m.protocols]
        ev = v.evidence + tuple(facts.evidence(*[ln for m in vty for ln in m.lines]))
        return failed("开启Telnet，鉴别信息和管理数据明文传输", "Telnet is enabled: credentials travel in clear text", ev)
    return v


def _web_login_proven(facts: Facts) -> bool:
    """A web management listener is on and the configuration shows that its login can succeed."""
    dev = facts["device.services"]
    return bool(dev.http.enabled or dev.https.enabled) and dev.web_login.enabled is True


@check(id="remote_mgmt_ssh_v2_only", title_zh="远程管理采用SSHv2加密", title_en="Remote management uses SSHv2 only",
       controls=("8.1.4.1.c", "8.1.4.7.a", "8.1.4.8.a", "8.1.2.2.a", "8.1.2.2.b", "8.1.5.4.b"), severity=Severity.HIGH,
       needs=("device.services", "device.mgmt"))
def _ssh(facts: Facts, policy: Policy) -> Verdict:
    dev = facts["device.services"]
    ssh = dev.ssh
    vty = [m for m in facts["device.mgmt"].mgmt_lines if m.kind == "vty"]
    if ssh.enabled.enabled and vty and all(m.auth == "refused" for m in vty):
        # SSH logins arrive on vty lines: when every one refuses logins, no SSH session carries management
        return not_applicable("SSH服务开启，但所有vty线路均拒绝登录：无SSH远程管理",
                              "the SSH server is on, but every vty line refuses logins: no SSH management")
    if ssh.enabled.enabled is False:
        if dev.telnet.enabled is False and dev.http.enabled is False:
            return passed("未开启任何远程管理服务（仅本地管理）", "no remote management service (local only)",
                          facts.evidence(ssh.enabled.line))
        if not dev.telnet.enabled and not dev.http.enabled:
            # without SSH, whether any remote management exists rests on the Telnet/HTTP release defaults
            return manual("未启用SSH；Telnet/HTTP状态取决于版本默认值，是否存在远程管理需在线核实",
                          "SSH is off; whether Telnet/HTTP management exists rests on release defaults: verify live",
                          facts.evidence(ssh.enabled.line))
        return failed("未启用SSH加密远程管理", "SSH is not enabled for remote management", facts.evidence(ssh.enabled.line))
    if ssh.enabled.enabled is None:
        return manual("SSH服务状态未在配置中体现，需在线核实（display ssh server status）",
                      "SSH server state not in the config: verify live")
    if ssh.v1_allowed.enabled:
        ev = facts.evidence(ssh.v1_allowed.line, source=ssh.v1_allowed.source) or \
            [facts.note(ssh.v1_allowed.note or "SSHv1 compatibility on")]
        return failed("SSH兼容SSHv1（存在已知缺陷），应仅允许SSHv2", "SSHv1 is accepted: allow SSHv2 only", ev)
    if ssh.v1_allowed.enabled is None:
        return manual("SSHv1兼容状态未知，需在线核实", "whether SSHv1 is accepted is unknown: verify live",
                      facts.evidence(ssh.enabled.line))
    return passed("仅使用SSHv2加密远程管理", "remote management over SSHv2 only",
                  facts.evidence(ssh.enabled.line, source=ssh.enabled.source)
                  + facts.evidence(ssh.v1_allowed.line, source=ssh.v1_allowed.source))


@check(id="remote_mgmt_encrypted_path", title_zh="存在加密的远程管理通道（SSH/HTTPS）",
       title_en="An encrypted remote management path exists (SSH/HTTPS)",
       controls=("8.1.4.7.a", "8.1.4.8.a", "8.1.2.2.a", "8.1.2.2.b", "8.1.5.4.b"), severity=Severity.MEDIUM,
       needs=("device.mgmt", "device.services"))
def _encrypted_path(facts: Facts, policy: Policy) -> Verdict:
    """Whether any remote management travels encrypted. SSH that also accepts v1 still encrypts what a v2 client
    sends: the in-transit items are then partly met beside clear-text paths (remote_mgmt_ssh_v2_only fails the v1
    compatibility itself). Identification (8.1.4.1.c) is not served: any clear-text login path decides it."""
    dev = facts["device.services"]
    vty_all = [m for m in facts["device.mgmt"].mgmt_lines if m.kind == "vty"]
    vty = [m for m in vty_all if m.auth != "refused"]
    if dev.ssh.enabled.enabled and (not vty_all or any(m.protocols and "ssh" in m.protocols for m in vty)):
        ssh_vty = [m.line for m in vty if m.protocols and "ssh" in m.protocols]
        return passed("可通过SSH加密远程管理（SSH版本由“远程管理采用SSHv2加密”判定）",
                      "SSH logins are possible: an encrypted path (its version is judged by remote_mgmt_ssh_v2_only)",
                      facts.evidence(dev.ssh.enabled.line, *ssh_vty[:2], source=dev.ssh.enabled.source))
    if dev.https.enabled and dev.web_login.enabled is None:
        return manual("HTTPS Web管理已开启，但能否登录无法从配置判定（" + dev.web_login.note + "）",
                      "HTTPS web management is on, but whether a web login can succeed is not in the config ("
                      + dev.web_login.note + ")", facts.evidence(dev.https.line, source=dev.https.source))
    if dev.https.enabled:
        return passed("可通过HTTPS加密Web管理", "HTTPS web management: an encrypted path",
                      facts.evidence(dev.https.line, source=dev.https.source))
    if dev.ssh.enabled.enabled and any(m.protocols is None for m in vty):
        return manual("SSH已开启，vty是否接受SSH登录取决于版本默认值", "SSH is on; whether the vty lines take SSH "
                      "logins rests on the release default", facts.evidence(dev.ssh.enabled.line))
    if dev.telnet.enabled or dev.http.enabled or dev.ftp.enabled:
        return failed("远程管理仅有明文通道，无SSH/HTTPS加密通道", "remote management only over clear-text paths "
                      "(no SSH/HTTPS)", facts.evidence(dev.telnet.line, dev.http.line, dev.ftp.line))
    if None in (dev.ssh.enabled.enabled, dev.telnet.enabled, dev.http.enabled, dev.https.enabled):
        return manual("远程管理通道状态取决于版本默认值，需在线核实", "which remote management paths exist rests "
                      "on release defaults: verify live")
    return not_applicable("无远程管理通道", "no remote management path")


@check(id="remote_mgmt_http_disabled", title_zh="关闭HTTP明文Web管理", title_en="HTTP web management is disabled",
       controls=IN_TRANSIT, severity=Severity.HIGH, needs=("device.services",), high_risk=("6.4.1.2", "6.5.1.1"))
def _http(facts: Facts, policy: Policy) -> Verdict:
    dev = facts["device.services"]
    if dev.http.enabled and dev.web_login.enabled is None:
        # a listener whose login cannot be shown to succeed: no proven clear-text login path (the open port itself
        # is judged under 8.1.4.4.b by the other service checks)
        return manual("HTTP服务已开启，但Web登录能否成功无法从配置判定（" + dev.web_login.note + "）：需在线核实",
                      "the HTTP server is on, but whether a web login can succeed is not in the config ("
                      + dev.web_login.note + "): verify live", facts.evidence(dev.http.line, source=dev.http.source))
    return service_off(facts, dev.http, "HTTP明文Web管理", "HTTP web management")


@check(id="remote_mgmt_ftp_disabled", title_zh="关闭FTP明文文件传输管理", title_en="FTP file management is disabled",
       controls=tuple(i for i in IN_TRANSIT if i != "8.1.4.4.b"), severity=Severity.HIGH, needs=("device.services",),
       high_risk=("6.4.1.2", "6.5.1.1"))
def _ftp(facts: Facts, policy: Policy) -> Verdict:
    ftp = facts["device.services"].ftp
    if ftp.enabled is None:
        return manual("FTP服务状态未知，需在线核实", "FTP server state unknown: verify live")
    if not ftp.enabled:
        # FTP off is the absence of a path, not a protected channel: it must not lift an item to partial
        # (8.1.4.4.b judges the open port through high_risk_services_disabled)
        return not_applicable("未开启FTP服务", "no FTP server")
    return failed("开启FTP服务，登录口令和配置文件明文传输", "the FTP server is on: passwords and files cross in clear",
                  facts.evidence(ftp.line, source=ftp.source) or [facts.note(f"FTP server on ({ftp.note or 'default'})")])


@check(id="snmp_v3_only", title_zh="SNMP仅使用v3（关闭v1/v2c）", title_en="SNMP v1/v2c disabled (v3 only)",
       controls=("8.1.4.7.a", "8.1.4.8.a", "8.1.2.2.a", "8.1.2.2.b"), severity=Severity.MEDIUM,
       needs=("device.snmp",))
def _snmp_v3(facts: Facts, policy: Policy) -> Verdict:
    snmp = facts["device.snmp"].snmp
    if snmp.enabled is False:
        return passed("SNMP未启用", "SNMP is disabled")
    if snmp.versions is None:
        return manual("SNMP版本未明确配置，需在线核实", "SNMP versions not stated: verify live", facts.evidence(*snmp.lines[:3]))
    weak = snmp.versions & {"v1", "v2c"}
    if weak or snmp.communities:
        ev = facts.evidence(snmp.versions_line, *[c.line for c in snmp.communities])
        return failed("启用了SNMP " + "/".join(sorted(weak) or ["v1/v2c"]) + "，团体名明文传输",
                      "SNMP " + "/".join(sorted(weak) or ["v1/v2c"]) + " enabled: communities travel in clear", ev)
    return passed("SNMP仅使用v3", "SNMP v3 only", facts.evidence(snmp.versions_line, *snmp.v3_groups_priv[:2]))


@check(id="snmp_v3_privacy", title_zh="SNMPv3采用认证加密", title_en="SNMPv3 uses authentication and privacy",
       controls=("8.1.4.7.a", "8.1.4.8.a"), severity=Severity.MEDIUM, needs=("device.snmp",))
def _snmp_priv(facts: Facts, policy: Policy) -> Verdict:
    snmp = facts["device.snmp"].snmp
    if not snmp.enabled or (snmp.versions is not None and "v3" not in snmp.versions):
        return not_applicable("未使用SNMPv3", "SNMPv3 not in use")
    weak_users = [u for u in snmp.users if u.priv is None or u.auth is None or u.priv.lower().startswith("des")
                  or (u.auth or "").lower() == "md5"]
    if snmp.v3_groups_weak or weak_users:
        return failed("SNMPv3未采用认证加密（authPriv）或使用MD5/DES弱算法",
                      "SNMPv3 without authPriv, or with MD5/DES", facts.evidence(*snmp.v3_groups_weak,
                                                                                 *[u.line for u in weak_users]))
    if not snmp.v3_groups_priv and not snmp.users:
        return not_applicable("未配置SNMPv3用户或组", "no SNMPv3 user or group configured")
    return passed("SNMPv3使用认证加密（authPriv）", "SNMPv3 uses authPriv",
                  facts.evidence(*snmp.v3_groups_priv, *[u.line for u in snmp.users]))


@check(id="snmp_default_community_absent", title_zh="无默认SNMP团体名", title_en="No default SNMP community",
       controls=("8.1.4.2.b", "8.1.4.4.b"), severity=Severity.HIGH, needs=("device.snmp",), uses=("snmp_exposure",),
       high_risk=("6.4.2.1",))
def _snmp_default_community(facts: Facts, policy: Policy) -> Verdict:
    snmp = facts["device.snmp"].snmp
    # only a well-known name is a default credential; a read-write community without an ACL is unrestricted
    # management access, judged by mgmt_access_restricted (8.1.4.4.c)
    bad = [c for c in snmp.communities if c.well_known]
    if "snmp_exposure" in facts and facts["snmp_exposure"].default_community_answers:
        return failed("设备响应默认SNMP团体名（实测）", "the device answers a default SNMP community (probed)",
                      [facts.note("SNMPv2c GET with a well-known community was answered", source="snmp")]
                      + facts.evidence(*[c.line for c in bad]), signals=("default_credential",))
    if bad:
        return failed("存在默认/通用SNMP团体名", "default SNMP community", facts.evidence(*[c.line for c in bad]),
                      signals=("default_credential",))
    if not snmp.communities and snmp.enabled and snmp.versions is None:
        # the agent runs but the capture shows no community and no version (a sanitiser removed them): a default
        # community cannot be ruled out
        return manual("SNMP已启用，但配置中未体现团体名及版本（可能已被脱敏删除）：需在线以默认团体名探测核实",
                      "SNMP is on but the configuration shows no community or version (removed by a sanitiser?): "
                      "probe the device with the default communities", facts.evidence(*snmp.notifications[:2]))
    if not snmp.communities and (snmp.enabled is False or not (snmp.versions or set()) & {"v1", "v2c"}):
        # no community-based SNMP at all: nothing to be a default community (not a pass lifting 8.1.4.2.b)
        return not_applicable("未启用SNMP v1/v2c团体名", "no SNMP v1/v2c community in use")
    hidden = [c for c in snmp.communities if c.name_hidden]
    if hidden:
        return manual("团体名以密文存储，无法从配置确认不是public等默认团体名：需在线以默认团体名探测核实",
                      "the community name is stored encrypted: the config cannot show it is not a default one "
                      "(probe the device with the default communities)", facts.evidence(*[c.line for c in hidden]))
    return passed("无默认SNMP团体名", "no default SNMP community", facts.evidence(*[c.line for c in snmp.communities]))


def _toggle_group(facts: Facts, services: dict[str, tuple[str, str]]) -> Verdict:
    dev = facts["device.services"]
    on, unknown = [], []
    for key, (zh, en) in services.items():
        t = dev.legacy_services.get(key)
        if t is None or t.enabled is None:
            unknown.append(zh)
        elif t.enabled:
            on.append((zh, en, t))
    if on:
        ev = []
        for _, en, t in on:
            ev.extend(facts.evidence(t.line) or [facts.note(f"{en}: on ({t.note or 'default'})")])
        return failed("开启了不需要的服务：" + "、".join(z for z, _, _ in on),
                      "unneeded services enabled: " + ", ".join(e for _, e, _ in on), ev)
    if len(unknown) == len(services):
        return not_applicable("该平台无此类服务", "the platform has none of these services")
    return passed("不需要的服务均已关闭", "unneeded services are disabled")


def _scanned(facts: Facts) -> list[int]:
    return sorted(p for p in (facts["open_ports"] if "open_ports" in facts else ()) if p in HIGH_RISK_TCP)


@check(id="high_risk_services_disabled", title_zh="关闭FTP/TFTP等高危服务",
       title_en="High-risk services (FTP, TFTP, small servers) off", controls=("8.1.4.4.b",), severity=Severity.HIGH,
       needs=("device.services",), uses=("open_ports",), high_risk=("6.4.3.1",))
def _high_risk_services(facts: Facts, policy: Policy) -> Verdict:
    dev = facts["device.services"]
    scanned = _scanned(facts)
    if scanned:
        return failed("端口扫描发现高危端口可达：" + "、".join(f"{p}/{HIGH_RISK_TCP[p]}" for p in scanned),
                      "port scan found high-risk ports reachable: " + ", ".join(map(str, scanned)),
                      [facts.note(f"nmap: {p}/tcp open ({HIGH_RISK_TCP[p]})", source="ports") for p in scanned])
    toggles = [("FTP服务", "FTP", dev.ftp), ("TFTP服务", "TFTP", dev.tftp)]
    toggles += [(zh, en, dev.legacy_services[k]) for k, (zh, en) in HIGH_RISK_SERVICES.items()
                if k in dev.legacy_services]
    on = [(zh, en, t) for zh, en, t in toggles if t.enabled]
    if on:
        ev = [e for _, en, t in on for e in (facts.evidence(t.line) or [facts.note(f"{en}: on")])]
        # an enabled server listens on every interface address unless the config restricts it; a Telnet listener
        # that no line lets log in is an unneeded port, not a service anyone can use (no reachability signal)
        usable = [t for zh, en, t in on if t is not dev.legacy_services.get("telnet_listener")]
        return failed("开启了高危服务：" + "、".join(z for z, _, _ in on),
                      "high-risk services enabled: " + ", ".join(e for _, e, _ in on), ev,
                      signals=("service_listening",) if usable else ())
    if dev.ftp.enabled is None:
        return manual("FTP服务状态未知", "FTP server state unknown")
    return passed("FTP/TFTP等高危服务已关闭", "FTP/TFTP and other high-risk services are off")


@check(id="legacy_services_disabled", title_zh="关闭不需要的网络服务（源路由、BOOTP、PAD、CDP）",
       title_en="Unneeded legacy services off", controls=("8.1.4.4.b",), severity=Severity.LOW,
       needs=("device.services",), fix_platforms=("cisco_ios",))     # only the IOS parser reads these services
def _legacy(facts: Facts, policy: Policy) -> Verdict:
    return _toggle_group(facts, LEGACY_SERVICES)


@check(id="mgmt_access_restricted", title_zh="限制管理终端的接入地址",
       title_en="Management access restricted by source address", controls=("8.1.4.4.c",), severity=Severity.MEDIUM,
       needs=("device.mgmt", "device.services", "device.snmp"))
def _mgmt_acl(facts: Facts, policy: Policy) -> Verdict:
    dev = facts["device.mgmt"]
    vty = [m for m in dev.mgmt_lines if m.kind == "vty" and m.protocols != frozenset() and m.auth != "refused"]
    # a read-write SNMP community without an ACL lets any address manage the device
    rw_open = [c for c in facts["device.snmp"].snmp.communities if c.access == "rw" and c.acl is None]
    problems_zh = ["读写SNMP团体名未绑定ACL"] if rw_open else []
    problems_en = ["a read-write SNMP community has no ACL"] if rw_open else []
    ev_lines = [c.line for c in rw_open]
    if not vty and not rw_open:
        return manual("配置中无可远程登录的vty线路段", "no remotely reachable vty lines in the config")
    ssh_acl = dev.acls.get(dev.ssh.acl) if dev.ssh.acl else None
    for m in vty:
        acl_name = m.acl_in
        if acl_name is None and ssh_acl is not None and m.protocols == frozenset({"ssh"}):
            acl_name = dev.ssh.acl
        if acl_name is None:
            problems_zh.append(f"{m.name}未绑定访问控制列表")
            problems_en.append(f"{m.name} has no ACL")
            ev_lines.append(m.line)
            continue
        acl = dev.acls.get(acl_name)
        if acl is None or not acl.rules:
            problems_zh.append(f"{m.name}引用的ACL {acl_name}未定义或为空（不起限制作用）")
            problems_en.append(f"{m.name} uses undefined/empty ACL {acl_name}")
            ev_lines.extend(m.lines)
            continue
        permits_any = [r for r in acl.rules if r.action == "permit" and r.source == "any"]
        if permits_any:
            problems_zh.append(f"ACL {acl_name}允许任意源地址")
            problems_en.append(f"ACL {acl_name} permits any source")
            ev_lines.extend(r.line for r in permits_any)
        ev_lines.extend([acl.line] + [r.line for r in acl.rules[:4]])
    if problems_zh:
        return failed("未限制管理终端接入地址：" + "；".join(problems_zh), "management access not restricted: "
                      + "; ".join(problems_en), facts.evidence(*ev_lines))
    return passed("远程管理仅允许指定地址范围接入", "remote management restricted to given source addresses",
                  facts.evidence(*[m.line for m in vty], *ev_lines, dev.ssh.acl_line))
