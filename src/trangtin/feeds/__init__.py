"""Feeds: a unit's Atom and JSON Feed written, and other sites' feeds fetched and read.

Owns writing ``feed.xml`` / ``feed.json`` with their archives (``writer``), fetching a feed
over HTTP within bounds (``fetch``) and turning fetched bytes into sanitized Items or a
clear refusal (``reader``). May import ``common``, ``network`` and ``content``.
"""
