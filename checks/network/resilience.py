"""Redundancy (8.1.4.9.c), monitoring (8.1.5.4.c) and idle ports (8.1.3.1.b) as seen from one device."""
from __future__ import annotations

from scanner.checkkit import Facts, Verdict, check, failed, manual, passed
from scanner.model import FixKind, Severity
from scanner.policy import Policy


@check(id="device_redundancy_present", title_zh="关键设备冗余部署", title_en="Key device deployed redundantly",
       controls=("8.1.4.9.c",), severity=Severity.MEDIUM, needs=("device.redundancy",), fix_kind=FixKind.HARDWARE)
def _redundancy(facts: Facts, policy: Policy) -> Verdict:
    dev = facts["device.redundancy"]
    if dev.redundancy_lines:
        return passed("配置中有冗余部署证据（堆叠/IRF/VRRP/HSRP/链路聚合）",
                      "redundancy evidence (stack/IRF/VRRP/HSRP/link aggregation)",
                      facts.evidence(*dev.redundancy_lines[:6]))
    return manual("本设备配置中无冗余部署证据；冗余可能由对端设备提供，需结合网络拓扑核实",
                  "no redundancy evidence on this device; check the topology for a peer device")


@check(id="central_monitoring_enabled", title_zh="设备运行状况可被集中监测",
       title_en="Device health monitored centrally", controls=("8.1.5.4.c",), severity=Severity.LOW,
       needs=("device.snmp",))
def _monitoring(facts: Facts, policy: Policy) -> Verdict:
    snmp = facts["device.snmp"].snmp
    # notifications enabled (traps/informs) count too: the device is set up to report to a monitoring platform
    if snmp.enabled and (snmp.versions or snmp.trap_hosts or snmp.notifications):
        return passed("已启用SNMP，可被集中监测平台监测", "SNMP enabled for central monitoring",
                      facts.evidence(*(snmp.trap_hosts[:2] or snmp.notifications[:2] or snmp.lines[:2])))
    return manual("未启用SNMP：需核实是否通过其他方式纳入集中监测", "SNMP off: verify other central monitoring")


@check(id="idle_ports_shutdown", title_zh="闲置端口已关闭", title_en="Idle ports are shut down",
       controls=("8.1.3.1.b",), severity=Severity.MEDIUM, needs=("interface_state",))
def _idle_ports(facts: Facts, policy: Policy) -> Verdict:
    states = facts["interface_state"]            # name -> (admin_up, oper_up)
    idle = [n for n, (admin_up, oper_up) in states.items() if admin_up and not oper_up]
    if idle:
        return failed(f"{len(idle)}个闲置端口未关闭：" + "、".join(idle[:10]),
                      f"{len(idle)} idle ports are not shut down: " + ", ".join(idle[:10]),
                      fix_values={"unused-port": idle})
    return passed("闲置端口均已关闭", "idle ports are shut down")
