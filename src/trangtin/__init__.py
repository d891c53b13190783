"""trangtin: static sites for networks of Vietnamese school information portals.

The subpackages follow the data flow, and each imports only from the ones before it::

    common → network → photos → content → feeds → aggregate → report → site → cli

``network.yml`` says which units exist (``network``); teachers' Markdown and photos become
posts (``content``, with ``photos`` for the pixels); each unit's posts become its feeds
(``feeds``); portals gather the feeds of the units below them (``aggregate``) and count
them for the thi đua (``report``); the MkDocs plugin renders a unit's site from all of it
(``site``); the ``trangtin`` command drives the whole (``cli``).
"""

__version__ = "0.1.0"
