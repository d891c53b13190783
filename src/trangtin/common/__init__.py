"""Small helpers every stage uses: Vietnamese text, local dates, diagnostics, YAML, sanitizing.

Owns the rules that are the same everywhere: slugs and Unicode forms (``text``), the
network's time zone and school years (``dates``), the one Vietnamese message format
``file:line: mức độ: … — cách sửa`` (``diagnostics``), YAML with line numbers
(``yamlsource``), the allow-list that makes HTML from elsewhere inert (``sanitize``) and the
week or month a menu or plan is for, as teachers write it (``weeks``).
Imports nothing from the rest of trangtin.
"""
