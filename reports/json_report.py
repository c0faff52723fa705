"""scan.json: the result model as written to disk (the input of every other renderer)."""
from __future__ import annotations

from pathlib import Path

from scanner.model import ScanResult
from scanner.safeio import write_private


def write_json(result: ScanResult, path: Path) -> Path:
    write_private(path, result.model_dump_json(indent=2))
    return path


def read_json(path: Path) -> ScanResult:
    return ScanResult.model_validate_json(path.read_text(encoding="utf-8"))
