"""``python -m trangtin.cli``: the same as the ``trangtin`` command."""

from trangtin.cli.main import run

run()
