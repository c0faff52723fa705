"""Inventories people already have -> the native inventory: CSV and XLSX asset lists (English or Chinese headers),
Ansible INI/YAML inventories with group_vars/host_vars, NetBox and Nautobot (their CSV exports, or live).

Every importer returns the rows it left out with where and why (`Skipped`); a source that cannot be used at all is
one `InventoryError` naming file, line/row and field. Addresses and names go through the same validators as the
native YAML (`InventoryAsset`), and no importer reads a credential value from its source: a password column is
refused, a credential is only ever a name that the inventory's `credentials:` section resolves to references.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scanner.inventory import Inventory, InventoryError

MAX_SOURCE_BYTES = 32 * 1024 * 1024     # an inventory, not a data dump
FORMATS = ("yaml", "csv", "xlsx", "ansible", "netbox-csv", "nautobot-csv", "netbox", "nautobot")


@dataclass(frozen=True)
class Skipped:
    """One row (or host, or device) of a source left out of the inventory."""
    file: str
    where: str          # "row 7", "line 12", "host rtr3", "device 42"
    field: str | None
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}" + (f": field '{self.field}'" if self.field else "") + f": {self.reason}"


@dataclass
class Imported:
    inventory: Inventory
    skipped: list[Skipped] = field(default_factory=list)


def detect_format(path: Path) -> str:
    """The importer for `path` when --format is not given: by suffix, then by a look at the content."""
    if path.is_dir():
        return "ansible"
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".csv", ".tsv", ".txt"):
        from scanner.importers.netbox_import import sniff_csv_export
        return sniff_csv_export(path) or "csv"
    if suffix in (".ini", ".cfg", ".hosts") or suffix not in (".yaml", ".yml", ".json"):
        return "ansible"
    return "yaml"


def import_inventory(path: Path, fmt: str | None = None, sheet: str | None = None,
                     columns: dict[str, str] | None = None) -> Imported:
    """Read `path` as `fmt` (detected when None); InventoryError when it cannot be used at all."""
    path = Path(path)
    if not path.exists():
        raise InventoryError(path, None, None, "no such file")
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise InventoryError(path, None, "--format", f"unknown format '{fmt}' (one of {', '.join(FORMATS)})")
    if sheet is not None and fmt != "xlsx":
        raise InventoryError(path, None, "--sheet", "only an XLSX workbook has sheets")
    if fmt in ("yaml", "netbox", "nautobot"):
        return _yaml_source(path, fmt)
    if fmt in ("csv", "xlsx"):
        from scanner.importers import csv_import, xlsx_import
        if fmt == "csv":
            return csv_import.load_csv(path, columns)
        return xlsx_import.load_xlsx(path, sheet, columns)
    if fmt == "ansible":
        from scanner.importers.ansible_import import load_ansible
        return load_ansible(path)
    from scanner.importers import netbox_import
    return netbox_import.load_export(path, fmt.split("-")[0])


_ANSIBLE_GROUP_KEYS = {"hosts", "children", "vars"}


def _yaml_source(path: Path, fmt: str) -> Imported:
    """A YAML file: the native inventory, an Ansible YAML inventory, or a NetBox/Nautobot source (url + token)."""
    from scanner.inventory import load_native, load_yaml_file
    from scanner.textio import UnreadableInput, read_bounded
    try:
        text = read_bounded(path, MAX_SOURCE_BYTES).decode("utf-8").removeprefix("\ufeff")
    except UnreadableInput as e:
        raise InventoryError(path, None, None, f"cannot read: {e.message}") from None
    except UnicodeDecodeError:
        raise InventoryError(path, None, None, "not UTF-8 text") from None
    root, data = load_yaml_file(path, text)
    if not isinstance(data, dict):
        raise InventoryError(path, 1, None, "an inventory is a mapping with an 'assets' list")
    if fmt in ("netbox", "nautobot") or "netbox" in data or "nautobot" in data:
        from scanner.importers.netbox_live import load_live
        return load_live(path, data, root)
    if "assets" not in data and ("all" in data or _looks_ansible(data)):
        from scanner.importers.ansible_import import load_ansible_yaml
        return load_ansible_yaml(path, data, root)
    return Imported(load_native(path, data, root))


def _looks_ansible(data: dict) -> bool:
    """Top-level groups without `all:` (Ansible accepts them): every value a mapping of hosts/children/vars."""
    return bool(data) and all(isinstance(v, dict) and v and set(v) <= _ANSIBLE_GROUP_KEYS for v in data.values())
