"""What a check is, what it returns, and small typed helpers for the common check shapes.

A check is declarative metadata plus one pure `evaluate(facts, policy) -> Verdict`. It never does I/O and never
asks which vendor it runs on: vendor knowledge is already folded into the facts by the platform parser.
"""
from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scanner.model import Asset, CheckStatus, Evidence, FixKind, Severity
from scanner.policy import Policy


@dataclass(frozen=True, slots=True)
class Verdict:
    status: CheckStatus
    reason_zh: str = ""
    reason_en: str = ""
    evidence: tuple[Evidence, ...] = ()
    # What a failure found that a high-risk case's conditions ask about (scanner/highrisk.py): for example
    # `default_credential` (a publicly known default name or password), `local_only` (only local login paths).
    signals: frozenset[str] = frozenset()
    # What a fix needs that the check found: placeholder of the fix commands -> values (e.g. `unused-port` -> the
    # idle ports), filled into the device's fix script (reports/fixscript.py)
    fix_values: tuple[tuple[str, tuple[str, ...]], ...] = ()


def passed(zh: str, en: str, evidence: Iterable[Evidence] = (), signals: Iterable[str] = ()) -> Verdict:
    return Verdict(CheckStatus.PASS, zh, en, tuple(evidence), frozenset(signals))


# A verdict decided by what a release does when the configuration says nothing (no line proves it)
RELEASE_DEFAULT = ("release_default",)


def failed(zh: str, en: str, evidence: Iterable[Evidence] = (), signals: Iterable[str] = (),
           fix_values: dict[str, Iterable[str]] | None = None) -> Verdict:
    values = tuple((k, tuple(v)) for k, v in (fix_values or {}).items())
    return Verdict(CheckStatus.FAIL, zh, en, tuple(evidence), frozenset(signals), values)


def manual(zh: str, en: str, evidence: Iterable[Evidence] = ()) -> Verdict:
    return Verdict(CheckStatus.MANUAL, zh, en, tuple(evidence))


def not_applicable(zh: str, en: str) -> Verdict:
    return Verdict(CheckStatus.NOT_APPLICABLE, zh, en)


Evaluate = Callable[["Facts", Policy], Verdict]


@dataclass(frozen=True, slots=True, kw_only=True)
class Check:
    id: str                              # <family>_<expected_state>; stable, never renumbered
    title_zh: str
    title_en: str
    controls: tuple[str, ...]            # catalogue item ids it serves
    severity: Severity
    needs: tuple[str, ...]               # fact names it cannot judge without: unavailable -> manual, failed -> error
    evaluate: Evaluate
    applies_to: tuple[str, ...] = ("network_device",)   # asset kinds
    fix_kind: FixKind = FixKind.CONFIG
    high_risk: tuple[str, ...] = ()      # T/ISEAA 001-2020 case ids a failure is a candidate for
    remediation: Mapping[str, str] = field(default_factory=dict)   # platform -> text; platform files add more
    # Platforms with fix commands; None: every platform of its asset kinds when the fix is a CONFIG change.
    fix_platforms: tuple[str, ...] | None = None
    # Facts it also reads when they are there (`facts.get`), judging their absence itself.
    uses: tuple[str, ...] = ()

    def __reduce_ex__(self, protocol):
        return _by_name(self) or object.__reduce_ex__(self, protocol)


def _declared_at(module: str, name: str) -> Check | FleetCheck:
    return getattr(importlib.import_module(module), name)


def _by_name(c: Check | FleetCheck) -> tuple | None:
    """A declared check is pickled (for a process or a remote runner) as the module-level name that holds it: its
    function's own name holds the Check, so the function cannot be pickled by name."""
    module, name = getattr(c.evaluate, "__module__", None), getattr(c.evaluate, "__qualname__", "")
    if module in sys.modules and getattr(sys.modules[module], name, None) is c:
        return _declared_at, (module, name)
    return None


def check(**meta: Any) -> Callable[[Evaluate], Check]:
    """Declare a check on its function, so that the id and the logic sit together:

        @check(id="logging_enabled", title_zh=..., title_en=..., controls=("8.1.4.3.a",), severity=Severity.HIGH,
               needs=("device.logging",))
        def _logging_on(facts, policy) -> Verdict: ...

    The module-level name then holds the Check; discovery finds it there (scanner/registry.py)."""
    def declare(evaluate: Evaluate) -> Check:
        return Check(evaluate=evaluate, **meta)
    return declare


@dataclass(frozen=True, slots=True)
class FleetVerdict:
    """What a fleet check says about the whole inventory (not one asset)."""
    status: CheckStatus
    reason_zh: str
    reason_en: str
    assets: tuple[str, ...] = ()
    recommendation: str = ""
    recommendation_en: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class FleetCheck:
    """A judgement over every asset of a scan (redundancy, boundary devices, one management zone...)."""
    id: str
    title_zh: str
    title_en: str
    controls: tuple[str, ...]
    evaluate: Callable[..., FleetVerdict]      # (assets) or, with `per_boundary`, (assets, boundaries)
    fix_kind: FixKind = FixKind.CONFIG
    # Which inventories it judges: "inventory" (always), "boundaries" (only when the inventory declares boundaries;
    # called with them), "no_boundaries" (the whole-inventory form a per-boundary check replaces).
    scope: str = "inventory"

    def __reduce_ex__(self, protocol):
        return _by_name(self) or object.__reduce_ex__(self, protocol)


def fleet_check(**meta: Any) -> Callable[[Callable[[list[Asset]], FleetVerdict]], FleetCheck]:
    """Declare a fleet check on its function, as `check` does for device checks."""
    def declare(evaluate: Callable[[list[Asset]], FleetVerdict]) -> FleetCheck:
        return FleetCheck(evaluate=evaluate, **meta)
    return declare


class Facts:
    """Facts of one asset by name, plus the source documents evidence is quoted from."""

    def __init__(self, values: Mapping[str, Any], documents: Mapping[str, list[str]],
                 mask: Callable[[str], str], errors: Mapping[str, str] | None = None,
                 unavailable: Mapping[str, str] | None = None):
        self._values = dict(values)
        self._documents = documents
        self._mask = mask
        self.errors = dict(errors or {})            # fact -> why collection failed
        self.unavailable = dict(unavailable or {})  # fact -> why this source cannot provide it: text or (zh, en)

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __contains__(self, name: str) -> bool:
        return name in self._values

    def get(self, name: str) -> Any:
        """The fact, or None when it is unavailable or failed (for the facts a check `uses`)."""
        return self._values.get(name)

    def why_unavailable(self, name: str) -> tuple[str, str]:
        why = self.unavailable.get(name, f"{name} not collected")
        return (why, why) if isinstance(why, str) else why

    def evidence(self, *lines: int | None, source: str = "config") -> list[Evidence]:
        doc = self._documents.get(source, [])
        out: list[Evidence] = []
        seen: set[int] = set()
        for ln in lines:
            if ln is None or ln in seen or not 1 <= ln <= len(doc):
                continue
            seen.add(ln)
            out.append(Evidence(source=source, line=ln, text=self._mask(doc[ln - 1].rstrip())))
        return out

    def note(self, text: str, source: str = "scanner") -> Evidence:
        return Evidence(source=source, line=None, text=self._mask(text))


# -- small helpers for common shapes ------------------------------------------------------------------------
def feature_on(facts: Facts, toggle, on: tuple[str, str], off: tuple[str, str], unknown: tuple[str, str]) -> Verdict:
    """Pass when a wanted feature is proven on, fail when off, manual when unknown; each text is (zh, en)."""
    ev = facts.evidence(toggle.line, source=toggle.source) or [facts.note(toggle.note or "default")]
    basis = RELEASE_DEFAULT if toggle.line is None else ()
    if toggle.enabled is False:
        return failed(*off, ev, signals=basis)
    if toggle.enabled is None:
        return manual(*unknown, ev)
    return passed(*on, ev, signals=basis)


def service_off(facts: Facts, toggle, what_zh: str, what_en: str) -> Verdict:
    """Pass when a service is proven off, fail when on, manual when the config leaves it to a release default."""
    if toggle.enabled is None:
        return manual(f"配置未明确{what_zh}状态，默认值随软件版本不同：需在线核实",
                      f"{what_en} state not set in the config and its default varies by release: verify live",
                      facts.evidence(toggle.line, source=toggle.source))
    ev = facts.evidence(toggle.line, source=toggle.source)
    basis = RELEASE_DEFAULT if toggle.line is None else ()
    if toggle.enabled:
        ev = ev or [facts.note(f"{what_en} enabled ({toggle.note or 'default'})")]
        return failed(f"{what_zh}已开启", f"{what_en} is enabled", ev, signals=basis)
    ev = ev or [facts.note(f"{what_en} disabled ({toggle.note or 'default'})")]
    return passed(f"{what_zh}已关闭", f"{what_en} is disabled", ev, signals=basis)
