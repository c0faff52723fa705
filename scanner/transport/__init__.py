"""Transports: the only modules that touch networks (ssh.py, sshchannel.py, sshalgos.py: paramiko) or saved
outputs (replay.py)."""
