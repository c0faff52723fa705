"""`mlps inventory convert`: any source the importers read -> the native YAML inventory (0600), with every
skipped row printed. scanner/cli.py registers `inventory_convert` under `mlps inventory`."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.console import Console
from rich.markup import escape

from scanner.errors import InputFileError
from scanner.importers import FORMATS, Imported, import_inventory
from scanner.inventory import Credential, InventoryError, load_yaml_file
from scanner.safeio import write_private

EXIT_BAD_INPUT = 2


def inventory_convert(
    src: Annotated[Path, typer.Argument(help="CSV, XLSX, Ansible INI/YAML (or folder), NetBox/Nautobot CSV export, "
                                        "or a NetBox/Nautobot source YAML.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The native YAML inventory to write (0600).")],
    fmt: Annotated[str | None, typer.Option("--format", help=f"One of {', '.join(FORMATS)} (default: detect).")]
    = None,
    sheet: Annotated[str | None, typer.Option(help="XLSX: the sheet to read (default: the first).")] = None,
    columns: Annotated[str | None, typer.Option(help="More header names: 'HEADER=FIELD,...' (FIELD '-': ignore).")]
    = None,
    credentials: Annotated[Path | None, typer.Option(help="A YAML file whose credentials: mapping (references "
                                                     "only) goes into the output.")] = None,
) -> None:
    """Convert an inventory people have into the native YAML; every skipped row is listed with why."""
    err = Console(stderr=True)
    try:
        imported, _ = convert(src, output, fmt, sheet, columns, credentials)
    except InputFileError as e:
        err.print(f"[bold red]error:[/] {escape(str(e))}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    for s in imported.skipped:
        err.print(f"[yellow]skipped:[/] {escape(str(s))}", highlight=False, soft_wrap=True)
    out = Console() if sys.stdout.isatty() else Console(width=160)
    out.print(f"wrote {escape(str(output))}: {len(imported.inventory.assets)} assets, {len(imported.skipped)} "
              "skipped", highlight=False)


def convert(src: Path, output: Path, fmt: str | None, sheet: str | None, columns: str | None,
            credentials: Path | None) -> tuple[Imported, str]:
    """(what was imported, the YAML written to `output`); InputFileError for any bad input."""
    from scanner.importers.tabular import column_map
    try:
        extra = column_map(columns) if columns else None
    except ValueError as e:
        raise InventoryError("--columns", None, None, str(e)) from None
    imported = import_inventory(src, fmt, sheet, extra)
    inv = imported.inventory
    creds = dict(inv.credentials)
    if credentials is not None:
        creds |= _credentials_file(credentials)
    missing = sorted({a.credentials for a in inv.assets if a.credentials and a.credentials not in creds})
    doc: dict = {}
    group_names = list(dict.fromkeys(g for a in inv.assets for g in a.groups))
    if group_names:         # the native format declares every group an asset names (here without settings)
        doc["groups"] = {g: {} for g in group_names}
    doc["assets"] = [_asset_dict(a) for a in inv.assets]
    if creds:
        doc["credentials"] = {k: v.model_dump(exclude_none=True, exclude_defaults=True) for k, v in creds.items()}
    head = f"# converted by `mlps inventory convert` from {src}\n"
    if missing:
        head += ("# credentials named by the assets but not defined (add them, references only, or pass "
                 "--credentials FILE):\n" + "".join(f"#   {m}: {{ssh: {{username: USER, password: {{env: "
                                                     f"MLPS_{m.upper()}_PASSWORD}}}}}}\n" for m in missing))
    text = head + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    write_private(output, text)
    return imported, text


def _asset_dict(a) -> dict:
    d = a.model_dump(exclude_defaults=True)
    d = {"name": a.name, "address": a.address, **d}
    if "groups" in d:
        d["groups"] = list(d["groups"])
    return d


def _credentials_file(path: Path) -> dict[str, Credential]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InventoryError(path, None, None, f"cannot read: {getattr(e, 'strerror', None) or 'not UTF-8'}") from None
    root, data = load_yaml_file(path, text)
    creds = data.get("credentials") if isinstance(data, dict) else None
    if not isinstance(creds, dict):
        raise InventoryError(path, 1, "credentials", "a credentials file is a mapping with a 'credentials:' mapping")
    from pydantic import ValidationError

    from scanner.inventory import _line_of, _msg
    out = {}
    for name, value in creds.items():
        try:
            out[str(name)] = Credential.model_validate(value)
        except ValidationError as e:
            err = e.errors()[0]
            loc = ("credentials", name, *err["loc"])
            raise InventoryError(path, _line_of(root, loc), ".".join(map(str, loc)), _msg(err)) from None
    return out

