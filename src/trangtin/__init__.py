"""trangtin: static sites for networks of Vietnamese school information portals."""

__version__ = "0.1.0"
