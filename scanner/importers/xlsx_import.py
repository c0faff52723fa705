"""XLSX asset lists (资产清单): the first sheet or a named one, the same header map as CSV. Merged cells (a 区域
written once over a block of rows) give their value to every row they cover; a first cell
`#mlps-columns: ...` extends the header map as in CSV."""
from __future__ import annotations

import zipfile
from pathlib import Path

from scanner.importers import MAX_SOURCE_BYTES, Imported, tabular
from scanner.importers.csv_import import DIRECTIVE
from scanner.inventory import InventoryError

MAX_ROWS, MAX_COLS = 100_000, 200


def load_xlsx(path: Path, sheet: str | None = None, columns: dict[str, str] | None = None) -> Imported:
    ws = _sheet(path, sheet)
    rows = _rows(path, ws)
    extra = dict(columns or {})
    if rows and rows[0][1] and str(rows[0][1][0]).strip().lower().startswith(DIRECTIVE):
        try:
            extra = tabular.column_map(rows[0][1][0].split(":", 1)[1]) | extra
        except ValueError as e:
            raise InventoryError(path, 1, "mlps-columns", str(e)) from None
        rows = rows[1:]
    return tabular.build(f"{path}[{ws.title}]", rows, extra, unit="row")


def _sheet(path: Path, sheet: str | None):
    from openpyxl import load_workbook
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise InventoryError(path, None, None, f"larger than {MAX_SOURCE_BYTES >> 20} MB")
        with zipfile.ZipFile(path) as z:       # a zip bomb is refused before openpyxl inflates it
            if sum(i.file_size for i in z.infolist()) > 16 * MAX_SOURCE_BYTES:
                raise InventoryError(path, None, None, "expands to too much data for an asset list")
        wb = load_workbook(path, data_only=True)
    except InventoryError:
        raise
    except Exception as e:      # noqa: BLE001 - zipfile, XML and openpyxl errors alike: not a usable workbook
        raise InventoryError(path, None, None, f"not a readable XLSX workbook ({type(e).__name__})") from None
    if sheet is None:
        return wb.worksheets[0]
    if sheet not in wb.sheetnames:
        raise InventoryError(path, None, "--sheet", f"no sheet '{sheet}' (sheets: {', '.join(wb.sheetnames)})")
    return wb[sheet]


def _rows(path: Path, ws) -> list[tuple[int, list[str]]]:
    if ws.max_row > MAX_ROWS or ws.max_column > MAX_COLS:
        raise InventoryError(path, None, None, f"sheet '{ws.title}' is {ws.max_row} rows by {ws.max_column} "
                             f"columns: more than an asset list ({MAX_ROWS} x {MAX_COLS})")
    fill = {}
    for rng in ws.merged_cells.ranges:
        top = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                fill[(r, c)] = top
    rows = []
    for r, row in enumerate(ws.iter_rows(values_only=True), 1):
        cells = [fill.get((r, c), v) for c, v in enumerate(row, 1)]
        rows.append((r, ["" if v is None else _text(v) for v in cells]))
    return rows


def _text(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
