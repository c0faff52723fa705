"""The `mlps` command: argument parsing and printing only; the work is in engine.py and reports/."""
from __future__ import annotations

import faulthandler
import logging
import os
import signal
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from scanner import __version__, platforms
from scanner.errors import ReasonCode
from scanner.model import ITEM_RESULT_ZH, AssetStatus, ItemResult, ScanResult

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="mlps-scanner: MLPS 2.0 Level 3 (等保三级) gap assessment of network devices and servers.")
checks_app = typer.Typer(no_args_is_help=True, help="The checks the scanner runs.")
app.add_typer(checks_app, name="checks")
inventory_app = typer.Typer(no_args_is_help=True, help="Inventories of devices to scan.")
app.add_typer(inventory_app, name="inventory")
from scanner.importers.command import inventory_convert  # noqa: E402 - the command lives with the importers
inventory_app.command("convert")(inventory_convert)
lab_app = typer.Typer(no_args_is_help=True, help="The device simulator (a demo and test lab on 127.0.0.1).")
app.add_typer(lab_app, name="lab")
# Captured output (CI logs, pipes) gets a wide console so asset names are not cut.
out = Console() if sys.stdout.isatty() else Console(width=160)
err = Console(stderr=True)

EXIT_OK, EXIT_BAD_INPUT, EXIT_REPORT_FAILED = 0, 2, 3


def bad_input(message: str) -> typer.Exit:
    # The message may quote an operator's file (asset names, keys): print it as text, never as rich markup.
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(EXIT_BAD_INPUT)


@app.command()
def scan(
    paths: Annotated[list[Path] | None, typer.Argument(help="An inventory file, or saved configs with --configs.")] = None,
    configs: Annotated[bool, typer.Option("--configs", help="PATH... are saved configurations, one asset each.")] = False,
    raw: Annotated[Path | None, typer.Option("--raw", help="Scan raw outputs saved by --save-raw.")] = None,
    require_manifest: Annotated[bool, typer.Option("--require-manifest", help="With --raw: a capture without a "
                                                   "manifest (not verifiable) is not assessed.")] = False,
    platform: Annotated[str | None, typer.Option(help="Platform of every config (default: detect from content): "
                                                      + ", ".join(platforms.config_platforms()))] = None,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for scan.json and report.html.")] = Path("mlps-out"),
    save_raw: Annotated[Path | None, typer.Option("--save-raw", help="Save every raw output used (secrets redacted).")] = None,
    known_hosts: Annotated[Path | None, typer.Option("--known-hosts", help="SSH known-hosts file.")] = None,
    trust_new_hosts: Annotated[bool, typer.Option("--trust-new-hosts", help="Record keys of hosts seen for the "
                                                  "first time (a changed key still stops the device).")] = False,
    workers: Annotated[int, typer.Option(min=1, max=1024, help="Devices collected at once.")] = 64,
    processes: Annotated[int, typer.Option(min=0, max=8, help="Processes assessing the collected devices (0: "
                                           "one per CPU for 32+ devices; 1: none).")] = 0,
    collectors: Annotated[int, typer.Option(min=0, max=8, help="Processes collecting from devices, each with "
                                            "workers/N threads (0: one per CPU from 100 devices; 1: none).")] = 0,
    timeout: Annotated[float, typer.Option(help="Connect timeout per device, seconds.")] = 10.0,
    command_timeout: Annotated[float, typer.Option(help="Longest wait for one command's output, seconds.")] = 120.0,
    retries: Annotated[int, typer.Option(min=0, max=5, help="Retries after a transient failure (timeout, drop).")] = 1,
    portscan: Annotated[bool, typer.Option("--portscan", help="Also nmap the management addresses for high-risk "
                                           "ports (TCP connect scan).")] = False,
    policy: Annotated[Path | None, typer.Option(help="Threshold profile (YAML).")] = None,
    waivers: Annotated[Path | None, typer.Option(help="Compensating factors and waivers for high-risk items (YAML).")]
    = None,
    lang: Annotated[str, typer.Option(help="Report language: zh or en.")] = "zh",
    fmt: Annotated[str, typer.Option("--format", help="Outputs: json,html,junit,sarif (scan.json is always written).")]
    = "json,html",
    max_config_mb: Annotated[int, typer.Option(help="Refuse config files larger than this.")] = 32,
    max_output_mb: Annotated[int, typer.Option(min=1, max=4096, help="Live scans: a device whose command output "
                                               "exceeds this is not assessed (output_too_large).")] = 64,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary table.")] = False,
) -> None:
    """Assess saved configs (--configs PATH...), saved raw outputs (--raw DIR) or live devices (INVENTORY)."""
    from scanner.engine import ScanContext, collect_config_files, scan_configs
    from scanner.errors import InputFileError
    from scanner.policy import load_policy

    modes = sum([configs, raw is not None, bool(paths) and not configs])
    if modes != 1:
        raise bad_input("give one of: an INVENTORY file, --configs PATH..., or --raw DIR")
    if require_manifest and raw is None:
        raise bad_input("--require-manifest goes with --raw DIR")
    if lang not in ("zh", "en"):
        raise bad_input("--lang: use zh or en")
    from reports import parse_formats
    try:
        formats = parse_formats(fmt)
    except ValueError as e:
        raise bad_input(f"--format: {e}") from None
    formats = ["json", *[f for f in formats if f != "json"]]
    plat = None
    if platform:
        plat = platforms.canonical(platform)
        if plat is None:
            raise bad_input(f"--platform: unknown platform '{platform}' (one of: {', '.join(platforms.names())})")
    try:
        pol = load_policy(policy)
    except InputFileError as e:
        raise bad_input(str(e)) from None
    ctx = ScanContext.default(pol, max_bytes=max_config_mb * 1024 * 1024)
    warn_plugins(ctx.plugins)
    if waivers is not None:
        from scanner.waivers import load_waivers
        try:
            ctx.waivers = load_waivers(waivers)
        except InputFileError as e:
            raise bad_input(str(e)) from None
    interrupted = False
    if configs:
        if not paths:
            raise bad_input("--configs needs at least one file or folder")
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise bad_input("no such file or folder: " + ", ".join(missing))
        if not collect_config_files(paths):
            raise bad_input("no files found in: " + ", ".join(map(str, paths)))
        _prepare_out(out_dir)
        result = scan_configs(paths, ctx, plat)
    elif raw is not None:
        from scanner.live import scan_raw
        from scanner.transport.replay import capture_dirs
        if not raw.is_dir() or not capture_dirs(raw):
            raise bad_input(f"--raw {raw}: no raw capture folders (device.yaml) found")
        _prepare_out(out_dir)
        result = scan_raw(raw, ctx, require_manifest)
        unverified = sum(a.capture is not None and a.capture.integrity == "unverified" for a in result.assets)
        if unverified:
            err.print(f"[yellow]warning:[/] {unverified} capture(s) without a manifest were assessed unverified "
                      "(--require-manifest refuses them)", highlight=False)
    else:
        if len(paths) != 1:
            raise bad_input("give one inventory file (or use --configs for saved configurations)")
        if paths[0].is_dir():
            raise bad_input(f"{paths[0]} is a folder: use --configs for saved configurations or --raw for "
                            "raw captures; a live scan takes an inventory file")
        result, interrupted = _scan_live(paths[0], ctx, out_dir, save_raw, known_hosts, trust_new_hosts, workers,
                                         timeout, quiet, command_timeout, retries, portscan, processes, collectors,
                                         max_output_mb)
    written = _write_outputs(result, formats, out_dir, lang, summary=not quiet)
    if interrupted:
        err.print("interrupted: the devices collected so far are in the report")
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)          # do not wait for abandoned device threads to time out
    if not written:
        raise typer.Exit(EXIT_REPORT_FAILED)


def warn_plugins(plugins) -> None:
    for p in plugins:
        if p.status != "ok":
            err.print(f"[yellow]warning:[/] plug-in {escape(p.name)} ({escape(p.distribution)} {escape(p.version)}) "
                      f"is broken, its checks are not run: {escape(p.message)}", highlight=False, soft_wrap=True)


def _prepare_out(out_dir: Path) -> None:
    from scanner.safeio import private_dir
    try:
        private_dir(out_dir)
    except OSError as e:
        raise bad_input(f"--out {out_dir}: {e.strerror}") from None


def _write_outputs(result: ScanResult, formats: list[str], out_dir: Path, lang: str, summary: bool = False) -> bool:
    """Write every format; False when one or more could not be written (each named on stderr)."""
    from reports import FORMATS, RenderError, render
    try:
        paths, failed = render(result, formats, out_dir, lang), {}
    except RenderError as e:
        paths, failed = e.written, e.failed
    if summary:
        print_summary(result)
    if paths:
        out.print("wrote " + ", ".join(_shown(str(p)) for p in paths), highlight=False)
    for fmt, why in failed.items():
        err.print(f"[bold red]error:[/] {fmt} report not written ({_shown(str(out_dir / FORMATS[fmt]))}): {_shown(why)}",
                  highlight=False)
    return not failed


def _scan_live(inv_path: Path, ctx, out_dir: Path, save_raw: Path | None, known_hosts: Path | None,
               trust_new: bool, workers: int, timeout: float, quiet: bool, command_timeout: float = 120.0,
               retries: int = 1, portscan: bool = False, processes: int = 0, collectors: int = 0,
               max_output_mb: int = 64):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from scanner.errors import InputFileError
    from scanner.inventory import load_inventory
    from scanner.live import LiveOptions, scan_inventory
    try:
        inv = load_inventory(inv_path)
    except InputFileError as e:
        raise bad_input(str(e)) from None
    for line in inv.skipped:
        err.print(f"[yellow]skipped:[/] {escape(line)}", highlight=False, soft_wrap=True)
    _prepare_out(out_dir)
    if known_hosts is None:
        known_hosts = Path.home() / ".config" / "mlps-scanner" / "known_hosts"
    opts = LiveOptions(known_hosts=known_hosts, trust_new_hosts=trust_new, workers=workers, save_raw=save_raw,
                       connect_timeout=timeout, command_timeout=command_timeout, retries=retries, portscan=portscan,
                       processes=processes, collectors=collectors, max_output=max_output_mb * 1024 * 1024)
    progress = Progress(TextColumn("[bold]live scan"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        TextColumn("{task.fields[current]}"), console=err, disable=quiet, transient=True)
    with progress:
        task = progress.add_task("scan", total=len(inv.assets), current="")

        def on_event(name: str, state: str, detail: str) -> None:
            if state in ("collected", "failed"):       # assessment follows collection, all at once
                progress.advance(task)
            progress.update(task, current=f"{name}: {state} {detail}".strip())
        try:
            result = scan_inventory(inv, ctx, opts, on_event)
        except KeyboardInterrupt:     # only if the interrupt came outside the pool
            raise typer.Exit(130) from None
    interrupted = any(a.reason_code == ReasonCode.INTERRUPTED for a in result.assets)
    return result, interrupted


SUMMARY_ROWS_MAX = 50      # above this, one row per platform: a 1 000-row console table helps nobody


def _shown(device_text: str) -> str:
    """Device text for the console: no rich markup, no terminal escape sequence."""
    from rich.markup import escape

    from reports.safe import clean_text
    return escape(clean_text(device_text))


def print_summary(result: ScanResult) -> None:
    per_asset = len(result.assets) <= SUMMARY_ROWS_MAX
    t = Table(title=f"MLPS L3 — {len(result.assets)} assets", show_lines=False)
    first = ("asset", "platform", "status") if per_asset else ("platform", "assets", "not assessed")
    for col in (*first, "符合", "部分", "不符合", "人工", "不适用", "高风险"):
        t.add_column(col, justify="left" if col in ("asset", "platform", "status") else "right")
    if per_asset:
        for a in result.assets:
            c = Counter(x.result for x in a.controls)
            status = "assessed" if a.status == AssetStatus.ASSESSED else f"[red]not assessed: {a.reason_code}[/]"
            t.add_row(_shown(a.name), a.platform, status, str(c[ItemResult.COMPLIANT]), str(c[ItemResult.PARTIAL]),
                      str(c[ItemResult.NONCOMPLIANT]), str(c[ItemResult.MANUAL]), str(c[ItemResult.NOT_APPLICABLE]),
                      str(len({h.id for h in a.high_risks})))
    else:
        by: dict[str, list] = {}
        for a in result.assets:
            by.setdefault(a.platform, []).append(a)
        for plat, group in sorted(by.items()):
            c = Counter(x.result for a in group for x in a.controls)
            bad = sum(a.status != AssetStatus.ASSESSED for a in group)
            t.add_row(plat, str(len(group)), f"[red]{bad}[/]" if bad else "0", str(c[ItemResult.COMPLIANT]),
                      str(c[ItemResult.PARTIAL]), str(c[ItemResult.NONCOMPLIANT]), str(c[ItemResult.MANUAL]),
                      str(c[ItemResult.NOT_APPLICABLE]), str(sum(len({h.id for h in a.high_risks}) for a in group)))
    out.print(t)
    errors = [a for a in result.assets if a.status != AssetStatus.ASSESSED]
    for a in errors[:SUMMARY_ROWS_MAX]:
        out.print(f"  [red]{_shown(a.name)}[/]: {_shown(a.reason or '')}", highlight=False)
    if len(errors) > SUMMARY_ROWS_MAX:
        out.print(f"  ... and {len(errors) - SUMMARY_ROWS_MAX} more not assessed (see scan.json or report.html)",
                  highlight=False)
    sys_counts = Counter(i.result for i in result.items)
    out.print("items: " + ", ".join(f"{ITEM_RESULT_ZH[r]} {sys_counts[r]}" for r in ItemResult if sys_counts[r]),
              highlight=False)
    s = result.score
    if s is not None and s.overall is not None:
        for w in result.waivers:
            if w.status == "expired":
                out.print(f"[bold red]EXPIRED WAIVER[/] #{w.index} {w.scope} ({w.reason}; {w.approver}) expired "
                          f"{w.expires}: its high-risk items count again", highlight=False)
        out.print(f"score {s.overall:.2f} ({s.template} template) -> {s.conclusion}; covers {s.items_scored} assessed "
                  f"technical items of {s.items_total}, {s.items_manual} manual, {s.items_unassessed} unassessed; "
                  f"{s.unresolved_high_risks} high-risk candidates", highlight=False)
    elif s is not None:
        out.print(f"score: 无法评分 (no score): no technical item could be assessed ({s.items_unassessed} unassessed, "
                  f"{s.items_manual} manual); no conclusion", highlight=False)


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
def report(
    scan_json: Annotated[Path, typer.Argument(help="A scan.json written by mlps scan.")],
    fmt: Annotated[str, typer.Option("--format", help="json,html,junit,sarif")] = "html",
    out_dir: Annotated[Path, typer.Option("--out", "-o")] = Path("mlps-out"),
    lang: Annotated[str, typer.Option(help="zh or en")] = "zh",
) -> None:
    """Render reports from a scan.json."""
    from reports import parse_formats
    result = _load_scan(scan_json)
    try:
        formats = parse_formats(fmt)
    except ValueError as e:
        raise bad_input(f"--format: {e}") from None
    if lang not in ("zh", "en"):
        raise bad_input("--lang: use zh or en")
    _prepare_out(out_dir)
    if not _write_outputs(result, formats, out_dir, lang):
        raise typer.Exit(EXIT_REPORT_FAILED)


def _load_scan(path: Path) -> ScanResult:
    from pydantic import ValidationError
    try:
        return ScanResult.model_validate_json(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise bad_input(f"{path}: cannot read ({e.strerror})") from None
    except ValidationError as e:
        err = e.errors()[0]
        raise bad_input(f"{path}: not a scan.json of this version (field '{'.'.join(map(str, err['loc']))}': "
                        f"{err['msg']})") from None


@app.command()
def gate(
    scan_json: Annotated[Path, typer.Argument(help="A scan.json written by mlps scan.")],
    min_score: Annotated[float | None, typer.Option(help="Fail below this overall score (0-100).")] = None,
    max_high_risk: Annotated[int | None, typer.Option(help="Fail above this many high-risk candidates.")] = None,
    max_not_assessed: Annotated[int | None, typer.Option(help="Fail above this many assets not assessed.")] = None,
    fail_on_expired_waivers: Annotated[bool, typer.Option("--fail-on-expired-waivers",
                                                          help="Fail when a waiver has expired.")] = False,
) -> None:
    """CI gate. Exit 0: passed; 1: a condition failed; 2: bad input."""
    result = _load_scan(scan_json)
    s = result.score
    problems = []
    if min_score is not None:
        if s is None or s.overall is None:
            problems.append("no score (nothing was assessed)")
        elif s.overall < min_score:
            problems.append(f"score {s.overall:.2f} < {min_score}")
    if max_high_risk is not None and s is not None and s.unresolved_high_risks > max_high_risk:
        problems.append(f"{s.unresolved_high_risks} high-risk candidates > {max_high_risk}")
    not_assessed = sum(a.status != AssetStatus.ASSESSED for a in result.assets)
    if max_not_assessed is not None and not_assessed > max_not_assessed:
        problems.append(f"{not_assessed} assets not assessed > {max_not_assessed}")
    expired = [w for w in result.waivers if w.status == "expired"]
    if fail_on_expired_waivers and expired:
        problems.append(f"{len(expired)} expired waiver(s): " + ", ".join(f"#{w.index} ({w.expires})" for w in expired))
    if problems:
        err.print("[bold red]gate failed:[/] " + "; ".join(problems), highlight=False)
        raise typer.Exit(1)
    out.print(f"gate passed (score {s.overall if s else '—'}, conclusion {s.conclusion if s else '—'})",
              highlight=False)


@app.command("diff")
def diff_cmd(
    old: Annotated[Path, typer.Argument(help="The earlier scan.json.")],
    new: Annotated[Path, typer.Argument(help="The later scan.json.")],
    html: Annotated[Path | None, typer.Option(help="Also write the comparison as HTML.")] = None,
    lang: Annotated[str, typer.Option()] = "zh",
) -> None:
    """Compare two scans: improved, regressed, appeared, disappeared."""
    from reports.diff import diff, write_diff_html
    d = diff(_load_scan(old), _load_scan(new))
    out.print(f"score: {d.score_old} -> {d.score_new}", highlight=False)
    for title, rows in (("improved", d.improved), ("regressed", d.regressed), ("changed", d.changed)):
        t = Table(title=f"{title}: {len(rows)}")
        for col in ("asset", "item", "before", "after"):
            t.add_column(col)
        for c in rows[:200]:
            t.add_row(c.asset, c.item, c.old.value if c.old else "—", c.new.value if c.new else "—")
        if rows:
            out.print(t)
    out.print(f"assets added: {', '.join(d.assets_added) or '—'}; removed: {', '.join(d.assets_removed) or '—'}")
    out.print("high-risk added: " + (", ".join(f"{a}:{h}" for a, h in d.high_risks_added) or "—")
              + "; removed: " + (", ".join(f"{a}:{h}" for a, h in d.high_risks_removed) or "—"), highlight=False)
    if html:
        out.print(f"wrote {write_diff_html(d, html, lang)}")


@inventory_app.command("validate")
def inventory_validate(path: Annotated[Path, typer.Argument(help="Inventory: YAML, CSV, XLSX, Ansible INI/YAML, NetBox/Nautobot (docs/inventories.md).")]) -> None:
    """Check an inventory: exit 0 when valid, 2 with file, line and field otherwise."""
    from scanner.errors import InputFileError
    from scanner.inventory import load_inventory
    try:
        inv = load_inventory(path)
    except InputFileError as e:
        raise bad_input(str(e)) from None
    for line in inv.skipped:
        err.print(f"[yellow]skipped:[/] {escape(line)}", highlight=False, soft_wrap=True)
    t = Table(title=f"{path}: {len(inv.assets)} assets")
    for col in ("name", "platform", "address", "zone", "role", "importance", "credentials"):
        t.add_column(col)
    for a in inv.assets:
        t.add_row(a.name, a.platform, f"{a.address}:{a.port}", a.zone or "—", a.role, a.importance,
                  a.credentials or "—")
    out.print(t)


@app.command()
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


@lab_app.command("up")
def lab_up(spec: Annotated[Path | None, typer.Option(help="Lab spec (default: the packaged lab, scanner/lab/data/lab.yaml).")] = None) -> None:
    """Start the simulated devices in the background."""
    from scanner import lab
    try:
        pid = lab.up(spec or lab.DEFAULT_SPEC)
    except (lab.LabError, OSError) as e:
        raise bad_input(str(e)) from None
    st = lab.status()
    out.print(f"lab up (pid {pid}): {sum(d['up'] for d in st['devices'])}/{len(st['devices'])} devices on 127.0.0.1")


@lab_app.command("down")
def lab_down() -> None:
    """Stop the simulated devices."""
    from scanner import lab
    out.print("lab down" if lab.down() else "lab was not running")


@lab_app.command("status")
def lab_status() -> None:
    """Show the simulated devices and whether they answer."""
    from scanner import lab
    st = lab.status()
    t = Table(title=f"lab {'running (pid ' + str(st['pid']) + ')' if st['running'] else 'stopped'}")
    for col in ("device", "port", "ssh"):
        t.add_column(col)
    for d in st["devices"]:
        t.add_row(d["name"], str(d["port"]), "up" if d["up"] else "down")
    out.print(t)


@app.command()
def demo(out_dir: Annotated[Path, typer.Option("--out", "-o")] = Path("demo-out"),
         lang: Annotated[str, typer.Option()] = "zh",
         fmt: Annotated[str, typer.Option("--format", help="Outputs to write.")]
         = "json,html,pdf,xlsx,junit,sarif") -> None:
    """Lab up, scan it live (saving raw outputs), write the report, lab down."""
    from scanner import lab
    from scanner.engine import ScanContext
    for var, value in _lab_secrets().items():       # the lab's own throwaway credentials
        os.environ.setdefault(var, value)
    ctx = ScanContext.default()                      # broken checks stop here, before the lab starts
    warn_plugins(ctx.plugins)
    try:
        lab.up()
    except (lab.LabError, OSError) as e:
        raise bad_input(f"lab: {e}") from None
    try:
        _prepare_out(out_dir)
        inv = lab.DEFAULT_INVENTORY
        result, _ = _scan_live(inv, ctx, out_dir, out_dir / "raw", out_dir / "known_hosts",
                               True, 64, 10.0, False)
        from reports import parse_formats
        try:
            formats = ["json", *[f for f in parse_formats(fmt) if f != "json"]]
        except ValueError as e:
            raise bad_input(f"--format: {e}") from None
        written = _write_outputs(result, formats, out_dir, lang, summary=True)
    finally:
        lab.down()
    if not written:
        raise typer.Exit(EXIT_REPORT_FAILED)


def _lab_secrets() -> dict[str, str]:
    from scanner.lab import SNMP_DEFAULTS
    from scanner.lab.simulator import DEFAULT_PASSWORD
    return {"MLPS_LAB_PASSWORD": DEFAULT_PASSWORD, SNMP_DEFAULTS["auth_env"]: SNMP_DEFAULTS["auth_default"],
            SNMP_DEFAULTS["priv_env"]: SNMP_DEFAULTS["priv_default"]}


@app.command()
def version() -> None:
    """Print the version."""
    out.print(f"mlps-scanner {__version__}")


def main() -> None:
    logging.getLogger("paramiko").setLevel(logging.CRITICAL)
    if hasattr(signal, "SIGUSR1"):       # `kill -USR1 <pid>` prints every thread's stack: why is a scan stuck?
        faulthandler.register(signal.SIGUSR1, all_threads=True)
    from scanner.registry import BrokenChecks
    try:
        app()
    except BrokenChecks as e:      # a broken built-in check or data file: no scan, exit 2 with what and where
        err.print(f"[bold red]error:[/] {escape(str(e))}", highlight=False, soft_wrap=True)
        sys.exit(EXIT_BAD_INPUT)
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
