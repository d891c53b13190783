"""Aggregation: each portal gathers the items of the units below it and cross-posts highlights.

Owns ``trangtin aggregate`` and the state in ``.trangtin/`` (``collect``: local units from
this repository, remote ones over HTTP, last good copies kept) and the highlights shown on a
portal with attribution and a link back (``crosspost``), and the pictures of those
highlights, fetched once so the portal serves them itself (``pictures``). May import
``common``, ``network``, ``photos``, ``content`` and ``feeds``.
"""
