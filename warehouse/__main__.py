"""``python -m warehouse`` is the same as the ``sohoa-warehouse`` command."""

import sys

from warehouse.cli import main

if __name__ == "__main__":
    sys.exit(main())
