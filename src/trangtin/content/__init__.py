"""What teachers write: posts and pages read, validated, dated, checked, or explained.

Owns reading authors' files (``sources``: encodings, front matter), links and images inside
Markdown (``links``), the post model (``posts``), the network-wide form of a published post
(``items``: ``Item``), files beside posts judged by their content (``attachments``), what the
HTML allow-list removes from a body, with its line (``unsafe_html``), ``trangtin check``
(``checks``), ``trangtin new`` (``authoring``) and ``trangtin import`` (``word``: a .docx or a
folder of photos becomes a draft post; ``markdown_writer``: the converter's HTML as plain Markdown)
and the disclosure calendar judged from items (``calendar``: on time, late by N days, missing).
No MkDocs here. May import ``common``, ``network`` and ``photos``.
"""
