"""A unit's site: the MkDocs plugin and everything that renders, builds and publishes it.

Owns the MkDocs adapter (``plugin``), what a unit's site shows (``view``), the news
listings (``listing``), fragments rendered once per build (``fragments``), the Vietnamese
search index (``search``), the build caches (``cache``), which photos a site publishes
(``photos``), what people and other sites wrote escaped exactly once for every template
(``escaping``), building sites in processes (``build``), the landing page of ``public/``
(``landing``) and deployment (``deploy``). The only package that imports MkDocs. May import
every stage before it, never ``cli``.
"""
