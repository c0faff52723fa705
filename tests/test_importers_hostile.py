"""Hostile inventory sources: each one clear error (file, line/row, field, exit 2) or a skipped row, never a
traceback, a hang, or an unvalidated address."""
from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from scanner.importers import import_inventory
from scanner.inventory import InventoryError

from conftest import run_mlps

HOSTILE_CSV = [
    # (name, bytes, line, field)
    ("option-address", "设备名称,管理IP\nsw1,-oProxyCommand=sh\n".encode(), 2, "address"),
    ("range-address", "name,address\nsw1,10.0.0.0/24\n".encode(), 2, "address"),
    ("bidi-name", "name,address\nsw\u202e1,10.0.0.1\n".encode(), 2, "name"),
    ("newline-name", 'name,address\n"sw\n1",10.0.0.1\n'.encode(), 3, "name"),
    ("huge-field", b"name,address\n\"" + b"x" * 200_000 + b"\",10.0.0.1\n", 2, None),
    ("unclosed-quote-gbk", 'name,address,zone\nsw1,10.0.0.1,"核心区\n'.encode("gb18030"), 2, None),
    ("duplicate-name", "name,address\nsw1,10.0.0.1\nsw1,10.0.0.2\n".encode(), None, "name"),
    ("community-column", "name,address,snmp community\nsw1,10.0.0.1,public\n".encode(), 1, "snmp community"),
    ("header-only", "设备名称,管理IP\n".encode("gb18030"), 2, None),
    ("empty", b"", 1, None),
]


@pytest.mark.parametrize("name,data,line,field", HOSTILE_CSV, ids=[h[0] for h in HOSTILE_CSV])
def test_hostile_csv(tmp_path, name, data, line, field):
    p = tmp_path / f"{name}.csv"
    p.write_bytes(data)
    with pytest.raises(InventoryError) as ei:
        import_inventory(p)
    assert (ei.value.line, ei.value.field) == (line, field), str(ei.value)


def _xlsx(rows, **kw) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_hostile_xlsx(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (600 * 1024 * 1024))
    with pytest.raises(InventoryError, match="expands to too much"):
        import_inventory(bomb)
    formula = tmp_path / "f.xlsx"
    formula.write_bytes(_xlsx([["设备名称", "管理IP"], ["sw1", "=HYPERLINK(\"http://x\")"]]))
    with pytest.raises(InventoryError) as ei:
        import_inventory(formula)          # a formula's text is no address
    assert (ei.value.line, ei.value.field) == (2, "address")
    wide = tmp_path / "wide.xlsx"
    wide.write_bytes(_xlsx([["设备名称", "管理IP"], ["sw1", "10.0.0.1"], [None] * 300 + ["x"]]))
    with pytest.raises(InventoryError, match="more than an asset list"):
        import_inventory(wide)
    r = run_mlps("inventory", "validate", str(bomb))
    assert r.returncode == 2 and "Traceback" not in r.stderr


@pytest.mark.parametrize("name,text,line,field", [
    ("range-bomb", "[all]\nnode[0:99999999]\n", 2, "hosts"),
    ("many-ranges", "[all]\n" + "".join(f"n{i}-[0:999]\n" for i in range(120)), 102, "hosts"),
    ("shell-in-host", "[all]\nsw1 ansible_host='$(reboot)'\n", 2, "sw1.ansible_host"),
    ("bad-section", "[core:bogus]\nsw1\n", 1, "ini"),
])
def test_hostile_ansible_ini(tmp_path, name, text, line, field):
    p = tmp_path / "hosts"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InventoryError) as ei:
        import_inventory(p)
    assert (ei.value.line, ei.value.field) == (line, field), str(ei.value)
