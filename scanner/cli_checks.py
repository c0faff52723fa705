"""`mlps checks list` and `mlps catalog`: the checks and the control items they serve."""
from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from scanner.cli_common import out, warn_plugins

checks_app = typer.Typer(no_args_is_help=True, help="The checks the scanner runs.")


@checks_app.command("list")
def checks_list() -> None:
    """List every check with the items it serves."""
    from scanner.registry import discover
    cs = discover()
    t = Table()
    for col in ("id", "title", "items", "severity", "high-risk", "fix"):
        t.add_column(col)
    for c in sorted(cs.checks, key=lambda c: c.id):
        t.add_row(c.id, c.title_zh, " ".join(c.controls), c.severity.value, " ".join(c.high_risk), c.fix_kind.value)
    out.print(t)
    warn_plugins(cs.plugins)


def catalog(automated: Annotated[bool, typer.Option("--automated", help="Only items a check serves.")] = False) -> None:
    """List the GB/T 22239-2019 Level 3 items and which the scanner automates."""
    from scanner.catalog import load_catalog
    from scanner.registry import discover
    cat = load_catalog()
    served: dict[str, list[str]] = {}
    for c in discover().checks:
        for item in c.controls:
            served.setdefault(item, []).append(c.id)
    t = Table(title=f"{cat.name} {cat.version}: {len(cat.items)} items, {len(served)} automated")
    for col in ("id", "控制点", "测评指标", "权重", "自动化"):
        t.add_column(col, overflow="fold")
    for i in cat.items:
        if automated and i.id not in served:
            continue
        t.add_row(i.id, i.control_point_zh, i.text_zh, f"{i.weight:.1f}",
                  f"{len(served[i.id])} checks" if i.id in served else "manual")
    out.print(t)
