"""Saved raw outputs: the folder format `--save-raw` writes, `--raw` scans and the lab simulator serves.

    RAW/<asset>/device.yaml     name, platform, address, collected_at, and per logical output:
                                {command, file, status: ok | rejected | error, message}
    RAW/<asset>/<output>.txt    the output, secrets replaced by MLPS-REDACTED markers
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import yaml
from scanner.textio import dump_yaml, load_yaml

DEVICE_FILE = "device.yaml"


class RawFormatError(Exception):
    pass


@dataclass(slots=True)
class Capture:
    name: str
    platform: str
    address: str | None = None
    outputs: dict[str, str] = field(default_factory=dict)     # logical name -> text
    commands: dict[str, str] = field(default_factory=dict)    # logical name -> command sent
    status: dict[str, str] = field(default_factory=dict)      # logical name -> ok | rejected | error
    messages: dict[str, str] = field(default_factory=dict)
    collected_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))


def write_capture(root: Path, cap: Capture) -> Path:
    d = root / cap.name
    d.mkdir(parents=True, exist_ok=True)
    meta = {"name": cap.name, "platform": cap.platform, "address": cap.address, "collected_at": cap.collected_at,
            "outputs": {}}
    for logical, command in cap.commands.items():
        entry = {"command": command, "status": cap.status.get(logical, "ok")}
        if logical in cap.outputs:
            entry["file"] = f"{logical}.txt"
            (d / entry["file"]).write_text(cap.outputs[logical], encoding="utf-8")
        if logical in cap.messages:
            entry["message"] = cap.messages[logical]
        meta["outputs"][logical] = entry
    (d / DEVICE_FILE).write_text(dump_yaml(meta, sort_keys=False), encoding="utf-8")
    return d


def read_capture(d: Path) -> Capture:
    try:
        meta = load_yaml((d / DEVICE_FILE).read_text(encoding="utf-8"))
        cap = Capture(name=meta.get("name") or d.name, platform=meta["platform"], address=meta.get("address"),
                      collected_at=str(meta.get("collected_at", "")))
        for logical, entry in (meta.get("outputs") or {}).items():
            cap.commands[logical] = entry["command"]
            cap.status[logical] = entry.get("status", "ok")
            if entry.get("message"):
                cap.messages[logical] = entry["message"]
            if entry.get("file"):
                cap.outputs[logical] = (d / entry["file"]).read_text(encoding="utf-8", errors="replace")
    except (OSError, KeyError, TypeError, AttributeError, yaml.YAMLError) as e:
        raise RawFormatError(f"{d}: not a raw capture folder ({type(e).__name__}: {e})") from None
    return cap


def capture_dirs(root: Path) -> list[Path]:
    if (root / DEVICE_FILE).exists():
        return [root]
    return sorted(p.parent for p in root.glob(f"*/{DEVICE_FILE}"))
