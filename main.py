"""`python main.py ...` is the same as the `sohoa` command."""

import sys

from cli import main

if __name__ == "__main__":
    from store.process import disable_core_dumps

    disable_core_dumps()  # no core file with the data key in it (docs/security.md)
    sys.exit(main())
