"""Counting for the thi đua: periods in local time, one counting function, every export format.

Owns report periods (``periods``: month, quarter, học kỳ, school year, year, range), what a
report counts (``gathering``: local content and aggregated feeds), the counting itself
(``counting``: roll-up, quotas, ranking, items that cannot be placed) and the HTML, CSV,
XLSX and JSON writers (``export``). May import every stage before it (``common`` to
``aggregate``), never ``site`` or ``cli``.
"""
