"""The ``trangtin`` command (``main``): the only place that prints and chooses exit codes.

May import every other package.
"""
