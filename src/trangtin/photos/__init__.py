"""Photos for the web: decoded, turned upright, resized, stripped of metadata, cached, marked up.

Owns the pixel work on teachers' phone photos (``pipeline``: decode, rotate, resize,
re-encode without GPS or camera data), its content-addressed store (``cache``) and the
``<picture>``, gallery and thumbnail HTML for processed photos (``markup``). Knows nothing
of posts or sites: it takes paths and bytes. May import ``common`` only.
"""
