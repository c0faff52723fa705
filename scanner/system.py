"""The system under assessment (被测系统): what the report's cover block says about it, from `--system FILE`.

A YAML mapping of the fields below, all optional; a field left out stays blank in the report (the assessor fills
it in). Bad input is one InputFileError naming file, line and field, like the policy and waiver files.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import ValidationError

from scanner.errors import InputFileError, ReasonCode
from scanner.inventory import _line_of, load_yaml_file
from scanner.model import SystemInfo
from scanner.textio import UnreadableInput, read_bounded

MAX_BYTES = 64 * 1024


class SystemFileError(InputFileError):
    """A --system file that cannot be used: file, line, field, message."""


def load_system(path: Path | None) -> SystemInfo | None:
    if path is None:
        return None
    try:
        data = read_bounded(path, MAX_BYTES)          # a FIFO or a device is refused before it is opened
    except UnreadableInput as e:
        why = f"larger than {MAX_BYTES // 1024} KiB: not a system description" \
            if e.code == ReasonCode.TOO_LARGE else e.message
        raise SystemFileError(path, None, None, why) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SystemFileError(path, None, None, "not UTF-8 text") from None
    root, loaded = load_yaml_file(path, text, SystemFileError)
    if not isinstance(loaded or {}, dict):
        raise SystemFileError(path, 1, None, "a system file must be a mapping of field: value")
    _refuse_repeated_keys(path, root)
    try:
        return SystemInfo.model_validate(_dates_as_text(loaded or {}))
    except ValidationError as e:
        err = e.errors()[0]
        loc = tuple(err["loc"])
        raise SystemFileError(path, _line_of(root, loc), ".".join(map(str, loc)),
                              MESSAGES.get(err["type"], err["msg"])) from None


MESSAGES = {
    "literal_error": "must be 3: the catalogue is GB/T 22239-2019 第三级",
    "string_pattern_mismatch": "a cover field is one line of text: no control characters",
}


def _refuse_repeated_keys(path: Path, root) -> None:
    """YAML keeps the last of two equal keys without a word; on a cover page that is a silent wrong value."""
    seen: set = set()
    for key, _ in getattr(root, "value", ()):
        if key.value in seen:
            raise SystemFileError(path, key.start_mark.line + 1, str(key.value), "given twice")
        seen.add(key.value)


def _dates_as_text(data: dict) -> dict:
    """YAML reads `测评时间: 2026-11-02` as a date; the cover block shows it as written."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in data.items()}
