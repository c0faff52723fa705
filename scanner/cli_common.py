"""What every `mlps` command prints with: the consoles, the exit codes, bad input, the summary table, the report
writer's messages and the live scan's progress bar."""
from __future__ import annotations

import sys
from collections import Counter
from enum import StrEnum
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

# Exit codes (README "Exit codes"): 0 done, 1 a gate condition failed, 2 bad input, 3 internal error (a bug, or an
# output the tool could not write), 130 interrupted.
EXIT_OK, EXIT_GATE_FAILED, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_REPORT_FAILED = EXIT_INTERNAL


class Lang(StrEnum):
    """Report languages, offered as choices in --help."""
    zh = "zh"
    en = "en"


def _format_names() -> list[str]:
    from reports import FORMATS
    return list(FORMATS)


def complete_formats(incomplete: str) -> list[str]:
    """Shell completion of a comma-separated --format value: the formats not given yet."""
    given, _, last = incomplete.rpartition(",")
    done = set(given.split(",")) if given else set()
    return [f"{given + ',' if given else ''}{f}" for f in _format_names() if f not in done and f.startswith(last)]


def complete_platforms(incomplete: str) -> list[str]:
    from scanner import platforms
    return [p for p in platforms.config_platforms() if p.startswith(incomplete)]


def format_option(default: str, what: str = "Outputs") -> typer.models.OptionInfo:
    """--format: comma-separated choices, listed in --help and completed by the shell."""
    return typer.Option("--format", help=f"{what}, comma-separated, from: {', '.join(_format_names())} "
                        "(scan.json is always written by a scan).", autocompletion=complete_formats)


def lang_option() -> typer.models.OptionInfo:
    return typer.Option("--lang", help="Report language.")


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
        print_summary(result, lang)
    if paths:
        out.print("wrote " + ", ".join(shown(str(p)) for p in paths), highlight=False)
    for fmt, why in failed.items():
        err.print(f"[bold red]error:[/] {fmt} report not written ({shown(str(out_dir / FORMATS[fmt]))}): {shown(why)}",
                  highlight=False)
    return not failed


def preflight(formats: list[str]) -> dict[str, str]:
    """Name each format this machine cannot write (a missing native library or font) and what to install, before
    the scan; the caller writes the others and exits 3."""
    from reports import FORMATS
    from reports.preflight import missing_needs
    missing = missing_needs(formats)
    for fmt, why in missing.items():
        err.print(f"[bold red]error:[/] {fmt} report will not be written ({FORMATS[fmt]}): {escape(why)}",
                  highlight=False, soft_wrap=True)
    return missing


def load_trend(folder: Path | None) -> list:
    """The earlier scans under `folder` (exit 2 if it is not a folder); each unreadable file is named and skipped."""
    if folder is None:
        return []
    from scanner.history import load_history
    try:
        points, skipped = load_history(folder)
    except ValueError as e:
        raise bad_input(f"--history {e}") from None
    for line in skipped:
        err.print(f"[yellow]skipped:[/] {escape(line)}", highlight=False, soft_wrap=True)
    return points


def add_trend(result: ScanResult, earlier: list, source: Path) -> None:
    """Put the earlier scans and this one into the result (the report draws the trend from two scans up)."""
    if earlier:
        from scanner.history import with_current
        result.history = with_current(earlier, result, str(source))


def load_scan(path: Path) -> ScanResult:
    from scanner.history import read_scan
    try:
        return read_scan(path)
    except ValueError as e:
        raise bad_input(str(e)) from None


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


class LineProgress(Processor):
    """Progress off a terminal (CI logs, pipes): one line per device, or per `every` devices in a large scan, with
    the counts so far; a bar redrawn in place would print nothing readable there."""

    def __init__(self, total: int, quiet: bool, every: int | None = None) -> None:
        import threading
        import time
        self.total, self.quiet, self.start, self.clock = total, quiet, time.monotonic(), time.monotonic
        self.every = every or (1 if total <= 50 else max(1, total // 20))
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()

    def __enter__(self) -> LineProgress:
        if not self.quiet:
            err.print(f"live scan: {self.total} device(s)", highlight=False)
        return self

    def __exit__(self, *exc) -> None:
        pass

    def on_event(self, event: Event) -> None:
        if isinstance(event, AssetEvent) and event.state == "zone" and not self.quiet:    # zone collectors
            err.print(f"zone {escape(event.detail)}", highlight=False, soft_wrap=True)
        if not isinstance(event, AssetEvent) or event.state not in ("collected", "failed") or self.quiet:
            return
        with self.lock:
            self.counts[event.state] += 1
            done = sum(self.counts.values())
            if done % self.every and done != self.total:
                return
            last = f" (last: {event.name} {event.state}{' ' + event.detail if event.detail else ''})"
            err.print(f"progress: {done}/{self.total} devices, {self.counts['collected']} collected, "
                      f"{self.counts['failed']} failed, {self.clock() - self.start:.0f} s{escape(last)}",
                      highlight=False, soft_wrap=True)


def progress_for(total: int, quiet: bool) -> ConsoleProgress | LineProgress:
    """A bar on a terminal, lines elsewhere."""
    return ConsoleProgress(total, quiet) if err.is_terminal else LineProgress(total, quiet)


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
        with progress_for(len(scan.inventory.assets), quiet) as progress:
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


# The console summary's column heads and item results per report language (--lang).
SUMMARY_COLUMNS = {"zh": ("符合", "部分", "不符合", "人工", "不适用", "高风险"),
                   "en": ("compliant", "partial", "noncompliant", "manual", "n/a", "high risk")}


def print_summary(result: ScanResult, lang: str = "zh") -> None:
    per_asset = len(result.assets) <= SUMMARY_ROWS_MAX
    t = Table(title=f"MLPS L3 — {len(result.assets)} assets", show_lines=False)
    first = ("asset", "platform", "status") if per_asset else ("platform", "assets", "not assessed")
    for col in (*first, *SUMMARY_COLUMNS.get(lang, SUMMARY_COLUMNS["zh"])):
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
    names = ITEM_RESULT_ZH if lang == "zh" else {r: r.value for r in ItemResult}
    out.print("items: " + ", ".join(f"{names[r]} {sys_counts[r]}" for r in ItemResult if sys_counts[r]),
              highlight=False)
    s = result.score
    if s is not None and s.overall is not None:
        for w in result.waivers:
            if w.status == "expired":
                out.print(f"[bold red]EXPIRED WAIVER[/] #{w.index} {w.scope} ({w.reason}; {w.approver}) expired "
                          f"{w.expires}: its high-risk items count again", highlight=False)
        conclusion = s.conclusion if lang == "zh" else s.conclusion_en
        out.print(f"score {s.overall:.2f} ({s.template} template) -> {conclusion}; covers {s.items_scored} assessed "
                  f"technical items of {s.items_total}, {s.items_manual} manual, {s.items_unassessed} unassessed; "
                  f"{s.unresolved_high_risks} high-risk candidates", highlight=False)
    elif s is not None:
        out.print(f"score: {'无法评分 (no score)' if lang == 'zh' else 'no score'}: no technical item could be assessed ({s.items_unassessed} unassessed, "
                  f"{s.items_manual} manual); no conclusion", highlight=False)
