"""What a check's metadata is validated against at discovery: the catalogue's item ids, the high-risk cases, the
platforms, their asset kinds and the facts they give (`needs`, `uses`), the fix commands in checks/remediation/<platform>.yaml and the equipment feature
map. Each problem is one line naming the file (and line) and what is wrong."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from scanner import platforms
from scanner.catalog import CATALOG_DIR, load_catalog
from scanner.datafiles import DataFileError, remediation_dir, required_files
from scanner.checkkit import Check, FleetCheck
from scanner.model import FixKind, Severity
from scanner.platforms import credentials
from scanner.platforms.base import EXTRA_FACTS
from scanner.platforms.unread import irrelevant_lines
from scanner.rollup import item_rules
from scanner.textio import load_yaml_tree

ROOT = CATALOG_DIR.parent.parent
CATALOGUE = CATALOG_DIR / "gb22239_2019_l3.yaml"
APPLICABILITY = CATALOG_DIR / "applicability.yaml"
HIGH_RISK = CATALOG_DIR / "high_risk_t_iseaa_001_2020.yaml"
REMEDIATION_DIR = remediation_dir()
EQUIPMENT_DIR = CATALOG_DIR / "equipment"
ID = re.compile(r"[a-z][a-z0-9_]{2,80}")


def shown(path: Path) -> str:
    """A file as the operator finds it in the source tree (checks/network/audit.py)."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


@dataclass(slots=True)
class Reference:
    items: frozenset[str] | None = None          # None: the file could not be read (reported once, in problems)
    high_risk: frozenset[str] | None = None
    platform_kinds: dict[str, str] = field(default_factory=dict)   # platform -> asset kind
    facts: dict[str, frozenset[str]] = field(default_factory=dict)  # platform -> fact names it gives or declares
    judged: dict[str, frozenset[str]] = field(default_factory=dict)  # asset kind -> items judged on it (not 不适用)
    fixes: dict[str, dict[str, int]] = field(default_factory=dict)  # platform -> check id -> line in its file
    features: dict[str, int] = field(default_factory=dict)         # "<file>:<feature>" -> line, equipment files
    problems: list[str] = field(default_factory=list)              # data files that cannot be read


def _yaml(path: Path, problems: list[str]) -> yaml.Node | None:
    try:
        node, _ = load_yaml_tree(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problems.append(f"{shown(path)}{f' line {mark.line + 1}' if mark else ''}: invalid YAML: {e.problem or e}")
        return None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        problems.append(f"{shown(path)}: cannot read: {e}")
        return None
    if node is None:
        problems.append(f"{shown(path)}: empty")
    return node


def _mapping(node: yaml.Node | None) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _high_risk(ref: Reference) -> None:
    cases = _mapping(_yaml(HIGH_RISK, ref.problems)).get("cases")
    if not isinstance(cases, yaml.SequenceNode):
        if not ref.problems:
            ref.problems.append(f"{shown(HIGH_RISK)}: no 'cases' list")
        return
    ref.high_risk = frozenset(_mapping(c)["id"].value for c in cases.value if "id" in _mapping(c))


def _fixes(ref: Reference) -> None:
    for path in sorted(REMEDIATION_DIR.glob("*.yaml")):
        if path.stem not in ref.platform_kinds:
            ref.problems.append(f"{shown(path)}: no platform is named {path.stem} ({', '.join(ref.platform_kinds)})")
            continue
        node = _yaml(path, ref.problems)
        if node is not None and not isinstance(node, yaml.MappingNode):
            ref.problems.append(f"{shown(path)}: not a mapping of check id -> fix commands")
            continue
        ref.fixes[path.stem] = {}
        for key, value in node.value if node is not None else ():
            if not (isinstance(value, yaml.ScalarNode) and value.value.strip()):
                ref.problems.append(f"{shown(path)} line {key.start_mark.line + 1}: {key.value}: fix commands must "
                                    "be text")
            # `<check>@<variant>`: the commands for some releases (a platform's fix_variant), e.g. Comware 5
            ref.fixes[path.stem].setdefault(str(key.value).split("@")[0], key.start_mark.line + 1)


def _features(ref: Reference) -> None:
    for path in sorted(EQUIPMENT_DIR.glob("*.yaml")):
        if path.stem not in ref.platform_kinds:
            ref.problems.append(f"{shown(path)}: no platform is named {path.stem} ({', '.join(ref.platform_kinds)})")
            continue
        root = _mapping(_yaml(path, ref.problems))
        features = root.get("features")
        for f in features.value if isinstance(features, yaml.SequenceNode) else ():
            name = _mapping(f).get("feature")
            if isinstance(name, yaml.ScalarNode):
                ref.features[f"{shown(path)}:{name.value}"] = name.start_mark.line + 1
        ref.problems.extend(_open_ranges(path, root.get("vulnerabilities")))


def _open_ranges(path: Path, vulns: yaml.Node | None) -> list[str]:
    """Affected ranges that are neither closed (an upper bound or `equals`) nor marked `open_ended`/`unknown` with
    a reason: left open by mistake, such a range would flag every later release."""
    out = []
    for v in vulns.value if isinstance(vulns, yaml.SequenceNode) else ():
        ranges = _mapping(v).get("affected")
        for r in ranges.value if isinstance(ranges, yaml.SequenceNode) else ():
            keys = {k: n.value for k, n in _mapping(r).items() if isinstance(n, yaml.ScalarNode)}
            closed = any(keys.get(k) not in (None, "", "null", "~") for k in ("max_exclusive", "max_inclusive",
                                                                               "equals", "open_ended", "unknown"))
            if not closed:
                out.append(f"{shown(path)} line {r.start_mark.line + 1}: affected range of "
                           f"{_mapping(v).get('id').value if 'id' in _mapping(v) else '?'} has no upper bound: close "
                           "it, or say why with open_ended: <why> (every later release affected) or unknown: <why>")
    return out


def _catalogue(ref: Reference) -> None:
    if any(_yaml(f, ref.problems) is None for f in (CATALOGUE, APPLICABILITY)):
        return
    try:
        cat = load_catalog()
        ref.judged = {k: frozenset(i.id for i in cat.items_for(k) if not cat.not_applicable_reason(k, i.id))
                      for k in set(ref.platform_kinds.values())}
    except Exception as e:      # any shape error of the catalogue files
        ref.problems.append(f"{shown(CATALOGUE)}, {shown(APPLICABILITY)}: cannot load the catalogue: "
                            f"{type(e).__name__}: {e}")
        return
    ref.items = frozenset(i.id for i in cat.items)


def _required(ref: Reference) -> None:
    for f in required_files(ref.platform_kinds):
        if not f.is_file():
            ref.problems.append(f"{shown(f)}: missing: the installation is incomplete (reinstall mlps-scanner)")
    scoring = CATALOG_DIR / "scoring.yaml"
    if scoring.is_file():
        _yaml(scoring, ref.problems)
    if (CATALOG_DIR / "rollup.yaml").is_file():
        try:
            item_rules()                    # how items roll up: a broken rule file stops the scan before it starts
        except DataFileError as e:
            ref.problems.append(str(e))


def load_reference() -> Reference:
    ref = Reference()
    ref.problems += [f"{where}: cannot import: {why}" for where, why in platforms.broken().items()]
    for name in platforms.names():
        try:
            plat = platforms.get(name)
            ref.platform_kinds[name] = plat.kind
            ref.facts[name] = frozenset(plat.facts).union(*(EXTRA_FACTS[x] for x in plat.collect.extras))
            if getattr(plat, "unread_list", False):       # its irrelevant-line list: verdicts depend on it
                irrelevant_lines(name)
            if plat.kind == "network_device":               # known passwords and its factory accounts
                credentials.weak_passwords()
                credentials.factory_accounts(name)
        except DataFileError as e:
            ref.problems.append(str(e))
        except Exception as e:
            ref.problems.append(f"scanner/platforms: platform {name} cannot be loaded: {type(e).__name__}: {e}")
    _required(ref)
    _catalogue(ref)
    _high_risk(ref)
    _fixes(ref)
    _features(ref)
    return ref


def _ids(value, what: str, known: frozenset[str] | None, where: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, (tuple, list)):
        return [f"{what} must be a tuple of ids, not {value!r}"]
    return [f"unknown {what} {v} (not in {where})" for v in value if known is not None and v not in known]


def check_problems(c: Check | FleetCheck, ref: Reference) -> list[str]:
    """What is wrong with one check's own metadata (empty when nothing)."""
    try:
        return _problems(c, ref)
    except Exception as e:      # metadata of the wrong shape (None where a tuple belongs...) is a problem, not a crash
        return [f"check {c.id!r}: metadata of the wrong type: {type(e).__name__}: {e}"]


def _problems(c: Check | FleetCheck, ref: Reference) -> list[str]:
    out = [] if isinstance(c.id, str) and ID.fullmatch(c.id) else [f"id {c.id!r} is not <family>_<expected_state>"]
    out += [f"{t} is empty" for t in ("title_zh", "title_en") if not (isinstance(getattr(c, t), str) and getattr(c, t))]
    out += _ids(c.controls, "item id", ref.items, shown(CATALOGUE)) or ([] if c.controls else ["serves no item"])
    out += [] if isinstance(c.fix_kind, FixKind) else [f"fix_kind {c.fix_kind!r} is not a FixKind"]
    out += [] if callable(c.evaluate) else ["evaluate is not callable"]
    if isinstance(c, FleetCheck):
        return [f"check {c.id}: {p}" for p in out]
    out += _ids(c.high_risk, "high-risk case", ref.high_risk, shown(HIGH_RISK))
    out += [] if isinstance(c.severity, Severity) else [f"severity {c.severity!r} is not a Severity"]
    kinds = set(ref.platform_kinds.values())
    mine = {p for p, k in ref.platform_kinds.items() if isinstance(c.applies_to, (tuple, list)) and k in c.applies_to}
    out += _fact_problems(c, mine, ref)
    if not mine:
        out.append(f"applies_to {c.applies_to!r} names no asset kind a platform has ({', '.join(sorted(kinds))})")
    for kind in {ref.platform_kinds[p] for p in mine} if ref.items is not None else ():
        out += [f"item {i} is not judged on {kind} assets ({shown(APPLICABILITY)}): the result would be lost"
                for i in c.controls if i in ref.items and i not in ref.judged.get(kind, ())]
    out += [f"remediation for {p}, which is not a platform of its asset kinds" for p in c.remediation if p not in mine]
    out += [f"fix_platforms names {p}, which is not a platform of its asset kinds"
            for p in c.fix_platforms or () if p not in mine]
    return [f"check {c.id}: {p}" for p in out]


def _fact_problems(c: Check, mine: set[str], ref: Reference) -> list[str]:
    """`needs` and `uses` name facts the platforms of the check's asset kinds give: a name no such platform
    knows would make the check manual everywhere, silently."""
    out = [f"{what} must be a tuple of fact names, not {names!r}" for what, names in (("needs", c.needs),
           ("uses", c.uses)) if isinstance(names, str) or not isinstance(names, (tuple, list))]
    if out:
        return out
    if not c.needs and not c.uses:
        return ["needs names no fact (and uses none)"]
    known = frozenset().union(*(ref.facts.get(p, ()) for p in mine))
    return [f"{what} names fact {f!r}, which no {'/'.join(sorted({ref.platform_kinds[p] for p in mine}))} platform "
            f"gives (known: {', '.join(sorted(known))})" for what, names in (("needs", c.needs), ("uses", c.uses))
            for f in names if mine and f not in known]


def _fix_platforms(c: Check, ref: Reference) -> list[str]:
    if c.fix_platforms is not None:
        return list(c.fix_platforms)
    if c.fix_kind != FixKind.CONFIG:
        return []           # upgrades, replacements and process changes have no commands to give
    return [p for p, k in ref.platform_kinds.items() if k in c.applies_to]


def data_problems(found: list[tuple[str, Check]], ref: Reference) -> list[str]:
    """Problems between the built-in checks (with where each is declared) and the data files: fix commands for no
    check, checks without fix commands, and equipment features no check relies on."""
    from scanner.equipment import FEATURE_OF_CHECK
    checks = [c for _, c in found]
    out = []
    for plat, keys in ref.fixes.items():
        kind = ref.platform_kinds[plat]
        serving = {c.id for c in checks if kind in c.applies_to}
        out += [f"{shown(REMEDIATION_DIR / f'{plat}.yaml')} line {line}: {key}: no check with this id applies to "
                f"{plat}" for key, line in keys.items() if key not in serving]
    for where, c in found:
        out += [f"{where}: check {c.id}: no fix commands for {p} (add them to "
                f"{shown(REMEDIATION_DIR / f'{p}.yaml')}, or leave {p} out of the check's fix_platforms)"
                for p in _fix_platforms(c, ref) if c.id not in ref.fixes.get(p, {}) and p not in c.remediation]
    ids = {c.id for c in checks}
    out += [f"scanner/equipment.py: FEATURE_OF_CHECK names {k}, which is no check" for k in FEATURE_OF_CHECK
            if k not in ids]
    known = set(FEATURE_OF_CHECK.values())
    for key, line in ref.features.items():
        where, _, feature = key.rpartition(":")
        if feature not in known:
            out.append(f"{where} line {line}: feature {feature} is one no check relies on (scanner/equipment.py "
                       f"FEATURE_OF_CHECK: {', '.join(sorted(known))})")
    return out
