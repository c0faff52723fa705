"""管理者摘要 (the manager's page): what to buy, upgrade and reconfigure, by model and release, most urgent first.

Equipment that needs the same action is one row per model and release. Rows are ordered by risk, not by action:
the most exposed asset of the row (internet, then untrusted, ...), a known exploited vulnerability, the number of
unresolved high-risk cases, the highest importance. Every end-of-support or vulnerability claim names its source and
confidence from the equipment data (checks/catalog/equipment/); a release is suggested only when that data lists it
for the model (scanner/equipment.upgrade_target), a replacement only when the data names one.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from checks.fleet import SECURITY_FUNCTIONS
from reports.views import EXPOSED, EXPOSURE_RANK, IMPORTANCE_RANK, advisory_ids, upgrade_plan
from scanner import equipment
from scanner.model import Asset, CheckStatus, Finding, FixKind, ScanResult

EFFORT = {"hardware": "purchase", "firmware": "maintenance_window", "config": "config_change"}
ACTION_ORDER = ("hardware", "firmware", "config")
BOUNDARY_ROLES = frozenset({"firewall", "ips", "ids"})      # the rest (log audit, bastion) sit in the management zone


@dataclass(frozen=True, slots=True)
class Claim:
    """One statement the plan rests on, with where it comes from."""
    kind: str                  # end_of_support / vulnerability / feature / observed
    subject: str               # CVE id, "end of support 2019-10-31", the feature's first release, or the finding
    source: str
    confidence: str            # high / low (low: secondary source or inferred, see the equipment data)
    kev: bool = False          # a known exploited vulnerability
    subject_en: str = ""       # where the subject is words (an observed finding's title): in English

    @property
    def sources(self) -> list[str]:
        """The data file separates several sources with ' ; '; the first is the primary one."""
        return [x.strip() for x in self.source.split(" ; ") if x.strip()]


@dataclass(slots=True)
class EquipmentGroup:
    platform: str
    model: str | None
    release: str | None
    action: str                                   # hardware / firmware / config
    assets: list[str] = field(default_factory=list)
    exposure: str | None = None                   # the most exposed of its assets
    exposed: int = 0                              # assets facing the internet or an untrusted network
    high_risks: int = 0                           # unresolved high-risk cases over its assets
    importance: str | None = None                 # the highest of its assets
    claims: list[Claim] = field(default_factory=list)
    target: str | None = None                     # suggested release (firmware) or replacement model (hardware)
    target_source: str | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def effort(self) -> str:
        return EFFORT[self.action]

    @property
    def advice(self) -> str:
        """Which suggestion the row makes: upgrade_to / replace_with (with `target`), or why it names none."""
        if self.action == "config":
            return "see_fix"
        if self.target:
            return "upgrade_to" if self.action == "firmware" else "replace_with"
        if self.action == "firmware" and self.claims and all(c.kind == "observed" for c in self.claims):
            return "apply_updates"
        return "no_release" if self.action == "firmware" else "no_replacement"

    @property
    def kev(self) -> bool:
        return any(c.kev for c in self.claims)

    def risk_key(self) -> tuple:
        return (EXPOSURE_RANK.get(self.exposure, 4), not self.kev, -self.high_risks,
                IMPORTANCE_RANK.get(self.importance, 1), ACTION_ORDER.index(self.action), self.model or "",
                self.release or "")


@dataclass(slots=True)
class SecurityDeviceNeed:
    name_zh: str
    name_en: str
    where: list[str]           # the boundary zones (internet / untrusted exposure), or the management zone
    boundary: bool


@dataclass(slots=True)
class ManagerPage:
    totals: dict[str, int]                        # action -> devices
    groups: list[EquipmentGroup]
    to_add: list[SecurityDeviceNeed]
    to_add_unknown: bool                          # the inventory names no roles: what is missing cannot be told


def manager_page(result: ScanResult) -> ManagerPage:
    by_name = {a.name: a for a in result.assets}
    groups: dict[tuple, EquipmentGroup] = {}
    for p in upgrade_plan(result):
        a = by_name[p.asset]
        g = groups.setdefault((a.platform, a.model, a.software_version, p.action),
                              EquipmentGroup(a.platform, a.model, a.software_version, p.action))
        _add_asset(g, a)
        g.reasons = list(dict.fromkeys(g.reasons + (p.hardware or p.firmware or p.config)))
    for g in groups.values():
        _target(g)
    ordered = sorted(groups.values(), key=EquipmentGroup.risk_key)
    totals = {action: sum(len(g.assets) for g in ordered if g.action == action) for action in ACTION_ORDER}
    needs, unknown = security_devices_to_add(result)
    return ManagerPage(totals, ordered, needs, unknown)


def _add_asset(g: EquipmentGroup, a: Asset) -> None:
    g.assets.append(a.name)
    if EXPOSURE_RANK.get(a.exposure, 4) < EXPOSURE_RANK.get(g.exposure, 4):
        g.exposure = a.exposure
    g.exposed += a.exposure in EXPOSED
    g.high_risks += len({h.id for h in a.high_risks if not h.compensated})
    if IMPORTANCE_RANK.get(a.importance, 1) < IMPORTANCE_RANK.get(g.importance, 1) or g.importance is None:
        g.importance = a.importance if a.importance is not None else g.importance
    for f in a.findings:
        if f.status == CheckStatus.FAIL and f.fix_kind in (FixKind.FIRMWARE, FixKind.HARDWARE):
            for c in claims_of(a, f):
                if c not in g.claims:
                    g.claims.append(c)


def claims_of(a: Asset, f: Finding) -> list[Claim]:
    """Where the end-of-support or vulnerability statement behind a firmware or hardware action comes from."""
    out = []
    for vid in advisory_ids(f):
        v = equipment.vulnerability(a.platform, vid) or {}
        out.append(Claim("vulnerability", vid, v.get("source") or "—", _confidence(v), bool(v.get("kev"))))
    lc = equipment.lifecycle_entry(a.platform, a.model) if f.fix_kind == FixKind.HARDWARE else None
    if lc and any(e.source == "lifecycle" for e in f.evidence):
        out.append(Claim("end_of_support", f"{lc['match']}: {lc.get('end_of_support')}", lc.get("source") or "—",
                         _confidence(lc)))
    feature = equipment.feature_entry(a.platform, f.check) if f.fix_kind == FixKind.FIRMWARE else None
    if feature and feature.get("min_release"):
        out.append(Claim("feature", f"{feature['feature']} ≥ {feature['min_release']}", feature.get("source") or "—",
                         _confidence(feature)))
    if not out:     # observed on the device itself (e.g. pending security updates reported by its package manager)
        sources = sorted({e.source for e in f.evidence}) or ["scan"]
        out.append(Claim("observed", f.title_zh, ", ".join(sources), "high", subject_en=f.title_en))
    return out


def _confidence(entry: dict) -> str:
    """An entry the data marks low, or a claim the data does not hold at all, is of low confidence."""
    return "low" if not entry or entry.get("confidence") == "low" else "high"


def _target(g: EquipmentGroup) -> None:
    if g.action == "hardware":
        lc = equipment.lifecycle_entry(g.platform, g.model) or {}
        g.target, g.target_source = lc.get("replacement"), lc.get("source") if lc.get("replacement") else None
    elif g.action == "firmware":
        mins = [c.subject.split("≥ ", 1)[1] for c in g.claims if c.kind == "feature"]
        vids = [c.subject for c in g.claims if c.kind == "vulnerability"]
        rel = equipment.upgrade_target(g.platform, g.model, g.release, vids, mins)
        if rel:
            g.target, g.target_source = str(rel["release"]), rel.get("source")


def security_devices_to_add(result: ScanResult) -> tuple[list[SecurityDeviceNeed], bool]:
    """The boundary security functions no asset of the inventory provides, and where each belongs: firewalls and
    IPS/IDS at the boundaries (zones facing the internet or an untrusted network), log audit and bastion hosts in
    the management zone."""
    if result.topology is not None and result.topology.boundaries:
        return _per_boundary_needs(result), False
    fleet = next((f for f in result.fleet if f.check == "fleet_security_devices_present"), None)
    roles = {a.role for a in result.assets if a.role}
    if fleet is None or fleet.status != CheckStatus.FAIL:
        return [], bool(fleet and fleet.status == CheckStatus.MANUAL and not roles)
    boundaries = sorted({a.zone for a in result.assets if a.zone and (a.exposure in EXPOSED or a.role == "border")})
    mgmt = sorted({a.zone for a in result.assets if a.zone and a.exposure == "management"})
    needs = []
    for rs, zh, en, _ in SECURITY_FUNCTIONS:
        if roles & set(rs):
            continue
        boundary = bool(BOUNDARY_ROLES & set(rs))
        needs.append(SecurityDeviceNeed(zh, en, boundaries if boundary else mgmt, boundary))
    return needs, False


# the per-boundary fleet checks (checks/fleet_boundaries.py) whose failure means a device to add, and its function
BOUNDARY_NEEDS = {"fleet_boundary_controlled_interface": "access_control",
                  "fleet_boundary_intrusion_prevention": "intrusion_prevention",
                  "fleet_boundary_anti_malware": "anti_malware", "fleet_boundary_audit": "audit"}


def _per_boundary_needs(result: ScanResult) -> list[SecurityDeviceNeed]:
    """Where the inventory declares its boundaries: each failed per-boundary check names the boundaries lacking its
    device; a missing bastion belongs in the management zone."""
    from checks.fleet_boundaries import DEVICE_EN, DEVICE_ZH, lacking
    failed = {f.check for f in result.fleet if f.status == CheckStatus.FAIL}
    needs = [SecurityDeviceNeed(DEVICE_ZH[fn], DEVICE_EN[fn],
                                [f"{b.name} ({'/'.join(b.between)})" for b in lacking(result.topology.boundaries,
                                                                                      result.assets, fn)], True)
             for check, fn in BOUNDARY_NEEDS.items() if check in failed]
    if "fleet_management_via_bastion" in failed and not any(a.role == "bastion" and a.exposure == "management"
                                                            for a in result.assets):
        mgmt = sorted(z for z, e in result.topology.zones.items() if e == "management")
        needs.append(SecurityDeviceNeed("运维审计系统（堡垒机）", "bastion host", mgmt, False))
    return [n for n in needs if n.where or not n.boundary]
