"""The secrets corpus: every place each platform can carry a secret, planted with a unique value
(tests/fixtures/secrets/SECRETS.yaml). No value may reach any report format, scan.json or a saved raw capture;
redaction replaces the value and nothing else (keywords stay), and keeps the traits the verdicts need.
"""
from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from scanner import platforms
from scanner.live import redacted
from scanner.platforms.base import MASK
from scanner.transport.replay import Capture, read_capture, write_capture

from conftest import FIXTURES, run_mlps

CORPUS = FIXTURES / "secrets"
MANIFEST: dict[str, list[dict]] = yaml.safe_load((CORPUS / "SECRETS.yaml").read_text(encoding="utf-8"))
PLATFORMS = ["huawei_vrp", "hp_comware", "cisco_ios", "linux"]
TOKEN = re.compile(r"Zq7sec[A-Z]\d\dx")
MARKER = r"\{MLPS-REDACTED/[^{}\s]*\}"
FORMATS = "json,html,pdf,xlsx,junit,sarif,codequality,fix"


def needles(platform: str) -> set[str]:
    """Everything that must never be written: each value, its decoded form, and the unique token inside."""
    out: set[str] = set()
    for e in MANIFEST[platform]:
        out.add(e["value"])
        if e.get("plain"):
            out.add(e["plain"])
        out.update(TOKEN.findall(e["value"]) + TOKEN.findall(e.get("plain", "")))
    return out


def corpus_files(platform: str) -> list[Path]:
    return sorted(p for p in (CORPUS / platform).rglob("*") if p.is_file() and p.name != "device.yaml")


def captures(platform: str) -> list[Capture]:
    """The corpus as the collector would hold it before saving: one Capture per device."""
    if platform == "linux":
        return [read_capture(d) for d in sorted((CORPUS / "linux").iterdir()) if d.is_dir()]
    command = platforms.get(platform).session.commands["config"]
    return [Capture(p.stem, platform, "192.0.2.1", {"config": p.read_text(encoding="utf-8")}, {"config": command},
                    {"config": "ok"}) for p in sorted((CORPUS / platform).glob("*.cfg"))]


def leaks(texts: dict[str, str], platform: str) -> list[str]:
    return sorted(f"{name}: {n}" for name, text in texts.items() for n in needles(platform) if n in text)


def expected_line(line: str, values: list[str], replacement: str) -> re.Pattern[str]:
    """`line` with each planted value replaced by `replacement` (a regex) and every other character kept."""
    if not values:
        return re.compile(re.escape(line))
    parts = re.split("|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)), line)
    return re.compile(replacement.join(re.escape(p) for p in parts))


def values_on(platform: str, line: str) -> list[str]:
    return [e["value"] for e in MANIFEST[platform] if e["value"] in line]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_manifest_lists_every_planted_secret(platform):
    entries = MANIFEST[platform]
    assert len(entries) >= 25, "the corpus should cover dozens of places per platform"
    values = [e["value"] for e in entries]
    assert len(values) == len(set(values)), "planted values must be unique"
    text = {p: p.read_text(encoding="utf-8") for p in corpus_files(platform)}
    listed = {t for v in values for t in TOKEN.findall(v)}
    found = {t for body in text.values() for t in TOKEN.findall(body)}
    assert found == listed, f"tokens in the corpus but not in SECRETS.yaml: {sorted(found - listed)}; " \
                            f"listed but absent: {sorted(listed - found)}"
    for e in entries:
        body = text[CORPUS / e["file"]]
        line = next(ln for ln in body.split("\n") if e["value"] in ln)
        placeholder = re.search(r"<[A-Z0-9]+>", e["syntax"]).group(0)
        assert line.strip().replace(e["value"], placeholder) == e["syntax"], e["value"]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_saved_raw_redacts_each_secret_and_nothing_else(platform):
    """`--save-raw` (live.redacted) replaces exactly the planted values by a marker: keywords such as `vrf`,
    `authentication-mode`, `version 2c`, `plain` and the text after the value stay as they were."""
    wrong = []
    for cap in captures(platform):
        red = redacted(cap)
        for key, text in cap.outputs.items():
            for orig, new in zip(text.split("\n"), red.outputs[key].split("\n"), strict=True):
                if not expected_line(orig, values_on(platform, orig), MARKER).fullmatch(new):
                    wrong.append(f"{cap.name}/{key}: {orig!r} -> {new!r}")
    assert not wrong, f"{len(wrong)} lines redacted wrongly:\n" + "\n".join(wrong)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_evidence_mask_hides_each_secret_and_nothing_else(platform):
    """The mask applied to every evidence line in reports: the same places, `******` instead of a marker."""
    mask = platforms.get(platform).mask
    wrong = []
    for path in corpus_files(platform):
        for orig in path.read_text(encoding="utf-8").split("\n"):
            new = mask(orig)
            if not expected_line(orig, values_on(platform, orig), re.escape(MASK)).fullmatch(new):
                wrong.append(f"{path.name}: {orig!r} -> {new!r}")
    assert not wrong, f"{len(wrong)} lines masked wrongly:\n" + "\n".join(wrong)


def _outputs(out: Path) -> dict[str, str]:
    texts = {f.name: f.read_text(encoding="utf-8", errors="replace")
             for f in out.iterdir() if f.suffix in (".json", ".html", ".xml", ".sarif")}
    pdf = subprocess.run(["pdftotext", str(out / "report.pdf"), "-"], capture_output=True, text=True, check=True)
    texts["report.pdf"] = pdf.stdout
    texts |= {f"fix/{f.name}": f.read_text(encoding="utf-8") for f in (out / "fix").glob("*.txt")}
    with zipfile.ZipFile(out / "report.xlsx") as z:
        texts["report.xlsx"] = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    assert {"scan.json", "report.html", "report.pdf", "report.xlsx"} <= set(texts) and len(texts) >= 7, sorted(texts)
    return texts


def _scan(*args: str, out: Path) -> dict[str, str]:
    r = run_mlps("scan", *args, "--out", str(out), "--format", FORMATS)
    assert r.returncode in (0, 1), r.stderr            # 1: findings, as every corpus device has some
    return _outputs(out) | {"console": r.stdout + r.stderr}


def _verdicts(scan_json: str) -> dict:
    from scanner.model import ScanResult
    res = ScanResult.model_validate_json(scan_json)
    return {a.name: (a.status, {c.id: c.result for c in a.controls}, sorted((f.check, f.status) for f in a.findings))
            for a in res.assets}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_no_planted_secret_in_any_output(platform, tmp_path):
    """Scan the corpus through every format, save it as `--save-raw` would, scan the saved capture through every
    format again: no planted value anywhere, and the saved capture gives the same verdicts (traits kept)."""
    caps = captures(platform)
    if platform == "linux":
        direct = _scan("--raw", str(CORPUS / "linux"), out=tmp_path / "direct")
    else:
        direct = _scan("--configs", *(str(p) for p in sorted((CORPUS / platform).glob("*.cfg"))),
                       "--platform", platform, out=tmp_path / "direct")
    raw = tmp_path / "raw"
    for cap in caps:
        write_capture(raw, redacted(cap))
    saved = {str(p.relative_to(raw)): p.read_text(encoding="utf-8") for p in raw.rglob("*") if p.is_file()}
    rescanned = _scan("--raw", str(raw), out=tmp_path / "rescan")
    found = leaks({f"direct/{k}": v for k, v in direct.items()} | {f"raw/{k}": v for k, v in saved.items()}
                  | {f"rescan/{k}": v for k, v in rescanned.items()}, platform)
    assert not found, f"{len(found)} leaks:\n" + "\n".join(found)
    assert _verdicts(direct["scan.json"]) == _verdicts(rescanned["scan.json"])
    assert all(a[0].value == "assessed" for a in _verdicts(direct["scan.json"]).values())


@pytest.mark.parametrize("platform", PLATFORMS)
def test_parsers_keep_traits_not_secrets(platform):
    """Facts hold what checks need (traits, fingerprints), never a planted value."""
    if platform == "linux":
        from scanner.platforms import linux
        facts = [linux.parse(cap.outputs) for cap in captures(platform)]
    else:
        plat = platforms.get(platform)
        facts = [plat.parse_config(cap.outputs["config"].split("\n")) for cap in captures(platform)]
    found = leaks({f"facts {i}": repr(f) for i, f in enumerate(facts)}, platform)
    assert not found, f"{len(found)} secrets in parsed facts:\n" + "\n".join(found)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_secret_syntax_has_a_corpus_example(platform):
    """The maskers' tables (SECRET_SYNTAXES) and the corpus grow together: each syntax masks some planted value."""
    import importlib
    table = importlib.import_module(f"scanner.platforms.{platform}").SECRET_SYNTAXES
    lines = [ln for p in corpus_files(platform) for ln in p.read_text(encoding="utf-8").split("\n")]
    values = {e["value"] for e in MANIFEST[platform]}
    unused = [name for name, pattern in table.items()
              if not any(m.group("secret") in values for ln in lines
                         for m in re.finditer(pattern, ln, re.IGNORECASE))]
    assert not unused, f"syntaxes with no example in tests/fixtures/secrets/{platform}: {unused}"


@pytest.mark.parametrize("platform", ["huawei_vrp", "hp_comware", "cisco_ios"])
def test_redaction_keeps_password_traits(platform):
    """Parsing the saved (redacted) config gives each account the traits the original gave it."""
    plat = platforms.get(platform)

    def traits(text: str) -> list:
        dev = plat.parse_config(text.split("\n"))
        users = dev.users + ([dev.enable_secret] if dev.enable_secret else [])
        return [(u.name, u.storage, u.password_traits and (u.password_traits.length, u.password_traits.common,
                                                           u.password_traits.equals_name)) for u in users]
    caps = list(captures(platform))
    assert caps
    for cap in caps:
        before = traits(cap.outputs["config"])
        assert before and before == traits(redacted(cap).outputs["config"]), cap.name


def _planted_lines(platform: str) -> list[tuple[str, str]]:
    """(line, value) for each manifest entry: the corpus line that holds the value."""
    out = []
    for e in MANIFEST[platform]:
        body = (CORPUS / e["file"]).read_text(encoding="utf-8")
        out.append((next(ln for ln in body.split("\n") if e["value"] in ln), e["value"]))
    return out


_SECRET_CHARS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789!#%&*+-=_.~^,"


@pytest.mark.parametrize("platform", PLATFORMS)
def test_any_secret_in_any_planted_place_is_redacted(platform):
    """Property: whatever the value (letters, digits, symbols), each planted place hides it and keeps the rest."""
    from hypothesis import HealthCheck, given, settings, strategies as st

    from scanner.secrets import redact_lines
    plat = platforms.get(platform)
    places = _planted_lines(platform)
    from scanner.platforms.base import SYNTAX_WORDS
    # A value that is itself a keyword (a key literally "hmac-sm3") cannot be told from syntax: out of scope.
    keywords = {*SYNTAX_WORDS, "aes", "tkip", "aes-tkip", "chain", "config-key", "encryption"}
    secret_st = st.text(_SECRET_CHARS, min_size=8, max_size=40).filter(
        lambda s: any(c.isalpha() for c in s) and any(c.isdigit() for c in s) and s[0] not in "!*"
        and s.lower() not in keywords)

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(place=st.sampled_from(places), secret=secret_st)
    def check(place, secret):
        line = place[0].replace(place[1], secret)
        values = [secret] + [v for v in values_on(platform, place[0]) if v != place[1]]
        red = redact_lines([line], plat.mask.replace, plat.decode_secret)[0]
        assert expected_line(line, values, MARKER).fullmatch(red), (line, red)
        assert expected_line(line, values, re.escape(MASK)).fullmatch(plat.mask(line)), line
    check()


@pytest.mark.parametrize("platform", ["huawei_vrp", "hp_comware", "cisco_ios"])
def test_redaction_keeps_saved_snmp_json_parseable(platform):
    """`--save-raw` redacts every output, the SNMP one too (JSON, one value a line): a masker may hide a word
    after `simple`/`password`/`key 7` in a sysContact, but must not swallow the closing quote and comma."""
    import json

    from scanner.secrets import redact_lines
    plat = platforms.get(platform)
    data = {"sysContact": "noc, simple escalation", "sysLocation": "rack 3 key 7 cabinet", "sysName": "plain sw1",
            "ifAlias": ["uplink password AbC123x", "backup sftp://bak:Pw9x@10.0.0.9/"], "sysDescr": "cipher suite Y"}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0)
    red = "\n".join(redact_lines(text.split("\n"), plat.mask.replace, plat.decode_secret))
    assert json.loads(red).keys() == data.keys()
    assert "Pw9x" not in red


def test_masker_needs_a_literal_hint_and_never_silently_runs_every_pattern_on_every_line():
    """A masker used to combine its patterns into one prefilter and, when they could not be combined (a `(?i)`
    inside one of them on Python 3.11), silently fell back to a prefilter matching every line. Every masker now
    names the literal words its secret lines hold; one without them is refused where it is built."""
    from scanner.platforms.base import Masker
    with pytest.raises(TypeError):
        Masker([r"(?i)\bpassword=(?P<secret>\S+)"])
    m = Masker([r"(?i)\bpassword=(?P<secret>\S+)"], "password")
    assert m("PASSWORD=Zq7secA01x") == "PASSWORD=" + MASK and m("interface GigabitEthernet0/0/1") == \
        "interface GigabitEthernet0/0/1"
