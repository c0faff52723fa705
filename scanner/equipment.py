"""Equipment lifecycle and known vulnerabilities, from the per-platform data in checks/catalog/equipment/.

Turns a device's model and release into the `equipment` fact: advisories whose release range and configuration
precondition match (confirmed), those that may apply but cannot be confirmed from here (possible), and the
model's end-of-sale / end-of-support dates. Release strings are compared token by token (numbers as numbers).
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache


from scanner.catalog import CATALOG_DIR
from scanner.textio import load_yaml

EQUIPMENT_DIR = CATALOG_DIR / "equipment"


@dataclass(frozen=True, slots=True)
class Advisory:
    id: str
    advisory: str | None
    title: str
    severity: str
    cvss: float | None
    fixed_in: str | None
    source: str | None
    why: str                      # which range / precondition matched


@dataclass(frozen=True, slots=True)
class Lifecycle:
    match: str
    end_of_sale: date | None
    end_of_support: date | None
    replacement: str | None
    source: str | None
    low_confidence: bool


@dataclass(slots=True)
class EquipmentFacts:
    model: str | None
    release: str | None
    confirmed: list[Advisory] = field(default_factory=list)
    possible: list[Advisory] = field(default_factory=list)
    lifecycle: Lifecycle | None = None
    advisories_known: int = 0
    support_ended: bool | None = None     # end_of_support is in the past (None: no data)


@cache
def catalogue(platform: str) -> dict:
    path = EQUIPMENT_DIR / f"{platform}.yaml"
    return load_yaml(path.read_text(encoding="utf-8")) if path.exists() else {}


def version_key(v: str) -> tuple:
    """'17.9.4a' -> (17, 9, 4, 'a'); 'V200R019C10SPC500' -> ('v', 200, 'r', 19, 'c', 10, 'spc', 500)."""
    v = v.lower().replace("ios-xe", "").strip()
    return tuple(int(t) if t.isdigit() else t for t in re.findall(r"\d+|[a-z]+", v))


def _cmp(a: str, b: str) -> int:
    ka, kb = version_key(a), version_key(b)
    for x, y in zip(ka, kb):
        if x == y:
            continue
        if isinstance(x, int) and isinstance(y, int):
            return -1 if x < y else 1
        return -1 if str(x) < str(y) else 1
    return (len(ka) > len(kb)) - (len(ka) < len(kb))


def _in_range(release: str, r: dict) -> bool | None:
    """True/False when the range decides; None when the source gave no bounds (`unknown`), or the range has no upper
    bound without saying it is open-ended on purpose (data checkdata refuses: it would match every later release)."""
    if r.get("equals"):
        return _cmp(release, str(r["equals"])) == 0
    lo, hi, hi_in = r.get("min"), r.get("max_exclusive"), r.get("max_inclusive")
    if r.get("unknown") or (hi is None and hi_in is None and not r.get("open_ended")):
        return None
    if lo is not None and _cmp(release, str(lo)) < 0:
        return False
    if hi is not None and _cmp(release, str(hi)) >= 0:
        return False
    if hi_in is not None and _cmp(release, str(hi_in)) > 0:
        return False
    return True


def assess(platform: str, model: str | None, release: str | None, preconditions: dict[str, bool | None],
           today: date) -> EquipmentFacts:
    data = catalogue(platform)
    out = EquipmentFacts(model=model, release=release, advisories_known=len(data.get("vulnerabilities") or []))
    for m in data.get("models") or []:
        if model and fnmatch.fnmatch(model.upper(), str(m["match"]).upper()):
            out.lifecycle = Lifecycle(m["match"], m.get("end_of_sale"), m.get("end_of_support"), m.get("replacement"),
                                      m.get("source"), m.get("confidence") == "low")
            if out.lifecycle.end_of_support is not None:
                out.support_ended = out.lifecycle.end_of_support < today
            break
    if not release:
        return out
    for v in data.get("vulnerabilities") or []:
        ranges = v.get("affected") or [{}]
        ranges = ranges if isinstance(ranges, list) else [ranges]
        decided, model_unsure = False, False
        for r in ranges:
            # a product list on the advisory applies to every range that names none of its own
            products = r.get("products") or v.get("products")
            if products and model and not any(fnmatch.fnmatch(model.upper(), p.upper()) for p in products):
                continue
            if _in_range(release, r):
                decided, model_unsure = True, bool(products) and not model
                break
        if not decided:          # a range the source gave no bounds for cannot be matched: data, not a finding
            continue
        need = v.get("requires") or "none"
        pre = True if need == "none" else preconditions.get(need)
        if pre is False:
            continue
        adv = Advisory(v["id"], v.get("advisory"), v.get("title", ""), v.get("severity", "high"), v.get("cvss"),
                       v.get("fixed_in"), v.get("source"),
                       f"release {release} in the affected range; requires {need}: {'yes' if pre else 'unknown'}")
        # a release shared by other product lines, on a device whose model is unknown, is only possibly affected
        confident = pre is True and v.get("confidence") != "low" and not model_unsure
        (out.confirmed if confident else out.possible).append(adv)
    return out


# Which security feature each check relies on (checks/catalog/equipment/*.yaml `features`).
FEATURE_OF_CHECK = {
    "passwords_not_plaintext": "irreversible_password_storage", "password_hash_strong": "irreversible_password_storage",
    "login_lockout_enabled": "login_lockout", "remote_mgmt_ssh_v2_only": "ssh_v2_only",
    "password_complexity_enforced": "password_policy", "password_expiry_enforced": "password_policy",
    "snmp_v3_privacy": "snmpv3_aes", "snmp_v3_only": "snmpv3_aes", "admin_mfa_enabled": "mfa",
}


def release_lacks(platform: str, check: str, release: str | None) -> tuple[str, str | None] | None:
    """(minimum release, source) when `release` is older than the first release with the check's feature."""
    feature = FEATURE_OF_CHECK.get(check)
    if not feature or not release:
        return None
    for f in catalogue(platform).get("features") or []:
        if f.get("feature") == feature and f.get("min_release") and _cmp(release, str(f["min_release"])) < 0:
            return str(f["min_release"]), f.get("source")
    return None


# -- for the report's equipment plan: what the data says about a model, an advisory, and which release to go to ------
def release_order(a: str, b: str) -> int:
    """-1, 0 or 1 as release `a` is older than, the same as or newer than `b` (token by token, numbers as numbers)."""
    return _cmp(a, b)


def _matches(model: str | None, globs) -> bool:
    return bool(model) and any(fnmatch.fnmatch(model.upper(), str(g).upper()) for g in globs or ())


def lifecycle_entry(platform: str, model: str | None) -> dict | None:
    """The `models` entry of the equipment data that matches `model` (end of sale/support, replacement, source)."""
    return next((m for m in catalogue(platform).get("models") or [] if _matches(model, [m["match"]])), None)


def vulnerability(platform: str, advisory_id: str) -> dict | None:
    return next((v for v in catalogue(platform).get("vulnerabilities") or [] if v.get("id") == advisory_id), None)


def feature_entry(platform: str, check: str) -> dict | None:
    feature = FEATURE_OF_CHECK.get(check)
    return next((f for f in catalogue(platform).get("features") or [] if f.get("feature") == feature), None)


def _affects(v: dict, release: str, model: str | None) -> bool:
    """Whether advisory `v` may affect `release` on `model`: a range that cannot decide counts as affecting."""
    ranges = v.get("affected") or [{}]
    for r in ranges if isinstance(ranges, list) else [ranges]:
        products = r.get("products") or v.get("products")
        if products and model and not _matches(model, products):
            continue
        if _in_range(release, r) is not False:
            return True
    return False


def upgrade_target(platform: str, model: str | None, release: str | None, advisories: list[str],
                   min_releases: list[str]) -> dict | None:
    """The oldest release the equipment data lists for this model (`releases`, each with the products it was published
    for) that is newer than `release`, at least every one of `min_releases`, and outside every range of `advisories`
    (the ones the upgrade is for). None when the data lists no such release: the report then names none, rather than
    a release that may not exist for the model."""
    from functools import cmp_to_key
    vulns = [v for v in (vulnerability(platform, i) for i in advisories) if v]
    fits = [r for r in catalogue(platform).get("releases") or []
            if _matches(model, r.get("products"))
            and not (release and _cmp(str(r["release"]), release) <= 0)
            and all(_cmp(str(r["release"]), str(m)) >= 0 for m in min_releases)
            and not any(_affects(v, str(r["release"]), model) for v in vulns)]
    return min(fits, key=cmp_to_key(lambda a, b: _cmp(str(a["release"]), str(b["release"]))), default=None)
