"""`python main.py ...` is the same as the `sohoa` command."""

import sys

from cli import main

if __name__ == "__main__":
    sys.exit(main())
