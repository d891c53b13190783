"""The ``trangtin`` command (``main``): the only place that prints and chooses exit codes.

argparse's own words in Vietnamese (``parser``); ``trangtin preview``, the built ``public/``
served over loopback HTTP (``preview``).

May import every other package.
"""
