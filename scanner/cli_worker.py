"""`mlps worker --zone Z --broker URL`: a zone collector (scanner/zoneworker.py), and the broker options `mlps scan`
shares with it."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from scanner.cli_common import bad_input

BROKER_HELP = ("Broker URL of the zone collectors, without password (amqp://mlps@host:5672//); the password comes "
               "from $MLPS_BROKER_PASSWORD or --broker-password-file.")
BrokerOption = Annotated[str | None, typer.Option("--broker", help=BROKER_HELP)]
PasswordFileOption = Annotated[Path | None, typer.Option("--broker-password-file",
                                                         help="A 0600 file holding the broker password.")]
DeadlineOption = Annotated[float, typer.Option(min=1, help="With --broker: seconds a zone may be without a collector "
                                                          "before its devices are no_collector.")]


def resolved_broker(url: str | None, password_file: Path | None) -> str | None:
    """The broker URL with its password, or exit 2 naming the option."""
    from scanner.distributed import BrokerError, broker_url
    if url is None:
        if password_file is not None:
            raise bad_input("--broker-password-file needs --broker")
        return None
    try:
        return broker_url(url, str(password_file) if password_file else None)
    except BrokerError as e:
        raise bad_input(str(e)) from None


def worker(
    zone: Annotated[str, typer.Option("--zone", help="The zone this collector serves (consumes queue "
                                      "mlps.zone.ZONE).")],
    broker: Annotated[str, typer.Option("--broker", help=BROKER_HELP)],
    broker_password_file: PasswordFileOption = None,
    known_hosts: Annotated[Path | None, typer.Option("--known-hosts", help="SSH known-hosts file of this "
                                                     "collector.")] = None,
    trust_new_hosts: Annotated[bool, typer.Option("--trust-new-hosts", help="Record keys of hosts seen for the "
                                                  "first time (a changed key still stops the device).")] = False,
    threads: Annotated[int, typer.Option(min=1, max=1024, help="Devices collected at once.")] = 64,
) -> None:
    """Run a zone collector: take the zone's tasks from the broker, collect with this machine's secrets, send back
    redacted captures. Stop with Ctrl-C or SIGTERM (tasks in progress go back to the queue)."""
    from scanner.addresses import printable_name
    from scanner.scanjob import default_known_hosts
    from scanner.zoneworker import run_worker
    try:
        printable_name(zone)
    except ValueError as e:
        raise bad_input(f"--zone: {e}") from None
    url = resolved_broker(broker, broker_password_file)
    run_worker(zone, url, known_hosts or default_known_hosts(), trust_new_hosts, threads, say=_say)


def _say(line: str) -> None:
    """One line of the worker's log, as it is (two a device: rich's rendering cost more than the line's task)."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()
