"""Transports: the only modules that touch networks (ssh.py: netmiko/paramiko) or saved outputs (replay.py)."""
