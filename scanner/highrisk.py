"""High-risk judgement by the trigger conditions of T/ISEAA 001-2020 (docs/high-risk.md).

A failed check is a *candidate* for the cases it declares. The case is *raised* only when each of its trigger
conditions is proven by this scan: by the inventory (an asset or zone declared `exposure: internet|untrusted`), by
the device (remote management with no source restriction at all), by a port scan (the service answered), or by
what the check found (a publicly known default credential). Otherwise the item's own verdict stands, the candidate
is kept in `Asset.high_risk_candidates` with its conditions, and `would_raise_*` says what would make it one.
Compensating factors found (management restricted by ACL, local or out-of-band only) are listed on every candidate.
Pure: reads the result model only.
"""
from __future__ import annotations

from collections.abc import Callable

from scanner.model import Asset, HighRisk, RiskCondition
from scanner.zones import UNCONTROLLED
Judged = tuple[RiskCondition, str, str]            # the condition, and (zh, en) of what would prove it


def _exposed(asset: Asset, h: HighRisk) -> Judged:
    """Remote management (or the service) can be reached from a network nobody controls."""
    name = ("可从不受控网络访问远程管理", "remote management reachable from an uncontrolled network")
    fleet = asset.fleet
    if asset.exposure in UNCONTROLLED:
        return RiskCondition(name_zh=name[0], name_en=name[1], proven=True,
                             evidence=f"资产清单：exposure: {asset.exposure}",
                             evidence_en=f"inventory: exposure: {asset.exposure}"), "", ""
    if fleet is not None and fleet.remote_mgmt == "unrestricted":
        return RiskCondition(name_zh=name[0], name_en=name[1], proven=True,
                             evidence=f"远程管理未限制来源地址（{fleet.remote_mgmt_note}）",
                             evidence_en=f"remote management open to any source ({fleet.remote_mgmt_note})"), "", ""
    mode = fleet.remote_mgmt if fleet else None
    seen = {"restricted": "远程管理已按来源地址限制", "local_only": "无远程管理路径（仅本地/带外）"}.get(
        mode, "配置未证明远程管理无来源限制")
    seen_en = {"restricted": "remote management is restricted by source address",
               "local_only": "no remote management path (local or out-of-band only)"}.get(
        mode, "the configuration does not show remote management open to any source")
    if asset.exposure:
        seen += f"；资产清单：exposure: {asset.exposure}"
        seen_en += f"; inventory: exposure: {asset.exposure}"
    return (RiskCondition(name_zh=name[0], name_en=name[1], proven=False, evidence=seen, evidence_en=seen_en),
            "资产或其区域在资产清单中标记为 exposure: internet 或 untrusted，或配置显示远程管理未限制来源地址",
            "the asset or its zone is marked exposure: internet or untrusted in the inventory, or the configuration "
            "shows remote management with no source restriction")


def _internet(asset: Asset, h: HighRisk) -> Judged:
    """Managed or reached from the internet (or another uncontrolled network), as the inventory declares: T/ISEAA
    6.4.3.2 raises a public high-risk vulnerability there; on an internal system only a verified exploit does,
    which a configuration cannot show."""
    name = ("系统可从互联网等不受控网络访问", "the system is reachable from the internet or another uncontrolled network")
    if asset.exposure in UNCONTROLLED:
        return RiskCondition(name_zh=name[0], name_en=name[1], proven=True,
                             evidence=f"资产清单：exposure: {asset.exposure}",
                             evidence_en=f"inventory: exposure: {asset.exposure}"), "", ""
    seen = f"资产清单：exposure: {asset.exposure}" if asset.exposure else "资产清单未声明其暴露面"
    seen_en = f"inventory: exposure: {asset.exposure}" if asset.exposure else "the inventory declares no exposure"
    return (RiskCondition(name_zh=name[0], name_en=name[1], proven=False, evidence=seen, evidence_en=seen_en),
            "资产或其区域在资产清单中标记为 exposure: internet 或 untrusted；内网系统须经漏洞验证确认可被利用",
            "the asset or its zone is marked exposure: internet or untrusted; on an internal system, a verified "
            "exploit")


def _reachable(asset: Asset, h: HighRisk) -> Judged:
    """The service is reachable remotely: a port scan saw it, or the asset is exposed as above."""
    ports = [e.text for e in h.evidence if e.source == "ports"]
    if ports:
        return RiskCondition(name_zh="服务可被远程访问", name_en="the service is reachable remotely", proven=True,
                             evidence="端口扫描：" + "；".join(ports),
                             evidence_en="port scan: " + "; ".join(ports)), "", ""
    if "service_listening" in h.signals:
        return RiskCondition(name_zh="服务可被远程访问", name_en="the service is reachable remotely", proven=True,
                             evidence="服务在网络地址上监听（配置开启或本机监听非回环地址）",
                             evidence_en="the service listens on a network address (enabled in the configuration, "
                                         "or listening on a non-loopback address)"), "", ""
    cond, zh, en = _exposed(asset, h)
    cond = cond.model_copy(update={"name_zh": "服务可被远程访问", "name_en": "the service is reachable remotely"})
    return cond, ("端口扫描（--portscan）发现该服务端口开放，或" + zh) if zh else "", \
        ("a port scan (--portscan) finds the service open, or " + en) if en else ""


def _default_credential(asset: Asset, h: HighRisk) -> Judged:
    proven = "default_credential" in h.signals
    return (RiskCondition(name_zh="存在公开的默认账户名或默认口令", name_en="a publicly known default account or "
                          "password", proven=proven,
                          evidence="厂商出厂账户/口令或 public/private 团体名" if proven
                          else "未发现公开的默认账户名或口令（如仅为无ACL的读写团体名）",
                          evidence_en="a vendor factory account or password, or a public/private community" if proven
                          else "no publicly known default account or password (e.g. only a read-write community "
                               "without an ACL)"),
            "发现厂商出厂账户及其默认口令，或 public/private 等公开团体名",
            "a vendor factory account with its default password, or a public/private community")


def _remote_path(asset: Asset, h: HighRisk) -> Judged:
    """Not only local login paths (console/aux) are concerned."""
    proven = "local_only" not in h.signals
    return (RiskCondition(name_zh="涉及远程登录路径", name_en="a remote login path is concerned", proven=proven,
                          evidence="" if proven else "仅涉及本地登录路径（console/aux）",
                          evidence_en="" if proven else "only local login paths (console/aux) are concerned"),
            "远程登录路径（vty/SSH/Web）存在同样问题", "a remote login path (vty, SSH, web) has the same gap")


def _retention(asset: Asset, h: HighRisk) -> Judged:
    """Audit records are kept less than six months: proven only where the asset's own retention is known and short
    (logs kept on the host only, rotated away before six months); a device without a log host may still keep them
    elsewhere (a local log file, a collector polling it)."""
    if "retention_short" in h.signals:
        return RiskCondition(name_zh="审计记录留存不足6个月", name_en="audit records kept < 6 months", proven=True,
                             evidence="日志仅存本机，且轮转保留时间不足6个月",
                             evidence_en="logs are kept on the host only and rotated away within 6 months"), "", ""
    return (RiskCondition(name_zh="系统审计记录留存不足6个月", name_en="the system keeps audit records < 6 months",
                          proven=False, evidence="单台设备的配置不能证明系统的审计记录留存时间",
                          evidence_en="one device's configuration cannot show how long the system keeps audit "
                                      "records"),
            "访谈或核查确认系统没有留存6个月以上的集中日志（日志审计系统）",
            "an interview or inspection confirms no central log store keeps six months")


# Case -> its trigger conditions beyond "the check failed" (T/ISEAA 001-2020; docs/high-risk.md says why).
RULES: dict[str, tuple[Callable[[Asset, HighRisk], Judged], ...]] = {
    "6.4.1.1": (_remote_path,),
    "6.4.1.3": (_exposed,),
    "6.4.2.1": (_default_credential,),
    "6.4.3.1": (_reachable,),
    "6.4.3.2": (_internet,),
    "6.5.1.1": (_exposed,),
    "6.5.1.2": (_retention,),
}


def _compensations(asset: Asset) -> list[str]:
    fleet = asset.fleet
    if fleet is None:
        return []
    if fleet.remote_mgmt == "restricted":
        return [f"管理访问受ACL限制：{fleet.remote_mgmt_note}"]
    if fleet.remote_mgmt == "local_only":
        return ["仅本地或带外管理（无远程管理路径）"]
    return []


def judge(asset: Asset, h: HighRisk) -> HighRisk:
    failed = RiskCondition(name_zh="检查未通过", name_en="the check failed", proven=True, evidence=h.check)
    judged = [rule(asset, h) for rule in RULES.get(h.id, ())]
    missing = [(zh, en) for c, zh, en in judged if not c.proven]
    return h.model_copy(update={
        "conditions": [failed, *(c for c, _, _ in judged)], "compensations": _compensations(asset),
        "would_raise_zh": "；".join(zh for zh, _ in missing), "would_raise_en": "; ".join(en for _, en in missing)})


def judge_asset(asset: Asset) -> Asset:
    """Split the asset's candidates into raised high risks and candidates whose case is not proven."""
    everything = [judge(asset, h) for h in [*asset.high_risks, *asset.high_risk_candidates]]
    raised = [h for h in everything if all(c.proven for c in h.conditions)]
    held = [h for h in everything if not all(c.proven for c in h.conditions)]
    return asset.model_copy(update={"high_risks": raised, "high_risk_candidates": held})
