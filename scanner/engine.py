"""Parse -> run checks -> roll up -> score, for saved configurations and for the documents a live collection
captured (`assess_documents`), which give the same verdicts.

A saved config file is one asset named by its file name without extension. Anything wrong with an input becomes
that asset's `error` status with a reason; the scan of the other assets goes on.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cache
from pathlib import Path


from scanner import __version__, platforms
from scanner.catalog import CATALOG_DIR, Catalog, load_catalog
from scanner.datafiles import remediation_dir, ruleset_digest
from scanner.checkkit import Check, Facts, FleetCheck, Verdict
from scanner.errors import ReasonCode
from scanner.highrisk import judge_asset
from scanner.model import (
    Asset, AssetStatus, CheckStatus, ControlResult, Finding, FixKind, FleetFinding, HighRisk, ItemResult, PluginStatus,
    ScanMeta, ScanResult, Topology,
)
from scanner.platforms.base import EXTRA_FACTS, MASK, Identity, Platform, UnreadLine
from scanner.policy import Policy
from scanner.registry import CheckSet, discover
from scanner.rollup import FLEET_RESULT, control_results, system_items
from scanner.textio import DEFAULT_MAX_BYTES, UnreadableInput, decode_config, load_yaml, read_bounded
from scanner.unread_rule import hold_pass, parse_record

@dataclass(slots=True)
class ScanContext:
    checks: list[Check]
    catalog: Catalog
    policy: Policy
    high_risk_titles: dict[str, tuple[str, str]]
    remediation: dict[str, dict[str, str]]
    max_bytes: int = DEFAULT_MAX_BYTES
    waivers: list = field(default_factory=list)       # scanner.waivers.Waiver
    fleet_checks: list[FleetCheck] = field(default_factory=list)
    plugins: list[PluginStatus] = field(default_factory=list)
    ruleset: str = ""      # datafiles.ruleset_digest: the data files and check modules this scan applies

    @classmethod
    def default(cls, policy: Policy | None = None, checkset: CheckSet | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES) -> ScanContext:
        """Raises registry.BrokenChecks when a built-in check module or data file is broken."""
        cs = checkset or discover()
        modules = [c.evaluate.__module__ for c in [*cs.checks, *cs.fleet_checks]]
        return cls(cs.checks, load_catalog(), policy or Policy(), high_risk_catalog(), remediation_texts(),
                   max_bytes, fleet_checks=cs.fleet_checks, plugins=cs.plugins, ruleset=ruleset_digest(modules))


@cache
def high_risk_catalog() -> dict[str, tuple[str, str]]:
    data = load_yaml((CATALOG_DIR / "high_risk_t_iseaa_001_2020.yaml").read_text(encoding="utf-8"))
    return {c["id"]: (c["title_zh"], c["title_en"]) for c in data["cases"]}


@cache
def remediation_texts() -> dict[str, dict[str, str]]:
    """platform -> check id -> fix commands, from checks/remediation/<platform>.yaml."""
    out: dict[str, dict[str, str]] = {}
    for f in sorted(remediation_dir().glob("*.yaml")):
        out[f.stem] = {k: str(v).rstrip() for k, v in (load_yaml(f.read_text(encoding="utf-8")) or {}).items()}
    return out


def collect_config_files(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and the files inside named folders (recursively, hidden files skipped)."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and not any(
                part.startswith(".") for part in f.relative_to(p).parts)))
        else:
            files.append(p)
    return files


def _path_text(text: str) -> str:
    # A file name that is not UTF-8 reaches Python as lone surrogates, which no report can encode: show its bytes.
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _asset_name(path: Path, taken: Counter) -> str:
    name = _path_text(path.stem or path.name)
    taken[name] += 1
    return name if taken[name] == 1 else f"{name}~{taken[name]}"


def scan_configs(paths: Sequence[Path], ctx: ScanContext, platform: str | None = None,
                 on_asset: Callable[[Asset], None] | None = None) -> ScanResult:
    started = datetime.now(timezone.utc)
    taken: Counter = Counter()
    assets: list[Asset] = []
    for f in collect_config_files(paths):
        asset = assess_config_file(f, ctx, platform, _asset_name(f, taken))
        assets.append(asset)
        if on_asset:
            on_asset(asset)
    return build_result(assets, ctx, started)


def build_result(assets: list[Asset], ctx: ScanContext, started: datetime,
                 topology: Topology | None = None, judged: bool = False) -> ScanResult:
    """The scan's result from its assets; `judged`: the caller vouches that every asset's high risks were judged
    with the exposure it has now (scanner/highrisk.py), as a live scan's assessments do."""
    from scanner.scoring import compute_score
    from scanner.waivers import apply_waivers
    if not judged:
        assets = [judge_asset(a) for a in assets]       # a candidate is raised only when its conditions are proven
    assets, waiver_status = apply_waivers(assets, ctx.waivers, datetime.now(timezone.utc).date())
    fleet = run_fleet(assets, ctx.fleet_checks, topology) if len(assets) > 1 else []
    per_item: dict[str, list[ItemResult]] = {}
    for a in assets:
        for c in a.controls:
            per_item.setdefault(c.id, []).append(c.result)
    for f in fleet:                       # the system itself is one more assessment object of these items
        for c in f.controls:
            per_item.setdefault(c, []).append(FLEET_RESULT[f.status])
    unresolved = len({(a.name, h.id) for a in assets for h in a.high_risks if not h.compensated})
    return ScanResult(
        meta=ScanMeta(tool_version=__version__, catalog=ctx.catalog.name, catalog_version=ctx.catalog.version,
                      policy=ctx.policy.name, policy_values=ctx.policy.model_dump(),
                      ruleset_sha256=ctx.ruleset or None, started_at=started,
                      finished_at=datetime.now(timezone.utc)),
        assets=assets, items=system_items(assets, ctx, fleet), score=compute_score(per_item, ctx.catalog, unresolved),
        waivers=waiver_status, fleet=fleet, plugins=ctx.plugins, topology=topology)





def run_fleet(assets: list[Asset], fleet_checks: list[FleetCheck], topology: Topology | None = None
              ) -> list[FleetFinding]:
    """Fleet-wide checks (discovered with the device checks, see scanner/registry.py) over a scan of two or more
    assets; on saved configurations, which carry no roles or zones, the checks that need them give manual review.
    Where the inventory declares boundaries, the per-boundary checks replace their whole-inventory forms."""
    out, edges = [], topology.boundaries if topology else []
    skip = "no_boundaries" if edges else "boundaries"
    for fc in (c for c in fleet_checks if c.scope != skip):
        try:
            v = fc.evaluate(assets, edges) if fc.scope == "boundaries" else fc.evaluate(assets)
        except Exception as e:  # a broken fleet check must not lose the scan
            out.append(FleetFinding(check=fc.id, title_zh=fc.title_zh, title_en=fc.title_en, status=CheckStatus.ERROR,
                                    controls=list(fc.controls), reason_zh=f"检查程序异常：{type(e).__name__}",
                                    reason_en=f"{type(e).__name__}: {e}", fix_kind=fc.fix_kind))
            continue
        out.append(FleetFinding(check=fc.id, title_zh=fc.title_zh, title_en=fc.title_en, status=v.status,
                                controls=list(fc.controls), reason_zh=v.reason_zh, reason_en=v.reason_en,
                                assets=list(v.assets), recommendation=v.recommendation,
                                recommendation_en=v.recommendation_en, fix_kind=fc.fix_kind))
    return out


def assess_config_file(path: Path, ctx: ScanContext, platform: str | None = None, name: str | None = None) -> Asset:
    name, source = name or _path_text(path.stem), _path_text(str(path))
    try:
        data = read_bounded(path, ctx.max_bytes, " (raise it with --max-config-mb)")
    except UnreadableInput as e:
        return error_asset(name, source, platform or platforms.UNKNOWN, e.code, e.message, ctx)
    except OSError as e:
        return error_asset(name, source, platform or platforms.UNKNOWN, ReasonCode.READ_ERROR,
                           f"cannot read file: {e.strerror}", ctx)
    return assess_config_bytes(data, ctx, platform, name, source)


def assess_config_bytes(data: bytes, ctx: ScanContext, platform: str | None, name: str, source: str) -> Asset:
    """One saved file: its platform as given, or recognised among the platforms that declare saved configs."""
    try:
        text = decode_config(data, ctx.max_bytes).text
    except UnreadableInput as e:
        return error_asset(name, source, platform or platforms.UNKNOWN, e.code, e.message, ctx)
    plat_name = platform or platforms.detect(text)
    if plat_name == platforms.UNKNOWN:
        titles = [platforms.get(n).title for n in platforms.config_platforms()]
        return error_asset(name, source, plat_name, ReasonCode.UNKNOWN_PLATFORM,
                           f"unrecognised configuration: not {', '.join(titles[:-1])} or {titles[-1]} "
                           "(give --platform if it is one of them)", ctx)
    return assess_documents({"config": text}, ctx, plat_name, name, source)


def assess_documents(docs: dict[str, str], ctx: ScanContext, platform: str, name: str, source: str,
                     failed: dict[str, str] | None = None) -> Asset:
    """Assess one asset from its documents (saved or collected): its platform parses them into facts, the
    checks of its asset kind judge the facts. The same documents give the same verdicts, live or saved."""
    plat = platforms.get(platform)
    req = plat.required
    if not docs.get(req.document) if req.blank_is_missing else req.document not in docs:
        return error_asset(name, source, platform, req.code, req.message, ctx)
    try:
        parsed = plat.parse(docs)
    except Exception as e:  # a parser bug must cost one asset, not the scan
        return error_asset(name, source, platform, ReasonCode.PARSE_ERROR, f"parser failed: {type(e).__name__}: {e}",
                           ctx)
    if not parsed.complete:
        return error_asset(name, source, platform, ReasonCode.TRUNCATED,
                           f"configuration appears truncated (no closing '{plat.end_marker}' line); absent settings "
                           "cannot be judged", ctx, parsed.identity)
    secrets = plat.secret_values(parsed.documents)
    values, errors, unavailable = dict(parsed.facts), {}, dict(parsed.unavailable)
    _add_live_facts(docs, failed or {}, plat.collect.extras, values, errors, unavailable)
    facts = Facts(values, parsed.documents, _masker(plat.mask, secrets), errors=errors, unavailable=unavailable)
    asset = evaluate_asset(name, source, plat, facts, ctx, parsed.identity, secrets, parsed.unrecognized)
    if parsed.hostname_is_asset_name:
        asset = asset.model_copy(update={"hostname": name})
    snmp = values.get("snmp_system")
    if snmp:
        asset = asset.model_copy(update={"model": asset.model or snmp.model, "serial": snmp.serial})
    return asset


def _add_live_facts(docs: dict[str, str], failed: dict[str, str], extras: tuple[str, ...], values: dict,
                    errors: dict, unavailable: dict) -> None:
    """The outputs the scanner collects itself, for a platform that takes them (base.EXTRA_FACTS): the SSH
    server's algorithm offer -> ssh_algorithms; the port scan -> open_ports; SNMP -> snmp_system,
    interface_state, snmp_exposure."""
    from scanner.snmp_facts import parse_snmp_walk
    if "ssh_algorithms" in extras and docs.get("ssh_algorithms"):    # recorded at the handshake
        try:
            values["ssh_algorithms"] = json.loads(docs["ssh_algorithms"])
        except ValueError:
            errors["ssh_algorithms"] = "the SSH algorithm record is not valid JSON"
    if "ports" in extras and "ports" in failed:
        errors["open_ports"] = failed["ports"]
    elif "ports" in extras and "ports" in docs:
        values["open_ports"] = frozenset((load_yaml(docs["ports"]) or {}).get("open_tcp") or [])
    if "snmp" not in extras:
        return
    if "snmp" in failed:
        for f in EXTRA_FACTS["snmp"]:
            errors[f] = failed["snmp"]
        return
    if "snmp" not in docs:
        return
    walk = parse_snmp_walk(docs["snmp"])
    values["snmp_system"], values["snmp_exposure"] = walk.system, walk.exposure
    if walk.partial:
        errors["interface_state"] = f"SNMP walk incomplete ({walk.partial})"
    elif walk.ports is not None:
        values["interface_state"] = walk.ports
        unavailable.pop("interface_state", None)


def _masker(mask: Callable[[str], str], secrets: frozenset[str]) -> Callable[[str], str]:
    long_secrets = sorted((s for s in secrets if len(s) >= 6), key=len, reverse=True)

    def run(text: str) -> str:
        text = mask(text)
        for s in long_secrets:
            if s in text:
                text = text.replace(s, MASK)
        return text
    return run


def run_check(check: Check, facts: Facts, ctx: ScanContext) -> Verdict:
    missing = [f for f in check.needs if f not in facts]
    errored = [f for f in missing if f in facts.errors]
    if errored:
        return Verdict(CheckStatus.ERROR, "所需数据采集失败：" + "; ".join(f"{f}: {facts.errors[f]}" for f in errored),
                       "needed facts failed to collect: " + ", ".join(errored))
    if missing:
        why = [facts.why_unavailable(f) for f in missing]
        return Verdict(CheckStatus.MANUAL, "无法自动判定：" + "; ".join(zh for zh, _ in why),
                       "cannot be judged automatically: " + "; ".join(en for _, en in why))
    try:
        v = check.evaluate(facts, ctx.policy)
        if not isinstance(v, Verdict):
            raise TypeError(f"evaluate returned {type(v).__name__}, not Verdict")
        return v
    except Exception as e:  # one broken check costs one finding, never the scan
        return Verdict(CheckStatus.ERROR, f"检查程序异常：{type(e).__name__}", f"check crashed: {type(e).__name__}: {e}")


def evaluate_asset(name: str, source: str, plat: Platform, facts: Facts, ctx: ScanContext,
                   identity: Identity | None = None, secrets: frozenset[str] = frozenset(),
                   unread: Sequence[UnreadLine] = ()) -> Asset:
    """The checks of the platform's asset kind over its facts; a pass on a stanza holding unread lines becomes
    manual review (scanner/unread_rule.py)."""
    identity = identity or Identity()
    findings: list[Finding] = []
    highs: list[HighRisk] = []
    live = _live_sources(plat)
    for check in ctx.checks:
        if plat.kind not in check.applies_to:
            continue
        v = hold_pass(check, run_check(check, facts, ctx), unread, facts)
        findings.append(_finding(check, v, plat.name, identity.software_version, ctx, live))
        if v.status == CheckStatus.FAIL:
            for case in check.high_risk:
                zh, en = ctx.high_risk_titles.get(case, (case, case))
                highs.append(HighRisk(id=case, title_zh=zh, title_en=en, check=check.id,
                                      controls=list(check.controls), evidence=list(v.evidence),
                                      signals=sorted(v.signals)))
    asset = Asset(name=name, source=source, platform=plat.name, kind=plat.kind, status=AssetStatus.ASSESSED,
                  hostname=identity.hostname, model=identity.model, software_version=identity.software_version,
                  controls=control_results(plat.kind, findings, ctx), findings=findings, high_risks=highs,
                  fleet=plat.fleet_facts(facts), parse=parse_record(unread, facts))
    # judged now on what the device shows, and again in build_result once the inventory's exposure is known
    return _scrub(judge_asset(asset), secrets)


def _live_sources(plat: Platform) -> frozenset[str]:
    """Outputs that report the running state rather than the configuration: what the scanner adds (SNMP, port
    scan, SSH handshake) and, in a CLI session, the status commands beside the configuration and version."""
    status = set(plat.collect.commands) - {plat.required.document, "version"} if plat.collect.mode == "cli" else set()
    return frozenset(status | set(plat.collect.extras) | {"snmp", "ports", "ssh_algorithms"})


def _basis(v: Verdict, live: frozenset[str]) -> str:
    if any(e.source in live for e in v.evidence):
        return "live"
    return "default" if "release_default" in v.signals else "config"


def _finding(check: Check, v: Verdict, plat_name: str, release: str | None, ctx: ScanContext,
             live: frozenset[str] = frozenset()) -> Finding:
    fixes = ctx.remediation.get(plat_name, {})
    variant = getattr(platforms.get(plat_name), "fix_variant", None) if platforms.known(plat_name) else None
    release_key = f"{check.id}@{variant(release)}" if variant and variant(release) else None
    fix = check.remediation.get(plat_name) or fixes.get(release_key or "") or fixes.get(check.id)
    fix_kind = check.fix_kind
    if v.status == CheckStatus.FAIL and fix_kind == FixKind.CONFIG:
        from scanner.equipment import release_lacks
        lack = release_lacks(plat_name, check.id, release)
        if lack:       # the release predates the feature: upgrade first, then configure
            fix_kind = FixKind.FIRMWARE
            v = Verdict(v.status, v.reason_zh + f"；当前版本不支持该功能，需先升级至{lack[0]}或更高版本",
                        v.reason_en + f"; the release predates the feature: upgrade to {lack[0]} or later",
                        v.evidence, v.signals, v.fix_values)
    return Finding(
        check=check.id, title_zh=check.title_zh, title_en=check.title_en, status=v.status,
        severity=check.severity, controls=list(check.controls), reason_zh=v.reason_zh, reason_en=v.reason_en,
        evidence=list(dict.fromkeys(v.evidence)),
        remediation=fix if v.status in (CheckStatus.FAIL, CheckStatus.MANUAL) else None, fix_kind=fix_kind,
        basis=_basis(v, live) if v.status in (CheckStatus.PASS, CheckStatus.FAIL) else "config",
        fix_values={k: list(vals) for k, vals in v.fix_values} if v.status == CheckStatus.FAIL else {})


def error_asset(name: str, source: str, plat_name: str, code: ReasonCode, reason: str, ctx: ScanContext,
                identity: Identity | None = None) -> Asset:
    kind = platforms.get(plat_name).kind if platforms.known(plat_name) else "network_device"
    controls = [ControlResult(id=i.id, result=ItemResult.ERROR, reason_zh="资产未能评估：" + reason, reason_en=reason)
                for i in ctx.catalog.items_for(kind)]
    return Asset(name=name, source=source, platform=plat_name, kind=kind, status=AssetStatus.ERROR,
                 reason_code=code, reason=reason, hostname=identity.hostname if identity else None,
                 software_version=identity.software_version if identity else None, controls=controls)


# Fields that quote device text; ids and titles are the scanner's own words and are never rewritten.
_FREE_TEXT = frozenset({"text", "reason_zh", "reason_en", "reason"})


def _scrub(asset: Asset, secrets: frozenset[str]) -> Asset:
    """Last line of defence: no secret from the source survives anywhere in the asset's result."""
    risky = [s for s in secrets if len(s) >= 6]
    if not risky:
        return asset
    raw = asset.model_dump_json()
    if not any(json.dumps(s)[1:-1] in raw for s in risky):
        return asset

    def clean(o, key: str = ""):
        if isinstance(o, str):
            if key in _FREE_TEXT:
                for s in risky:
                    o = o.replace(s, MASK)
            return o
        if isinstance(o, list):
            return [clean(x, key) for x in o]
        if isinstance(o, dict):
            return {k: clean(v, k) for k, v in o.items()}
        return o
    return Asset.model_validate(clean(asset.model_dump(mode="json")))
