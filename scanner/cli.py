"""The `mlps` command: argument parsing and printing only; the work is in engine.py and reports/."""
from __future__ import annotations

import logging
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from scanner import __version__, platforms
from scanner.model import ITEM_RESULT_ZH, AssetStatus, ItemResult, ScanResult

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="mlps-scanner: MLPS 2.0 Level 3 (等保三级) gap assessment of network devices and servers.")
checks_app = typer.Typer(no_args_is_help=True, help="The checks the scanner runs.")
app.add_typer(checks_app, name="checks")
out = Console()
err = Console(stderr=True)

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def bad_input(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(EXIT_BAD_INPUT)


@app.command()
def scan(
    paths: Annotated[list[Path] | None, typer.Argument(help="Saved configs (files or folders) with --configs.")] = None,
    configs: Annotated[bool, typer.Option("--configs", help="PATH... are saved configurations, one asset each.")] = False,
    platform: Annotated[str | None, typer.Option(help="Platform of every config (default: detect from content): "
                                                      + ", ".join(platforms.names()))] = None,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for scan.json and report.html.")] = Path("mlps-out"),
    policy: Annotated[Path | None, typer.Option(help="Threshold profile (YAML).")] = None,
    lang: Annotated[str, typer.Option(help="Report language: zh or en.")] = "zh",
    max_config_mb: Annotated[int, typer.Option(help="Refuse config files larger than this.")] = 32,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary table.")] = False,
) -> None:
    """Assess saved configurations (`mlps scan --configs PATH... --out DIR`)."""
    from reports.html import write_html
    from reports.json_report import write_json
    from scanner.engine import ScanContext, collect_config_files, scan_configs
    from scanner.policy import PolicyError, load_policy

    if not configs:
        raise bad_input("give saved configurations with --configs PATH... (live inventories come in a later release)")
    if not paths:
        raise bad_input("--configs needs at least one file or folder")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise bad_input("no such file or folder: " + ", ".join(missing))
    plat = None
    if platform:
        plat = platforms.canonical(platform)
        if plat is None:
            raise bad_input(f"--platform: unknown platform '{platform}' (one of: {', '.join(platforms.names())})")
    if lang not in ("zh", "en"):
        raise bad_input("--lang: use zh or en")
    if not collect_config_files(paths):
        raise bad_input("no files found in: " + ", ".join(map(str, paths)))
    try:
        pol = load_policy(policy)
    except PolicyError as e:
        raise bad_input(str(e)) from None
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise bad_input(f"--out {out_dir}: {e.strerror}") from None
    ctx = ScanContext.default(pol, max_bytes=max_config_mb * 1024 * 1024)
    result = scan_configs(paths, ctx, plat)
    write_json(result, out_dir / "scan.json")
    write_html(result, out_dir / "report.html", lang=lang)
    if not quiet:
        print_summary(result)
    out.print(f"wrote {out_dir / 'scan.json'} and {out_dir / 'report.html'}", highlight=False)


def print_summary(result: ScanResult) -> None:
    t = Table(title=f"MLPS L3 — {len(result.assets)} assets", show_lines=False)
    for col in ("asset", "platform", "status", "符合", "部分", "不符合", "人工", "不适用", "高风险"):
        t.add_column(col, justify="right" if col not in ("asset", "platform", "status") else "left")
    for a in result.assets:
        c = Counter(x.result for x in a.controls)
        status = "assessed" if a.status == AssetStatus.ASSESSED else f"[red]not assessed: {a.reason_code}[/]"
        t.add_row(a.name, a.platform, status, str(c[ItemResult.COMPLIANT]), str(c[ItemResult.PARTIAL]),
                  str(c[ItemResult.NONCOMPLIANT]), str(c[ItemResult.MANUAL]), str(c[ItemResult.NOT_APPLICABLE]),
                  str(len({h.id for h in a.high_risks})))
    out.print(t)
    errors = [a for a in result.assets if a.status != AssetStatus.ASSESSED]
    for a in errors:
        out.print(f"  [red]{a.name}[/]: {a.reason}", highlight=False)
    sys_counts = Counter(i.result for i in result.items)
    out.print("items: " + ", ".join(f"{ITEM_RESULT_ZH[r]} {sys_counts[r]}" for r in ItemResult if sys_counts[r]),
              highlight=False)


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
    for e in cs.load_errors:
        err.print(f"[yellow]warning:[/] {e}", highlight=False)


@app.command()
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


@app.command()
def version() -> None:
    """Print the version."""
    out.print(f"mlps-scanner {__version__}")


def main() -> None:
    logging.getLogger("paramiko").setLevel(logging.CRITICAL)
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as e:  # an internal error: one line, not a traceback, unless MLPS_DEBUG is set
        if os.environ.get("MLPS_DEBUG"):
            raise
        err.print(f"[bold red]internal error:[/] {type(e).__name__}: {e} (set MLPS_DEBUG=1 for details)",
                  highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
