"""`mlps lab up|down|status` and `mlps demo`: the device simulator on 127.0.0.1."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from scanner.cli_common import (EXIT_REPORT_FAILED, Lang, bad_input, format_option, lang_option, out, plan,
                                preflight, run, write_outputs)

lab_app = typer.Typer(no_args_is_help=True, help="The device simulator (a demo and test lab on 127.0.0.1).")


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
    if spec is None:            # the packaged lab: an inventory that needs no set-up, credentials in 0600 files
        inv = lab.write_lab_inventory(lab.DEFAULT_STATE)
        out.print(f"scan it: mlps scan {inv} --trust-new-hosts -o lab-out", highlight=False)


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


DEMO_FORMATS = "json,html,pdf,xlsx,junit,sarif,fix"


def demo(out_dir: Annotated[Path, typer.Option("--out", "-o")] = Path("demo-out"),
         lang: Annotated[Lang, lang_option()] = Lang.zh,
         fmt: Annotated[str, format_option(DEMO_FORMATS)] = DEMO_FORMATS
         ) -> None:
    """Lab up, scan it live (saving raw outputs), write the report, lab down."""
    from scanner import lab
    from scanner.live import LiveOptions
    from scanner.scanjob import ScanRequest
    for var, value in _lab_secrets().items():       # the lab's own throwaway credentials
        os.environ.setdefault(var, value)
    live = LiveOptions(known_hosts=out_dir / "known_hosts", trust_new_hosts=True, save_raw=out_dir / "raw")
    scan = plan(ScanRequest(live, [lab.DEFAULT_INVENTORY], out_dir=out_dir, lang=lang, formats=fmt))
    unwritable = preflight(scan.formats)
    try:                                             # broken checks and bad options stop above, before the lab starts
        lab.up()
    except (lab.LabError, OSError) as e:
        raise bad_input(f"lab: {e}") from None
    try:
        written = write_outputs(run(scan, quiet=False).result, [f for f in scan.formats if f not in unwritable],
                                out_dir, lang, summary=True)
    finally:
        lab.down()
    if not written or unwritable:
        raise typer.Exit(EXIT_REPORT_FAILED)


def _lab_secrets() -> dict[str, str]:
    from scanner.lab import lab_secrets
    return lab_secrets()
