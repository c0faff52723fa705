"""Compensating factors (补偿因素) and waivers for high-risk candidates, declared by operators in YAML.

    waivers:
      - scope: {asset: core-sw1}          # any of asset / zone / check / item; all given must match
        high_risk: "6.4.1.3"              # optional: only this T/ISEAA case
        kind: compensation                # compensation (补偿因素: downgraded) or waiver (risk accepted)
        reason: 仅经堡垒机（双因素）带外管理
        approver: 张三
        expires: 2027-06-30

A matching, unexpired entry downgrades the candidate (shown as compensated, not counted as unresolved). An
expired entry counts as if absent and is reported loudly; `mlps gate --fail-on-expired-waivers` fails on it.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from scanner.addresses import printable_name
from scanner.errors import InputFileError
from scanner.inventory import _line_of, load_yaml_file
from scanner.model import Asset, WaiverRef, WaiverStatus


class WaiverError(InputFileError):
    """A waiver file that cannot be used: file, line, field, message."""


def _printable(v: str | None) -> str | None:
    return printable_name(v, allow="\n\t") if v is not None else v


class Scope(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    asset: str | None = None
    zone: str | None = None
    check: str | None = None
    item: str | None = None

    _check_text = field_validator("asset", "zone", "check", "item")(_printable)

    @model_validator(mode="after")
    def _some(self) -> Scope:
        if not any((self.asset, self.zone, self.check, self.item)):
            raise ValueError("a scope needs at least one of asset, zone, check, item")
        return self


class Waiver(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    scope: Scope
    high_risk: str | None = None
    kind: Literal["compensation", "waiver"] = "compensation"
    reason: str = Field(min_length=2)
    approver: str = Field(min_length=1)
    expires: date

    _check_text = field_validator("high_risk", "reason", "approver")(_printable)


class WaiverFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    waivers: list[Waiver]


def load_waivers(path: Path) -> list[Waiver]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise WaiverError(path, None, None, f"cannot read: {e.strerror}") from None
    except UnicodeDecodeError:
        raise WaiverError(path, None, None, "not UTF-8 text") from None
    root, data = load_yaml_file(path, text, WaiverError)
    try:
        return WaiverFile.model_validate(data or {}).waivers
    except ValidationError as e:
        err = e.errors()[0]
        loc = tuple(err["loc"])
        msg = err["msg"][len("Value error, "):] if err["msg"].startswith("Value error, ") else err["msg"]
        raise WaiverError(path, _line_of(root, loc), ".".join(map(str, loc)), msg) from None


def _matches(w: Waiver, asset: Asset, check: str, controls: list[str], case: str) -> bool:
    s = w.scope
    return ((s.asset is None or s.asset == asset.name) and (s.zone is None or s.zone == asset.zone)
            and (s.check is None or s.check == check) and (s.item is None or s.item in controls)
            and (w.high_risk is None or w.high_risk == case))


def apply_waivers(assets: list[Asset], waivers: list[Waiver], today: date) -> tuple[list[Asset], list[WaiverStatus]]:
    matched = [0] * len(waivers)
    out = []
    for a in assets:
        highs = []
        for h in a.high_risks:
            hits = [(i, w) for i, w in enumerate(waivers) if _matches(w, a, h.check, h.controls, h.id)]
            for i, _ in hits:
                matched[i] += 1
            active = next(((i, w) for i, w in hits if w.expires >= today), None)
            expired = next(((i, w) for i, w in hits if w.expires < today), None)
            chosen = active or expired
            if chosen is None:
                highs.append(h)
                continue
            i, w = chosen
            ref = WaiverRef(index=i, kind=w.kind, reason=w.reason, approver=w.approver, expires=w.expires,
                            expired=w.expires < today)
            highs.append(h.model_copy(update={"compensated": active is not None, "waiver": ref}))
        out.append(a.model_copy(update={"high_risks": highs}))
    statuses = [WaiverStatus(index=i, scope=w.scope.model_dump(exclude_none=True), high_risk=w.high_risk,
                             kind=w.kind, reason=w.reason, approver=w.approver, expires=w.expires,
                             status="expired" if w.expires < today else "active" if matched[i] else "unused",
                             matched=matched[i]) for i, w in enumerate(waivers)]
    return out, statuses
