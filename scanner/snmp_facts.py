"""SNMP output (the JSON the collector saves; older YAML saves too) -> facts: system identity, port states, exposure."""
from __future__ import annotations

import json
from dataclasses import dataclass

from scanner.textio import load_yaml

PHYSICAL_IF_TYPES = {6, 62, 69, 117}     # ethernetCsmacd, fastEther, fastEtherFX, gigabitEthernet


@dataclass(frozen=True, slots=True)
class SnmpSystem:
    descr: str | None
    object_id: str | None
    name: str | None
    model: str | None
    serial: str | None
    software: str | None


@dataclass(frozen=True, slots=True)
class SnmpExposure:
    default_community_answers: bool


@dataclass(frozen=True, slots=True)
class SnmpWalk:
    system: SnmpSystem
    ports: dict[str, tuple[bool, bool]] | None     # None: not collected, or the walk was cut short (`partial`)
    exposure: SnmpExposure
    partial: str | None = None                     # why the walk stopped early ("<reason code>: <message>")


def parse_snmp(text: str) -> tuple[SnmpSystem, dict[str, tuple[bool, bool]] | None, SnmpExposure]:
    walk = parse_snmp_walk(text)
    return walk.system, walk.ports, walk.exposure


def parse_snmp_walk(text: str) -> SnmpWalk:
    """The saved SNMP output -> facts. A walk cut short keeps the system identity; its port list is incomplete,
    so no port state is reported from it (idle ports cannot be judged from part of the table)."""
    # JSON since 0.1 (10x cheaper to write and read than YAML for ~600 values); JSON is YAML, older saves still load
    try:
        data = json.loads(text) if text.lstrip().startswith("{") else load_yaml(text) or {}
    except ValueError:
        data = load_yaml(text) or {}

    def first(table: str) -> str | None:
        rows = data.get(table) or {}
        classes = data.get("ent_class") or {}
        chassis = [k for k, v in classes.items() if v == 3]          # entPhysicalClass chassis(3)
        for k in chassis + sorted(rows, key=str):
            v = rows.get(k)
            if v:
                return str(v)
        return None
    system = SnmpSystem(data.get("sys_descr"), data.get("sys_object_id"), data.get("sys_name"), first("ent_model"),
                        first("ent_serial"), first("ent_software"))
    ports = None
    cut = data.get("walk_partial")
    partial = f"{cut.get('code', 'snmp_error')}: {cut.get('reason', '')}" if isinstance(cut, dict) else None
    if "if_descr" in data and partial is None:
        ports = {}
        types, admin, oper = data.get("if_type") or {}, data.get("if_admin") or {}, data.get("if_oper") or {}
        for idx, name in (data.get("if_descr") or {}).items():
            if types.get(idx) in PHYSICAL_IF_TYPES:
                ports[str(name)] = (admin.get(idx) == 1, oper.get(idx) == 1)
    return SnmpWalk(system, ports, SnmpExposure(bool(data.get("default_community_answers"))), partial)
