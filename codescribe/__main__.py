"""``python -m codescribe``: the command line, as the ``codescribe`` script runs it."""

import sys

from .cli import main

sys.exit(main())
