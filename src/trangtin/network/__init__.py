"""The network: which units exist, how they nest, who they are, which sections they show.

Owns ``network.yml`` (``model``: units, identity, quotas, categories, semesters), the
Thông tư 37 sections of each kind of unit and those declared (``sections``), what
``network.yml`` declares beyond units (``declared``: ``sections:``, the disclosure calendar's
``disclosure:`` rules and the Thông tư 09/2024 presets) and the "did you mean" matching of
what people type against the network's names (``suggest``). May import ``common`` only.
"""
