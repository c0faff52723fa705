"""Redundancy (8.1.4.9.c), monitoring (8.1.5.4.c) and idle ports (8.1.3.1.b) as seen from one device."""
from __future__ import annotations

from scanner.checkkit import Check, Facts, Verdict, device, failed, manual, passed
from scanner.model import FixKind, Severity
from scanner.policy import Policy


def _redundancy(facts: Facts, policy: Policy) -> Verdict:
    dev = device(facts)
    if dev.redundancy_lines:
        return passed("配置中有冗余部署证据（堆叠/IRF/VRRP/HSRP/链路聚合）",
                      "redundancy evidence (stack/IRF/VRRP/HSRP/link aggregation)",
                      facts.evidence(*dev.redundancy_lines[:6]))
    return manual("本设备配置中无冗余部署证据；冗余可能由对端设备提供，需结合网络拓扑核实",
                  "no redundancy evidence on this device; check the topology for a peer device")


def _monitoring(facts: Facts, policy: Policy) -> Verdict:
    snmp = device(facts).snmp
    if snmp.enabled and (snmp.versions or snmp.trap_hosts):
        return passed("已启用SNMP，可被集中监测平台监测", "SNMP enabled for central monitoring",
                      facts.evidence(*(snmp.trap_hosts[:2] or snmp.lines[:2])))
    return manual("未启用SNMP：需核实是否通过其他方式纳入集中监测", "SNMP off: verify other central monitoring")


def _idle_ports(facts: Facts, policy: Policy) -> Verdict:
    states = facts["interface_state"]            # name -> (admin_up, oper_up)
    idle = [n for n, (admin_up, oper_up) in states.items() if admin_up and not oper_up]
    if idle:
        return failed(f"{len(idle)}个闲置端口未关闭：" + "、".join(idle[:10]),
                      f"{len(idle)} idle ports are not shut down: " + ", ".join(idle[:10]))
    return passed("闲置端口均已关闭", "idle ports are shut down")


CHECKS = [
    Check("device_redundancy_present", "关键设备冗余部署", "Key device deployed redundantly",
          ("8.1.4.9.c",), Severity.MEDIUM, ("device_config",), _redundancy, fix_kind=FixKind.HARDWARE),
    Check("central_monitoring_enabled", "设备运行状况可被集中监测", "Device health monitored centrally",
          ("8.1.5.4.c",), Severity.LOW, ("device_config",), _monitoring),
    Check("idle_ports_shutdown", "闲置端口已关闭", "Idle ports are shut down",
          ("8.1.3.1.b",), Severity.MEDIUM, ("device_config", "interface_state"), _idle_ports),
]
