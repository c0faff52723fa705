"""Property tests: parsers never crash on arbitrary text; no secret from a config reaches scan.json or report.html."""
from __future__ import annotations

import string
from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings, strategies as st

from reports.html import render_html
from scanner import platforms
from scanner.engine import assess_config_bytes, build_result
from scanner.errors import ReasonCode
from scanner.model import AssetStatus, CheckStatus, ItemResult, ScanResult

from conftest import CONFIGS

CONFIG_WORDS = ["interface", "user-interface", "line", "vty", "0", "4", "con", "local-user", "password", "cipher",
                "simple", "secret", "username", "snmp-agent", "snmp-server", "community", "acl", "rule", "permit",
                "info-center", "loghost", "idle-timeout", "exec-timeout", "protocol", "inbound", "all", "undo", "no",
                "aaa", "transport", "input", "telnet", "ssh", "banner", "motd", "^C", "header", "%", "#", "!",
                "return", "end", "privilege", "level", "15", "password-control", "enable", "version", "7.1.070,",
                "Release", "sysname", "hostname", "usm-user", "v3", "authentication-mode", "privacy-mode", "sha",
                "aes128", "login", "block-for", "attempts", "key", "7", "9", "$9$x", "hash", "irreversible-cipher"]

config_like = st.lists(
    st.tuples(st.sampled_from(["", " ", "  "]),
              st.lists(st.one_of(st.sampled_from(CONFIG_WORDS), st.text(min_size=1, max_size=8)), max_size=8)),
    max_size=60).map(lambda rows: "\n".join(ind + " ".join(ws) for ind, ws in rows))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=3000), config_like))
def test_parsers_never_crash(text):
    lines = text.split("\n")
    for name in platforms.config_platforms():
        plat = platforms.get(name)
        plat.parse_config(lines)
        plat.detect_score(text)
        plat.mask(text)
    platforms.detect(text)
    from scanner.platforms import linux
    linux.parse({k: text for k in linux.SECTIONS})
    linux.split_sections(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=config_like, closed=st.booleans())
def test_whole_pipeline_never_crashes(text, closed, ctx):
    """Any config-like text, detected or forced onto each platform, with or without its closing line: each asset is
    assessed, or not assessed with a reason code; no parser or check crashes; the scan result validates and renders."""
    assets = []
    for plat in (None, "huawei_vrp", "hp_comware", "cisco_ios"):
        end = ("\nend\n" if plat == "cisco_ios" else "\nreturn\n") if closed else ""
        asset = assess_config_bytes((text + end).encode("utf-8", "replace"), ctx, plat, f"fuzz-{plat}", "mem")
        assert asset.reason_code != ReasonCode.PARSE_ERROR, asset.reason
        assert {c.id for c in asset.controls} == {i.id for i in ctx.catalog.items_for(asset.kind)}
        if asset.status == AssetStatus.ERROR:
            assert asset.reason_code is not None and asset.reason, asset
            assert {c.result for c in asset.controls} == {ItemResult.ERROR}
            # a closed configuration forced onto a platform is judged unless it is not text at all
            assert not (closed and plat) or asset.reason_code in (ReasonCode.BINARY, ReasonCode.EMPTY), asset.reason
        else:
            assert asset.status == AssetStatus.ASSESSED and asset.reason_code is None
            crashed = [(f.check, f.reason_en) for f in asset.findings if f.reason_en.startswith("check crashed")]
            assert not crashed
            assert {f.status for f in asset.findings} <= set(CheckStatus) and asset.findings
        assets.append(asset)
    result = build_result(assets, ctx, datetime.now(timezone.utc))
    assert ScanResult.model_validate_json(result.model_dump_json()) == result
    assert [a.name for a in result.assets] == [a.name for a in assets]
    assert "fuzz-cisco_ios" in render_html(result, "en")


SECRET_ALPHABET = string.ascii_letters + string.digits + "@#%&*+=_-"
# Realistic secrets: letters, digits and a symbol, at least 10 long, so that a secret cannot coincide with the
# report's own words (a "secret" such as 'reason_c' would match the JSON key reason_code).
secret_st = st.text(SECRET_ALPHABET, min_size=10, max_size=24).filter(
    lambda s: any(c.isdigit() for c in s) and any(c.isalpha() for c in s) and any(c in "@#%&*+=" for c in s))

TEMPLATES = {
    "cisco_ios": (CONFIGS / "cisco_ios/weak_c2960_15.0.cfg",
                  "username u1 privilege 15 password 0 {s0}\nusername u2 secret 0 {s1}\nenable password {s2}\n"
                  "snmp-server community {s3} RW\nsnmp-server host 10.0.0.9 version 2c {s4}\n"
                  "tacacs-server host 10.0.0.5 key {s5}\nntp authentication-key 1 md5 {s6}\n"),
    "huawei_vrp": (CONFIGS / "huawei_vrp/weak_s5700_v200r005.cfg",
                   "aaa\n local-user u1 password simple {s0}\n local-user u2 password cipher {s1}\n"
                   " local-user u3 password irreversible-cipher {s2}\n#\nsnmp-agent community read {s3}\n"
                   "snmp-agent community write cipher {s4}\n"
                   "snmp-agent usm-user v3 nms authentication-mode sha {s5} privacy-mode aes128 {s6}\n"),
    "hp_comware": (CONFIGS / "hp_comware/weak_s5120_v5.cfg",
                   "local-user u1\n password simple {s0}\n service-type ssh\nlocal-user u2\n password cipher {s1}\n"
                   "local-user u3 class manage\n password hash {s2}\nsnmp-agent community read {s3}\n"
                   "snmp-agent community write simple {s4}\n"
                   "snmp-agent usm-user v3 nms g cipher authentication-mode sha {s5} privacy-mode aes128 {s6}\n"),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(plat=st.sampled_from(sorted(TEMPLATES)), secrets=st.lists(secret_st, min_size=7, max_size=7, unique=True))
def test_no_secret_reaches_any_output(plat, secrets, ctx):
    base_path, snippet = TEMPLATES[plat]
    base = base_path.read_text(encoding="utf-8")
    end = "end" if plat == "cisco_ios" else "return"
    head, _, _ = base.rpartition(end)
    text = head + snippet.format(**{f"s{i}": s for i, s in enumerate(secrets)}) + end + "\n"
    asset = assess_config_bytes(text.encode(), ctx, plat, "dev", "mem")
    assert asset.status == AssetStatus.ASSESSED
    result = build_result([asset], ctx, datetime.now(timezone.utc))
    outputs = result.model_dump_json() + render_html(result, "zh") + render_html(result, "en")
    for s in secrets:
        assert s not in outputs, f"secret {s!r} leaked"
