"""sohoa.exe: the command line, frozen by PyInstaller (installer/windows/sohoa.spec).

freeze_support() first: the OCR workers are processes, and on Windows a
frozen child starts this same .exe, which must become the worker and not run
the command line again.
"""

import multiprocessing
import sys


def utf8_output() -> None:
    """Write UTF-8 to pipes and files, never the ANSI code page.

    Windows gives a redirected stdout the ANSI code page (cp1252, or cp1258 on Vietnamese
    Windows), which cannot encode "Phường": the installer reads `sohoa.exe site check`
    through a pipe, and that check crashed with UnicodeEncodeError (found by wine-build.sh).
    The console itself is unaffected (Python writes UTF-16 to it).
    """
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


if __name__ == "__main__":
    multiprocessing.freeze_support()
    utf8_output()
    from cli import main

    sys.exit(main())
