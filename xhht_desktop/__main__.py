"""Entry point for ``python -m xhht_desktop``."""

import sys

from xhht_desktop.cli import main

sys.exit(main())
