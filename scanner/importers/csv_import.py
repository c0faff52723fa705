"""CSV asset lists: UTF-8, UTF-8 with a BOM (Excel's "CSV UTF-8") or GBK/GB18030 (Excel's "CSV" on a Chinese
Windows); anything else is one clear error rather than a guess. The first line may extend the header map:
`#mlps-columns: 主机=name, 地址=address`."""
from __future__ import annotations

import csv
from pathlib import Path

from scanner.importers import MAX_SOURCE_BYTES, Imported, tabular
from scanner.inventory import InventoryError
from scanner.textio import UnreadableInput, read_bounded

DIRECTIVE = "#mlps-columns:"


def decode(path: Path) -> tuple[str, str]:
    """(text, encoding) of a CSV file; InventoryError when it is none of UTF-8 (with or without BOM) or GB18030."""
    try:
        data = read_bounded(path, MAX_SOURCE_BYTES)
    except UnreadableInput as e:
        raise InventoryError(path, None, None, f"cannot read: {e.message}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InventoryError(path, 1, None, "UTF-16 text: save the sheet as 'CSV UTF-8' (or CSV in GBK)")
    else:
        candidates = ("utf-8", "gb18030")
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as e:
            bad_line = data[:e.start].count(b"\n") + 1
            continue
        bad = next((i for i, ch in enumerate(text) if ch == "\0" or (ord(ch) < 32 and ch not in "\t\r\n")), None)
        if bad is not None:
            raise InventoryError(path, text[:bad].count("\n") + 1, None, "a control character: not a text "
                                 "asset list")
        return text, enc
    raise InventoryError(path, bad_line, None, "not UTF-8, UTF-8 with BOM, or GBK/GB18030 text: save the sheet "
                         "as 'CSV UTF-8'")


def load_csv(path: Path, columns: dict[str, str] | None = None) -> Imported:
    text, _ = decode(path)
    lines = text.splitlines(keepends=True)
    extra, first = dict(columns or {}), 0
    if lines and lines[0].lstrip().lower().startswith(DIRECTIVE):
        try:
            extra = tabular.column_map(lines[0].split(":", 1)[1]) | extra
        except ValueError as e:
            raise InventoryError(path, 1, "mlps-columns", str(e)) from None
        first = 1
    dialect = _dialect(lines[first:first + 5])
    reader = csv.reader(lines[first:], dialect)
    try:
        rows = [(reader.line_num + first, row) for row in reader]
    except csv.Error as e:
        raise InventoryError(path, reader.line_num + first, None, f"not valid CSV: {e}") from None
    return tabular.build(path, rows, extra)


def _dialect(sample: list[str]) -> type[csv.Dialect]:
    """Comma unless the header has none and has tabs or semicolons (Excel in some locales, TSV)."""
    head = sample[0] if sample else ""
    if "," not in head:
        for sep in ("\t", ";", "；"):
            if sep in head:
                return type("Sep", (_Strict,), {"delimiter": sep})
    return _Strict


class _Strict(csv.excel):
    strict = True        # an unclosed quote is an error, not a field that swallows the rest of the file
