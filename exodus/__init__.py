"""exodus: the Exit Routes data layer (no UI imports).

Turns news articles into a source-grounded SQLite dataset; see docs/DATA_CONTRACT.md.
"""
__version__ = "0.1.0"
