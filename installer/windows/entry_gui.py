"""sohoa-gui.exe: the desktop app without a console window (`sohoa gui`)."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from cli import main

    sys.exit(main([*sys.argv[1:], "gui"]))  # global options (--data DIR) come first
