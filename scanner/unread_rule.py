"""The never-pass rule for unread lines (issue 9): a check that reads a fact fed by a stanza holding a line the
parser did not recognise cannot vouch for the whole stanza, so a pass becomes manual review (需人工核查) whose
evidence names the unread lines. Failures stand: the lines read already prove them. Platform-neutral: the stanza
-> facts table is scanner.platforms.network.STANZA_FACTS."""
from __future__ import annotations

from collections.abc import Sequence

from scanner.checkkit import Check, Facts, Verdict
from scanner.facts import UnreadLine
from scanner.model import CheckStatus, ParseRecord, UnrecognizedLine
from scanner.platforms.network import STANZA_FACTS

WHOLE_DEVICE = "device_config"      # a check reading the whole device reads every stanza
SHOWN = 5                           # unread lines quoted as evidence per check


def parse_record(unread: Sequence[UnreadLine], facts: Facts) -> ParseRecord:
    """scan.json's `parse` block: each unread line masked as evidence is (the platform's masker and the asset's
    own secret values)."""
    lines = [UnrecognizedLine(stanza=u.stanza, line=u.line, text=facts.note(u.text).text, document=u.document)
             for u in unread]
    return ParseRecord(unrecognized=lines, unrecognized_count=len(lines))


def blocking(check: Check, unread: Sequence[UnreadLine]) -> list[UnreadLine]:
    """The unread lines in stanzas that feed a fact the check reads (`needs` or `uses`)."""
    read = set(check.needs) | set(check.uses)
    if WHOLE_DEVICE in read:
        return list(unread)
    return [u for u in unread if read & set(STANZA_FACTS.get(u.stanza, ()))]


def hold_pass(check: Check, v: Verdict, unread: Sequence[UnreadLine], facts: Facts) -> Verdict:
    """`v`, or manual review when it passes while a stanza it reads holds unread lines."""
    if v.status != CheckStatus.PASS:
        return v
    lines = blocking(check, unread)
    if not lines:
        return v
    where = "、".join(f"{u.stanza} L{u.line}" for u in lines[:SHOWN]) + ("…" if len(lines) > SHOWN else "")
    where_en = ", ".join(f"{u.stanza} line {u.line}" for u in lines[:SHOWN]) + (", ..." if len(lines) > SHOWN else "")
    ev = [e for u in lines[:SHOWN] for e in facts.evidence(u.line, source=u.document)]
    return Verdict(CheckStatus.MANUAL,
                   f"所读配置段中有{len(lines)}行未能识别（{where}），不能据此判定符合，需人工核查；原判定：{v.reason_zh}",
                   f"{len(lines)} unrecognised line(s) in the stanzas this check reads ({where_en}): it cannot pass "
                   f"on them, review by hand; it would have passed: {v.reason_en}",
                   (*v.evidence, *ev))
