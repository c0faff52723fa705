"""The `mlps` command: argument parsing and printing only; the work is in scanner/scanjob.py, engine.py and
reports/. Sub-commands live in cli_checks.py, cli_inventory.py and cli_lab.py; what they print with in cli_common.py."""
from __future__ import annotations

import faulthandler
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from scanner import __version__, platforms
from scanner.cli_checks import catalog, checks_app
from scanner.cli_common import (EXIT_BAD_INPUT, EXIT_GATE_FAILED, EXIT_INTERNAL, EXIT_INTERRUPTED,
                                EXIT_REPORT_FAILED, Lang, bad_input, complete_platforms, err, format_option,
                                lang_option, load_scan, load_trend, add_trend, out, plan, preflight, prepare_out, run,
                                write_outputs)
from scanner.cli_inventory import discover, inventory_app
from scanner.cli_lab import demo, lab_app
from scanner.cli_worker import BrokerOption, DeadlineOption, PasswordFileOption, resolved_broker, worker
from scanner.model import AssetStatus

app = typer.Typer(add_completion=True, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="mlps-scanner: MLPS 2.0 Level 3 (等保三级) gap assessment of network devices and servers.")
app.add_typer(checks_app, name="checks")
app.add_typer(inventory_app, name="inventory")
app.add_typer(lab_app, name="lab")
MIB = 1024 * 1024


@app.command()
def scan(
    paths: Annotated[list[Path] | None, typer.Argument(help="An inventory file, or saved configs with --configs.")] = None,
    configs: Annotated[bool, typer.Option("--configs", help="PATH... are saved configurations, one asset each.")] = False,
    raw: Annotated[Path | None, typer.Option("--raw", help="Scan raw outputs saved by --save-raw.")] = None,
    require_manifest: Annotated[bool, typer.Option("--require-manifest", help="With --raw: a capture without a "
                                                   "manifest (not verifiable) is not assessed.")] = False,
    platform: Annotated[str | None, typer.Option(help="Platform of every config (default: detect from content), "
                                                      "one of: " + ", ".join(platforms.config_platforms()),
                                                 autocompletion=complete_platforms)] = None,
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
    lang: Annotated[Lang, lang_option()] = Lang.zh,
    system: Annotated[Path | None, typer.Option(help="The system assessed, for the report's cover (YAML).")] = None,
    history: Annotated[Path | None, typer.Option(help="A folder of earlier scan.json files: the report shows the "
                                                 "trend.")] = None,
    fmt: Annotated[str, format_option("json,html")] = "json,html",
    max_config_mb: Annotated[int, typer.Option(help="Refuse config files larger than this.")] = 32,
    max_output_mb: Annotated[int, typer.Option(min=1, max=4096, help="Live scans: a device whose command output "
                                               "exceeds this is not assessed (output_too_large).")] = 64,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary table.")] = False,
    broker: BrokerOption = None,
    broker_password_file: PasswordFileOption = None,
    collector_deadline: DeadlineOption = 60.0,
) -> None:
    """Assess saved configs (--configs PATH...), saved raw outputs (--raw DIR) or live devices (INVENTORY)."""
    from scanner.live import LiveOptions
    from scanner.scanjob import ScanRequest, default_known_hosts
    live = LiveOptions(known_hosts=known_hosts or default_known_hosts(), trust_new_hosts=trust_new_hosts,
                       workers=workers, save_raw=save_raw, connect_timeout=timeout, command_timeout=command_timeout,
                       retries=retries, portscan=portscan, processes=processes, collectors=collectors,
                       max_output=max_output_mb * MIB, broker=resolved_broker(broker, broker_password_file),
                       collector_deadline=collector_deadline)
    scan = plan(ScanRequest(live, paths or [], configs=configs, raw=raw, require_manifest=require_manifest,
                            platform=platform, out_dir=out_dir, policy=policy, waivers=waivers, system=system,
                            lang=lang, formats=fmt,
                            max_config_mb=max_config_mb))
    unwritable = preflight(scan.formats)
    earlier = load_trend(history)
    done = run(scan, quiet)
    add_trend(done.result, earlier, out_dir)
    written = write_outputs(done.result, [f for f in scan.formats if f not in unwritable], out_dir, lang,
                            summary=not quiet)
    if done.interrupted:
        err.print("interrupted: the devices collected so far are in the report")
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)      # do not wait for abandoned device threads to time out
    if not written or unwritable:
        raise typer.Exit(EXIT_REPORT_FAILED)


app.command()(catalog)
app.command()(worker)


@app.command()
def report(
    scan_json: Annotated[Path, typer.Argument(help="A scan.json written by mlps scan.")],
    fmt: Annotated[str, format_option("html", "Reports")] = "html",
    out_dir: Annotated[Path, typer.Option("--out", "-o")] = Path("mlps-out"),
    lang: Annotated[Lang, lang_option()] = Lang.zh,
    history: Annotated[Path | None, typer.Option(help="A folder of earlier scan.json files: the report shows the "
                                                 "trend.")] = None,
) -> None:
    """Render reports from a scan.json."""
    from reports import parse_formats
    result = load_scan(scan_json)
    if history is not None:
        add_trend(result, load_trend(history), scan_json)
    try:
        formats = parse_formats(fmt)
    except ValueError as e:
        raise bad_input(f"--format: {e}") from None
    if lang not in ("zh", "en"):
        raise bad_input("--lang: use zh or en")
    prepare_out(out_dir)
    unwritable = preflight(formats)
    if not write_outputs(result, [f for f in formats if f not in unwritable], out_dir, lang) or unwritable:
        raise typer.Exit(EXIT_REPORT_FAILED)


@app.command()
def gate(
    scan_json: Annotated[Path, typer.Argument(help="A scan.json written by mlps scan.")],
    min_score: Annotated[float | None, typer.Option(help="Fail below this overall score (0-100).")] = None,
    max_high_risk: Annotated[int | None, typer.Option(help="Fail above this many high-risk candidates.")] = None,
    max_not_assessed: Annotated[int | None, typer.Option(help="Fail above this many assets not assessed.")] = None,
    fail_on_expired_waivers: Annotated[bool, typer.Option("--fail-on-expired-waivers",
                                                          help="Fail when a waiver has expired.")] = False,
) -> None:
    """CI gate. Exit 0: passed; 1: a condition failed; 2: bad input; 3: internal error."""
    result = load_scan(scan_json)
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
        raise typer.Exit(EXIT_GATE_FAILED)
    out.print(f"gate passed (score {s.overall if s else '—'}, conclusion {s.conclusion if s else '—'})",
              highlight=False)


@app.command("diff")
def diff_cmd(
    old: Annotated[Path, typer.Argument(help="The earlier scan.json.")],
    new: Annotated[Path, typer.Argument(help="The later scan.json.")],
    html: Annotated[Path | None, typer.Option(help="Also write the comparison as HTML.")] = None,
    lang: Annotated[Lang, lang_option()] = Lang.zh,
) -> None:
    """Compare two scans: improved, regressed, appeared, disappeared."""
    from reports.diff import diff, write_diff_html
    d = diff(load_scan(old), load_scan(new))
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


def _under(path: str, folder: Path) -> str:
    try:
        return str(Path(path).relative_to(folder))
    except ValueError:
        return path


@app.command("history")
def history_cmd(
    folder: Annotated[Path, typer.Argument(help="A folder holding earlier scans' scan.json files (any depth).")],
) -> None:
    """Score, high risks and item results per scan over time, oldest first."""
    points = load_trend(folder)
    if not points:
        raise bad_input(f"{folder}: no scan.json found")
    t = Table(title=f"{len(points)} scans")
    for col in ("date", "score", "conclusion", "high risks", "assets (assessed)", "符合", "部分符合", "不符合",
                "需人工核查", "scan.json"):
        t.add_column(col, overflow="fold")
    prev = None
    for p in points:
        delta = "" if prev is None or p.score is None or prev.score is None else f" ({p.score - prev.score:+.2f})"
        t.add_row(p.started_at.strftime("%Y-%m-%d %H:%M"), ("—" if p.score is None else f"{p.score:.2f}") + delta,
                  p.conclusion or "无法评分", str(p.high_risks), f"{p.assets} ({p.assessed})",
                  *(str(p.items.get(k, 0)) for k in ("compliant", "partial", "noncompliant", "manual")),
                  escape(_under(p.source, folder)))
        prev = p
    out.print(t)


app.command()(discover)
app.command()(demo)


@app.command()
def version() -> None:
    """Print the version."""
    out.print(f"mlps-scanner {__version__}")


def _print_version(value: bool) -> None:
    if value:
        out.print(f"mlps-scanner {__version__}")
        raise typer.Exit()


@app.callback()
def _root(show_version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                                     help="Print the version and exit.")] = False) -> None:
    """mlps-scanner: MLPS 2.0 Level 3 (等保三级) gap assessment of network devices and servers."""


def main() -> None:
    from scanner.memtune import limit_malloc_arenas
    limit_malloc_arenas()           # before any thread: a scan keeps hundreds of collecting threads
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
        sys.exit(EXIT_INTERRUPTED)
    except Exception as e:  # an internal error: one line, not a traceback, unless MLPS_DEBUG is set; exit 3, never
        if os.environ.get("MLPS_DEBUG"):     # the 1 of a failed gate
            raise
        err.print(f"[bold red]internal error:[/] {escape(f'{type(e).__name__}: {e}')} (set MLPS_DEBUG=1 for details)",
                  highlight=False)
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
