"""The local SQLite cache: orders, shipments, the outbox and settings in one file.

Everything above this package reads and writes the cache through these modules only.
"""

from shipdesk.cache.database import Cache, CacheError, open_cache

__all__ = ["Cache", "CacheError", "open_cache"]
