"""Zone collectors on Celery: the broker, the task and what crosses it.

A Level-3 network is cut into zones the scanning machine cannot all reach. `mlps worker --zone Z` runs on a
collector inside zone Z and consumes the queue `mlps.zone.Z`; `mlps scan --broker` (scanner/zonerunner.py) sends one
task per asset to its zone's queue. A task carries the asset as the inventory declares it and its credential
*references* (env, file, keyring), never a secret: the collector resolves them on its own machine, collects,
redacts, and returns the capture in the `--save-raw` format (files with their SHA-256 manifest, naming the
collector). The centre assesses it through the same path as `--raw`.

Delivery: late acknowledgement (`acks_late`), a task whose worker dies goes back to the queue
(`reject_on_worker_lost`; RabbitMQ requeues what a closed connection left unacknowledged), one message prefetched
per worker thread. Everything on the wire is JSON (no pickle from the broker).
"""
from __future__ import annotations

import base64
import os
import zlib
from urllib.parse import quote, urlsplit, urlunsplit

from scanner.errors import ReasonCode

TASK = "mlps.collect"
QUEUE_PREFIX = "mlps.zone."
DEFAULT_ZONE = "default"        # assets without a zone go to mlps.zone.default
PASSWORD_ENV = "MLPS_BROKER_PASSWORD"
CA_ENV = "MLPS_BROKER_CA"       # PEM file of the private CA that signed an amqps:// broker's certificate
WIRE_VERSION = 2                 # 2: a capture's files travel zlib-compressed


class BrokerError(Exception):
    """A broker setting that cannot be used (the CLI exits 2 and names the option)."""


def zone_of(asset) -> str:
    return asset.zone or DEFAULT_ZONE


def queue_of(zone: str) -> str:
    return QUEUE_PREFIX + zone


def broker_url(url: str, password_file: str | None = None, password_env: str = PASSWORD_ENV) -> str:
    """The broker URL with its password put in from a 0600 file or the environment: a password written in the URL
    would be on the command line (ps, shell history, CI logs), so it is refused."""
    from scanner.secretrefs import SecretError, owner_only_file
    try:
        parts = urlsplit(url)
    except ValueError as e:
        raise BrokerError(f"--broker: not a URL ({e})") from None
    if parts.scheme not in ("amqp", "amqps"):
        # RabbitMQ only: the runner asks the broker how many collectors consume a zone's queue, and a collector
        # that dies hands its tasks back at once when its connection drops; Redis gives neither
        raise BrokerError(f"--broker: scheme must be amqp:// or amqps:// (RabbitMQ), not {parts.scheme!r}")
    if parts.scheme == "amqps":
        _check_ca()
    if parts.password is not None:
        raise BrokerError(f"--broker: the URL holds a password; give it in ${password_env} or --broker-password-file "
                          "instead (a command line is visible to every user and in logs)")
    password = None
    if password_file:
        try:
            password = owner_only_file(password_file, "broker password file").read_text(encoding="utf-8").strip()
        except (SecretError, OSError, UnicodeDecodeError) as e:
            raise BrokerError(f"--broker-password-file: {e}") from None
    elif os.environ.get(password_env):
        password = os.environ[password_env]
    if password is None:
        return url
    user = quote(parts.username or "", safe="")
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    netloc = f"{user}:{quote(password, safe='')}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _check_ca() -> None:
    """The CA file an amqps:// broker is verified with, when one is set, must load (else no connection could
    ever be verified: bad input, named, rather than a collector retrying for ever)."""
    import ssl
    ca = os.environ.get(CA_ENV)
    if not ca:
        return
    try:
        ssl.create_default_context(cafile=ca)
    except (OSError, ssl.SSLError) as e:
        raise BrokerError(f"${CA_ENV}: {ca!r} is not a readable PEM certificate file ({e})") from None


def shown_url(url: str) -> str:
    """The URL as logs may show it: no password."""
    p = urlsplit(url)
    if p.password is None:
        return url
    return url.replace(f":{p.password}@", ":***@", 1)


def make_app(url: str, centre: bool = False):
    """A Celery app for one broker (built when asked, never at import). Results come back over the broker itself:
    a collector's `rpc://` backend publishes each result to the queue its task names as reply-to, the scan's own
    (scanner/zonerunner.py consumes it), so a second scan never reads the first one's results. The centre's app has
    no result backend of its own: Celery's would declare its reply queue before every task sent, retrying for ever
    once the broker is gone."""
    try:
        from celery import Celery
    except ImportError:
        raise BrokerError("zone collectors need Celery: pip install 'mlps-scanner[zones]'") from None
    app = Celery("mlps", broker=url, backend="disabled" if centre else "rpc://", set_as_current=False)
    if url.startswith("amqps://"):
        # TLS: the broker's certificate is verified (against MLPS_BROKER_CA, else the system's CAs) and so is its
        # name: server_hostname None makes kombu check the URL's host against the certificate
        import ssl
        ca = os.environ.get(CA_ENV)
        app.conf.broker_use_ssl = {"cert_reqs": ssl.CERT_REQUIRED, "server_hostname": None,
                                   **({"ca_certs": ca} if ca else {})}
    app.conf.update(
        task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
        task_serializer="json", result_serializer="json", accept_content=["json"], result_accept_content=["json"],
        task_create_missing_queues=True, broker_connection_retry_on_startup=True, worker_hijack_root_logger=False,
        worker_redirect_stdouts=False, worker_enable_remote_control=False, task_track_started=False, result_persistent=False, broker_heartbeat=30)
    return app


# ---------------------------------------------------------------------------------------------- the task's body

def task_payload(asset, inv, opts, scan_id: str, run_key: bytes) -> dict:
    """What the centre sends for one asset: the inventory entry, the credential references it and its jump hosts
    name (references only: a SecretRef holds a variable name, a file path or a keyring entry), the scan's
    timeouts, the scan id, and the key that makes secret fingerprints comparable across collectors."""
    names = {asset.credentials} | {h.credentials for h in getattr(asset, "jump", ())}
    creds = {n: inv.credentials[n].model_dump(mode="json", exclude_none=True) for n in sorted(names - {None})
             if n in inv.credentials}
    return {"v": WIRE_VERSION, "scan": scan_id, "key": run_key.hex(), "asset": asset.model_dump(mode="json"),
            "credentials": creds,
            "options": {"connect_timeout": opts.connect_timeout, "command_timeout": opts.command_timeout,
                        "retries": opts.retries, "max_output": opts.max_output}}


def pack_files(files: dict[str, bytes]) -> dict[str, str]:
    """A capture's files (scanner.transport.replay.capture_files) as JSON can carry them: each compressed (zlib, its
    fastest level: a configuration shrinks about tenfold, so the broker and the centre move a tenth of the bytes)
    and base64-encoded."""
    return {name: base64.b64encode(zlib.compress(data, 1)).decode("ascii") for name, data in sorted(files.items())}


def unpack_files(files: dict) -> dict[str, bytes]:
    """A capture's files as the collector sent them, decoded in memory; their names are checked like any saved
    capture's (a plain, safe file name), and no file may expand past what a saved capture may hold."""
    from scanner.transport.replay import MAX_OUTPUT_BYTES, RawFormatError, safe_name
    if not isinstance(files, dict) or not files:
        raise RawFormatError("the collector's answer holds no capture files")
    out = {}
    for name, data in files.items():
        if not isinstance(name, str) or safe_name(name) != name or name in (".", ".."):
            raise RawFormatError(f"the collector's answer names an unsafe file {name!r}", ReasonCode.UNSAFE_PATH)
        try:
            z = zlib.decompressobj()
            out[name] = z.decompress(base64.b64decode(data, validate=True), MAX_OUTPUT_BYTES)
            whole = z.eof and not z.unconsumed_tail and not z.unused_data
        except (ValueError, TypeError, zlib.error):
            raise RawFormatError(f"the collector's answer has an undecodable file {name!r}") from None
        if not whole:
            raise RawFormatError(f"the collector's answer has a file {name!r} that is cut short or expands past "
                                 f"{MAX_OUTPUT_BYTES} bytes", ReasonCode.TOO_LARGE if z.unconsumed_tail else
                                 ReasonCode.RAW_FORMAT)
    return out
