"""Start snmpsim's command responder for the lab.

snmpsim refuses to run as root without dropping to an unprivileged user, and after the drop Python can no longer
read the interpreter's lazily imported modules under a 0700 home: import them before the drop.
"""
import dbm  # noqa: F401
import dbm.dumb  # noqa: F401
import encodings.ascii  # noqa: F401
import encodings.hex_codec  # noqa: F401
import encodings.idna  # noqa: F401
import encodings.latin_1  # noqa: F401
import encodings.utf_8  # noqa: F401
import sys

from snmpsim.commands.responder import main

if __name__ == "__main__":
    sys.exit(main())
