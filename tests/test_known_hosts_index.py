"""The known_hosts index answers as paramiko's HostKeys does (plain and hashed names, several key types, the first
key of a type winning, unreadable lines skipped), in constant time per plain name."""
from __future__ import annotations

import paramiko
import pytest

from scanner.transport.ssh import HostKeyIndex, KnownHosts


@pytest.fixture(scope="module")
def keys():
    return [paramiko.ECDSAKey.generate() for _ in range(3)] + [paramiko.RSAKey.generate(1024)]


def _line(host: str, key: paramiko.PKey) -> str:
    return f"{host} {key.get_name()} {key.get_base64()}"


def test_the_index_answers_as_paramiko(tmp_path, keys):
    e1, e2, e3, rsa = keys
    lines = [
        "# a comment", "",
        _line("10.0.0.1", e1),
        _line("[10.0.0.2]:2222,core-sw", e2),
        _line(paramiko.HostKeys.hash_host("10.0.0.3"), e3),       # HashKnownHosts yes (Debian's default)
        _line("10.0.0.1", rsa),                                    # a second key type for the same host
        _line("10.0.0.1", e3),                                     # a later key of the same type: the first wins
        "garbage-without-fields",
        "10.0.0.9 ssh-ed25519 not-base64!!",
    ]
    path = tmp_path / "known_hosts"
    path.write_text("\n".join(lines) + "\n")
    ours = HostKeyIndex(path)
    clean = tmp_path / "clean"                                     # paramiko raises on the bad key line
    clean.write_text("\n".join(lines[:-1]) + "\n")
    theirs = paramiko.HostKeys(str(clean))
    for host in ("10.0.0.1", "[10.0.0.2]:2222", "core-sw", "10.0.0.3", "10.0.0.4", "10.0.0.9"):
        got, want = ours.lookup(host), theirs.lookup(host)
        assert (got is None) == (want is None or not want), host
        if got is not None:
            assert {k: v.get_base64() for k, v in got.items()} == {k: want[k].get_base64() for k in want}, host
    assert ours.lookup("10.0.0.1")[e1.get_name()] == e1


def test_a_new_host_is_added_once_and_a_changed_key_is_refused(tmp_path, keys):
    e1, e2, _, _ = keys
    kh = KnownHosts(tmp_path / "kh", trust_new=True)
    kh.check("10.1.1.1", 22, e1)
    kh.check("10.1.1.1", 22, e1)                                   # known now: nothing appended
    assert (tmp_path / "kh").read_text().count("10.1.1.1") == 1
    with pytest.raises(paramiko.BadHostKeyException):
        kh.check("10.1.1.1", 22, e2)
    again = KnownHosts(tmp_path / "kh", trust_new=False)           # a later scan reads what this one wrote
    again.check("10.1.1.1", 22, e1)
    with pytest.raises(paramiko.SSHException):
        again.check("10.1.1.2", 22, e1)
