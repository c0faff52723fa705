"""The system under assessment (被测系统): what the report's cover block says about it, from `--system FILE`.

A YAML mapping of the fields below, all optional; a field left out stays blank in the report (the assessor fills
it in). Bad input is one InputFileError naming file, line and field, like the policy and waiver files.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import ValidationError

from scanner.errors import InputFileError
from scanner.inventory import _line_of, load_yaml_file
from scanner.model import SystemInfo

MAX_BYTES = 64 * 1024


class SystemFileError(InputFileError):
    """A --system file that cannot be used: file, line, field, message."""


def load_system(path: Path | None) -> SystemInfo | None:
    if path is None:
        return None
    try:
        if path.is_dir():
            raise SystemFileError(path, None, None, "a folder, not a YAML file")
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise SystemFileError(path, None, None, f"cannot read system file ({e.strerror})") from None
    if len(data) > MAX_BYTES:
        raise SystemFileError(path, None, None, f"larger than {MAX_BYTES // 1024} KiB: not a system description")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SystemFileError(path, None, None, "not UTF-8 text") from None
    root, loaded = load_yaml_file(path, text, SystemFileError)
    if not isinstance(loaded or {}, dict):
        raise SystemFileError(path, 1, None, "a system file must be a mapping of field: value")
    try:
        return SystemInfo.model_validate(_dates_as_text(loaded or {}))
    except ValidationError as e:
        err = e.errors()[0]
        loc = tuple(err["loc"])
        raise SystemFileError(path, _line_of(root, loc), ".".join(map(str, loc)), err["msg"]) from None


def _dates_as_text(data: dict) -> dict:
    """YAML reads `测评时间: 2026-11-02` as a date; the cover block shows it as written."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in data.items()}
