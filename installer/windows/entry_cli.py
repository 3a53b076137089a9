"""sohoa.exe: the command line, frozen by PyInstaller (installer/windows/sohoa.spec).

freeze_support() first: the OCR workers are processes, and on Windows a
frozen child starts this same .exe, which must become the worker and not run
the command line again.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from cli import main

    sys.exit(main())
