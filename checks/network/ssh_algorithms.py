"""The SSH server's algorithms, as offered at the scanner's own handshake: 身份鉴别 c) and 数据保密性 a).

A device that still offers SHA-1 key exchange, ssh-rsa signatures, CBC ciphers or MD5/96-bit MACs lets a
downgraded session protect credentials and management data with broken or weak cryptography.
"""
from __future__ import annotations

from scanner.checkkit import Facts, Verdict, check, failed, not_applicable, passed
from scanner.model import Severity
from scanner.policy import Policy
from scanner.transport.sshalgos import is_weak

KINDS = (("kex", "密钥交换", "key exchange"), ("host_key", "主机密钥签名", "host key"),
         ("cipher", "加密算法", "cipher"), ("mac", "完整性校验算法", "MAC"))


@check(id="ssh_algorithms_strong", title_zh="SSH仅提供安全的加密算法", title_en="SSH offers only strong algorithms",
       controls=("8.1.4.1.c", "8.1.4.8.a"), severity=Severity.MEDIUM, needs=(), uses=("ssh_algorithms",))
def _strong(facts: Facts, policy: Policy) -> Verdict:
    if "ssh_algorithms" not in facts:
        return not_applicable("离线配置未经SSH握手，无法得知设备提供的算法（在线扫描时判定）",  # noqa: E501
                              "no SSH handshake behind saved configuration: judged on live scans")
    record = facts["ssh_algorithms"] or {}
    offered = record.get("offered") or {}
    weak = [(kind, zh, en, [a for a in offered.get(kind) or () if is_weak(kind, a)]) for kind, zh, en in KINDS]
    weak = [w for w in weak if w[3]]
    negotiated = record.get("negotiated") or {}
    used = ", ".join(f"{k}={negotiated[k]}" for k, _, _ in KINDS if negotiated.get(k))
    if weak:
        ev = [facts.note(f"SSH server offers {en}: {', '.join(algos)}", source="ssh_algorithms")
              for _, _, en, algos in weak]
        if used:
            ev.append(facts.note(f"negotiated: {used}", source="ssh_algorithms"))
        return failed("SSH服务提供弱算法：" + "；".join(f"{zh} {', '.join(a)}" for _, zh, _, a in weak),
                      "the SSH server offers weak algorithms: " + "; ".join(f"{en} {', '.join(a)}"
                                                                           for _, _, en, a in weak), ev)
    return passed("SSH服务仅提供安全的密钥交换、主机密钥、加密和完整性算法",
                  "the SSH server offers only strong key exchange, host key, cipher and MAC algorithms",
                  [facts.note(f"negotiated: {used}", source="ssh_algorithms")] if used else [])
