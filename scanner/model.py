"""The one result model every renderer reads (scan.json).

Check-level results are `Finding`s; item-level results are `ControlResult`s, rolled up from findings
(see rollup.py). The schema is versioned: bump SCHEMA_VERSION on any incompatible change.
"""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from scanner.errors import ReasonCode

SCHEMA_VERSION = "1.0"


class CheckStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    MANUAL = "manual"            # the scanner cannot prove it; an assessor must look
    NOT_APPLICABLE = "not_applicable"
    ERROR = "error"              # a needed fact failed to collect or the check crashed: never a pass


class ItemResult(StrEnum):
    COMPLIANT = "compliant"            # 符合
    PARTIAL = "partial"                # 部分符合
    NONCOMPLIANT = "noncompliant"      # 不符合
    NOT_APPLICABLE = "not_applicable"  # 不适用 (always with a reason)
    MANUAL = "manual"                  # 需人工核查
    ERROR = "error"                    # 未能评估


ITEM_RESULT_ZH = {
    ItemResult.COMPLIANT: "符合",
    ItemResult.PARTIAL: "部分符合",
    ItemResult.NONCOMPLIANT: "不符合",
    ItemResult.NOT_APPLICABLE: "不适用",
    ItemResult.MANUAL: "需人工核查",
    ItemResult.ERROR: "未能评估",
}


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class FixKind(StrEnum):
    CONFIG = "config"          # reconfigure
    FIRMWARE = "firmware"      # upgrade the software release
    HARDWARE = "hardware"      # replace the equipment
    PROCESS = "process"        # documents, procedures, other systems: nothing to type on the device


class AssetStatus(StrEnum):
    ASSESSED = "assessed"
    ERROR = "error"            # not assessed; `reason` says why


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class Evidence(_Model):
    model_config = ConfigDict(extra="forbid", frozen=True)   # hashable: duplicates are dropped per finding

    source: str                 # "config", or the command whose output it is
    line: int | None = None     # 1-based line in that source
    text: str                   # the line itself, secrets masked


class Finding(_Model):
    check: str
    title_zh: str
    title_en: str
    status: CheckStatus
    severity: Severity
    controls: list[str]
    reason_zh: str = ""
    reason_en: str = ""
    evidence: list[Evidence] = Field(default_factory=list)
    remediation: str | None = None
    fix_kind: FixKind
    # What the verdict rests on: the configuration's own lines, a release default (no line says it), or a live
    # status output (a status command, SNMP, the port scan, the SSH handshake)
    basis: Literal["config", "default", "live"] = "config"
    # placeholder of the fix commands -> the values the check found (idle ports...), for the device's fix script
    fix_values: dict[str, list[str]] = Field(default_factory=dict)
    # A failed check: what it requires (with the policy's thresholds) beside what was found, as compliance scanners
    # show them (reports/expected.py fills them when the reports are written; empty in older scan.json files)
    expected_zh: str = ""
    expected_en: str = ""
    actual_zh: str = ""
    actual_en: str = ""


class ControlResult(_Model):
    id: str
    result: ItemResult
    checks: list[str] = Field(default_factory=list)
    reason_zh: str = ""
    reason_en: str = ""


class WaiverRef(_Model):
    index: int                    # position in the waiver file
    kind: str                     # compensation (补偿因素) or waiver
    reason: str
    approver: str
    expires: date
    expired: bool


class RiskCondition(_Model):
    """One trigger condition of a T/ISEAA 001-2020 case, and whether this scan proves it."""
    name_zh: str
    name_en: str
    proven: bool
    evidence: str = ""            # what proves it, or what was found instead
    evidence_en: str = ""         # the same in English (empty in a scan.json written before it)


class HighRisk(_Model):
    """A failed check that is a candidate for a high-risk case. It is raised (`Asset.high_risks`) only when every
    trigger condition of the case is proven (scanner/highrisk.py); otherwise it stays a candidate
    (`Asset.high_risk_candidates`) and `would_raise_*` says what would make it one."""
    id: str                       # T/ISEAA 001-2020 case id, e.g. 6.4.1.2
    title_zh: str
    title_en: str
    check: str
    controls: list[str]
    evidence: list[Evidence] = Field(default_factory=list)
    signals: list[str] = Field(default_factory=list)            # what the check found (default_credential...)
    conditions: list[RiskCondition] = Field(default_factory=list)
    compensations: list[str] = Field(default_factory=list)      # compensating factors found in the scan
    would_raise_zh: str = ""
    would_raise_en: str = ""
    compensated: bool = False     # an unexpired compensation/waiver applies: not counted as unresolved
    waiver: WaiverRef | None = None


class FleetFacts(_Model):
    """What fleet-wide checks need from each asset (no secrets): where it logs, whether it syncs time, which
    sources may manage it, and whether it shows device-level redundancy."""
    syslog_hosts: list[str] = Field(default_factory=list)
    ntp: bool | None = None
    ntp_hosts: list[str] = Field(default_factory=list)      # the time sources it is configured with
    mgmt_sources: list[str] = Field(default_factory=list)
    redundancy: bool | None = None
    admin_secrets: list[str] = Field(default_factory=list)   # keyed fingerprints of administrator passwords
    # Remote management as the configuration shows it: unrestricted (a remote path with no source restriction),
    # restricted (every remote path limited by an ACL), local_only (no remote path), None (cannot tell).
    remote_mgmt: str | None = None
    remote_mgmt_note: str = ""                               # the lines or sources behind it, for evidence


class FleetFinding(_Model):
    check: str
    title_zh: str
    title_en: str
    status: CheckStatus
    controls: list[str]
    reason_zh: str
    reason_en: str
    assets: list[str] = Field(default_factory=list)      # the assets the verdict is about
    recommendation: str = ""                             # e.g. which security devices must be added
    recommendation_en: str = ""                          # the same in English
    fix_kind: FixKind = FixKind.CONFIG


class CaptureInfo(_Model):
    """Where the evidence of an asset scanned from a raw capture (`mlps scan --raw`) came from."""
    integrity: str                          # verified: every file matched its manifest; unverified: no manifest
    manifest_sha256: str | None = None      # pins the exact evidence this assessment used
    collector: str | None = None
    tool_version: str | None = None         # of the scanner that saved the capture
    written_at: str | None = None


class UnrecognizedLine(_Model):
    """A line inside a stanza the checks read (aaa, snmp, user-interface...) that the parser did not recognise."""
    stanza: str                   # scanner.facts.STANZAS
    line: int                     # 1-based line in `document`
    text: str                     # the line, secrets masked
    document: str = "config"


class ParseRecord(_Model):
    """What the parser made of the asset's documents: the lines it left unread where checks look. A check that
    reads a fact such a stanza feeds never passes (it becomes manual, its evidence naming the lines)."""
    unrecognized: list[UnrecognizedLine] = Field(default_factory=list)
    unrecognized_count: int = 0


class Asset(_Model):
    """One scanned asset and its results (what the inventory declares of it: `scanner.inventory.InventoryAsset`)."""
    name: str
    source: str | None = None     # file or address it came from
    platform: str
    kind: str                     # network_device, server, ...
    status: AssetStatus
    reason_code: ReasonCode | None = None
    reason: str | None = None
    zone: str | None = None
    role: str | None = None
    redundancy_group: str | None = None
    importance: str | None = None
    hostname: str | None = None
    model: str | None = None
    serial: str | None = None
    software_version: str | None = None
    controls: list[ControlResult] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    high_risks: list[HighRisk] = Field(default_factory=list)             # raised: every condition proven
    high_risk_candidates: list[HighRisk] = Field(default_factory=list)   # failed checks whose case is not proven
    exposure: str | None = None   # inventory: internet, untrusted, internal, management (None: not declared)
    fleet: FleetFacts | None = None
    capture: CaptureInfo | None = None
    parse: ParseRecord | None = None     # assessed assets: the parser's unread lines


class SystemItem(_Model):
    """One catalogue item across the whole scan: every one of the catalogue's items appears here."""
    id: str
    result: ItemResult
    automated: bool
    assets: dict[str, int] = Field(default_factory=dict)   # result -> number of assets
    reason_zh: str = ""


class Score(_Model):
    """Scores by the report template named in `template` (see checks/catalog/scoring.yaml)."""
    template: str
    overall: float | None                  # 综合得分 over the assessed technical items; None when none was scored
    conclusion: str | None                 # 优/良/中/差
    conclusion_en: str | None
    items_scored: int
    items_manual: int                      # left to the assessor (not in the score)
    items_unassessed: int                  # collection or check errors (not in the score)
    items_total: int
    unresolved_high_risks: int
    control_points: dict[str, float] = Field(default_factory=dict)   # 10-point scale
    layers: dict[str, float] = Field(default_factory=dict)           # 100-point scale
    items: dict[str, float] = Field(default_factory=dict)            # multi-object average per item


class WaiverStatus(_Model):
    index: int
    scope: dict[str, str]
    high_risk: str | None
    kind: str
    reason: str
    approver: str
    expires: date
    status: str                   # active / expired / unused
    matched: int


class PluginStatus(_Model):
    """One entry point of the `mlps_scanner.checks` group: whether its checks run (ok) or were left out (error)."""
    name: str                     # the entry point's name
    distribution: str             # the installed package that publishes it
    version: str
    status: Literal["ok", "error"]
    message: str = ""             # why it is left out: import error, invalid metadata, id taken
    checks: list[str] = Field(default_factory=list)     # the check ids it added (ok only)


class ScanMeta(_Model):
    tool: str = "mlps-scanner"
    tool_version: str
    catalog: str
    catalog_version: str
    policy: str
    # the policy's thresholds and choices (scanner.policy.Policy fields), so a report re-rendered from scan.json can
    # say what each failed check expected; empty in scan.json files written before it was added
    policy_values: dict[str, int | str] = Field(default_factory=dict)
    # SHA-256 of the data files and check modules applied (scanner/datafiles.py): same digest, same rules
    ruleset_sha256: str | None = None
    started_at: datetime
    finished_at: datetime


def _text(alias: str):
    """One line of text, as an assessor writes it on a cover page (no control characters)."""
    return Field(None, alias=alias, min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")


class SystemInfo(_Model):
    """The system under assessment, for the report's cover block (`--system FILE`; keys in Chinese or English).
    Every field may be absent: the report then leaves a blank for the assessor to fill in."""
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True,
                              coerce_numbers_to_str=True)

    organisation: str | None = _text("被测单位")
    system_name: str | None = _text("系统名称")
    level: Literal[3] = Field(3, alias="等级")          # the catalogue is GB/T 22239-2019 第三级
    filing_no: str | None = _text("备案号")
    report_no: str | None = _text("报告编号")
    assessed_period: str | None = _text("测评时间")
    assessor: str | None = _text("测评单位")


class HistoryPoint(_Model):
    """One earlier scan, for the trend between inspections (`mlps history`, `--history DIR`)."""
    started_at: datetime
    source: str                               # the scan.json it was read from
    score: float | None
    conclusion: str | None
    high_risks: int                           # unresolved high-risk items
    assets: int
    assessed: int
    items: dict[str, int] = Field(default_factory=dict)     # system item result -> count


class Boundary(_Model):
    """A boundary between two zones of the inventory (`boundaries:`) and the devices that sit on it."""
    name: str
    between: list[str]                  # the two zones it separates
    exposure: str                       # of its less trusted side: internet, untrusted, internal, management
    devices: list[str] = Field(default_factory=list)


class Topology(_Model):
    """The zones and boundaries an inventory declares; the per-boundary fleet checks judge each boundary."""
    zones: dict[str, str] = Field(default_factory=dict)     # zone -> exposure
    boundaries: list[Boundary] = Field(default_factory=list)


class ScanResult(_Model):
    schema_version: str = SCHEMA_VERSION
    meta: ScanMeta
    assets: list[Asset]
    items: list[SystemItem]
    score: Score | None = None
    waivers: list[WaiverStatus] = Field(default_factory=list)
    fleet: list[FleetFinding] = Field(default_factory=list)
    plugins: list[PluginStatus] = Field(default_factory=list)
    system: SystemInfo | None = None      # the cover block's facts (--system FILE); None: blanks in the report
    history: list[HistoryPoint] = Field(default_factory=list)   # earlier scans, oldest first (--history DIR)
    topology: Topology | None = None      # the inventory's zones and boundaries (None: a scan without inventory)
