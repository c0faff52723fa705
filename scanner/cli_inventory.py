"""`mlps inventory validate` and `mlps discover`: inventories of devices to scan."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from scanner.cli_common import bad_input, err, out

inventory_app = typer.Typer(no_args_is_help=True, help="Inventories of devices to scan.")
from scanner.importers.command import inventory_convert  # noqa: E402 - the command lives with the importers
inventory_app.command("convert")(inventory_convert)


def print_skipped(inv) -> None:
    """Every row, host or device an importer left out, with why."""
    for line in inv.skipped:
        err.print(f"[yellow]skipped:[/] {escape(line)}", highlight=False, soft_wrap=True)


@inventory_app.command("validate")
def inventory_validate(path: Annotated[Path, typer.Argument(help="Inventory: YAML, CSV, XLSX, Ansible INI/YAML, "
                                                                 "NetBox/Nautobot (docs/inventories.md).")]) -> None:
    """Check an inventory: exit 0 when valid, 2 with file, line and field otherwise."""
    from scanner.errors import InputFileError
    from scanner.inventory import load_inventory
    try:
        inv = load_inventory(path)
    except InputFileError as e:
        raise bad_input(str(e)) from None
    print_skipped(inv)
    t = Table(title=f"{path}: {len(inv.assets)} assets")
    for col in ("name", "platform", "address", "zone", "role", "importance", "credentials"):
        t.add_column(col)
    for a in inv.assets:
        t.add_row(a.name, a.platform, f"{a.address}:{a.port}", a.zone or "—", a.role, a.importance,
                  a.credentials or "—")
    out.print(t)


def discover(
    targets: Annotated[list[str], typer.Argument(help="Addresses or CIDR ranges to sweep.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Inventory draft to write (YAML).")],
    ports: Annotated[str, typer.Option(help="TCP ports to sweep; SSH banners are read on the non-web ones.")] = "22,23,80,443",
    community_env: Annotated[str | None, typer.Option(help="Env variable holding a read-only v2c community for "
                                                      "sysObjectID fingerprints.")] = None,
    snmp_port: Annotated[int, typer.Option(help="SNMP port for fingerprints.")] = 161,
) -> None:
    """Draft an inventory from an nmap sweep and SSH-banner / SNMP fingerprints."""
    import yaml

    from scanner.addresses import sweep_target
    from scanner.discover import discover as run_discover, draft_inventory, sweep_ports
    from scanner.safeio import write_private
    from scanner.transport.errors import CollectError
    for t in targets:
        try:
            sweep_target(t)
        except ValueError as e:
            raise bad_input(f"target {t[:80]!r}: {e}") from None
    try:
        sweep_ports(ports)
    except ValueError as e:
        raise bad_input(f"--ports: {e}") from None
    community = os.environ.get(community_env) if community_env else None
    if community_env and community is None:
        raise bad_input(f"--community-env: environment variable {community_env} is not set")
    try:
        found = run_discover(targets, ports, community, snmp_port)
    except CollectError as e:
        err.print(f"[bold red]error:[/] {escape(e.message)}", highlight=False)
        raise typer.Exit(1) from None
    write_private(output, "# Drafted by mlps discover: review platforms, zones, roles and credentials before "
                  "scanning.\n" + yaml.safe_dump(draft_inventory(found), allow_unicode=True, sort_keys=False))
    t = Table(title=f"{len(found)} assets found")
    for col in ("address", "port", "platform", "evidence", "open ports"):
        t.add_column(col)
    for f in found:
        t.add_row(f.address, str(f.port), f.platform, f.evidence, ",".join(map(str, f.open_ports)))
    out.print(t)
    out.print(f"wrote {output}")
