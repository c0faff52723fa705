"""scan.json: the result model as written to disk (the input of every other renderer)."""
from __future__ import annotations

import json
from pathlib import Path

from pydantic_core import PydanticSerializationError

from reports.safe import clean_tree
from scanner.model import ScanResult
from scanner.safeio import write_private


def write_json(result: ScanResult, path: Path) -> Path:
    try:       # bytes straight from pydantic-core: a 10 000-device scan.json is ~700 MB, and its str then its UTF-8
        text = type(result).__pydantic_serializer__.to_json(result, indent=2)   # copy would be two more
    except PydanticSerializationError:
        # A lone surrogate (a file name that is not UTF-8) has no UTF-8 form and no JSON reader takes one escaped:
        # write it, like every unsafe character, as a visible escape.
        text = json.dumps(clean_tree(result.model_dump(mode="json")), ensure_ascii=False, indent=2)
    write_private(path, text)
    return path


def read_json(path: Path) -> ScanResult:
    return ScanResult.model_validate_json(path.read_text(encoding="utf-8"))
