"""The files that mark a folder as CodeScribe's own: what it wrote there, and may replace or delete.

A folder holding either is never read as the project's sources (:func:`~codescribe.engine.analysis.project.
discover_sources`): CodeScribe's outputs are not inputs.
"""

from __future__ import annotations

__all__ = ["CACHE_MARKER", "OWN_FOLDER_MARKERS", "WRITTEN_MANIFEST"]

#: In a folder ``generate --out`` wrote documents to: what it wrote, and their hashes
#: (:class:`~codescribe.engine.output.WrittenFiles`).
WRITTEN_MANIFEST = ".codescribe-written.json"
#: In a cache's folder (:meth:`~codescribe.engine.cache.ContentCache.claim`).
CACHE_MARKER = ".codescribe-cache"
OWN_FOLDER_MARKERS = (WRITTEN_MANIFEST, CACHE_MARKER)
