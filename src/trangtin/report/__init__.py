"""Counting for the thi đua: periods in local time, one counting function, every export format.

Owns report periods (``periods``: month, quarter, học kỳ, school year, year, range), what a
report counts (``gathering``: local content and aggregated feeds), the counting itself
(``counting``: roll-up, quotas, ranking, items that cannot be placed) and the HTML, CSV,
XLSX and JSON writers (``export``), the report ready to sign (``signing``: the Nghị định
30/2020 header and signature texts; ``workbook``: the XLSX laid out to print) and the
reminders (``reminders``: what each unit still owes, by when), and what the portal's page shows
first on a screen (``overview``: totals, verdict badges, the month chart's layout). May import every stage before
it (``common`` to ``aggregate``), never ``site`` or ``cli``.
"""
