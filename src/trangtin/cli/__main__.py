"""``python -m trangtin.cli``: the same as the ``trangtin`` command."""

import sys

from trangtin.cli.main import main

sys.exit(main())
