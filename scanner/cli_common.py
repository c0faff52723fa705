"""What every `mlps` command prints with: the consoles, the exit codes, bad input, the summary table, the report
writer's messages and the live scan's progress bar."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from scanner.model import ITEM_RESULT_ZH, AssetStatus, ItemResult, ScanResult
from scanner.runner import AssetEvent, Event, Processor

if TYPE_CHECKING:
    from scanner.scanjob import ScanOutcome, ScanPlan, ScanRequest

# Captured output (CI logs, pipes) gets a wide console so asset names are not cut.
out = Console() if sys.stdout.isatty() else Console(width=160)
err = Console(stderr=True)

EXIT_OK, EXIT_BAD_INPUT, EXIT_REPORT_FAILED = 0, 2, 3


def bad_input(message: str) -> typer.Exit:
    # The message may quote an operator's file (asset names, keys): print it as text, never as rich markup.
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(EXIT_BAD_INPUT)


def warn_plugins(plugins) -> None:
    for p in plugins:
        if p.status != "ok":
            err.print(f"[yellow]warning:[/] plug-in {escape(p.name)} ({escape(p.distribution)} {escape(p.version)}) "
                      f"is broken, its checks are not run: {escape(p.message)}", highlight=False, soft_wrap=True)


def prepare_out(out_dir: Path) -> None:
    from scanner.scanjob import ScanInputError, prepare_out as make_out_dir
    try:
        make_out_dir(out_dir)
    except ScanInputError as e:
        raise bad_input(str(e)) from None


def write_outputs(result: ScanResult, formats: list[str], out_dir: Path, lang: str, summary: bool = False) -> bool:
    """Write every format; False when one or more could not be written (each named on stderr)."""
    from reports import FORMATS, RenderError, render
    try:
        paths, failed = render(result, formats, out_dir, lang), {}
    except RenderError as e:
        paths, failed = e.written, e.failed
    if summary:
        print_summary(result)
    if paths:
        out.print("wrote " + ", ".join(shown(str(p)) for p in paths), highlight=False)
    for fmt, why in failed.items():
        err.print(f"[bold red]error:[/] {fmt} report not written ({shown(str(out_dir / FORMATS[fmt]))}): {shown(why)}",
                  highlight=False)
    return not failed


def load_scan(path: Path) -> ScanResult:
    from pydantic import ValidationError
    try:
        return ScanResult.model_validate_json(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise bad_input(f"{path}: cannot read ({e.strerror})") from None
    except ValidationError as e:
        first = e.errors()[0]
        raise bad_input(f"{path}: not a scan.json of this version (field '{'.'.join(map(str, first['loc']))}': "
                        f"{first['msg']})") from None


class ConsoleProgress(Processor):
    """The live scan's progress bar on stderr; a device counts once collected or failed (its assessment follows
    with everyone's, after collection)."""

    def __init__(self, total: int, quiet: bool) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
        self.progress = Progress(TextColumn("[bold]live scan"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                 TextColumn("{task.fields[current]}"), console=err, disable=quiet, transient=True)
        self.task = self.progress.add_task("scan", total=total, current="")

    def __enter__(self) -> ConsoleProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()

    def on_event(self, event: Event) -> None:
        if isinstance(event, AssetEvent):
            if event.state in ("collected", "failed"):
                self.progress.advance(self.task)
            self.progress.update(self.task, current=f"{event.name}: {event.state} {event.detail}".strip())


def plan(request: ScanRequest) -> ScanPlan:
    """The scan's plan, or exit 2 naming the bad option or file; broken plug-ins are named now, before scanning."""
    from scanner.scanjob import ScanInputError, plan_scan
    try:
        scan = plan_scan(request)
    except ScanInputError as e:
        raise bad_input(str(e)) from None
    warn_plugins(scan.ctx.plugins)
    for line in scan.inventory.skipped if scan.inventory is not None else ():
        err.print(f"[yellow]skipped:[/] {escape(line)}", highlight=False, soft_wrap=True)
    return scan


def run(scan: ScanPlan, quiet: bool) -> ScanOutcome:
    """Run the plan; a live scan shows its progress on stderr."""
    if scan.inventory is None:
        done = scan.run()
    else:
        with ConsoleProgress(len(scan.inventory.assets), quiet) as progress:
            try:
                done = scan.run([progress])
            except KeyboardInterrupt:     # only if the interrupt came outside the runner
                raise typer.Exit(130) from None
    if done.unverified:
        err.print(f"[yellow]warning:[/] {done.unverified} capture(s) without a manifest were assessed unverified "
                  "(--require-manifest refuses them)", highlight=False)
    return done


SUMMARY_ROWS_MAX = 50      # above this, one row per platform: a 1 000-row console table helps nobody


def shown(device_text: str) -> str:
    """Device text for the console: no rich markup, no terminal escape sequence."""
    from reports.safe import clean_text
    return escape(clean_text(device_text))


def print_unread(result: ScanResult) -> None:
    """Lines the parsers left unread where checks look: per asset when there are any, and the total."""
    unread = [a for a in result.assets if a.parse and a.parse.unrecognized_count]
    for a in unread[:SUMMARY_ROWS_MAX]:
        stanzas = Counter(u.stanza for u in a.parse.unrecognized)
        out.print(f"  {shown(a.name)}: {a.parse.unrecognized_count} unrecognised line(s) ("
                  + ", ".join(f"{s} {n}" for s, n in stanzas.most_common()) + ")", highlight=False)
    if len(unread) > SUMMARY_ROWS_MAX:
        out.print(f"  ... and {len(unread) - SUMMARY_ROWS_MAX} more assets with unrecognised lines", highlight=False)
    total = sum(a.parse.unrecognized_count for a in unread)
    out.print(f"unrecognised lines: {total} in {len(unread)} asset(s)"
              + ("; checks reading their stanzas give manual review, never a pass (scan.json parse.unrecognized)"
                 if total else ""), highlight=False)


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
            t.add_row(shown(a.name), a.platform, status, str(c[ItemResult.COMPLIANT]), str(c[ItemResult.PARTIAL]),
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
        out.print(f"  [red]{shown(a.name)}[/]: {shown(a.reason or '')}", highlight=False)
    if len(errors) > SUMMARY_ROWS_MAX:
        out.print(f"  ... and {len(errors) - SUMMARY_ROWS_MAX} more not assessed (see scan.json or report.html)",
                  highlight=False)
    print_unread(result)
    basis = Counter(f.basis for a in result.assets for f in a.findings if f.status.value in ("pass", "fail"))
    out.print(f"verdicts: {basis['config']} on configuration lines, {basis['default']} on release defaults, "
              f"{basis['live']} on live status", highlight=False)
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
