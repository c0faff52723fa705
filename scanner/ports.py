"""High-risk ports (T/ISEAA 001-2020 6.4.3.1, assessor checklists): port -> the service it stands for."""

HIGH_RISK_TCP = {21: "FTP", 23: "Telnet", 69: "TFTP", 80: "HTTP", 111: "rpcbind", 135: "MSRPC", 137: "NetBIOS",
                 139: "NetBIOS/SMB", 445: "SMB", 512: "rexec", 513: "rlogin", 514: "rsh", 2049: "NFS",
                 2323: "Telnet (alt)", 3389: "RDP", 5900: "VNC", 6000: "X11", 8080: "HTTP (alt)"}
CLEAR_TEXT_MGMT = frozenset({21, 23, 80, 512, 513, 514, 2323, 8080})
