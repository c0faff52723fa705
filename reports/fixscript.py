"""One fix script per device: the fix commands of its failed checks in its own platform's syntax and release,
with the values the scan already knows filled in (idle ports, the fleet's log and NTP servers, the management sources),
each block commented with the items it serves, wrapped in the platform's enter / leave / save commands
(reports/data/fix_scripts.yaml). Fixes the release cannot run are not given: the script says an upgrade comes
first and stops there. Written as fix/<asset>.txt (`--format fix`) and shown in the report."""
from __future__ import annotations

import ipaddress
import re
from collections import Counter
from functools import cache
from pathlib import Path

from scanner.model import Asset, CheckStatus, Finding, FixKind, ScanResult
from scanner.safeio import write_private
from scanner.textio import load_yaml

DATA = Path(__file__).resolve().parent / "data" / "fix_scripts.yaml"
PLACEHOLDER = re.compile(r"<([^<>\s]+)>")


@cache
def wrappers() -> dict[str, dict]:
    return load_yaml(DATA.read_text(encoding="utf-8")) or {}


def fleet_values(result: ScanResult) -> dict[str, list[str]]:
    """Values every device of the scan shares: the log servers, time sources and management sources the fleet
    already uses (most used first)."""
    logs = Counter(h for a in result.assets if a.fleet for h in a.fleet.syslog_hosts if _remote(h))
    mgmt = Counter(s for a in result.assets if a.fleet for s in a.fleet.mgmt_sources)
    clocks = Counter(h for a in result.assets if a.fleet for h in a.fleet.ntp_hosts if _remote(h))
    values = {}
    if logs:
        values["syslog-server-ip"] = values["syslog-server"] = [h for h, _ in logs.most_common(2)]
    if clocks:
        values["ntp-server-ip"] = [h for h, _ in clocks.most_common(2)]
    if mgmt:
        source = mgmt.most_common(1)[0][0].split()
        if len(source) == 2:                      # "10.1.99.0 0.0.0.255": network and wildcard
            values["mgmt-subnet"], values["wildcard"] = [source[0]], [source[1]]
    return values


def _remote(host: str) -> bool:
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return True                      # a name: the fleet's choice
    return not (ip.is_loopback or ip.is_unspecified)


def fill_values(text: str, values: dict[str, list[str]]) -> str:
    """Known placeholders filled in. A line with a placeholder of several values (idle ports, log servers) is
    repeated once per value, with the indented lines under it (an `interface` view and its `shutdown`)."""
    lines, out, i = text.splitlines(), [], 0
    while i < len(lines):
        end = i + 1
        while end < len(lines) and lines[end][:1] == " " and lines[i][:1] != " ":
            end += 1
        group = lines[i:end]
        many = next((k for k in PLACEHOLDER.findall(lines[i]) if len(values.get(k, ())) > 1), None)
        for value in values[many] if many else [None]:
            for ln in group:
                out += _each(ln.replace(f"<{many}>", value) if many else ln, values)
        i = end
    return "\n".join(out)


def _each(line: str, values: dict[str, list[str]]) -> list[str]:
    """A line inside a view whose placeholder has several values (`aaa` / ` undo local-user <test-account>`),
    once per value."""
    k = next((k for k in PLACEHOLDER.findall(line) if len(values.get(k, ())) > 1), None)
    return [_one(line.replace(f"<{k}>", v), values) for v in values[k]] if k else [_one(line, values)]


def _one(line: str, values: dict[str, list[str]]) -> str:
    return PLACEHOLDER.sub(lambda m: values[m.group(1)][0] if values.get(m.group(1)) else m.group(0), line)


def _block(f: Finding, values: dict[str, list[str]], wrap: dict, lang: str) -> list[str]:
    mark = wrap["comment"]
    head = [f"{mark} [{' '.join(f.controls)}] {f.title_zh} / {f.title_en}", f"{mark}   {f.reason_zh}"] \
        if lang == "zh" else [f"{mark} [{' '.join(f.controls)}] {f.title_en}", f"{mark}   {f.reason_en or f.reason_zh}"]
    body = []
    for line in fill_values(f.remediation or "", values | f.fix_values).splitlines():
        body.append(f"{mark} {line.lstrip('#!').strip()}" if line.lstrip().startswith(("#", "!")) else line)
    return head + _leave_views(body, wrap.get("view_exit"), mark)


def _leave_views(body: list[str], back: str | None, mark: str) -> list[str]:
    """After each run of indented lines (commands inside a view: aaa, user-interface, interface...), the command
    that returns to the configuration view, so the next command pasted runs where it belongs."""
    if not back:
        return body
    out, inside = [], False
    for line in body:
        command = bool(line.strip()) and not line.startswith(mark)
        if command and inside and line[:1] != " ":
            out.append(back)
        if command:
            inside = line[:1] == " "
        out.append(line)
    return out + ([back] if inside else [])


def fix_script(asset: Asset, result: ScanResult, lang: str = "zh") -> str | None:
    """The device's script, or None when it has nothing to fix by configuration (or no script form). Chinese
    scripts carry both languages in their comments; English ones English only."""
    wrap = wrappers().get(asset.platform)
    failed = [f for f in asset.findings if f.status == CheckStatus.FAIL]
    configure = [f for f in failed if f.fix_kind == FixKind.CONFIG and f.remediation]
    upgrade = [f for f in failed if f.fix_kind in (FixKind.FIRMWARE, FixKind.HARDWARE)]
    if wrap is None or not (configure or upgrade):
        return None
    mark, values = wrap["comment"], fleet_values(result)
    out = list(wrap["enter"][:1]) if wrap["enter"] and wrap["enter"][0].startswith("#!") else []
    out += [f"{mark} mlps-scanner fix script for {asset.name} ({asset.platform} {asset.software_version or ''})".rstrip(),
            f"{mark} Review before applying; values in <...> are yours to give (passwords, names).",
            *([f"{mark} 每段注释为其对应的测评项；<...> 为需填写的值（口令、名称等），执行前请复核。"] if lang == "zh" else [])]
    out += [c for c in wrap["enter"] if not c.startswith("#!")]
    for f in configure:
        out += ["", *_block(f, values, wrap, lang)]
    out += ["", *wrap["leave"], *wrap["save"]]
    if upgrade:
        if lang == "zh":
            out += ["", f"{mark} ==== 需先升级/更换，之后的整改请在升级后重新扫描生成 / upgrade first, then rescan ===="]
            out += [f"{mark} [{' '.join(f.controls)}] {f.title_zh}: {f.reason_zh}" for f in upgrade]
        else:
            out += ["", f"{mark} ==== upgrade or replace first, then rescan for the fixes that follow ===="]
            out += [f"{mark} [{' '.join(f.controls)}] {f.title_en}: {f.reason_en or f.reason_zh}" for f in upgrade]
    return "\n".join(out) + "\n"


def write_fix_scripts(result: ScanResult, folder: Path, lang: str = "zh") -> Path:
    """fix/<asset>.txt for each device with something to fix; the folder is replaced, never mixed with old ones."""
    from scanner.transport.replay import safe_name
    folder.mkdir(mode=0o700, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    for a in result.assets:
        script = fix_script(a, result, lang)
        if script:
            write_private(folder / f"{safe_name(a.name)}.txt", script)
    return folder
