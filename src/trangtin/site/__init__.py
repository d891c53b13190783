"""A unit's site: the MkDocs plugin and everything that renders, builds and publishes it.

Owns the MkDocs adapter (``plugin``), what a unit's site shows (``view``), people's and other
sites' text escaped exactly once for every template (``escaping``), MkDocs' warnings about
content turned into our diagnostics (``mkdocs_log``), its configuration errors explained in
Vietnamese (``config_problems``), the news listings (``listing``),
fragments rendered once per build (``fragments``), the Vietnamese search index (``search``),
the build caches (``cache``), the registers' document kinds and file sizes (``registers``),
which photos a site publishes (``photos``), a school's browser
editor configured from ``network.yml`` (``cms``), building sites in
processes (``build``), one site's pages shared out to forked workers (``parallel``), the
landing page of ``public/`` (``landing``), ``serve``'s preview that
renders again only the posts a save changed (``live``) and deployment (``deploy``). With
``cli``, the only package that imports MkDocs. May import
every stage before it, never ``cli``.
"""
