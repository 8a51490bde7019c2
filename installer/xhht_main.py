"""Entry script of the frozen Linux bundle: the same ``main`` as the ``xhht`` command."""

import sys

from xhht_desktop.cli import main

sys.exit(main())
